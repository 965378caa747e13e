/**
 * Soft shadows and glows: a translucent area of one colour whose alpha
 * rises slowly from nothing to a plateau is what a Gaussian blur of a
 * shape makes. Bands of alpha describe it badly (visible steps) and at
 * length; the shape itself, blurred, describes it exactly. For each
 * 8-connected group of translucent pixels (translucency.ts) of about one
 * colour whose alpha is soft (many pixels well below its plateau `A`):
 *
 * (pixels connected through solid ones count as one group: a shadow that its
 * object cuts in parts is one shadow)
 *
 * - the shape is where alpha is at least `A / 2` (the edge of a blurred
 *   step sits where the blur reaches half its height);
 * - the blur's standard deviation follows from the width of the ramp: a
 *   blurred straight edge goes from 16% to 84% of `A` over 2 sigma, so sigma
 *   is the number of ramp pixels over twice the length of the shape's
 *   outline (counted on the pixel lattice, times pi/4 for the mean slant).
 *
 * The group becomes one palette entry with that colour, alpha `A` and blur;
 * its pixels below `A / 2` are left unpainted. Groups that are not soft
 * (flat translucent fills, small groups) are left to the alpha palette.
 */
import { TRANSPARENT, type IndexMap } from './index-pixels.js';
import { srgbToOklab } from './oklab.js';
import { ALPHA_MIN, AlphaKind, type AlphaClasses } from './translucency.js';
import type { Raster } from '../types.js';

/** Least pixels in a soft group. */
const MIN_PIXELS = 64;
/** Share of a group's pixels below 84% of its plateau for it to be soft. */
const SOFT_SHARE = 0.3;
/** Alpha-weighted RMS OKLab spread of the colours of a group of one colour. */
const MAX_SPREAD = 0.06;
/** Blurs below this (px) are left to bands: they are nearly edges. */
const MIN_SIGMA = 0.75;

export interface SoftEntry {
  readonly rgb: number;
  /** Plateau alpha 0-1. */
  readonly alpha: number;
  /** Blur standard deviation in pixels. */
  readonly blur: number;
  /** The shape runs under the solid shapes it touches (stacked), as a glow does. */
  readonly under: boolean;
}

export interface SoftResult {
  readonly entries: SoftEntry[];
  /** Per pixel: -1, or the soft entry it belongs to (pixels below half the plateau included). */
  readonly group: Int32Array;
  /** Per pixel: 1 where the pixel lies in its group's shape (alpha at least half the plateau). */
  readonly inside: Uint8Array;
}

function translucent(kind: number): boolean {
  return kind === AlphaKind.Translucent || kind === AlphaKind.BlendTranslucent;
}

/** True when pixel p and its four neighbours are of one kind (and inside the image). */
function interior(kind: Uint8Array, p: number, w: number, n: number): boolean {
  const x = p % w;
  if (x === 0 || x === w - 1 || p < w || p >= n - w) return false;
  const k = kind[p];
  return kind[p - 1] === k && kind[p + 1] === k && kind[p - w] === k && kind[p + w] === k;
}

/** True when pixel q is outside a soft shape of half-plateau `half` and not covered by a solid pixel. */
function unpainted(d: Uint8ClampedArray, kind: Uint8Array, q: number, half: number): boolean {
  return d[q * 4 + 3] < half && kind[q] !== AlphaKind.Solid;
}

