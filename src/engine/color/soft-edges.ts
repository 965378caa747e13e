/**
 * Soft shadows and glows: a translucent area of one colour whose alpha
 * rises slowly from nothing to a plateau is what a Gaussian blur of a
 * shape makes. Bands of alpha describe it badly (visible steps) and at
 * length; the shape itself, blurred, describes it exactly. For each
 * 4-connected group of translucent pixels (translucency.ts) of about one
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
 * and the search in `fitSoft` refines both, and the shape's hidden part
 * under the solid shapes it touches. The group becomes one layer of its own
 * (soft-layers.ts): that colour, alpha `A`, the shape traced on its own
 * (its outline is blurred, so it shares no boundary with its neighbours)
 * and the blur, painted under everything else. Groups that are not soft
 * (flat translucent fills, small groups) are left to the alpha palette.
 */
import { TRANSPARENT, type IndexMap } from './index-pixels.js';
import { ALPHA_MIN, AlphaKind, type AlphaClasses } from './translucency.js';
import type { Raster } from '../types.js';

/** Least pixels in a soft group. */
const MIN_PIXELS = 64;
/** Share of a group's pixels below 84% of its plateau for it to be soft. */
const SOFT_SHARE = 0.3;
/** Alpha-weighted RMS spread (sRGB, 0-255 per channel) of the colours of a group of one colour. */
const MAX_SPREAD = 16;
/** Blurs below this (px) are left to bands: they are nearly edges. */
const MIN_SIGMA = 0.75;

export interface SoftEntry {
  readonly rgb: number;
  /** Plateau alpha 0-1. */
  readonly alpha: number;
  /** Blur standard deviation in pixels. */
  readonly blur: number;
  /** The shape, 1 per pixel of the box at (x0, y0), bw x bh pixels. */
  readonly shape: Uint8Array;
  readonly x0: number;
  readonly y0: number;
  readonly bw: number;
  readonly bh: number;
}

export interface SoftResult {
  readonly entries: SoftEntry[];
  /** Per pixel: -1, or the soft entry whose group it is in (these pixels are painted by it alone). */
  readonly group: Int32Array;
}

function translucent(kind: number): boolean {
  return kind === AlphaKind.Translucent || kind === AlphaKind.BlendTranslucent;
}

