import { describe, expect, it } from 'vitest';
import { decodeImage, DecodeError, readImageHeader } from '../../src/node/decode/index.js';
import { buildBmp, pixels, type BmpSpec } from './bmp-builder.js';

async function decode(spec: BmpSpec): Promise<number[][]> {
  const { raster, format } = await decodeImage(buildBmp(spec));
  expect(format).toBe('bmp');
  expect([raster.width, raster.height]).toEqual([spec.width, spec.height]);
  return pixels(raster.data);
}

async function failure(bytes: Uint8Array): Promise<DecodeError> {
  const err = await decodeImage(bytes).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DecodeError);
  return err as DecodeError;
}

const K = [0, 0, 0, 255];
const W = [255, 255, 255, 255];

describe.each([false, true])('BMP decoding, top-down=%s', (topDown) => {
  it('1 bit with a palette, rows padded to 4 bytes', async () => {
    const rows = [
      [1, 0, 1, 1, 0, 0, 1, 0, 1, 1],
      [0, 1, 0, 0, 1, 1, 0, 1, 0, 0],
    ];
    const px = await decode({ width: 10, height: 2, bpp: 1, rows, topDown, palette: [0x000000, 0xffffff] });
    expect(px).toEqual(rows.flat().map((v) => (v ? W : K)));
  });

  it('4 bit with a short palette; an index past the palette is opaque black', async () => {
    const palette = [0xff0000, 0x00ff00, 0x0000ff];
    const px = await decode({
      width: 3,
      height: 2,
      bpp: 4,
      rows: [
        [0, 1, 2],
        [2, 9, 0],
      ],
      topDown,
      palette,
    });
    expect(px).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [0, 0, 255, 255],
      K,
      [255, 0, 0, 255],
    ]);
  });

  it('8 bit with a palette', async () => {
    const palette = [0x102030, 0x405060, 0x708090];
    const px = await decode({
      width: 3,
      height: 2,
      bpp: 8,
      rows: [
        [0, 1, 2],
        [2, 2, 1],
      ],
      topDown,
      palette,
    });
    expect(px).toEqual([
      [0x10, 0x20, 0x30, 255],
      [0x40, 0x50, 0x60, 255],
      [0x70, 0x80, 0x90, 255],
      [0x70, 0x80, 0x90, 255],
      [0x70, 0x80, 0x90, 255],
      [0x40, 0x50, 0x60, 255],
    ]);
  });

  it('24 bit (BGR stored, rows padded)', async () => {
    const rows = [
      [255, 0, 0, 0, 255, 0, 0, 0, 255],
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ];
    const px = await decode({ width: 3, height: 2, bpp: 24, rows, topDown });
    expect(px).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [1, 2, 3, 255],
      [4, 5, 6, 255],
      [7, 8, 9, 255],
    ]);
  });

  it('32 bit BI_RGB with every reserved byte zero is opaque', async () => {
    const px = await decode({
      width: 2,
      height: 2,
      bpp: 32,
      rows: [
        [0xff0000, 0x00ff00],
        [0x0000ff, 0x123456],
      ],
      topDown,
    });
    expect(px).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [0x12, 0x34, 0x56, 255],
    ]);
  });

  it('32 bit BI_RGB with alpha in the reserved byte keeps that alpha', async () => {
    const rows = [
      [0x80ff0000, 0xff00ff00],
      [0x000000ff, 0x40123456],
    ];
    const px = await decode({ width: 2, height: 2, bpp: 32, rows, topDown });
    expect(px).toEqual([
      [255, 0, 0, 128],
      [0, 255, 0, 255],
      [0, 0, 255, 0],
      [0x12, 0x34, 0x56, 64],
    ]);
  });
});

