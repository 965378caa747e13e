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
 * tests: two neighbours with the same word are the same colour, so the pixel
 * between them cannot be a blend of two different ones.
 */
export function pixelWords(d: Uint8ClampedArray): Uint32Array {
  const n = d.length >> 2;
  if ((d.byteOffset & 3) === 0) return new Uint32Array(d.buffer, d.byteOffset, n);
  return new Uint32Array(d.slice(0, n * 4).buffer);
}

export function buildHistogram(raster: Raster): ColorHistogram {
  const { width: w, height: h, data: d } = raster;
  const v = pixelWords(d);
  const count = new Int32Array(BINS);
  const blend = new Int32Array(BINS);
  const sum = new Float64Array(BINS * 3);
  let total = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const inner = y > 0 && y < h - 1;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const p = i * 4;
      if (d[p + 3] < ALPHA_OPAQUE) continue;
      const k = binOf(d, p);
      count[k]++;
      sum[k * 3] += d[p];
      sum[k * 3 + 1] += d[p + 1];
      sum[k * 3 + 2] += d[p + 2];
      total++;
      // Equal opposite neighbours (most pixels, inside flat areas) differ by nothing: no blend.
      if (
        (x > 0 && x < w - 1 && v[i - 1] !== v[i + 1] && isBlend(d, p, p - 4, p + 4)) ||
        (inner && v[i - w] !== v[i + w] && isBlend(d, p, p - w * 4, p + w * 4))
      ) {
        blend[k]++;
      }
    }
  }
  let size = 0;
  for (let k = 0; k < BINS; k++) if (count[k] > 0) size++;
  const out = {
    size,
    count: new Float64Array(size),
    blend: new Float64Array(size),
    rgb: new Float64Array(size * 3),
    lab: new Float64Array(size * 3),
    total,
  };
  let i = 0;
  for (let k = 0; k < BINS; k++) {
    const c = count[k];
    if (c === 0) continue;
    out.count[i] = c;
    out.blend[i] = blend[k];
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