export function findSoftEdges(raster: Raster, classes: AlphaClasses): SoftResult {
  const { width: w, height: h, data: d } = raster;
  const { kind } = classes;
  const n = w * h;
  const comp = new Int32Array(n).fill(-1);
  const group = new Int32Array(n).fill(-1);
  const inside = new Uint8Array(n);
  const entries: SoftEntry[] = [];
  const stack: number[] = [];
  const members: number[] = [];
  const cleanList: number[] = [];
  const lab = new Float64Array(3);
  const px = new Float64Array(3);
  const hist = new Uint32Array(256);
  let label = 0;
  for (let start = 0; start < n; start++) {
    if (comp[start] >= 0 || !translucent(kind[start])) continue;
    members.length = 0;
    stack.push(start);
    comp[start] = label;
    while (stack.length) {
      const p = stack.pop()!;
      if (translucent(kind[p])) members.push(p);
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          // Through solid pixels too: a shadow or glow that an object cuts in parts is one.
          if (comp[q] < 0 && kind[q] !== AlphaKind.Empty) {
            comp[q] = label;
            stack.push(q);
          }
        }
      }
    }
    label++;
    if (members.length < MIN_PIXELS) continue;
    // Plateau: the 98th percentile of alpha.
    hist.fill(0);
    for (const p of members) hist[d[p * 4 + 3]]++;
    let seen = 0;
    let plateau = 255;
    for (let a = 0; a < 256; a++) {
      seen += hist[a];
      if (seen >= 0.98 * members.length) {
        plateau = a;
        break;
      }
    }
    let low = 0;
    for (let a = 0; a < Math.round(0.84 * plateau); a++) low += hist[a];
    if (low < SOFT_SHARE * members.length) continue;
    // Colour: alpha-weighted mean and spread, away from solid pixels (whose
    // edges mix into their neighbours).
    let wa = 0;
    let r = 0;
    let g = 0;
    let b = 0;
    cleanList.length = 0;
    for (const p of members) {
      if (!interior(kind, p, w, n)) continue;
      const a = d[p * 4 + 3];
      wa += a;
      r += a * d[p * 4];
      g += a * d[p * 4 + 1];
      b += a * d[p * 4 + 2];
      cleanList.push(p);
    }
    if (!(wa > 0)) continue;
    r = Math.round(r / wa);
    g = Math.round(g / wa);
    b = Math.round(b / wa);
    srgbToOklab(r, g, b, lab, 0);
    let spread = 0;
    for (const p of cleanList) {
      srgbToOklab(d[p * 4], d[p * 4 + 1], d[p * 4 + 2], px, 0);
      spread += d[p * 4 + 3] * ((px[0] - lab[0]) ** 2 + (px[1] - lab[1]) ** 2 + (px[2] - lab[2]) ** 2);
    }
    const ws = wa;
    if (!(ws > 0) || Math.sqrt(spread / ws) > MAX_SPREAD) continue;
    const half = plateau / 2;
    let ramp = 0;
    for (let a = Math.ceil(0.16 * plateau); a <= Math.floor(0.84 * plateau); a++) ramp += hist[a];
    // Outline length: lattice edges between the shape and unpainted pixels.
    let edges = 0;
    for (const p of members) {
      if (d[p * 4 + 3] < half) continue;
      const x = p % w;
      const y = (p - x) / w;
      if (x === 0 || unpainted(d, kind, p - 1, half)) edges++;
      if (x === w - 1 || unpainted(d, kind, p + 1, half)) edges++;
      if (y === 0 || unpainted(d, kind, p - w, half)) edges++;
      if (y === h - 1 || unpainted(d, kind, p + w, half)) edges++;
    }
    if (edges === 0) continue;
    const blur = ramp / (2 * edges * (Math.PI / 4));
    if (blur < MIN_SIGMA) continue;
    const fit = fitSoft(raster, kind, comp, label - 1, members, half, blur);
    if (!(fit.alpha > 0)) continue;
    const e = entries.length;
    const { alpha, cut } = fit;
    entries.push({ rgb: (r << 16) | (g << 8) | b, alpha, blur: fit.blur, under: fit.under });
    for (const p of members) {
      group[p] = e;
      if (d[p * 4 + 3] >= cut) inside[p] = 1;
    }
  }
  return { entries, group, inside };
}

/**
 * Three box blurs of widths that together make a Gaussian of `sigma`
 * (Wells 1986), along rows then columns, in place over a `w` x `h` grid.
 */