/** Flood step: labels pixel q and pushes it when it is painted and not yet labelled; returns the new stack top. */
function visit(
  comp: Int32Array,
  kind: Uint8Array,
  stack: Int32Array,
  top: number,
  q: number,
  label: number,
): number {
  if (comp[q] < 0 && kind[q] !== AlphaKind.Empty) {
    comp[q] = label;
    stack[top++] = q;
  }
  return top;
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
  const entries: SoftEntry[] = [];
  const stack = new Int32Array(n);
  const members: number[] = [];
  const cleanList: number[] = [];
  const hist = new Uint32Array(256);
  let label = 0;
  for (let start = 0; start < n; start++) {
    if (comp[start] >= 0 || !translucent(kind[start])) continue;
    members.length = 0;
    let top = 0;
    stack[top++] = start;
    comp[start] = label;
    while (top > 0) {
      const p = stack[--top];
      const k = kind[p];
      if (k === AlphaKind.Translucent || k === AlphaKind.BlendTranslucent) members.push(p);
      const x = p % w;
      // 4-connected, through solid pixels too: a shadow or glow that an object cuts in parts is one.
      if (x > 0) top = visit(comp, kind, stack, top, p - 1, label);
      if (x < w - 1) top = visit(comp, kind, stack, top, p + 1, label);
      if (p >= w) top = visit(comp, kind, stack, top, p - w, label);
      if (p < n - w) top = visit(comp, kind, stack, top, p + w, label);
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
    let spread = 0;
    for (const p of cleanList) {
      spread += d[p * 4 + 3] * ((d[p * 4] - r) ** 2 + (d[p * 4 + 1] - g) ** 2 + (d[p * 4 + 2] - b) ** 2);
    }
    if (Math.sqrt(spread / wa) > MAX_SPREAD) continue;
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
    const { fit, box, shape } = fitSoft(
      raster,
      kind,
      comp,
      label - 1,
      members,
      half,
      blur,
      (r << 16) | (g << 8) | b,
    );
    if (!(fit.alpha > 0)) continue;
    const e = entries.length;
    entries.push({
      rgb: (r << 16) | (g << 8) | b,
      alpha: fit.alpha,
      blur: fit.blur,
      shape: shape.slice(),
      x0: box.x0,
      y0: box.y0,
      bw: box.bw,
      bh: box.bh,
    });
    for (const p of members) group[p] = e;
  }
  return { entries, group };
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
function boxLine(
  a: Float32Array,
  start: number,
  step: number,
  len: number,
  r: number,
  tmp: Float32Array,
): void {
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
  readonly x0: number;
  readonly y0: number;
  readonly bw: number;
  readonly bh: number;
  /** Pixels per cell side: the fit runs on cells of f x f pixels (a blur of several pixels is smooth at that scale). */
  private readonly f: number;
  private readonly gw: number;
  private readonly gh: number;
  /** Per box pixel: alpha of the group's own pixels (0 elsewhere), and 1 for solid pixels of its flood. */
  private readonly own: Uint8Array;
  solid: Uint8Array;
  /** Per cell, over its pixels not covered by solid ones (nor by another group): count and sum of alpha. */
  private readonly count: Float32Array;
  private readonly sum: Float32Array;
  private readonly soo: number;
  private readonly grid: Float32Array;
  private readonly tmp: Float32Array;
  /** Per cell and alpha level (alpha >> 4): own pixels at that level. */
  private readonly levels: Float32Array;
  /** Per cell: share covered by solid pixels of the group's flood. */
  private readonly solidCover: Float32Array;
  /** From the solid shape's centre to the group's (alpha-weighted), in pixels: where a drop shadow falls. */
  readonly dx: number;
  readonly dy: number;

  constructor(
    raster: Raster,
    kind: Uint8Array,
    comp: Int32Array,
    label: number,
    members: readonly number[],
    sigma: number,
    half: number,
    rgb: number,
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
    const bw = (this.bw = x1 - x0 + 1);
    const bh = (this.bh = y1 - y0 + 1);
    const f = (this.f = Math.max(1, Math.floor(sigma / 1.5)));
    const gw = (this.gw = Math.ceil(bw / f));
    this.gh = Math.ceil(bh / f);
    this.own = new Uint8Array(bw * bh);
    this.solid = new Uint8Array(bw * bh);
    this.count = new Float32Array(gw * this.gh);
    this.sum = new Float32Array(gw * this.gh);
    this.grid = new Float32Array(gw * this.gh);
    this.tmp = new Float32Array(Math.max(gw, this.gh));
    this.levels = new Float32Array(gw * this.gh * 16);
    this.solidCover = new Float32Array(gw * this.gh);
    const cellOf = new Int32Array(bw);
    for (let x = 0; x < bw; x++) cellOf[x] = (x / f) | 0;
    const share = 1 / (f * f);
    let soo = 0;
    let sx = 0;
    let sy = 0;
    let sn = 0;
    let ax = 0;
    let ay = 0;
    let an = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const p = y * w + x;
        const b = (y - y0) * bw + x - x0;
        const k = kind[p];
        const c = (((y - y0) / f) | 0) * gw + cellOf[x - x0];
        if (k === AlphaKind.Solid) {
          if (comp[p] === label) {
            this.solid[b] = 1;
            sx += x;
            sy += y;
            sn++;
          }
          continue;
        }
        if (comp[p] !== label && k !== AlphaKind.Empty) continue;
        const a = d[p * 4 + 3];
        // Pixels of another colour (the soft edge of an object over the
        // shadow) are neither the shape nor evidence about it.
        if (
          k !== AlphaKind.Empty &&
          Math.abs(d[p * 4] - (rgb >>> 16)) +
            Math.abs(d[p * 4 + 1] - ((rgb >>> 8) & 255)) +
            Math.abs(d[p * 4 + 2] - (rgb & 255)) >
            3 * MAX_SPREAD
        )
          continue;
        if (comp[p] === label) {
          this.own[b] = a;
          this.levels[c * 16 + (a >> 4)] += share;
          ax += a * x;
          ay += a * y;
          an += a;
        }
        const o = a / 255;
        this.count[c]++;
        this.sum[c] += o;
        soo += o * o;
      }
    }
    this.soo = soo;
    // Only the solid shapes the visible shape touches can hide part of it:
    // keep the solid pixels 8-connected to one next to a pixel at or above half the plateau.
    const keep = new Uint8Array(bw * bh);
    const stack: number[] = [];
    for (let b = 0; b < keep.length; b++) {
      if (!this.solid[b]) continue;
      const x = b % bw;
      const near =
        (x > 0 && this.own[b - 1] >= half) ||
        (x < bw - 1 && this.own[b + 1] >= half) ||
        (b >= bw && this.own[b - bw] >= half) ||
        (b < keep.length - bw && this.own[b + bw] >= half);
      if (near) {
        keep[b] = 1;
        stack.push(b);
      }
    }
    while (stack.length) {
      const b = stack.pop()!;
      const x = b % bw;
      const y = (b - x) / bw;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= bw || yy >= bh) continue;
          const q = yy * bw + xx;
          if (this.solid[q] && !keep[q]) {
            keep[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    this.solid = keep;
    for (let b = 0; b < keep.length; b++) {
      if (!keep[b]) continue;
      const x = b % bw;
      const y = (b - x) / bw;
      this.solidCover[((y / f) | 0) * gw + cellOf[x]] += share;
    }
    this.dx = sn && an ? ax / an - sx / sn : 0;
    this.dy = sn && an ? ay / an - sy / sn : 0;
  }

  /**
   * 1 for the box pixels of the shape: the group's pixels at or above `cut`,
   * and with `shift` the solid pixels that a copy of the solid shape moved
   * by it covers (its hidden part; shift 0,0 is a glow of the shape itself).
   */
  mask(cut: number, shift: readonly [number, number] | null, out: Uint8Array): Uint8Array {
    const { own, solid, bw, bh } = this;
    for (let i = 0; i < own.length; i++) out[i] = own[i] >= cut ? 1 : 0;
    if (!shift) return out;
    const [sx, sy] = shift;
    for (let y = 0; y < bh; y++) {
      const yy = y - sy;
      if (yy < 0 || yy >= bh) continue;
      for (let x = 0; x < bw; x++) {
        const xx = x - sx;
        if (xx < 0 || xx >= bw) continue;
        const b = y * bw + x;
        if (solid[b] && solid[yy * bw + xx]) out[b] = 1;
      }
    }
    return out;
  }

  /**
   * Plateau (0-1) and residual of the shape `mask(cut, shift)` blurred by
   * `sigma`, on cells: own pixels by alpha level (16 levels), and the
   * hidden part as the overlap of the solid cover with itself moved by the
   * shift, cell by cell.
   */
  fit(
    cut: number,
    shift: readonly [number, number] | null,
    sigma: number,
  ): { alpha: number; residual: number } {
    const { f, gw, gh, grid, levels, solidCover } = this;
    const from = Math.min(16, Math.ceil(cut / 16));
    for (let c = 0; c < grid.length; c++) {
      let v = 0;
      for (let l = from; l < 16; l++) v += levels[c * 16 + l];
      grid[c] = v;
    }
    if (shift) {
      const sx = Math.round(shift[0] / f);
      const sy = Math.round(shift[1] / f);
      for (let y = 0; y < gh; y++) {
        const yy = y - sy;
        if (yy < 0 || yy >= gh) continue;
        for (let x = 0; x < gw; x++) {
          const xx = x - sx;
          if (xx < 0 || xx >= gw) continue;
          const c = y * gw + x;
          const hidden = Math.min(solidCover[c], solidCover[yy * gw + xx]);
          grid[c] = Math.min(1, grid[c] + hidden);
        }
      }
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

interface Fitted {
  readonly alpha: number;
  readonly residual: number;
  readonly blur: number;
  readonly cut: number;
  readonly shift: readonly [number, number] | null;
}

/**
 * Fits a blurred shape to the alpha seen around a soft group: the shape is
 * the group's pixels at or above a cut (half the plateau), plus possibly a
 * hidden part under the solid shapes it touches: a copy of them, in place
 * (a glow) or moved toward the group (a drop shadow, moved by 1 to 16 px
 * along the line from the solid shape's centre to the group's). For a
 * given shape and blur, the plateau is the least-squares scale of the
 * blurred shape to the alpha seen on the pixels not covered by solid ones;
 * the search settles shape, blur and plateau, keeping the least residual.
 * Returns the fit and the shape, as a mask over the fit's box.
 */
function fitSoft(
  raster: Raster,
  kind: Uint8Array,
  comp: Int32Array,
  label: number,
  members: readonly number[],
  half: number,
  sigma: number,
  rgb: number,
): { fit: Fitted; box: SoftFit; shape: Uint8Array } {
  const f = new SoftFit(raster, kind, comp, label, members, sigma, half, rgb);
  const len = Math.hypot(f.dx, f.dy);
  const shifts: ([number, number] | null)[] = [null, [0, 0]];
  if (len > 0) {
    for (const k of [0.5, 1, 2]) {
      const step = Math.min(len, k * sigma);
      const s: [number, number] = [Math.round((step * f.dx) / len), Math.round((step * f.dy) / len)];
      if (!shifts.some((t) => t && t[0] === s[0] && t[1] === s[1])) shifts.push(s);
    }
  }
  let best: Fitted | null = null;
  for (const shift of shifts) {
    const r = f.fit(half, shift, sigma);
    if (!best || r.residual < best.residual) best = { ...r, blur: sigma, cut: half, shift };
  }
  let fit = best!;
  for (let round = 0; round < 2; round++) {
    let moved = false;
    for (const scale of [0.8, 1, 1.25]) {
      const s = Math.min(2 * sigma, Math.max(MIN_SIGMA, fit.blur * scale));
      const cut = Math.max(ALPHA_MIN, (fit.alpha * 255) / 2);
      if (scale === 1 && cut === fit.cut) continue;
      const r = f.fit(cut, fit.shift, s);
      if (r.residual < fit.residual) {
        fit = { ...r, blur: s, cut, shift: fit.shift };
        moved = true;
      }
    }
    if (!moved) break;
  }
  return { fit, box: f, shape: f.mask(fit.cut, fit.shift, new Uint8Array(f.bw * f.bh)) };
}

/** Removes the soft groups' pixels from `kind`, so the alpha palette learns and indexes only the rest. */
export function withoutSoft(soft: SoftResult, kind: Uint8Array): Uint8Array {
  const out = kind.slice();
  for (let p = 0; p < out.length; p++) if (soft.group[p] >= 0) out[p] = AlphaKind.Empty;
  return out;
}

/** Leaves the soft groups' pixels unpainted in the index: their soft layers paint them. */
export function indexSoft(soft: SoftResult, index: IndexMap): IndexMap {
  const { group } = soft;
  for (let p = 0; p < group.length; p++) if (group[p] >= 0) index[p] = TRANSPARENT;
  return index;
}
