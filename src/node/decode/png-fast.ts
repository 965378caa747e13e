/**
 * In-thread decoding of the common, plain PNG: 8-bit grey, RGB, grey+alpha
 * and RGBA, and palette or grey at 1-8 bits, not interlaced, with no colour
 * profile or orientation. For a small picture, handing the file to sharp
 * (a trip to libuv's thread pool and back, and a libvips pipeline) costs more
 * than inflating it with zlib here and undoing the row filters (PNG
 * specification, W3C 2003, sections 9 and 11), and the thread hop waits for
 * a free core on a busy machine.
 *
 * Anything else, or anything that does not check out (a bad CRC, missing
 * IEND, short or long image data), returns null and goes to sharp, which
 * decodes it or reports the error it always has; so this path never changes
 * what the decoder accepts, only how fast it is.
 */
import { crc32, inflateSync } from 'node:zlib';
import type { Raster } from '../../engine/types.js';
import type { ResolvedLimits } from './limits.js';

/**
 * Largest image (pixels) decoded here, 512 x 512; larger ones go to sharp,
 * off the event loop. Measured on this machine: an unfiltered 512² RGBA
 * PNG decodes in 0.4 ms here against 1.3 ms through sharp, but with Paeth
 * filters on every row (libspng undoes them with SIMD) 3.4 ms against 2.8 ms,
 * and the gap grows with the size.
 */
export const PNG_FAST_MAX_PIXELS = 1 << 18;

/**
 * Ancillary chunks that do not change the decoded pixels (sBIT only says
 * how many bits were significant in the original; libvips does not rescale
 * by it, checked on 2,200 icons that carry it). Any other chunk
 * (iCCP and cICP colour, eXIf orientation, gAMA, cHRM, acTL animation, ...)
 * sends the file to sharp.
 */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'pHYs', 'tIME', 'bKGD', 'sRGB', 'sBIT']);

const SIGNATURE_BYTES = 8;

interface PngImage {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly colorType: number;
  readonly palette: Uint8Array | null;
  readonly trns: Uint8Array | null;
  readonly idat: Buffer[];
}

/** Samples per pixel for each colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function isSupported(depth: number, colorType: number): boolean {
  if (depth === 8) return colorType in CHANNELS;
  return (colorType === 0 || colorType === 3) && (depth === 1 || depth === 2 || depth === 4);
}

/** Walks the chunks, checking every CRC; null when the file is not one this module decodes. */
function readChunks(bytes: Uint8Array): PngImage | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = SIGNATURE_BYTES;
  let header: Omit<PngImage, 'palette' | 'trns' | 'idat'> | null = null;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Buffer[] = [];
  while (o + 12 <= bytes.length) {
    const length = view.getUint32(o);
    const end = o + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) return null;
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7]);
    const body = bytes.subarray(o + 8, o + 8 + length);
    if (crc32(bytes.subarray(o + 4, o + 8 + length)) !== view.getUint32(o + 8 + length)) return null;
    if (header === null && type !== 'IHDR') return null;
    if (type === 'IHDR') {
      if (header !== null || length !== 13) return null;
      const [depth, colorType, compression, filter, interlace] = body.subarray(8);
      if (compression !== 0 || filter !== 0 || interlace !== 0 || !isSupported(depth, colorType)) return null;
      header = { width: view.getUint32(o + 8), height: view.getUint32(o + 12), depth, colorType };
    } else if (type === 'PLTE') {
      palette = body;
    } else if (type === 'tRNS') {
      trns = body;
    } else if (type === 'IDAT') {
      idat.push(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } else if (type === 'IEND') {
      if (header === null || idat.length === 0) return null;
      if (header.colorType === 3 && palette === null) return null;
      return { ...header, palette, trns, idat };
    } else if (!HARMLESS.has(type)) {
      return null;
    }
    o = end;
  }
  return null;
}

/**
 * Undoes the row filters in place: `raw` holds rows of `1 + rowBytes` bytes,
 * the first the filter type; `bpp` is the byte distance to the left
 * neighbour (at least 1). The first `bpp` bytes of a row (no left
 * neighbour) and the first row (no row above, read as zeros: Paeth then
 * reduces to Sub, Average to half the left byte) are handled apart, so the
 * main loops test nothing but the filter. Returns false on an unknown
 * filter type.
 */
