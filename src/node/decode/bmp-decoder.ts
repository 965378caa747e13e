/**
 * Uncompressed BMP decoder (1, 4, 8, 16, 24 and 32 bits per pixel, rows
 * bottom-up or top-down, palettes and channel masks) into straight RGBA.
 * Sharp's prebuilt libvips cannot read BMP, so this is ours. The header is
 * validated by `parseBmpHeader`; here the only new failure is a file too short
 * for its pixel rows.
 */
import type { Raster } from '../../engine/types.js';
import { DecodeError } from './decode-error.js';
import type { BmpChannelMask, BmpHeader } from './bmp-header.js';

/** Scales a channel value of `max` levels to 0-255, rounding to nearest. */
function scaleTable(c: BmpChannelMask): Uint8Array {
  const levels = Math.min(c.max, 0xffff) + 1;
  const table = new Uint8Array(levels);
  for (let v = 0; v < levels; v++) table[v] = Math.round((v * 255) / c.max);
  return table;
}

function decodeIndexed(
  bytes: Uint8Array,
  h: BmpHeader,
  out: Uint32Array,
  rowOf: (y: number) => number,
): void {
  const { width, height, bitsPerPixel: bpp, palette } = h;
  // Palette as little-endian RGBA words, so one store writes a pixel; an
  // index past the palette paints opaque black, as browsers do.
  const lut = new Uint32Array(1 << bpp).fill(0xff000000);
  for (let i = 0; i < palette.length; i++) {
    const c = palette[i];
    lut[i] = 0xff000000 | ((c & 0xff) << 16) | (c & 0xff00) | ((c >>> 16) & 0xff);
  }
  const perByte = 8 / bpp;
  const mask = (1 << bpp) - 1;
  for (let y = 0; y < height; y++) {
    const row = rowOf(y);
    let o = y * width;
    for (let x = 0; x < width; x++) {
      const byte = bytes[row + Math.floor(x / perByte)];
      // The leftmost pixel sits in the most significant bits.
      const shift = 8 - bpp * ((x % perByte) + 1);
      out[o++] = lut[(byte >>> shift) & mask];
    }
  }
}

function decode24(
  bytes: Uint8Array,
  h: BmpHeader,
  rgba: Uint8ClampedArray,
  rowOf: (y: number) => number,
): void {
  const { width, height } = h;
  for (let y = 0; y < height; y++) {
    let p = rowOf(y);
    let o = y * width * 4;
    for (let x = 0; x < width; x++, p += 3, o += 4) {
      rgba[o] = bytes[p + 2];
      rgba[o + 1] = bytes[p + 1];
      rgba[o + 2] = bytes[p];
      rgba[o + 3] = 255;
    }
  }
}

function decodeMasked(
  bytes: Uint8Array,
  h: BmpHeader,
  rgba: Uint8ClampedArray,
  rowOf: (y: number) => number,
): void {
  const { width, height, bitsPerPixel: bpp } = h;
  const [r, g, b, a] = h.masks!;
  const tr = scaleTable(r);
  const tg = scaleTable(g);
  const tb = scaleTable(b);
  const ta = a.mask ? scaleTable(a) : null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const step = bpp / 8;
  // Masks wider than 16 bits are reduced to their top 16 bits before the table lookup.
  const narrow = (c: BmpChannelMask, v: number): number => {
    const x = (v & c.mask) >>> c.shift;
    return c.max > 0xffff ? Math.floor((x * 0xffff) / c.max) : x;
  };
  let anyAlpha = false;
  for (let y = 0; y < height; y++) {
    let p = rowOf(y);
    let o = y * width * 4;
    for (let x = 0; x < width; x++, p += step, o += 4) {
      const v = step === 2 ? view.getUint16(p, true) : view.getUint32(p, true);
      rgba[o] = tr[narrow(r, v)];
      rgba[o + 1] = tg[narrow(g, v)];
      rgba[o + 2] = tb[narrow(b, v)];
      if (ta) rgba[o + 3] = ta[narrow(a, v)];
      else if (h.guessAlpha) {
        const alpha = v >>> 24;
        rgba[o + 3] = alpha;
        if (alpha !== 0) anyAlpha = true;
      } else rgba[o + 3] = 255;
    }
  }
  // BI_RGB 32-bit with every "reserved" byte zero: the file has no alpha.
  if (h.guessAlpha && !anyAlpha) for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
}

/** Decodes the pixels of a BMP whose header `parseBmpHeader` returned. */
export function decodeBmp(bytes: Uint8Array, h: BmpHeader): Raster {
  const { width, height, stride, dataOffset, topDown } = h;
  const needed = dataOffset + stride * height;
  if (bytes.length < needed) {
    throw new DecodeError(
      'CORRUPT_IMAGE',
      `Truncated BMP: ${width}x${height} pixels need ${needed} bytes, the file has ${bytes.length}`,
    );
  }
  const rowOf = topDown
    ? (y: number) => dataOffset + y * stride
    : (y: number) => dataOffset + (height - 1 - y) * stride;
  const rgba = new Uint8ClampedArray(width * height * 4);
  if (h.bitsPerPixel <= 8) {
    decodeIndexed(bytes, h, new Uint32Array(rgba.buffer), rowOf);
  } else if (h.bitsPerPixel === 24) {
    decode24(bytes, h, rgba, rowOf);
  } else {
    decodeMasked(bytes, h, rgba, rowOf);
  }
  return { width, height, data: rgba };
}
