/**
 * Maps every opaque pixel to its nearest palette colour in OKLab. The
 * nearest entry is cached per exact sRGB colour, so each distinct colour is
 * converted and searched once (and a pixel equal to its left or upper
 * neighbour is not even looked up): in an open-addressing hash table that
 * grows with the colours for small and medium images, and in a direct
 * 2^24-entry table for
 * large ones, where it costs less than a hash table big enough for all their
 * colours (and the zero-filled table costs memory only for the pages the
 * picture's colours touch).
 */
import type { Raster } from '../types.js';
import { ALPHA_OPAQUE, pixelWords } from './histogram.js';
import { nearest } from './kmeans.js';
import { srgbToOklab } from './oklab.js';
import type { Palette } from './palette.js';
import { keepShape } from '../keep-shapes.js';

/** Palette index per pixel, row-major; `TRANSPARENT` for pixels that are not painted. */
export type IndexMap = Uint16Array;

export const TRANSPARENT = 0xffff;

/** Above this many pixels the direct table is used. */
const DIRECT_TABLE_PIXELS = 1 << 21;

/**
 * Open-addressing hash table from packed sRGB to palette index, grown by
 * doubling when half full: most pictures have far fewer distinct colours
 * than pixels, so it starts small.
 */
/** Nearest palette entry of a packed sRGB colour. */
class NearestEntry {
  private readonly lab = new Float64Array(3);

  constructor(private readonly palette: Palette) {}

  of(key: number): number {
    srgbToOklab(key >>> 16, (key >>> 8) & 255, key & 255, this.lab, 0);
    return nearest(this.lab, 0, this.palette.lab, this.palette.size);
  }
}

class ColorCache {
  private bits = 10;
  private keys = new Int32Array(1 << 10).fill(-1);
  private vals = new Uint16Array(1 << 10);
  private used = 0;

  constructor(private readonly entry: NearestEntry) {}

  get(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    // Fibonacci hashing: the top bits of the product spread the packed RGB keys over the table.
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const k = keys[slot];
      if (k === key) return this.vals[slot];
      if (k === -1) break;
      slot = (slot + 1) & mask;
    }
    const v = this.entry.of(key);
    keys[slot] = key;
    this.vals[slot] = v;
    if (++this.used * 2 > keys.length) this.grow();
    return v;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.bits++;
    const size = 1 << this.bits;
    const mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.vals = new Uint16Array(size);
    for (let s = 0; s < oldKeys.length; s++) {
      const key = oldKeys[s];
      if (key === -1) continue;
      let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = key;
      this.vals[slot] = oldVals[s];
    }
  }
}

export function indexPixels(raster: Raster, palette: Palette): IndexMap {
  const { width: w, height: h, data: d } = raster;
  const n = w * h;
  const out = new Uint16Array(n);
  if (palette.size === 0) return out.fill(TRANSPARENT);
  const entry = new NearestEntry(palette);
  const v = pixelWords(d);
  const direct = n > DIRECT_TABLE_PIXELS ? new Uint16Array(1 << 24) : null;
  const cache = direct ? null : new ColorCache(entry);
  // Runs of equal pixels (alpha included) get one answer; a run that
  // starts under an equal pixel takes that one's.
  let i = 0;
  while (i < n) {
    const c = v[i];
    let end = i + 1;
    while (end < n && v[end] === c) end++;
    let k: number;
    if (i >= w && v[i - w] === c) k = out[i - w];
    else if (d[i * 4 + 3] < ALPHA_OPAQUE) k = TRANSPARENT;
    else {
      const p = i * 4;
      const key = (d[p] << 16) | (d[p + 1] << 8) | d[p + 2];
      if (direct) {
        let e = direct[key];
        if (e === 0) direct[key] = e = entry.of(key) + 1;
        k = e - 1;
      } else {
        k = cache!.get(key);
      }
    }
    if (end - i === 1) out[i] = k;
    else out.fill(k, i, end);
    i = end;
  }
  return out;
}

// A template instance keeps the class's hidden class alive between calls (see keep-shapes.ts).
keepShape(new ColorCache(new NearestEntry({ size: 1, lab: new Float64Array(3), rgb: new Uint32Array(1) })));
