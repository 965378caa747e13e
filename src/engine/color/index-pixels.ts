/**
 * Maps every opaque pixel to its nearest palette colour in OKLab. The
 * nearest entry is cached per exact sRGB colour, so each distinct colour is
 * converted and searched once: in an open-addressing hash table sized to the
 * image for small and medium images, and in a direct 2^24-entry table for
 * large ones, where it costs less than a hash table big enough for all their
 * colours (and the zero-filled table costs memory only for the pages the
 * picture's colours touch).
 */
import type { Raster } from '../types.js';
import { ALPHA_OPAQUE } from './histogram.js';
import { nearest } from './kmeans.js';
import { srgbToOklab } from './oklab.js';
import type { Palette } from './palette.js';

/** Palette index per pixel, row-major; `TRANSPARENT` for pixels that are not painted. */
export type IndexMap = Uint16Array;

export const TRANSPARENT = 0xffff;

/** Above this many pixels the direct table is used. */
const DIRECT_TABLE_PIXELS = 1 << 21;

export function indexPixels(raster: Raster, palette: Palette): IndexMap {
  const { width: w, height: h, data: d } = raster;
  const n = w * h;
  const out = new Uint16Array(n);
  if (palette.size === 0) return out.fill(TRANSPARENT);
  const lab = new Float64Array(3);
  const lookUp = (key: number): number => {
    srgbToOklab(key >>> 16, (key >>> 8) & 255, key & 255, lab, 0);
    return nearest(lab, 0, palette.lab, palette.size);
  };
  if (n > DIRECT_TABLE_PIXELS) {
    const cache = new Uint16Array(1 << 24);
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      if (d[p + 3] < ALPHA_OPAQUE) {
        out[i] = TRANSPARENT;
        continue;
      }
      const key = (d[p] << 16) | (d[p + 1] << 8) | d[p + 2];
      let c = cache[key];
      if (c === 0) cache[key] = c = lookUp(key) + 1;
      out[i] = c - 1;
    }
    return out;
  }
  let bits = 10;
  while (1 << bits < 2 * n) bits++;
  const mask = (1 << bits) - 1;
  const size = 1 << bits;
  const keys = new Int32Array(size).fill(-1);
  const vals = new Uint16Array(size);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    if (d[p + 3] < ALPHA_OPAQUE) {
      out[i] = TRANSPARENT;
      continue;
    }
    const key = (d[p] << 16) | (d[p + 1] << 8) | d[p + 2];
    // Fibonacci hashing: the top bits of the product spread the packed RGB keys over the table.
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    while (keys[slot] !== key && keys[slot] !== -1) slot = (slot + 1) & mask;
    if (keys[slot] === -1) {
      keys[slot] = key;
      vals[slot] = lookUp(key);
    }
    out[i] = vals[slot];
  }
  return out;
}
