/**
 * Anti-aliased edge pixels into their neighbours. Where two colour areas meet,
 * a renderer leaves a one-pixel band of blends; indexed on their own, those
 * pixels become slivers: thin regions with a colour between their two
 * neighbours. A pixel whose two opposite neighbours (across a row, column or
 * diagonal) have two other palette colours, and whose own colour (as in the
 * image, not its palette entry, which may be a third colour altogether)
 * lies on the segment between them, joins the side it is closer to. The
 * segment is taken in sRGB, where renderers mix edge pixels, not in OKLab. A thin stroke of a
 * colour that is not between its neighbours (dark text on white) is not a
 * blend and stays. Reads the input only, so the result does not depend on
 * scan order.
 */
import { segmentDist2 } from './blend.js';
import { TRANSPARENT, type IndexMap } from './index-pixels.js';
import type { Palette } from './palette.js';
import type { Raster } from '../types.js';
import { keepShape } from '../keep-shapes.js';

/** How far a blend may sit from the segment between its two colours: this fraction of their distance, plus a little noise (sRGB units). */
const OFF_SEGMENT = 0.15;
const NOISE = 6;

const T = TRANSPARENT;

/** Two opposite neighbours a and b of a pixel of index k qualify when both differ from it, from each other, and are painted. */
function eligible(k: number, a: number, b: number): boolean {
  return a !== k && b !== k && a !== b && a !== T && b !== T;
}

/**
 * The per-pixel test, as methods rather than closures made per call, so the
 * JIT's optimised code (which inlines its callees) stays valid from one
 * image to the next.
 */
class BlendJoiner {
  private readonly px = new Float64Array(3);
  private readonly t = new Float64Array(1);
  /** Palette colours as sRGB triples, so segmentDist2 can measure in sRGB. */
  private readonly rgb: Float64Array;

  constructor(
    private readonly index: IndexMap,
    private readonly out: IndexMap,
    private readonly data: Uint8ClampedArray,
    private readonly w: number,
    palette: Palette,
  ) {
    this.rgb = new Float64Array(palette.size * 3);
    for (let c = 0; c < palette.size; c++) {
      this.rgb[c * 3] = palette.rgb[c] >>> 16;
      this.rgb[c * 3 + 1] = (palette.rgb[c] >>> 8) & 255;
      this.rgb[c * 3 + 2] = palette.rgb[c] & 255;
    }
  }

  /** Joins pixel i to a or b when its colour lies between theirs; true when it did. */
  join(i: number, a: number, b: number): boolean {
    const { px, t, rgb, data } = this;
    px[0] = data[i * 4];
    px[1] = data[i * 4 + 1];
    px[2] = data[i * 4 + 2];
    const d = segmentDist2(px, 0, rgb, a, b, t);
    const ab = Math.sqrt(segmentDist2(rgb, a, rgb, b, b));
    const tol = (OFF_SEGMENT * ab + NOISE) ** 2;
    if (t[0] > 0.05 && t[0] < 0.95 && d <= tol) {
      this.out[i] = t[0] < 0.5 ? a : b;
      return true;
    }
    return false;
  }

  /**
   * Pixel i of index k, given its left, right and three upper neighbours;
   * the axes are tried across the row, the column, and the two diagonals.
   */
  pixel(i: number, k: number, left: number, right: number, ul: number, u: number, ur: number): void {
    if (k === T) return;
    if (eligible(k, left, right) && this.join(i, left, right)) return;
    const { index, w } = this;
    if (u !== k) {
      const b = index[i + w];
      if (eligible(k, u, b) && this.join(i, u, b)) return;
    }
    if (ul !== k) {
      const b = index[i + w + 1];
      if (eligible(k, ul, b) && this.join(i, ul, b)) return;
    }
    if (ur !== k) {
      const b = index[i + w - 1];
      if (eligible(k, ur, b)) this.join(i, ur, b);
    }
  }
}

export function reassignBlends(index: IndexMap, raster: Raster, palette: Palette): IndexMap {
  const { width: w, height, data } = raster;
  const out = index.slice();
  const joiner = new BlendJoiner(index, out, data, w, palette);
  // The three pixels above slide along the row with the pixel, so a pixel
  // whose upper neighbours share its index (most) needs no look below: the
  // vertical and both diagonal pairs then include a pixel of its own index.
  for (let y = 1; y < height - 1; y++) {
    let i = y * w + 1;
    let left = index[i - 1];
    let k = index[i];
    let ul = index[i - w - 1];
    let u = index[i - w];
    for (let x = 1; x < w - 1; x++, i++) {
      const right = index[i + 1];
      const ur = index[i - w + 1];
      joiner.pixel(i, k, left, right, ul, u, ur);
      left = k;
      k = right;
      ul = u;
      u = ur;
    }
  }
  return out;
}

// A template instance keeps the class's hidden class alive between calls (see keep-shapes.ts).
keepShape(
  new BlendJoiner(new Uint16Array(4), new Uint16Array(4), new Uint8ClampedArray(16), 2, {
    size: 1,
    lab: new Float64Array(3),
    rgb: new Uint32Array(1),
  }),
);
