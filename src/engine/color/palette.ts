/**
 * Palette choice in OKLab. With `colors: 'auto'` the palette grows (k-means++
 * seeding, one centre at a time) until the error it leaves is small, then
 * Lloyd iterations settle it. Two rules keep the palette honest about what
 * people see:
 *
 * - Anti-aliased pixels are blends of the colours they separate, so the
 *   blend pixels of a bin (see histogram.ts) that lie on the segment between
 *   two palette colours cost nothing; all other pixels are measured against
 *   their nearest colour.
 * - Thin features (small text, hairlines) cover few pixels, so an average
 *   error never asks for them. Any cluster of at least `minCount` pixels that
 *   is far from every palette colour and is not a blend gets a colour of its
 *   own, even when the palette is otherwise good enough.
 */
import type { ColorHistogram } from './histogram.js';
import { segmentDist2 } from './blend.js';
import { lloyd, nearest, Seeder } from './kmeans.js';
import { dist2, greyLevel, srgbToOklab } from './oklab.js';

export interface Palette {
  readonly size: number;
  /** OKLab per entry, 3 per entry. */
  readonly lab: Float64Array;
  /** Output colour per entry, 0xRRGGBB. */
  readonly rgb: Uint32Array;
  /** Alpha (0-1) per entry when some entries are translucent (alpha-palette.ts); absent when all are opaque. */
  readonly alpha?: Float64Array;
}

/** Most colours `colors: 'auto'` may choose. */
export const AUTO_MAX_COLORS = 64;

/** A bin with this share of the pixels is a flat colour of the picture... */
const FLAT_SHARE = 0.02;
/** ...and gets its own palette entry when the palette misses it by more than this (OKLab). */
const FLAT_ERR = 0.006;

const CHECKPOINTS = [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64];

export interface PaletteSettings {
  readonly colors: number | 'auto';
  /** 0-1, from the options: higher asks for a smaller error. */
  readonly detail: number;
  /**
   * The picture is continuous tone (continuous-tone.ts): with `colors:
   * 'auto'`, only the mean error decides the size, against a larger target.
   */
  readonly continuousTone?: boolean;
}

/**
 * Mean-error target (OKLab RMS) of the automatic palette. In a
 * continuous-tone picture no palette is exact: every colour added cuts
 * every gradient into one more band, whose edges are what the SVG pays for
 * in bytes and time, while error in gradients and texture is masked
 * (harder to see than on flat colour; Legge and Foley 1980). So the target
 * there is larger, and the outlier rules, which exist to give a logo's flat
 * colours and thin strokes their exact colour, are off.
 */
export function meanErrorTarget(detail: number, continuousTone: boolean): number {
  return continuousTone ? 0.02 + 0.03 * (1 - detail) : 0.012 + 0.025 * (1 - detail);
}

/**
 * Per-bin error left by `k` centres: distance to the nearest blend of two of
 * the three nearest centres for the bin's blend pixels, and to the nearest
 * centre for the others.
 */
export function binErrors(hist: ColorHistogram, centres: Float64Array, k: number): Float64Array {
  const e = new Float64Array(hist.size);
  const near = [0, 0, 0];
  const nearD = [0, 0, 0];
  for (let i = 0; i < hist.size; i++) {
    nearD[0] = nearD[1] = nearD[2] = Infinity;
    near[0] = near[1] = near[2] = -1;
    for (let c = 0; c < k; c++) {
      const d = dist2(hist.lab, i, centres, c);
      if (d < nearD[2]) {
        let j = 2;
        while (j > 0 && d < nearD[j - 1]) {
          nearD[j] = nearD[j - 1];
          near[j] = near[j - 1];
          j--;
        }
        nearD[j] = d;
        near[j] = c;
      }
    }
    let blend = nearD[0];
    for (let a = 0; a < 3; a++) {
      for (let b = a + 1; b < 3; b++) {
        if (near[b] < 0) continue;
        const d = segmentDist2(hist.lab, i, centres, near[a], near[b]);
        if (d < blend) blend = d;
      }
    }
    const c = hist.count[i];
    const b = hist.blend[i];
    e[i] = ((c - b) * Math.sqrt(nearD[0]) + b * Math.sqrt(blend)) / c;
  }
  return e;
}

/**
 * The bin at the heart of the worst cluster of badly served pixels: bins with
 * error above `maxErr`, grouped with such bins within `radius`, whose group
 * holds at least `minCount` pixels. Returns -1 when there is none.
 */