function gaussianish(a: Float32Array, w: number, h: number, sigma: number, tmp: Float32Array): void {
  const ideal = Math.sqrt((12 * sigma * sigma) / 3 + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const m = Math.round((12 * sigma * sigma - 3 * wl * wl - 12 * wl - 9) / (-4 * wl - 4));
  for (let pass = 0; pass < 3; pass++) {
    const r = ((pass < m ? wl : wl + 2) - 1) / 2;
    for (let y = 0; y < h; y++) boxLine(a, y * w, 1, w, r, tmp);
    for (let x = 0; x < w; x++) boxLine(a, x, w, h, r, tmp);
  }
}

/** A running-sum box filter of radius r along one line (zero beyond its ends). */
function boxLine(a: Float32Array, start: number, step: number, len: number, r: number, tmp: Float32Array): void {
  for (let i = 0; i < len; i++) tmp[i] = a[start + i * step];
  let sum = 0;
  for (let i = 0; i < Math.min(r, len); i++) sum += tmp[i];
  const k = 1 / (2 * r + 1);
  for (let i = 0; i < len; i++) {
    if (i + r < len) sum += tmp[i + r];
    if (i - r - 1 >= 0) sum -= tmp[i - r - 1];
    a[start + i * step] = sum * k;
  }
}

/**
 * Fits a blurred shape to the alpha seen around a soft group: the shape is
 * the group's pixels at or above a cut (half the plateau), with or without
 * the solid shapes it touches (`under`: a glow, or a shadow right under its
 * object, whose hidden part is the object's shape). For a given shape and
 * blur, the plateau is the least-squares scale of the blurred shape to the
 * alpha seen on the pixels not covered by solid ones; the search below
 * settles shape, blur and plateau together, keeping the least residual.
 */
class SoftFit {
  private readonly x0: number;
  private readonly y0: number;
  /** Pixels per cell side: the fit runs on cells of f x f pixels (a blur of several pixels is smooth at that scale). */
  private readonly f: number;
  private readonly gw: number;
  private readonly gh: number;
  /** Per cell: share covered by solid pixels of the group's flood. */
  private readonly solid: Float32Array;
  /** Per cell, over its pixels not covered by solid ones (nor by another group): count, sum of alpha, sum of alpha^2. */
  private readonly count: Float32Array;
  private readonly sum: Float32Array;
  private readonly soo: number;
  private readonly grid: Float32Array;
  private readonly tmp: Float32Array;

  constructor(
    private readonly raster: Raster,
    kind: Uint8Array,
    comp: Int32Array,
    label: number,
    private readonly members: readonly number[],
    sigma: number,
  ) {
    const { width: w, height: h, data: d } = raster;
    let x0 = w;
    let y0 = h;
    let x1 = 0;
    let y1 = 0;
    for (const p of members) {
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    const m = Math.ceil(6 * sigma) + 1;
    this.x0 = x0 = Math.max(0, x0 - m);
    this.y0 = y0 = Math.max(0, y0 - m);
    x1 = Math.min(w - 1, x1 + m);
    y1 = Math.min(h - 1, y1 + m);
    const f = (this.f = Math.max(1, Math.floor(sigma / 1.5)));
    const gw = (this.gw = Math.ceil((x1 - x0 + 1) / f));
    const gh = (this.gh = Math.ceil((y1 - y0 + 1) / f));
    this.solid = new Float32Array(gw * gh);
    this.count = new Float32Array(gw * gh);
    this.sum = new Float32Array(gw * gh);
    this.grid = new Float32Array(gw * gh);
    this.tmp = new Float32Array(Math.max(gw, gh));
    const cell = 1 / (f * f);
    let soo = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const p = y * w + x;
        const c = (((y - y0) / f) | 0) * gw + (((x - x0) / f) | 0);
        const k = kind[p];
        if (k === AlphaKind.Solid) {
          if (comp[p] === label) this.solid[c] += cell;
          continue;
        }
        if (comp[p] !== label && k !== AlphaKind.Empty) continue;
        const o = d[p * 4 + 3] / 255;
        this.count[c]++;
        this.sum[c] += o;
        soo += o * o;
      }
    }
    this.soo = soo;
  }

  /** Plateau (0-1) and residual of the shape cut at `cut` (alpha byte), with or without the solid shapes, blurred by `sigma`. */
  fit(under: boolean, cut: number, sigma: number): { alpha: number; residual: number } {
    const { raster, members, x0, y0, f, gw, gh, grid } = this;
    const { width: w, data: d } = raster;
    if (under) grid.set(this.solid);
    else grid.fill(0);
    const cell = 1 / (f * f);
    for (const p of members) {
      if (d[p * 4 + 3] < cut) continue;
      const x = p % w;
      const y = (p - x) / w;
      grid[(((y - y0) / f) | 0) * gw + (((x - x0) / f) | 0)] += cell;
    }
    gaussianish(grid, gw, gh, sigma / f, this.tmp);
    let sop = 0;
    let spp = 0;
    for (let c = 0; c < grid.length; c++) {
      const n = this.count[c];
      if (n === 0) continue;
      const v = grid[c];
      sop += this.sum[c] * v;
      spp += n * v * v;
    }
    const alpha = spp > 0 ? Math.min(1, sop / spp) : 0;
    return { alpha, residual: this.soo - 2 * alpha * sop + alpha * alpha * spp };
  }
}

