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
  if (bpp === 8) {
    for (let y = 0; y < height; y++) {
      const row = rowOf(y);
      const o = y * width;
      for (let x = 0; x < width; x++) out[o + x] = lut[bytes[row + x]];
    }
    return;
  }
  const perByte = 8 / bpp;
  const mask = (1 << bpp) - 1;
  for (let y = 0; y < height; y++) {
    const row = rowOf(y);
    let o = y * width;
    for (let x = 0; x < width; x += perByte) {
      const byte = bytes[row + x / perByte];
      // The leftmost pixel sits in the most significant bits.
      const n = Math.min(perByte, width - x);
      for (let k = 0, shift = 8 - bpp; k < n; k++, shift -= bpp) out[o++] = lut[(byte >>> shift) & mask];
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

/** 32-bit pixels stored B, G, R, X/A with 8-bit channels: the layout nearly every writer uses. */
function isBgra32(h: BmpHeader): boolean {
  const [r, g, b, a] = h.masks!;
  return (
    h.bitsPerPixel === 32 &&
    r.mask === 0xff0000 &&
    g.mask === 0xff00 &&
    b.mask === 0xff &&
    (a.mask === 0 || a.mask === 0xff000000)
  );
}

function decodeBgra32(
  bytes: Uint8Array,
  h: BmpHeader,
  rgba: Uint8ClampedArray,
  rowOf: (y: number) => number,
): void {
  const { width, height } = h;
  const hasAlpha = h.masks![3].mask !== 0 || h.guessAlpha;
  let anyAlpha = false;
  for (let y = 0; y < height; y++) {
    let p = rowOf(y);
    let o = y * width * 4;
    for (let x = 0; x < width; x++, p += 4, o += 4) {
      rgba[o] = bytes[p + 2];
      rgba[o + 1] = bytes[p + 1];
      rgba[o + 2] = bytes[p];
      const alpha = hasAlpha ? bytes[p + 3] : 255;
      rgba[o + 3] = alpha;
      anyAlpha ||= alpha !== 0;
    }
  }
  // BI_RGB with every "reserved" byte zero: the file has no alpha.
  if (h.guessAlpha && !anyAlpha) for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
}

/**
 * Any other channel masks (16-bit 5-5-5 / 5-6-5, alpha bit fields, 10-bit
 * channels): each channel is masked, shifted, and scaled to 8 bits by a table.
 */
function decodeMasked(
  bytes: Uint8Array,
  h: BmpHeader,
  rgba: Uint8ClampedArray,
  rowOf: (y: number) => number,
): void {
  const { width, height, bitsPerPixel: bpp } = h;
  const [r, g, b, a] = h.masks!;
  // Channels wider than 16 bits are first reduced to their top 16 bits, so the tables stay small.
  const narrowed = (c: BmpChannelMask): BmpChannelMask => {
    if (c.max <= 0xffff) return c;
    const drop = Math.ceil(Math.log2(c.max + 1)) - 16;
    return { mask: c.mask, shift: c.shift + drop, max: c.max >>> drop };
  };
  const [nr, ng, nb, na] = [narrowed(r), narrowed(g), narrowed(b), narrowed(a)];
  const [mr, mg, mb, ma] = [nr.max, ng.max, nb.max, na.max];
  const tr = scaleTable(nr);
  const tg = scaleTable(ng);
  const tb = scaleTable(nb);
  const ta = a.mask ? scaleTable(na) : null;
  const step = bpp / 8;
  for (let y = 0; y < height; y++) {
    let p = rowOf(y);
    let o = y * width * 4;
    for (let x = 0; x < width; x++, p += step, o += 4) {
      const v =
        step === 2
          ? bytes[p] | (bytes[p + 1] << 8)
          : (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
      rgba[o] = tr[(v >>> nr.shift) & mr];
      rgba[o + 1] = tg[(v >>> ng.shift) & mg];
      rgba[o + 2] = tb[(v >>> nb.shift) & mb];
      rgba[o + 3] = ta ? ta[(v >>> na.shift) & ma] : 255;
    }
  }
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
  } else if (isBgra32(h)) {
    decodeBgra32(bytes, h, rgba, rowOf);
  } else {
    decodeMasked(bytes, h, rgba, rowOf);
  }
  return { width, height, data: rgba };
}
