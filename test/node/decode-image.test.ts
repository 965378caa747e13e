import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, DecodeError, readImageHeader } from '../../src/node/decode/index.js';
import { buildBmp, pixels } from './bmp-builder.js';

/** A 4x3 RGBA image: a red, half-transparent green and a blue column, then one transparent column. */
const W = 4;
const H = 3;
const SOURCE = new Uint8Array(W * H * 4);
for (let y = 0; y < H; y++) {
  SOURCE.set([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 0, 0, 0, 0], y * W * 4);
}
const raw = () => sharp(SOURCE, { raw: { width: W, height: H, channels: 4 } });

async function failure(bytes: Uint8Array, limits?: Parameters<typeof decodeImage>[1]): Promise<DecodeError> {
  const err = await decodeImage(bytes, limits).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DecodeError);
  return err as DecodeError;
}

/** A PNG whose IHDR declares another size (its CRC is then wrong, but the size is read first). */
async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await raw().png().toBuffer());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

describe('decodeImage through sharp', () => {
  it.each(['png', 'webp', 'tiff'] as const)('%s keeps every RGBA value, alpha included', async (format) => {
    // Lossless settings: sharp's TIFF default is JPEG compression.
    const encode = {
      png: () => raw().png(),
      webp: () => raw().webp({ lossless: true, exact: true }),
      tiff: () => raw().tiff({ compression: 'lzw' }),
    }[format];
    const bytes = await encode().toBuffer();
    const { raster, format: found, resized } = await decodeImage(bytes);
    expect(found).toBe(format);
    expect(resized).toBe(false);
    expect(raster.data).toBeInstanceOf(Uint8ClampedArray);
    expect([raster.width, raster.height]).toEqual([W, H]);
    expect(Array.from(raster.data)).toEqual(Array.from(SOURCE));
  });

  it('jpeg decodes to opaque RGBA close to the source', async () => {
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366cc' } })
      .jpeg({ quality: 100 })
      .toBuffer();
    const { raster, format } = await decodeImage(bytes);
    expect(format).toBe('jpeg');
    const [r, g, b, a] = pixels(raster.data)[27];
    expect(a).toBe(255);
    for (const [got, want] of [
      [r, 0x33],
      [g, 0x66],
      [b, 0xcc],
    ]) {
      expect(Math.abs(got - want)).toBeLessThanOrEqual(2);
    }
  });

  it('a greyscale PNG comes out as RGBA', async () => {
    const bytes = await sharp(new Uint8Array([0, 100, 200, 255]), {
      raw: { width: 2, height: 2, channels: 1 },
    })
      .png()
      .toBuffer();
    const { raster } = await decodeImage(bytes);
    expect(pixels(raster.data)).toEqual([
      [0, 0, 0, 255],
      [100, 100, 100, 255],
      [200, 200, 200, 255],
      [255, 255, 255, 255],
    ]);
  });

  it('an animated GIF gives its first frame only', async () => {
    const frames = new Uint8Array(2 * 2 * 4 * 3);
    const colours = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ];
    for (let i = 0; i < 12; i++) frames.set([...colours[Math.floor(i / 4)], 255], i * 4);
    const gif = await sharp(frames, { raw: { width: 2, height: 6, channels: 4, pageHeight: 2 } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);
    expect(await readImageHeader(gif)).toEqual({ format: 'gif', width: 2, height: 2 });
    const { raster } = await decodeImage(gif);
    expect([raster.width, raster.height]).toEqual([2, 2]);
    expect(pixels(raster.data)).toEqual(Array(4).fill([255, 0, 0, 255]));
  });

  it('a JPEG with EXIF orientation 6 is decoded as displayed (turned)', async () => {
    const bytes = await sharp({ create: { width: 6, height: 4, channels: 3, background: '#888' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect(await readImageHeader(bytes)).toEqual({ format: 'jpeg', width: 4, height: 6 });
    const { raster } = await decodeImage(bytes);
    expect([raster.width, raster.height]).toEqual([4, 6]);
  });
});

describe('bad input', () => {
  it('empty input', async () => {
    const err = await failure(new Uint8Array(0));
    expect(err.code).toBe('EMPTY_INPUT');
  });

  it.each([
    ['%PDF-1.7\n', 'PDF document'],
    ['<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', 'SVG/XML text'],
    ['hello, world', 'plain text'],
  ])('unknown magic %j names what it is', async (text, what) => {
    const err = await failure(new TextEncoder().encode(text));
    expect(err.code).toBe('UNSUPPORTED_FORMAT');
    expect(err.message).toBe(`Unsupported format: ${what}. Supported: PNG, JPEG, GIF, BMP, TIFF, WebP`);
  });

  it('garbage bytes are named by their first bytes in hex', async () => {
    const err = await failure(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x04]));
    expect(err.code).toBe('UNSUPPORTED_FORMAT');
    expect(err.message).toContain('starts with de ad be ef 00 01 02 03');
  });

  it.each([20, 40, 60])('a PNG cut to %i bytes is corrupt', async (n) => {
    const png = await raw().png().toBuffer();
    const err = await failure(png.subarray(0, n));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.message).toMatch(/^Corrupt or truncated PNG file: /);
  });

  it('a PNG missing its end is corrupt', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const err = await failure(png.subarray(0, png.length - 20));
    expect(err.code).toBe('CORRUPT_IMAGE');
  });

  it.each([0.5, 0.9])('a JPEG cut at %f of its length is corrupt', async (fraction) => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const err = await failure(jpeg.subarray(0, Math.floor(jpeg.length * fraction)));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.message).toMatch(/^Corrupt or truncated JPEG file: .*premature end/);
  });

  it.each([
    ['GIF', () => raw().gif()],
    ['TIFF', () => raw().tiff({ compression: 'lzw' })],
    ['WebP', () => raw().webp({ lossless: true })],
  ])('a %s cut in half is corrupt', async (name, encoder) => {
    const bytes = await encoder().toBuffer();
    const err = await failure(bytes.subarray(0, bytes.length >> 1));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.message).toMatch(new RegExp(`^Corrupt or truncated ${name} file: \\w`));
  });

  it('a GIF signature followed by garbage is corrupt', async () => {
    const err = await failure(new TextEncoder().encode('GIF89a and then nothing of an image'));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.message).toMatch(/^Corrupt or truncated GIF file/);
  });
});

