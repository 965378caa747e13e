/**
 * Thresholding and bitmap files for the binary sets: the same bilevel bitmap
 * goes to every tool that needs one (potrace reads PBM, the npm port a PNG).
 */
import sharp from 'sharp';
import type { Raster } from '../src/engine/types.js';
import { composeOn, luma } from '../src/quality/index.js';

/** Ink mask (1 = dark) of `raster` composed on white, at luma < `level`. */
export function thresholdMask(raster: Raster, level: number): Uint8Array {
  const y = luma(composeOn(raster));
  const mask = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) mask[i] = y[i] < level ? 1 : 0;
  return mask;
}

/**
 * Otsu's threshold of the luma histogram (N. Otsu, "A Threshold Selection
 * Method from Gray-Level Histograms", IEEE SMC 9(1), 1979): the level that
 * maximises the between-class variance.
 */
export function otsuLevel(raster: Raster): number {
  const y = luma(composeOn(raster));
  const hist = new Float64Array(256);
  for (let i = 0; i < y.length; i++) hist[Math.min(255, Math.round(y[i]))]++;
  const total = y.length;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * hist[v];
  let best = 0;
  let bestLevel = 128;
  let w0 = 0;
  let sum0 = 0;
  for (let t = 0; t < 256; t++) {
    w0 += hist[t];
    sum0 += t * hist[t];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0;
    const m1 = (sumAll - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      bestLevel = t + 1;
    }
  }
  return bestLevel;
}

/** The mask as an opaque black-on-white raster. */
export function maskToRaster(mask: Uint8Array, width: number, height: number): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < mask.length; p++) {
    const v = mask[p] ? 0 : 255;
    data[p * 4] = v;
    data[p * 4 + 1] = v;
    data[p * 4 + 2] = v;
    data[p * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Binary PBM (P4): rows packed 8 pixels a byte, most significant bit first, 1 = black. */
export function encodePbm(mask: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'ascii');
  const rowBytes = (width + 7) >> 3;
  const body = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]) body[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, body]);
}

export function encodePng(raster: Raster): Promise<Buffer> {
  return sharp(Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength), {
    raw: { width: raster.width, height: raster.height, channels: 4 },
  })
    .png()
    .toBuffer();
}

export async function decodePng(bytes: Buffer): Promise<Raster> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  };
}
