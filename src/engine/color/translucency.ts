/**
 * Translucency: which pixels are partly transparent because the picture is
 * (a soft shadow, a glow, a half-transparent fill), and which only because
 * an edge covers them partly (anti-aliasing against transparency).
 *
 * A pixel with alpha between `ALPHA_MIN` and `ALPHA_SOLID` is a coverage
 * blend when, across a row, a column or a diagonal, its alpha lies between
 * those of its two opposite neighbours and they differ by at least
 * `EDGE_ALPHA`: a sharp edge goes from empty to full over a pixel or two,
 * while a blurred shadow or a flat translucent fill changes slowly. A blend
 * joins the side whose alpha is nearer (ties to the more opaque side), as
 * the old rule "alpha below 128 is empty" did for opaque shapes; every other
 * partly transparent pixel is translucent, and gets a translucent palette
 * entry (alpha-palette.ts).
 */
import type { Raster } from '../types.js';

/** Alpha at or above this is solid: painted opaque. */
export const ALPHA_SOLID = 250;
/** Alpha below this is empty (nothing visible on any background). */
export const ALPHA_MIN = 4;
/** Least alpha difference across a pixel for it to be an edge's coverage blend. */
const EDGE_ALPHA = 96;
/** Translucent pixels (with all four neighbours translucent) needed, as a share of the image, to trace translucency. */
const MIN_SHARE = 0.002;
const MIN_PIXELS = 16;

/** What each pixel is, from its alpha. */
export const AlphaKind = {
  Empty: 0,
  Solid: 1,
  Translucent: 2,
  /** A coverage blend whose nearer side is solid. */
  BlendSolid: 3,
  /** A coverage blend whose nearer side is empty. */
  BlendEmpty: 4,
  /** A coverage blend whose nearer side is translucent: takes that neighbour's colour. */
  BlendTranslucent: 5,
} as const;

function alphaAt(d: Uint8ClampedArray, w: number, h: number, x: number, y: number): number {
  return x < 0 || y < 0 || x >= w || y >= h ? 0 : d[(y * w + x) * 4 + 3];
}

const AXES = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
] as const;

export interface AlphaClasses {
  readonly kind: Uint8Array;
  /** For `BlendTranslucent` pixels: the neighbour (pixel index) whose colour they take. */
  readonly side: Int32Array;
  /** Translucent pixels whose four neighbours are translucent too. */
  readonly interior: number;
}

/** Classifies every pixel (see the module comment). */
export function classifyAlpha(raster: Raster): AlphaClasses {
  const { width: w, height: h, data: d } = raster;
  const kind = new Uint8Array(w * h);
  const side = new Int32Array(w * h).fill(-1);
  let interior = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const a = d[i * 4 + 3];
      if (a >= ALPHA_SOLID) {
        kind[i] = AlphaKind.Solid;
        continue;
      }
      if (a < ALPHA_MIN) continue;
      let k: number = AlphaKind.Translucent;
      let bestSpan = 0;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1;
      for (let axis = 0; axis < 4; axis++) {
        const dx = AXES[axis][0];
        const dy = AXES[axis][1];
        const off = (dy * w + dx) * 4;
        const p = edge ? alphaAt(d, w, h, x - dx, y - dy) : d[i * 4 + 3 - off];
        const q = edge ? alphaAt(d, w, h, x + dx, y + dy) : d[i * 4 + 3 + off];
        const lo = p < q ? p : q;
        const hi = p < q ? q : p;
        if (hi - lo < EDGE_ALPHA || a <= lo || a >= hi || hi - lo <= bestSpan) continue;
        bestSpan = hi - lo;
        const near = hi - a <= a - lo ? hi : lo;
        if (near >= ALPHA_SOLID) k = AlphaKind.BlendSolid;
        else if (near < ALPHA_MIN) k = AlphaKind.BlendEmpty;
        else {
          k = AlphaKind.BlendTranslucent;
          const s = near === p ? -1 : 1;
          side[i] = (y + s * dy) * w + x + s * dx;
        }
      }
      kind[i] = k;
    }
  }
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (
        kind[i] === AlphaKind.Translucent &&
        kind[i - 1] === AlphaKind.Translucent &&
        kind[i + 1] === AlphaKind.Translucent &&
        kind[i - w] === AlphaKind.Translucent &&
        kind[i + w] === AlphaKind.Translucent
      )
        interior++;
    }
  }
  return { kind, side, interior };
}

/** True when the picture has enough translucent area to trace it as such. */
export function hasTranslucency(classes: AlphaClasses, pixels: number): boolean {
  return classes.interior >= Math.max(MIN_PIXELS, MIN_SHARE * pixels);
}

/**
 * The picture the opaque stages see: solid pixels and blends whose nearer
 * side is solid become opaque, everything else transparent, so the opaque
 * palette and indexing work exactly as on an opaque picture.
 */
export function solidPart(raster: Raster, classes: AlphaClasses): Raster {
  const data = raster.data.slice();
  const { kind } = classes;
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    data[i * 4 + 3] = k === AlphaKind.Solid || k === AlphaKind.BlendSolid ? 255 : 0;
  }
  return { width: raster.width, height: raster.height, data };
}
