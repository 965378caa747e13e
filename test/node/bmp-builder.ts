/**
 * Builds BMP files byte by byte for the tests, so every field is explicit and
 * a test can break exactly one of them.
 */
export interface BmpSpec {
  width: number;
  height: number;
  bpp: 1 | 4 | 8 | 16 | 24 | 32;
  /** Rows top first; each row holds palette indices (bpp <= 8) or raw pixel values (16/32) or [r,g,b] triples flattened (24). */
  rows: number[][];
  topDown?: boolean;
  /** 12 (OS/2 core), 40 (INFO), 108 (V4) or 124 (V5). Default 40. */
  dibSize?: 12 | 40 | 56 | 108 | 124;
  compression?: number;
  /** 0xRRGGBB entries. */
  palette?: number[];
  /** r, g, b, a masks for BI_BITFIELDS (after a 40-byte header, or inside V4/V5). */
  masks?: [number, number, number, number];
  /** Override the declared colours-used count. */
  colorsUsed?: number;
  planes?: number;
}

export function buildBmp(spec: BmpSpec): Uint8Array {
  const { width, height, bpp, rows } = spec;
  const dibSize = spec.dibSize ?? 40;
  const compression = spec.compression ?? 0;
  const core = dibSize === 12;
  const palette = spec.palette ?? [];
  const masksAfter = dibSize === 40 && spec.masks ? (compression === 6 ? 16 : 12) : 0;
  const paletteBytes = palette.length * (core ? 3 : 4);
  const dataOffset = 14 + dibSize + masksAfter + paletteBytes;
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const size = dataOffset + stride * height;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42;
  bytes[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, dataOffset, true);
  view.setUint32(14, dibSize, true);
  if (core) {
    view.setUint16(18, width, true);
    view.setUint16(20, height, true);
    view.setUint16(22, spec.planes ?? 1, true);
    view.setUint16(24, bpp, true);
  } else {
    view.setInt32(18, width, true);
    view.setInt32(22, spec.topDown ? -height : height, true);
    view.setUint16(26, spec.planes ?? 1, true);
    view.setUint16(28, bpp, true);
    view.setUint32(30, compression, true);
    view.setUint32(34, stride * height, true);
    view.setUint32(46, spec.colorsUsed ?? palette.length, true);
    if (spec.masks && dibSize > 40) spec.masks.forEach((m, i) => view.setUint32(54 + 4 * i, m, true));
    if (spec.masks && dibSize === 40) {
      spec.masks.slice(0, masksAfter / 4).forEach((m, i) => view.setUint32(54 + 4 * i, m, true));
    }
  }
  let p = 14 + dibSize + masksAfter;
  for (const c of palette) {
    bytes[p] = c & 0xff;
    bytes[p + 1] = (c >> 8) & 0xff;
    bytes[p + 2] = (c >> 16) & 0xff;
    p += core ? 3 : 4;
  }
  for (let y = 0; y < height; y++) {
    const stored = spec.topDown ? y : height - 1 - y;
    const row = dataOffset + stored * stride;
    const values = rows[y];
    if (bpp <= 8) {
      const perByte = 8 / bpp;
      values.forEach((v, x) => {
        bytes[row + Math.floor(x / perByte)] |= v << (8 - bpp * ((x % perByte) + 1));
      });
    } else if (bpp === 24) {
      for (let x = 0; x < width; x++) {
        bytes[row + 3 * x] = values[3 * x + 2];
        bytes[row + 3 * x + 1] = values[3 * x + 1];
        bytes[row + 3 * x + 2] = values[3 * x];
      }
    } else if (bpp === 16) {
      values.forEach((v, x) => view.setUint16(row + 2 * x, v, true));
    } else {
      values.forEach((v, x) => view.setUint32(row + 4 * x, v >>> 0, true));
    }
  }
  return bytes;
}

/** The RGBA bytes of a raster as an array of [r, g, b, a] per pixel, row-major. */
export function pixels(data: Uint8ClampedArray): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
  return out;
}
