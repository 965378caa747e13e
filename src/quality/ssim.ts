/**
 * Structural similarity of luminance, after Wang, Bovik, Sheikh and
 * Simoncelli, "Image Quality Assessment: From Error Visibility to Structural
 * Similarity", IEEE TIP 13(4), 2004: an 11x11 circular-symmetric Gaussian
 * window (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, the mean of the SSIM
 * map over every window that fits inside the image ("valid" filtering, as in
 * the authors' reference code). Full resolution: unlike the reference code we
 * never downsample, because tracing errors are one or two pixels wide and
 * downsampling would hide them.
 */
import type { Raster } from '../engine/types.js';
import { assertSameSize, composeOn, WHITE, type Rgb } from './compose.js';

const WINDOW = 11;
const SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/** Luma of each pixel (ITU-R BT.601 weights, as MATLAB's rgb2gray used by the paper). */
export function luma(raster: Raster): Float64Array {
  const d = raster.data;
  const out = new Float64Array(raster.width * raster.height);
  for (let p = 0, i = 0; p < out.length; p++, i += 4) {
    out[p] = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
  }
  return out;
}

function gaussianKernel(size: number): Float64Array {
  const k = new Float64Array(size);
  const mid = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    k[i] = Math.exp(-((i - mid) ** 2) / (2 * SIGMA * SIGMA));
    sum += k[i];
  }
  for (let i = 0; i < size; i++) k[i] /= sum;
  return k;
}

/**
 * Separable "valid" filtering of `src` (w x h) with `k`: the result is
 * (w - n + 1) x (h - n + 1). The product of two images is formed on the fly
 * (`src2`) so the five moment maps need no extra full-size arrays.
 */
function filterValid(
  src: Float64Array,
  src2: Float64Array | null,
  w: number,
  h: number,
  k: Float64Array,
): Float64Array {
  const n = k.length;
  const ow = w - n + 1;
  const oh = h - n + 1;
  const rows = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < ow; x++) {
      let s = 0;
      if (src2) for (let j = 0; j < n; j++) s += k[j] * src[row + x + j] * src2[row + x + j];
      else for (let j = 0; j < n; j++) s += k[j] * src[row + x + j];
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += k[j] * rows[(y + j) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

/**
 * Mean SSIM of the luma of `a` and `b` (same size), both composed on white.
 * 1 for identical images; near 0 or below for unrelated or inverted ones. An
 * image smaller than the window uses a window as large as its shorter side.
 */
export function ssim(a: Raster, b: Raster, background: Rgb = WHITE): number {
  assertSameSize(a, b);
  const { width: w, height: h } = a;
  const x = luma(composeOn(a, background));
  const y = luma(composeOn(b, background));
  const k = gaussianKernel(Math.min(WINDOW, w, h));
  const mx = filterValid(x, null, w, h, k);
  const my = filterValid(y, null, w, h, k);
  const sxx = filterValid(x, x, w, h, k);
  const syy = filterValid(y, y, w, h, k);
  const sxy = filterValid(x, y, w, h, k);
  let sum = 0;
  for (let i = 0; i < mx.length; i++) {
    const ux = mx[i];
    const uy = my[i];
    const vx = sxx[i] - ux * ux;
    const vy = syy[i] - uy * uy;
    const cxy = sxy[i] - ux * uy;
    sum += ((2 * ux * uy + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
  }
  return sum / mx.length;
}