function unfilter(raw: Uint8Array, height: number, rowBytes: number, bpp: number): boolean {
  const stride = rowBytes + 1;
  for (let y = 0; y < height; y++) {
    const r = y * stride + 1;
    const u = r - stride;
    let filter = raw[r - 1];
    if (filter > 4) return false;
    if (y === 0 && filter === 4) filter = 1;
    if (filter === 0 || (y === 0 && filter === 2)) continue;
    if (filter === 1) {
      for (let i = bpp; i < rowBytes; i++) raw[r + i] = (raw[r + i] + raw[r + i - bpp]) & 255;
    } else if (filter === 2) {
      for (let i = 0; i < rowBytes; i++) raw[r + i] = (raw[r + i] + raw[u + i]) & 255;
    } else if (filter === 3) {
      if (y === 0) {
        for (let i = bpp; i < rowBytes; i++) raw[r + i] = (raw[r + i] + (raw[r + i - bpp] >> 1)) & 255;
      } else {
        for (let i = 0; i < bpp; i++) raw[r + i] = (raw[r + i] + (raw[u + i] >> 1)) & 255;
        for (let i = bpp; i < rowBytes; i++) {
          raw[r + i] = (raw[r + i] + ((raw[r + i - bpp] + raw[u + i]) >> 1)) & 255;
        }
      }
    } else {
      // Paeth: with no left neighbour the predictor is the byte above.
      for (let i = 0; i < bpp; i++) raw[r + i] = (raw[r + i] + raw[u + i]) & 255;
      for (let i = bpp; i < rowBytes; i++) {
        const a = raw[r + i - bpp];
        const b = raw[u + i];
        const c = raw[u + i - bpp];
        // |p - a|, |p - b| and |p - c| for p = a + b - c.
        let pa = b - c;
        let pb = a - c;
        let pc = pa + pb;
        if (pa < 0) pa = -pa;
        if (pb < 0) pb = -pb;
        if (pc < 0) pc = -pc;
        raw[r + i] = (raw[r + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
    }
  }
  return true;
}

/** Sample `x` of a row of `depth`-bit samples starting at `r`. */
function sample(raw: Uint8Array, r: number, x: number, depth: number): number {
  if (depth === 8) return raw[r + x];
  const perByte = 8 / depth;
  const shift = 8 - depth * ((x % perByte) + 1);
  return (raw[r + Math.floor(x / perByte)] >> shift) & ((1 << depth) - 1);
}

/** Unfiltered rows to RGBA, with tRNS transparency for grey, RGB and palette images; null on a bad palette index. */
function toRgba(img: PngImage, raw: Uint8Array, rowBytes: number): Uint8ClampedArray | null {
  const { width: w, height: h, depth, colorType, palette, trns } = img;
  const stride = rowBytes + 1;
  if (colorType === 6) {
    // Already RGBA: drop the filter bytes by moving the rows down in place.
    for (let y = 0; y < h; y++) raw.copyWithin(y * rowBytes, y * stride + 1, (y + 1) * stride);
    const data = new Uint8ClampedArray(raw.buffer, raw.byteOffset, w * h * 4);
    // Word-aligned pixels let the tracer compare whole pixels at once.
    return raw.byteOffset % 4 === 0 ? data : data.slice();
  }
  const out = new Uint8ClampedArray(w * h * 4);
  const maxSample = (1 << depth) - 1;
  const scale = 255 / maxSample;
  // tRNS for grey and RGB: the (16-bit) sample values painted transparent.
  const key0 = trns && trns.length >= 2 ? (trns[0] << 8) | trns[1] : -1;
  const keyRgb =
    trns && colorType === 2 && trns.length >= 6
      ? [(trns[0] << 8) | trns[1], (trns[2] << 8) | trns[3], (trns[4] << 8) | trns[5]]
      : null;
  for (let y = 0, q = 0; y < h; y++) {
    const r = y * stride + 1;
    for (let x = 0; x < w; x++, q += 4) {
      if (colorType === 2) {
        const p = r + x * 3;
        out[q] = raw[p];
        out[q + 1] = raw[p + 1];
        out[q + 2] = raw[p + 2];
        out[q + 3] =
          keyRgb && raw[p] === keyRgb[0] && raw[p + 1] === keyRgb[1] && raw[p + 2] === keyRgb[2] ? 0 : 255;
      } else if (colorType === 4) {
        const p = r + x * 2;
        out[q] = out[q + 1] = out[q + 2] = raw[p];
        out[q + 3] = raw[p + 1];
      } else if (colorType === 0) {
        const v = sample(raw, r, x, depth);
        out[q] = out[q + 1] = out[q + 2] = Math.round(v * scale);
        out[q + 3] = v === key0 ? 0 : 255;
      } else {
        const e = sample(raw, r, x, depth) * 3;
        // An index past the palette's end is an error for sharp to report.
        if (palette === null || e + 2 >= palette.length) return null;
        out[q] = palette[e];
        out[q + 1] = palette[e + 1];
        out[q + 2] = palette[e + 2];
        out[q + 3] = trns && e / 3 < trns.length ? trns[e / 3] : 255;
      }
    }
  }
  return out;
}

/**
 * Decodes a plain PNG (see the module comment) within the limits and at most
 * PNG_FAST_MAX_PIXELS to RGBA, or returns null to leave the file to sharp
 * (which also refuses or downscales what is over the limits).
 */
export function decodePngFast(bytes: Uint8Array, limits: ResolvedLimits): Raster | null {
  const img = readChunks(bytes);
  if (img === null) return null;
  const { width: w, height: h, depth, colorType } = img;
  if (w === 0 || h === 0 || Math.max(w, h) > limits.maxSide) return null;
  if (w * h > Math.min(limits.maxPixels, PNG_FAST_MAX_PIXELS)) return null;
  const bitsPerPixel = depth * CHANNELS[colorType];
  const rowBytes = Math.ceil((w * bitsPerPixel) / 8);
  const expected = h * (rowBytes + 1);
  let raw: Buffer;
  try {
    raw = inflateSync(img.idat.length === 1 ? img.idat[0] : Buffer.concat(img.idat), {
      maxOutputLength: expected + 1,
    });
  } catch {
    return null;
  }
  if (raw.length !== expected) return null;
  // One array type in the hot loops, whatever zlib returned.
  const rows = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  if (!unfilter(rows, h, rowBytes, Math.max(1, bitsPerPixel >> 3))) return null;
  const data = toRgba(img, rows, rowBytes);
  return data && { width: w, height: h, data };
}
