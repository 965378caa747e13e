/**
 * The translucent part of the palette: colours with an alpha, learnt from the
 * translucent pixels (translucency.ts) by weighted k-means in premultiplied
 * OKLab + alpha, (alpha x L, alpha x a, alpha x b, alpha). Premultiplied,
 * because what a viewer sees of a translucent colour is its colour scaled by
 * its alpha over whatever is behind: two faint shadows of different hue look
 * alike, two alphas of one colour do not. One centre is fixed at "nothing"
 * (all zero): pixels nearest to it stay unpainted. The number of entries
 * grows one k-means++ centre at a time until the pixel-weighted RMS error is
 * at most the opaque palette's target.
 */
import { mulberry32 } from './kmeans.js';
import { linearToOklab, SRGB_TO_LINEAR, srgbToOklab } from './oklab.js';
import { TRANSPARENT, type IndexMap } from './index-pixels.js';
import type { Palette } from './palette.js';
import { AlphaKind, type AlphaClasses } from './translucency.js';
import type { Raster } from '../types.js';

export interface AlphaSettings {
  /** Most translucent entries. */
  readonly cap: number;
  /** RMS error target in premultiplied OKLab + alpha. */
  readonly target: number;
}

const D = 4;

function feature(r: number, g: number, b: number, a: number, out: Float64Array, o: number): void {
  srgbToOklab(Math.round(r), Math.round(g), Math.round(b), out, o);
  const t = a / 255;
  out[o] *= t;
  out[o + 1] *= t;
  out[o + 2] *= t;
  out[o + 3] = t;
}

function dist2(a: Float64Array, i: number, b: Float64Array, j: number): number {
  let s = 0;
  for (let k = 0; k < D; k++) {
    const v = a[i * D + k] - b[j * D + k];
    s += v * v;
  }
  return s;
}

function nearest(pts: Float64Array, p: number, c: Float64Array, k: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < k; j++) {
    const d = dist2(pts, p, c, j);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

interface Bins {
  readonly size: number;
  readonly count: Float64Array;
  /** Mean straight sRGB and alpha per bin, 4 per bin. */
  readonly rgba: Float64Array;
  readonly f: Float64Array;
  readonly total: number;
}

/** Translucent pixels binned on 4 bits per colour channel and 5 bits of alpha. */
function binPixels(raster: Raster, classes: AlphaClasses): Bins {
  const d = raster.data;
  const map = new Map<number, number>();
  const count: number[] = [];
  const sum: number[] = [];
  let total = 0;
  for (let i = 0; i < classes.kind.length; i++) {
    if (classes.kind[i] !== AlphaKind.Translucent) continue;
    const p = i * 4;
    const key = ((d[p] >> 4) << 13) | ((d[p + 1] >> 4) << 9) | ((d[p + 2] >> 4) << 5) | (d[p + 3] >> 3);
    let b = map.get(key);
    if (b === undefined) {
      b = count.length;
      map.set(key, b);
      count.push(0);
      sum.push(0, 0, 0, 0);
    }
    count[b]++;
    sum[b * 4] += d[p];
    sum[b * 4 + 1] += d[p + 1];
    sum[b * 4 + 2] += d[p + 2];
    sum[b * 4 + 3] += d[p + 3];
    total++;
  }
  // Bins in key order, so the result does not depend on which pixel came first.
  const keys = [...map.keys()].sort((a, b) => a - b);
  const size = keys.length;
  const out: Bins = {
    size,
    count: new Float64Array(size),
    rgba: new Float64Array(size * 4),
    f: new Float64Array(size * D),
    total,
  };
  keys.forEach((key, i) => {
    const b = map.get(key)!;
    const n = count[b];
    out.count[i] = n;
    for (let k = 0; k < 4; k++) out.rgba[i * 4 + k] = sum[b * 4 + k] / n;
    feature(out.rgba[i * 4], out.rgba[i * 4 + 1], out.rgba[i * 4 + 2], out.rgba[i * 4 + 3], out.f, i * D);
  });
  return out;
}

function lloyd(bins: Bins, centres: Float64Array, k: number, iterations: number): Int32Array {
  const assign = new Int32Array(bins.size).fill(-1);
  const sum = new Float64Array(k * D);
  const w = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let i = 0; i < bins.size; i++) {
      const c = nearest(bins.f, i, centres, k);
      if (c !== assign[i]) {
        assign[i] = c;
        changed++;
      }
    }
    if (changed === 0) break;
    sum.fill(0);
    w.fill(0);
    for (let i = 0; i < bins.size; i++) {
      const c = assign[i];
      w[c] += bins.count[i];
      for (let j = 0; j < D; j++) sum[c * D + j] += bins.count[i] * bins.f[i * D + j];
    }
    // Centre 0 is "nothing" and stays put.
    for (let c = 1; c < k; c++) {
      if (w[c] === 0) continue;
      for (let j = 0; j < D; j++) centres[c * D + j] = sum[c * D + j] / w[c];
    }
  }
  return assign;
}

function rmsError(bins: Bins, centres: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < bins.size; i++)
    s += bins.count[i] * dist2(bins.f, i, centres, nearest(bins.f, i, centres, k));
  return Math.sqrt(s / Math.max(1, bins.total));
}

export interface AlphaPalette {
  /** Translucent entries: colour as 0xRRGGBB and alpha 0-1. */
  readonly rgb: Uint32Array;
  readonly alpha: Float64Array;
  /** Their centres in premultiplied OKLab + alpha, with "nothing" first (centre 0). */
  readonly centres: Float64Array;
}

