/**
 * Colour histogram of the opaque pixels on a 5-bit-per-channel grid (32,768
 * bins). Palette learning runs on the bins instead of the pixels, so its cost
 * does not grow with the image. Each bin keeps its pixel count, the mean
 * sRGB and OKLab of its pixels, and how many of them are "flat" (all four
 * neighbours fall in the same bin): flat pixels are areas of colour, the
 * others edges, anti-aliasing or texture.
 */
import type { Raster } from '../types.js';
import { srgbToOklab } from './oklab.js';

export interface ColorHistogram {
  /** Number of non-empty bins. */
  readonly size: number;
  /** Pixels per bin. */
  readonly count: Float64Array;
  /** Pixels per bin whose 4-neighbours are all in the same bin. */
  readonly flat: Float64Array;
  /** Mean sRGB (0-255) per bin, 3 per bin. */
  readonly rgb: Float64Array;
  /** OKLab of the mean colour per bin, 3 per bin. */
  readonly lab: Float64Array;
  /** Opaque pixels counted. */
  readonly total: number;
}

/** Pixels with alpha below this are transparent: no region, nothing painted. */
export const ALPHA_OPAQUE = 128;

const BINS = 1 << 15;

function binOf(d: Uint8ClampedArray, p: number): number {
  return ((d[p] >> 3) << 10) | ((d[p + 1] >> 3) << 5) | (d[p + 2] >> 3);
}

export function buildHistogram(raster: Raster): ColorHistogram {
  const { width: w, height: h, data: d } = raster;
  const count = new Float64Array(BINS);
  const flat = new Float64Array(BINS);
  const sum = new Float64Array(BINS * 3);
  let total = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      if (d[p + 3] < ALPHA_OPAQUE) continue;
      const k = binOf(d, p);
      count[k]++;
      sum[k * 3] += d[p];
      sum[k * 3 + 1] += d[p + 1];
      sum[k * 3 + 2] += d[p + 2];
      total++;
      if (
        (x === 0 || binOf(d, p - 4) === k) &&
        (x === w - 1 || binOf(d, p + 4) === k) &&
        (y === 0 || binOf(d, p - w * 4) === k) &&
        (y === h - 1 || binOf(d, p + w * 4) === k)
      ) {
        flat[k]++;
      }
    }
  }
  let size = 0;
  for (let k = 0; k < BINS; k++) if (count[k] > 0) size++;
  const out = {
    size,
    count: new Float64Array(size),
    flat: new Float64Array(size),
    rgb: new Float64Array(size * 3),
    lab: new Float64Array(size * 3),
    total,
  };
  let i = 0;
  for (let k = 0; k < BINS; k++) {
    const c = count[k];
    if (c === 0) continue;
    out.count[i] = c;
    out.flat[i] = flat[k];
    const r = sum[k * 3] / c;
    const g = sum[k * 3 + 1] / c;
    const b = sum[k * 3 + 2] / c;
    out.rgb[i * 3] = r;
    out.rgb[i * 3 + 1] = g;
    out.rgb[i * 3 + 2] = b;
    srgbToOklab(Math.round(r), Math.round(g), Math.round(b), out.lab, i * 3);
    i++;
  }
  return out;
}