export function worstOutlier(
  hist: ColorHistogram,
  e: Float64Array,
  maxErr: number,
  minCount: number,
): number {
  const bad: number[] = [];
  for (let i = 0; i < hist.size; i++) if (e[i] > maxErr) bad.push(i);
  if (bad.length === 0) return -1;
  bad.sort((a, b) => hist.count[b] * e[b] * e[b] - hist.count[a] * e[a] * e[a] || a - b);
  if (bad.length > 256) bad.length = 256;
  const radius2 = 0.08 * 0.08;
  let best = -1;
  let bestScore = 0;
  for (const i of bad) {
    let group = 0;
    for (const j of bad) if (dist2(hist.lab, i, hist.lab, j) <= radius2) group += hist.count[j];
    const score = group * e[i] * e[i];
    if (group >= minCount && score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

function meanError(hist: ColorHistogram, e: Float64Array): number {
  let s = 0;
  for (let i = 0; i < hist.size; i++) s += hist.count[i] * e[i] * e[i];
  return Math.sqrt(s / Math.max(1, hist.total));
}

function seededCentres(hist: ColorHistogram, seeder: Seeder): Float64Array {
  const k = seeder.centres.length;
  const c = new Float64Array(k * 3);
  for (let j = 0; j < k; j++)
    c.set(hist.lab.subarray(seeder.centres[j] * 3, seeder.centres[j] * 3 + 3), j * 3);
  return c;
}

/** Chooses a palette for the histogram; see the module comment. */
export function choosePalette(hist: ColorHistogram, settings: PaletteSettings): Palette {
  if (hist.size === 0) return { size: 0, lab: new Float64Array(0), rgb: new Uint32Array(0) };
  const auto = settings.colors === 'auto';
  const cap = Math.min(auto ? AUTO_MAX_COLORS : (settings.colors as number), hist.size);
  const tone = auto && settings.continuousTone === true;
  const meanTarget = meanErrorTarget(settings.detail, tone);
  const maxErr = 0.06 + 0.12 * (1 - settings.detail);
  const minCount = Math.max(4, hist.total * 1e-4);
  const areaErr = 0.025 + 0.03 * (1 - settings.detail);
  const areaCount = hist.total * 0.01;
  // Thin features: few pixels, far off; areas: many pixels, noticeably off;
  // flat colours: one bin holding a large share of the picture (a logo's
  // second orange), off by even a little.
  const outlier = (e: Float64Array): number => {
    if (tone) return -1;
    const thin = worstOutlier(hist, e, maxErr, minCount);
    if (thin >= 0) return thin;
    const area = worstOutlier(hist, e, areaErr, areaCount);
    if (area >= 0) return area;
    let flat = -1;
    for (let i = 0; i < hist.size; i++) {
      if (
        hist.count[i] >= FLAT_SHARE * hist.total &&
        e[i] > FLAT_ERR &&
        (flat < 0 || hist.count[i] > hist.count[flat])
      )
        flat = i;
    }
    return flat;
  };

  const seeder = new Seeder(hist.lab, hist.count);
  seeder.add();
  while (seeder.centres.length < cap) {
    if (!seeder.add()) break;
    const k = seeder.centres.length;
    if (auto && (CHECKPOINTS.includes(k) || k === cap)) {
      const e = binErrors(hist, seededCentres(hist, seeder), k);
      if (meanError(hist, e) <= meanTarget && outlier(e) < 0) break;
    }
  }
  let k = seeder.centres.length;
  let centres = new Float64Array(cap * 3);
  centres.set(seededCentres(hist, seeder));
  lloyd(hist.lab, hist.count, centres, k, 12);

  // Give badly served clusters (thin dark text, hairlines) a colour each.
  for (let extra = 0; extra < 24 && k < cap; extra++) {
    const e = binErrors(hist, centres, k);
    const worst = outlier(e);
    if (worst < 0) break;
    centres.set(hist.lab.subarray(worst * 3, worst * 3 + 3), k * 3);
    k++;
    lloyd(hist.lab, hist.count, centres, k, 4);
  }
  centres = centres.subarray(0, k * 3);
  return paletteFromCentres(hist, centres, k);
}

/** Output colours: the mean sRGB of the bins nearest to each centre; empty and duplicate entries dropped. */
function paletteFromCentres(hist: ColorHistogram, centres: Float64Array, k: number): Palette {
  const sum = new Float64Array(k * 3);
  const w = new Float64Array(k);
  for (let i = 0; i < hist.size; i++) {
    const c = nearest(hist.lab, i, centres, k);
    const n = hist.count[i];
    w[c] += n;
    sum[c * 3] += n * hist.rgb[i * 3];
    sum[c * 3 + 1] += n * hist.rgb[i * 3 + 1];
    sum[c * 3 + 2] += n * hist.rgb[i * 3 + 2];
  }
  const order = Array.from({ length: k }, (_, i) => i).filter((c) => w[c] > 0);
  order.sort((a, b) => w[b] - w[a] || a - b);
  const seen = new Set<number>();
  const rgb: number[] = [];
  for (const c of order) {
    const r = Math.round(sum[c * 3] / w[c]);
    const g = Math.round(sum[c * 3 + 1] / w[c]);
    const b = Math.round(sum[c * 3 + 2] / w[c]);
    const v = (r << 16) | (g << 8) | b;
    if (seen.has(v)) continue;
    seen.add(v);
    rgb.push(v);
  }
  return paletteFromRgb(Uint32Array.from(rgb));
}

/** A palette of exactly these colours (0xRRGGBB), in OKLab for matching. */
export function paletteFromRgb(rgb: Uint32Array): Palette {
  const lab = new Float64Array(rgb.length * 3);
  for (let i = 0; i < rgb.length; i++)
    srgbToOklab(rgb[i] >>> 16, (rgb[i] >>> 8) & 255, rgb[i] & 255, lab, i * 3);
  return { size: rgb.length, lab, rgb: Uint32Array.from(rgb) };
}

/** A user palette for grayscale mode: each colour replaced by the grey of its luminance, duplicates dropped. */
export function greyPalette(rgb: Uint32Array): Palette {
  const greys = [...new Set(Array.from(rgb, (v) => greyLevel(v >>> 16, (v >>> 8) & 255, v & 255)))];
  return paletteFromRgb(Uint32Array.from(greys, (g) => (g << 16) | (g << 8) | g));
}
