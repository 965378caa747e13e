import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, DecodeError } from '../../src/node/decode/index.js';
import { resolveLimits } from '../../src/node/decode/limits.js';
import { decodePngFast } from '../../src/node/decode/png-fast.js';
import { buildPng, chunk, packRows } from './png-builder.js';

/** What sharp (libvips) makes of the file: the reference the in-thread path must match byte for byte. */
async function bySharp(bytes: Uint8Array): Promise<number[]> {
  const data = await sharp(bytes).toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer();
  return Array.from(data);
}

const LIMITS = resolveLimits();

/** Deterministic bytes (a linear congruential sequence), so the filters see varied rows. */
function bytesFor(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

function rowsOf(width: number, height: number, channels: number, seed: number): Uint8Array[] {
  const all = bytesFor(width * height * channels, seed);
  return Array.from({ length: height }, (_, y) =>
    all.subarray(y * width * channels, (y + 1) * width * channels),
  );
}

const W = 9;
const H = 6;
const ALL_FILTERS = [0, 1, 2, 3, 4];

async function expectSameAsSharp(bytes: Buffer): Promise<void> {
  const fast = decodePngFast(bytes, LIMITS);
  expect(fast).not.toBeNull();
  const want = await bySharp(bytes);
  expect(Array.from(fast!.data)).toEqual(want);
  const { raster, format } = await decodeImage(bytes);
  expect(format).toBe('png');
  expect([raster.width, raster.height]).toEqual([fast!.width, fast!.height]);
  expect(Array.from(raster.data)).toEqual(want);
}

describe('in-thread PNG decoding matches sharp', () => {
  it.each([
    ['RGBA', 6, 4],
    ['RGB', 2, 3],
    ['grey', 0, 1],
    ['grey and alpha', 4, 2],
  ])('%s, 8 bits, every row filter, data split over IDAT chunks', async (_, colorType, channels) => {
    const bytes = buildPng({
      width: W,
      height: H,
      depth: 8,
      colorType,
      rows: rowsOf(W, H, channels, colorType + 1),
      filters: ALL_FILTERS,
      idatChunks: 3,
    });
    await expectSameAsSharp(bytes);
  });

  it.each([1, 2, 3, 4])('filter %i on every row, the first included (no row above)', async (filter) => {
    const bytes = buildPng({
      width: W,
      height: H,
      depth: 8,
      colorType: 6,
      rows: rowsOf(W, H, 4, 20 + filter),
      filters: [filter],
    });
    await expectSameAsSharp(bytes);
  });

  it('RGB and grey with a tRNS colour key', async () => {
    const rgbRows = rowsOf(W, H, 3, 7);
    rgbRows[2].set([10, 20, 30], 3);
    const rgb = buildPng({
      width: W,
      height: H,
      depth: 8,
      colorType: 2,
      rows: rgbRows,
      filters: ALL_FILTERS,
      before: [chunk('tRNS', Uint8Array.of(0, 10, 0, 20, 0, 30))],
    });
    await expectSameAsSharp(rgb);
    expect(decodePngFast(rgb, LIMITS)!.data[(2 * W + 1) * 4 + 3]).toBe(0);

    const greyRows = rowsOf(W, H, 1, 8);
    greyRows[1][4] = 99;
    const grey = buildPng({
      width: W,
      height: H,
      depth: 8,
      colorType: 0,
      rows: greyRows,
      before: [chunk('tRNS', Uint8Array.of(0, 99))],
    });
    await expectSameAsSharp(grey);
    expect(decodePngFast(grey, LIMITS)!.data[(W + 4) * 4 + 3]).toBe(0);
  });

  it.each([1, 2, 4])('grey at %i bits per sample (scaled to 0-255)', async (depth) => {
    const max = (1 << depth) - 1;
    const samples = Array.from({ length: H }, (_, y) =>
      Array.from({ length: W }, (_, x) => (x + y) % (max + 1)),
    );
    const bytes = buildPng({
      width: W,
      height: H,
      depth,
      colorType: 0,
      rows: packRows(samples, depth),
      filters: ALL_FILTERS,
    });
    await expectSameAsSharp(bytes);
    expect(decodePngFast(bytes, LIMITS)!.data[(W - 1) * 4]).toBe(
      Math.round(((W - 1) % (max + 1)) * (255 / max)),
    );
  });

  it.each([1, 2, 4, 8])('palette at %i bits with a partial tRNS', async (depth) => {
    const entries = Math.min(1 << depth, 5);
    const samples = Array.from({ length: H }, (_, y) =>
      Array.from({ length: W }, (_, x) => (x * 3 + y) % entries),
    );
    const plte = Uint8Array.from({ length: entries * 3 }, (_, i) => (i * 53 + 17) & 255);
    const bytes = buildPng({
      width: W,
      height: H,
      depth,
      colorType: 3,
      rows: packRows(samples, depth),
      filters: ALL_FILTERS,
      before: [chunk('PLTE', plte), chunk('tRNS', Uint8Array.of(0, 128))],
    });
    await expectSameAsSharp(bytes);
  });

  it('ignores chunks that do not change the pixels (text, sBIT, physical size)', async () => {
    const bytes = buildPng({
      width: W,
      height: H,
      depth: 8,
      colorType: 6,
      rows: rowsOf(W, H, 4, 11),
      before: [
        chunk('sBIT', Uint8Array.of(5, 6, 5, 8)),
        chunk('tEXt', Buffer.from('Comment\0made by a test', 'latin1')),
        chunk('pHYs', Uint8Array.of(0, 0, 11, 19, 0, 0, 11, 19, 1)),
      ],
    });
    await expectSameAsSharp(bytes);
  });

  it('PNGs written by sharp: adaptive filters, and a quantised palette', async () => {
    const source = bytesFor(40 * 30 * 4, 3);
    const raw = () => sharp(source, { raw: { width: 40, height: 30, channels: 4 } });
    await expectSameAsSharp(await raw().png({ adaptiveFiltering: true }).toBuffer());
    await expectSameAsSharp(await raw().png({ palette: true, colours: 12 }).toBuffer());
  });
});

describe('in-thread PNG decoding leaves other files to sharp', () => {
  const plain = () => buildPng({ width: W, height: H, depth: 8, colorType: 6, rows: rowsOf(W, H, 4, 5) });

  it('declines 16-bit, interlaced and colour-managed files, which sharp still decodes', async () => {
    const deep = buildPng({ width: W, height: H, depth: 16, colorType: 2, rows: rowsOf(W, H, 6, 4) });
    const interlaced = await sharp(bytesFor(W * H * 4, 9), { raw: { width: W, height: H, channels: 4 } })
      .png({ progressive: true })
      .toBuffer();
    const gamma = buildPng({
      width: W,
      height: H,
      depth: 8,
      colorType: 6,
      rows: rowsOf(W, H, 4, 5),
      before: [chunk('gAMA', Uint8Array.of(0, 0, 0xb1, 0x8f))],
    });
    for (const bytes of [deep, interlaced, gamma]) {
      expect(decodePngFast(bytes, LIMITS)).toBeNull();
      const { raster } = await decodeImage(bytes);
      expect(Array.from(raster.data)).toEqual(await bySharp(bytes));
    }
  });

  it('declines a damaged file, and decodeImage reports it as before', async () => {
    const bytes = plain();
    const idat = bytes.indexOf('IDAT', 0, 'latin1');
    bytes[idat + 6] ^= 0xff;
    expect(decodePngFast(bytes, LIMITS)).toBeNull();
    const err = await decodeImage(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).code).toBe('CORRUPT_IMAGE');
  });

  it('declines a truncated file and a palette index past the palette', async () => {
    const bytes = plain();
    expect(decodePngFast(bytes.subarray(0, bytes.length - 12), LIMITS)).toBeNull();
    const outside = buildPng({
      width: 2,
      height: 1,
      depth: 8,
      colorType: 3,
      rows: [Uint8Array.of(0, 3)],
      before: [chunk('PLTE', Uint8Array.of(1, 2, 3, 4, 5, 6))],
    });
    expect(decodePngFast(outside, LIMITS)).toBeNull();
  });

  it('declines an image over 512 x 512, which sharp decodes off the event loop', async () => {
    const rows = Array.from({ length: 513 }, () => new Uint8Array(512 * 4));
    const bytes = buildPng({ width: 512, height: 513, depth: 8, colorType: 6, rows });
    expect(decodePngFast(bytes, LIMITS)).toBeNull();
    const { raster } = await decodeImage(bytes);
    expect([raster.width, raster.height]).toEqual([512, 513]);
  });

  it('declines an image over the limits, which decodeImage refuses', async () => {
    const bytes = plain();
    expect(decodePngFast(bytes, resolveLimits({ maxPixels: W * H - 1 }))).toBeNull();
    expect(decodePngFast(bytes, resolveLimits({ maxSide: W - 1 }))).toBeNull();
    const err = await decodeImage(bytes, { maxSide: W - 1 }).catch((e: unknown) => e);
    expect((err as DecodeError).code).toBe('IMAGE_TOO_LARGE');
    const resized = await decodeImage(bytes, { maxSide: W - 1, resize: true });
    expect(resized.resized).toBe(true);
  });
});
