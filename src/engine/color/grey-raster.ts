/**
 * Grayscale mode works on a grey copy of the picture: every pixel replaced by
 * the grey of its luminance, alpha kept. The rest of the colour pipeline then
 * runs unchanged and can only produce grey fills.
 */
import type { Raster } from '../types.js';
import { linearToSrgbByte, luminance } from './oklab.js';

/** Linear luminance (in 1/65535 steps) -> sRGB grey byte, so the per-pixel work is a table look-up. */
const GREY: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = linearToSrgbByte(i / 65535);
  return t;
})();

export function greyRaster(raster: Raster): Raster {
  const src = raster.data;
  const out = new Uint8ClampedArray(src.length);
  for (let p = 0; p < src.length; p += 4) {
    const g = GREY[Math.round(luminance(src[p], src[p + 1], src[p + 2]) * 65535)];
    out[p] = out[p + 1] = out[p + 2] = g;
    out[p + 3] = src[p + 3];
  }
  return { width: raster.width, height: raster.height, data: out };
}
