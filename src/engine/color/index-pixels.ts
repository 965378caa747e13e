/**
 * Maps every opaque pixel to its nearest palette colour in OKLab. Nearest
 * entries are cached per exact sRGB colour in a 2^24-entry table: the
 * zero-filled table costs memory only for the pages a picture's colours
 * touch, and each distinct colour is converted and searched once.
 */
import type { Raster } from '../types.js';
import { ALPHA_OPAQUE } from './histogram.js';
import { nearest } from './kmeans.js';
import { srgbToOklab } from './oklab.js';
import type { Palette } from './palette.js';

/** Palette index per pixel, row-major; `TRANSPARENT` for pixels that are not painted. */
export type IndexMap = Uint16Array;

export const TRANSPARENT = 0xffff;

export function indexPixels(raster: Raster, palette: Palette): IndexMap {
  const { width: w, height: h, data: d } = raster;
  const n = w * h;
  const out = new Uint16Array(n);
  if (palette.size === 0) return out.fill(TRANSPARENT);
  const cache = new Uint16Array(1 << 24);
  const lab = new Float64Array(3);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    if (d[p + 3] < ALPHA_OPAQUE) {
      out[i] = TRANSPARENT;
      continue;
    }
    const key = (d[p] << 16) | (d[p + 1] << 8) | d[p + 2];
    let c = cache[key];
    if (c === 0) {
      srgbToOklab(d[p], d[p + 1], d[p + 2], lab, 0);
      c = nearest(lab, 0, palette.lab, palette.size) + 1;
      cache[key] = c;
    }
    out[i] = c - 1;
  }
  return out;
}