/** Learns the translucent entries (see the module comment). */
export function chooseAlphaPalette(
  raster: Raster,
  classes: AlphaClasses,
  settings: AlphaSettings,
): AlphaPalette {
  const bins = binPixels(raster, classes);
  const cap = Math.min(settings.cap, bins.size) + 1;
  let centres = new Float64Array(cap * D);
  let k = 1;
  const random = mulberry32(0x2545f491);
  const d2 = new Float64Array(bins.size);
  for (let i = 0; i < bins.size; i++) d2[i] = dist2(bins.f, i, centres, 0);
  while (k < cap) {
    if (rmsError(bins, centres, k) <= settings.target) break;
    let total = 0;
    for (let i = 0; i < bins.size; i++) total += bins.count[i] * d2[i];
    if (!(total > 0)) break;
    let r = random() * total;
    let pick = 0;
    for (let i = 0; i < bins.size; i++) {
      const s = bins.count[i] * d2[i];
      if (s <= 0) continue;
      pick = i;
      r -= s;
      if (r < 0) break;
    }
    centres.set(bins.f.subarray(pick * D, pick * D + D), k * D);
    k++;
    lloyd(bins, centres, k, 8);
    for (let i = 0; i < bins.size; i++) d2[i] = dist2(bins.f, i, centres, nearest(bins.f, i, centres, k));
  }
  const assign = lloyd(bins, centres, k, 12);
  // Output colours: alpha-weighted mean colour and mean alpha of each centre's pixels.
  const sum = new Float64Array(k * 5);
  for (let i = 0; i < bins.size; i++) {
    const c = assign[i];
    if (c <= 0) continue;
    const n = bins.count[i];
    const a = bins.rgba[i * 4 + 3];
    sum[c * 5] += n * a * bins.rgba[i * 4];
    sum[c * 5 + 1] += n * a * bins.rgba[i * 4 + 1];
    sum[c * 5 + 2] += n * a * bins.rgba[i * 4 + 2];
    sum[c * 5 + 3] += n * a;
    sum[c * 5 + 4] += n;
  }
  const rgb: number[] = [];
  const alpha: number[] = [];
  const kept: number[] = [0];
  const seen = new Set<number>();
  for (let c = 1; c < k; c++) {
    const wa = sum[c * 5 + 3];
    if (!(wa > 0)) continue;
    const r = Math.round(sum[c * 5] / wa);
    const g = Math.round(sum[c * 5 + 1] / wa);
    const b = Math.round(sum[c * 5 + 2] / wa);
    const a = Math.round(wa / sum[c * 5 + 4]);
    const key = ((r << 16) | (g << 8) | b) * 256 + a;
    if (seen.has(key)) continue;
    seen.add(key);
    rgb.push((r << 16) | (g << 8) | b);
    alpha.push(a / 255);
    kept.push(c);
  }
  centres = Float64Array.from(kept.flatMap((c) => Array.from(centres.subarray(c * D, c * D + D))));
  // Centres at the output colours, so indexing matches what is painted.
  for (let j = 1; j < kept.length; j++) {
    const v = rgb[j - 1];
    feature(v >>> 16, (v >>> 8) & 255, v & 255, alpha[j - 1] * 255, centres, j * D);
  }
  return { rgb: Uint32Array.from(rgb), alpha: Float64Array.from(alpha), centres };
}

/** The opaque palette followed by the translucent entries, with an alpha per entry. */
export function joinPalettes(opaque: Palette, extra: AlphaPalette): Palette {
  const n = opaque.size + extra.rgb.length;
  const lab = new Float64Array(n * 3);
  lab.set(opaque.lab);
  const rgb = new Uint32Array(n);
  rgb.set(opaque.rgb);
  rgb.set(extra.rgb, opaque.size);
  const alpha = new Float64Array(n).fill(1);
  alpha.set(extra.alpha, opaque.size);
  for (let i = opaque.size; i < n; i++) {
    const v = rgb[i];
    linearToOklab(
      SRGB_TO_LINEAR[v >>> 16],
      SRGB_TO_LINEAR[(v >>> 8) & 255],
      SRGB_TO_LINEAR[v & 255],
      lab,
      i * 3,
    );
  }
  return { size: n, lab, rgb, alpha };
}

/**
 * Gives every translucent pixel its nearest translucent entry (offset by
 * `base`, the opaque palette's size), or leaves it unpainted when
 * "nothing" is nearest; blends whose nearer side is translucent take that
 * side's entry. Writes into `index` (from the opaque indexing).
 */
export function indexTranslucent(
  raster: Raster,
  classes: AlphaClasses,
  alphaPalette: AlphaPalette,
  base: number,
  index: IndexMap,
): IndexMap {
  const d = raster.data;
  const { kind, side } = classes;
  const k = alphaPalette.rgb.length + 1;
  const f = new Float64Array(D);
  const cache = new Map<number, number>();
  const of = (p: number): number => {
    const key = ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
    let e = cache.get(key);
    if (e === undefined) {
      feature(d[p], d[p + 1], d[p + 2], d[p + 3], f, 0);
      const c = nearest(f, 0, alphaPalette.centres, k);
      e = c === 0 ? TRANSPARENT : base + c - 1;
      cache.set(key, e);
    }
    return e;
  };
  for (let i = 0; i < kind.length; i++) if (kind[i] === AlphaKind.Translucent) index[i] = of(i * 4);
  for (let i = 0; i < kind.length; i++) {
    if (kind[i] !== AlphaKind.BlendTranslucent) continue;
    const s = side[i];
    index[i] = kind[s] === AlphaKind.Translucent ? index[s] : of(s * 4);
  }
  return index;
}