describe('limits are checked from the header', () => {
  it('a small PNG declaring 100000x100000 is refused before decoding', async () => {
    const bomb = await pngDeclaring(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    expect(await readImageHeader(bomb)).toEqual({ format: 'png', width: 100_000, height: 100_000 });
    const err = await failure(bomb);
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toBe('Image is 100000x100000 (10000000000 pixels); the limit is 268402689 pixels');
  });

  it('a BMP header declaring 100000x100000 is refused before decoding, even with resize', async () => {
    const bmp = buildBmp({ width: 1, height: 1, bpp: 24, rows: [[0, 0, 0]] });
    const view = new DataView(bmp.buffer);
    view.setInt32(18, 100_000, true);
    view.setInt32(22, 100_000, true);
    const err = await failure(bmp, { resize: true });
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toContain('10000000000 pixels');
  });

  it('maxPixels is the caller’s', async () => {
    const err = await failure(await raw().png().toBuffer(), { maxPixels: 11 });
    expect(err.message).toBe('Image is 4x3 (12 pixels); the limit is 11 pixels');
  });

  it('over maxSide without resize is refused', async () => {
    const err = await failure(await raw().png().toBuffer(), { maxSide: 3 });
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.message).toContain('the largest side allowed is 3 px');
  });

  it('over maxSide with resize is downscaled to fit, aspect kept (sharp format)', async () => {
    const png = await sharp({ create: { width: 40, height: 20, channels: 4, background: '#ff000080' } })
      .png()
      .toBuffer();
    const d = await decodeImage(png, { maxSide: 10, resize: true });
    expect([d.raster.width, d.raster.height, d.originalWidth, d.originalHeight, d.resized]).toEqual([
      10,
      5,
      40,
      20,
      true,
    ]);
    expect(d.raster.data.length).toBe(10 * 5 * 4);
    expect(pixels(d.raster.data)[12]).toEqual([255, 0, 0, 128]);
  });

  it('over maxSide with resize is downscaled to fit (BMP)', async () => {
    const rows = Array.from({ length: 8 }, () => Array(16 * 3).fill(200));
    const d = await decodeImage(buildBmp({ width: 16, height: 8, bpp: 24, rows }), {
      maxSide: 4,
      resize: true,
    });
    expect([d.raster.width, d.raster.height, d.resized]).toEqual([4, 2, true]);
    expect(pixels(d.raster.data)).toEqual(Array(8).fill([200, 200, 200, 255]));
  });

  it('bad limits are a programming error', async () => {
    await expect(decodeImage(new Uint8Array(1), { maxSide: 0 })).rejects.toThrow(RangeError);
  });
});

describe('a GIF frame smaller than its logical screen', () => {
  /** A 16 x 16 GIF (black 8 x 8 square on white) re-declared on a `sw` x `sh` screen at (left, top). */
  async function gifOnScreen(sw: number, sh: number, left = 0, top = 0): Promise<Buffer> {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#fff"/><rect x="4" y="4" width="8" height="8" fill="#000"/></svg>`;
    const gif = Buffer.from(await sharp(Buffer.from(svg)).gif().toBuffer());
    gif.writeUInt16LE(sw, 6);
    gif.writeUInt16LE(sh, 8);
    // Find the image descriptor past the colour table and extensions, and move the frame.
    let at = 13 + (gif[10] & 0x80 ? 3 * (1 << ((gif[10] & 7) + 1)) : 0);
    while (gif[at] === 0x21) {
      at += 2;
      while (gif[at] !== 0) at += gif[at] + 1;
      at += 1;
    }
    expect(gif[at]).toBe(0x2c);
    expect([gif.readUInt16LE(at + 5), gif.readUInt16LE(at + 7)]).toEqual([16, 16]);
    gif.writeUInt16LE(left, at + 1);
    gif.writeUInt16LE(top, at + 3);
    return gif;
  }

  it.each([
    [2000, 2000, 0, 0],
    [65535, 65535, 0, 0],
    [40, 30, 10, 12],
  ])('a %ix%i screen with a 16x16 frame at (%i, %i) decodes to the frame', async (sw, sh, left, top) => {
    const gif = await gifOnScreen(sw, sh, left, top);
    expect(await readImageHeader(gif)).toEqual({ format: 'gif', width: 16, height: 16 });
    const { raster, originalWidth, originalHeight } = await decodeImage(gif);
    expect([raster.width, raster.height, originalWidth, originalHeight]).toEqual([16, 16, 16, 16]);
    const px = (x: number, y: number) => raster.data[(y * 16 + x) * 4];
    expect([px(0, 0), px(8, 8), px(15, 15)]).toEqual([255, 0, 255]);
  });

  it('with resize, the frame is downscaled, not the screen', async () => {
    const gif = await gifOnScreen(2000, 2000);
    const { raster, resized } = await decodeImage(gif, { maxSide: 8, resize: true });
    expect([raster.width, raster.height, resized]).toEqual([8, 8, true]);
  });
});
