/**
 * Peak signal-to-noise ratio in dB over the R, G and B channels of both
 * images composed on white: 10 log10(255^2 / MSE). Identical images give
 * `Infinity`.
 */
import type { Raster } from '../engine/types.js';
import { assertSameSize, composeOn, WHITE, type Rgb } from './compose.js';

export function psnr(a: Raster, b: Raster, background: Rgb = WHITE): number {
  assertSameSize(a, b);
  const x = composeOn(a, background).data;
  const y = composeOn(b, background).data;
  let sse = 0;
  for (let i = 0; i < x.length; i += 4) {
    const dr = x[i] - y[i];
    const dg = x[i + 1] - y[i + 1];
    const db = x[i + 2] - y[i + 2];
    sse += dr * dr + dg * dg + db * db;
  }
  const mse = sse / ((x.length / 4) * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