/** The fitted soft shape: whether it runs under solid shapes, its plateau, blur, and where it is cut. */
function fitSoft(
  raster: Raster,
  kind: Uint8Array,
  comp: Int32Array,
  label: number,
  members: readonly number[],
  half: number,
  sigma: number,
): { under: boolean; alpha: number; blur: number; cut: number } {
  const f = new SoftFit(raster, kind, comp, label, members, sigma);
  const own = f.fit(false, half, sigma);
  const with_ = f.fit(true, half, sigma);
  const under = with_.residual < own.residual;
  let best = { ...(under ? with_ : own), blur: sigma, cut: half };
  for (let round = 0; round < 3; round++) {
    let moved = false;
    for (const scale of [0.8, 1.25, 1.6]) {
      const s = Math.min(2 * sigma, Math.max(MIN_SIGMA, best.blur * scale));
      const cut = Math.max(ALPHA_MIN, (best.alpha * 255) / 2);
      const r = f.fit(under, cut, s);
      if (r.residual < best.residual) {
        best = { ...r, blur: s, cut };
        moved = true;
      }
    }
    // The same blur with the cut at half the new plateau.
    const cut = Math.max(ALPHA_MIN, (best.alpha * 255) / 2);
    const r = f.fit(under, cut, best.blur);
    if (r.residual < best.residual) {
      best = { ...r, blur: best.blur, cut };
      moved = true;
    }
    if (!moved) break;
  }
  return { under, alpha: best.alpha, blur: best.blur, cut: best.cut };
}

/** Removes the soft groups' pixels from `kind`, so the alpha palette learns and indexes only the rest. */
export function withoutSoft(soft: SoftResult, kind: Uint8Array): Uint8Array {
  const out = kind.slice();
  for (let p = 0; p < out.length; p++) if (soft.group[p] >= 0) out[p] = AlphaKind.Empty;
  return out;
}

/** Writes the soft groups into the index: entry `base + e` inside each shape, unpainted outside. */
export function indexSoft(soft: SoftResult, base: number, index: IndexMap): IndexMap {
  const { group, inside } = soft;
  for (let p = 0; p < group.length; p++) {
    if (group[p] >= 0) index[p] = inside[p] ? base + group[p] : TRANSPARENT;
  }
  return index;
}