describe('BMP headers and channel masks', () => {
  it('16 bit BI_RGB is 5-5-5', async () => {
    const px = await decode({ width: 3, height: 1, bpp: 16, rows: [[0x7c00, 0x03e0, 0x0010]] });
    // 16 of 31 levels scales to round(16 * 255 / 31) = 132.
    expect(px).toEqual([
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 132, 255],
    ]);
  });

  it('16 bit BI_BITFIELDS 5-6-5 after a BITMAPINFOHEADER', async () => {
    const masks: [number, number, number, number] = [0xf800, 0x07e0, 0x001f, 0];
    const px = await decode({
      width: 2,
      height: 1,
      bpp: 16,
      compression: 3,
      masks,
      rows: [[0x07e0, 0x0400]],
    });
    expect(px).toEqual([
      [0, 255, 0, 255],
      [0, 130, 0, 255],
    ]);
  });

  it('32 bit BI_ALPHABITFIELDS after a BITMAPINFOHEADER', async () => {
    const masks: [number, number, number, number] = [0x0000ff00, 0x00ff0000, 0xff000000, 0x000000ff];
    const px = await decode({ width: 1, height: 1, bpp: 32, compression: 6, masks, rows: [[0x33221180]] });
    expect(px).toEqual([[0x11, 0x22, 0x33, 0x80]]);
  });

  it.each([108, 124] as const)(
    'V%s header, 32 bit BI_BITFIELDS with an alpha mask, top-down',
    async (dibSize) => {
      const masks: [number, number, number, number] = [0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000];
      const px = await decode({
        width: 2,
        height: 2,
        bpp: 32,
        dibSize,
        compression: 3,
        masks,
        topDown: true,
        rows: [
          [0x80332211, 0xff000000],
          [0x00ffffff, 0x7f010203],
        ],
      });
      expect(px).toEqual([
        [0x11, 0x22, 0x33, 0x80],
        [0, 0, 0, 255],
        [255, 255, 255, 0],
        [3, 2, 1, 0x7f],
      ]);
    },
  );

  it('V4 header, 16 bit with a 1-bit alpha (A1R5G5B5)', async () => {
    const masks: [number, number, number, number] = [0x7c00, 0x03e0, 0x001f, 0x8000];
    const rows = [[0x8000 | 0x7c00, 0x001f]];
    const px = await decode({ width: 2, height: 1, bpp: 16, dibSize: 108, compression: 3, masks, rows });
    expect(px).toEqual([
      [255, 0, 0, 255],
      [0, 0, 255, 0],
    ]);
  });

  it('V5 header, 32 bit with 10-bit channels and a 2-bit alpha', async () => {
    const masks: [number, number, number, number] = [0x3ff00000, 0x000ffc00, 0x000003ff, 0xc0000000];
    const rows = [[((2 << 30) | (1023 << 20) | (512 << 10) | 1) >>> 0]];
    const px = await decode({ width: 1, height: 1, bpp: 32, dibSize: 124, compression: 3, masks, rows });
    // 512 of 1023 -> round(127.62) = 128; 1 of 1023 -> 0; alpha 2 of 3 -> 170.
    expect(px).toEqual([[255, 128, 0, 170]]);
  });

  it('V5 header, 24 bit, bottom-up', async () => {
    const px = await decode({
      width: 1,
      height: 2,
      bpp: 24,
      dibSize: 124,
      rows: [
        [9, 8, 7],
        [6, 5, 4],
      ],
    });
    expect(px).toEqual([
      [9, 8, 7, 255],
      [6, 5, 4, 255],
    ]);
  });

  it('OS/2 core header with a 3-byte palette', async () => {
    const px = await decode({
      width: 2,
      height: 1,
      bpp: 8,
      dibSize: 12,
      palette: [0xabcdef, 0x010203],
      rows: [[1, 0]],
    });
    expect(px).toEqual([
      [1, 2, 3, 255],
      [0xab, 0xcd, 0xef, 255],
    ]);
  });

  it('readImageHeader reads the size of a top-down BMP without decoding', async () => {
    const bmp = buildBmp({ width: 5, height: 3, bpp: 24, topDown: true, rows: [[], [], []] });
    expect(await readImageHeader(bmp.subarray(0, 54))).toEqual({ format: 'bmp', width: 5, height: 3 });
  });
});

describe('bad BMP files are refused with a clear message', () => {
  const base: BmpSpec = {
    width: 2,
    height: 2,
    bpp: 8,
    palette: [0, 0xffffff],
    rows: [
      [0, 1],
      [1, 0],
    ],
  };
  const patched = (spec: Partial<BmpSpec>, patch?: (v: DataView) => void): Uint8Array => {
    const bytes = buildBmp({ ...base, ...spec });
    patch?.(new DataView(bytes.buffer));
    return bytes;
  };

  it.each<[string, Uint8Array, RegExp]>([
    ['too short', new Uint8Array([0x42, 0x4d, 1, 2, 3]), /too short for a header/],
    ['unknown DIB size', patched({}, (v) => v.setUint32(14, 99, true)), /DIB header size 99/],
    ['DIB header cut', buildBmp(base).subarray(0, 30), /40-byte DIB header needs 54/],
    ['zero width', patched({}, (v) => v.setInt32(18, 0, true)), /width 0/],
    ['zero height', patched({}, (v) => v.setInt32(22, 0, true)), /height 0/],
    ['two planes', patched({ planes: 2 }), /planes is 2, expected 1/],
    ['7 bits per pixel', patched({}, (v) => v.setUint16(28, 7, true)), /7 bits per pixel/],
    ['palette too big', patched({ colorsUsed: 300 }), /palette of 300 colours/],
    ['palette cut', patched({}, (v) => v.setUint32(46, 200, true)), /ends inside the 200-colour palette/],
    ['data offset inside header', patched({}, (v) => v.setUint32(10, 20, true)), /offset 20 points inside/],
    ['bitfields on 24 bit', patched({ bpp: 24, compression: 3, rows: [[], []] }), /needs 16 or 32 bits/],
    [
      'overlapping masks',
      patched({ bpp: 16, compression: 3, masks: [0xf800, 0x0fe0, 0x001f, 0], rows: [[], []] }),
      /masks overlap/,
    ],
    [
      'scattered mask',
      patched({ bpp: 16, compression: 3, masks: [0xa000, 0x07e0, 0x001f, 0], rows: [[], []] }),
      /not one run of bits/,
    ],
    ['missing BM', patched({}, (v) => v.setUint16(0, 0x4d42, false)), /Unsupported format/],
  ])('%s', async (_name, bytes, message) => {
    const err = await failure(bytes);
    expect(err.message).toMatch(message);
    expect(err.code).toBe(message.source === 'Unsupported format' ? 'UNSUPPORTED_FORMAT' : 'CORRUPT_IMAGE');
  });

  it.each([
    [1, 'BI_RLE8', 8],
    [2, 'BI_RLE4', 4],
    [4, 'BI_JPEG', 24],
    [5, 'BI_PNG', 24],
  ])('compression %i (%s) is refused as unsupported', async (compression, name, bpp) => {
    const err = await failure(patched({ bpp: bpp as 4 | 8 | 24, compression, rows: [[], []] }));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.message).toContain(`Unsupported BMP compression ${name}`);
  });

  it('truncated pixel rows', async () => {
    const bytes = buildBmp({ width: 3, height: 2, bpp: 24, rows: [[], []] });
    const err = await failure(bytes.subarray(0, bytes.length - 5));
    expect(err.code).toBe('CORRUPT_IMAGE');
    expect(err.message).toBe(
      `Truncated BMP: 3x2 pixels need ${bytes.length} bytes, the file has ${bytes.length - 5}`,
    );
  });
});
