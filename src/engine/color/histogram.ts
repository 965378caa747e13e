/**
 * Colour histogram of the opaque pixels on a 5-bit-per-channel grid (32,768
 * bins). Palette learning runs on the bins instead of the pixels, so its cost
 * does not grow with the image. Each bin keeps its pixel count, the mean
 * sRGB and OKLab of its pixels, and how many of them look like
 * anti-aliasing: a pixel whose two opposite neighbours (left and right, or
 * above and below) differ clearly and whose colour lies between theirs.
 * Such blends need no palette colour of their own; everything else does,
 * including the pixels of a stroke that is grey all the way through
 * because it is thinner than two pixels.
 */
import type { Raster } from '../types.js';
import { srgbToOklab } from './oklab.js';

export interface ColorHistogram {
  /** Number of non-empty bins. */
  readonly size: number;
  /** Pixels per bin. */
  readonly count: Float64Array;
  /** Pixels per bin that are blends of their neighbours (anti-aliasing). */
  readonly blend: Float64Array;
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

/** Least summed RGB difference between two neighbours for the pixel between them to count as a blend. */
const EDGE_CONTRAST = 60;

/** True when pixel `p` lies (in sRGB, within a tolerance) between pixels `a` and `b`, which differ clearly. */
function isBlend(d: Uint8ClampedArray, p: number, a: number, b: number): boolean {
  if (d[a + 3] < ALPHA_OPAQUE || d[b + 3] < ALPHA_OPAQUE) return false;
  const ux = d[b] - d[a];
  const uy = d[b + 1] - d[a + 1];
  const uz = d[b + 2] - d[a + 2];
  if (Math.abs(ux) + Math.abs(uy) + Math.abs(uz) < EDGE_CONTRAST) return false;
  const vx = d[p] - d[a];
  const vy = d[p + 1] - d[a + 1];
  const vz = d[p + 2] - d[a + 2];
  const uu = ux * ux + uy * uy + uz * uz;
  const t = (vx * ux + vy * uy + vz * uz) / uu;
  if (t <= 0.08 || t >= 0.92) return false;
  const ex = vx - t * ux;
  const ey = vy - t * uy;
  const ez = vz - t * uz;
  return ex * ex + ey * ey + ez * ez <= 0.04 * uu + 64;
}

/**
 * The pixels as one 32-bit word each (any byte order), for cheap equality
 * tests. Signed, so that every word is a small integer to the JIT.
 */
export function pixelWords(d: Uint8ClampedArray): Int32Array {
  const n = d.length >> 2;
  if ((d.byteOffset & 3) === 0) return new Int32Array(d.buffer, d.byteOffset, n);
  return new Int32Array(d.slice(0, n * 4).buffer);
}

/**
 * True when the pixel with word `c` between neighbours `a` and `b` may be a
 * blend of them: a pixel equal to either neighbour lies at an end of the
 * segment (t = 0 or 1) and two equal neighbours span no segment, so only
 * three different words need the full test.
 */
function differ3(a: number, c: number, b: number): boolean {
  return a !== c && b !== c && a !== b;
}

/**
 * Per-bin accumulators, allocated once and cleared after each use (only the
 * bins touched), so a small picture does not pay for zeroing and sweeping a
 * megabyte of bins. buildHistogram runs to completion without yielding, so
 * no two calls share them at once.
 */
const scratch = {
  count: new Int32Array(BINS),
  blend: new Int32Array(BINS),
  sum: new Float64Array(BINS * 3),
  /** The bins counted so far, in the order first seen. */
  touched: new Int32Array(BINS),
};

export function buildHistogram(raster: Raster): ColorHistogram {
  const { width: w, height: h, data: d } = raster;
  const v = pixelWords(d);
  const { count, blend, sum, touched } = scratch;
  let size = 0;
  let total = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const inner = y > 0 && y < h - 1;
    // Runs of equal pixels are counted at once; blends are tested per pixel.
    let x = 0;
    while (x < w) {
      const i0 = row + x;
      const c = v[i0];
      let end = x + 1;
      while (end < w && v[row + end] === c) end++;
      const p0 = i0 * 4;
      if (d[p0 + 3] >= ALPHA_OPAQUE) {
        const n = end - x;
        const k = binOf(d, p0);
        if (count[k] === 0) touched[size++] = k;
        count[k] += n;
        sum[k * 3] += n * d[p0];
        sum[k * 3 + 1] += n * d[p0 + 1];
        sum[k * 3 + 2] += n * d[p0 + 2];
        total += n;
        // Only a run of one pixel can sit between two other colours across the row.
        if (
          n === 1 &&
          x > 0 &&
          end < w &&
          differ3(v[i0 - 1], c, v[i0 + 1]) &&
          isBlend(d, p0, p0 - 4, p0 + 4)
        ) {
          blend[k]++;
        } else if (inner) {
          for (let i = i0; i < row + end; i++) {
            if (differ3(v[i - w], c, v[i + w]) && isBlend(d, i * 4, (i - w) * 4, (i + w) * 4)) blend[k]++;
          }
        }
      }
      x = end;
    }
  }
  // Bins in increasing order, as a scan of all of them would list them.
  const bins = touched.subarray(0, size).sort();
  const out = {
    size,
    count: new Float64Array(size),
    blend: new Float64Array(size),
    rgb: new Float64Array(size * 3),
    lab: new Float64Array(size * 3),
    total,
  };
  for (let i = 0; i < size; i++) {
    const k = bins[i];
    const c = count[k];
    out.count[i] = c;
    out.blend[i] = blend[k];
    const r = sum[k * 3] / c;
    const g = sum[k * 3 + 1] / c;
    const b = sum[k * 3 + 2] / c;
    out.rgb[i * 3] = r;
    out.rgb[i * 3 + 1] = g;
    out.rgb[i * 3 + 2] = b;
    srgbToOklab(Math.round(r), Math.round(g), Math.round(b), out.lab, i * 3);
    count[k] = 0;
    blend[k] = 0;
    sum[k * 3] = sum[k * 3 + 1] = sum[k * 3 + 2] = 0;
  }
  return out;
}
