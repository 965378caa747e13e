/**
 * BMP header parser. Reads the file header and the DIB header (OS/2
 * BITMAPCOREHEADER, BITMAPINFOHEADER and its V2/V3 extensions, OS/2 2.x, V4,
 * V5), validates every field the decoder relies on, and says in the message
 * which field is wrong and what was expected. Layout: Microsoft, "Bitmap
 * Storage" (Win32 GDI documentation), BITMAPINFOHEADER / BITMAPV5HEADER.
 */
import { DecodeError } from './decode-error.js';

export interface BmpChannelMask {
  /** The mask as read; 0 for an absent channel. */
  readonly mask: number;
  /** Right shift that brings the lowest bit of the mask to bit 0. */
  readonly shift: number;
  /** Largest value after masking and shifting (e.g. 31 for 5 bits). */
  readonly max: number;
}

export interface BmpHeader {
  readonly width: number;
  readonly height: number;
  /** True when rows are stored top row first (negative height in the file). */
  readonly topDown: boolean;
  readonly bitsPerPixel: 1 | 4 | 8 | 16 | 24 | 32;
  /** Offset of the first pixel row in the file. */
  readonly dataOffset: number;
  /** Bytes per stored row, padded to 4 bytes. */
  readonly stride: number;
  /** Palette as packed 0xRRGGBB, for 1, 4 and 8 bit images; empty otherwise. */
  readonly palette: Uint32Array;
  /** Channel masks for 16 and 32 bit images (red, green, blue, alpha). */
  readonly masks: readonly [BmpChannelMask, BmpChannelMask, BmpChannelMask, BmpChannelMask] | null;
  /**
   * 32-bit BI_RGB: the fourth byte is "reserved", yet many writers store
   * alpha there. The decoder uses it as alpha only when some pixel has it
   * non-zero (the heuristic browsers apply).
   */
  readonly guessAlpha: boolean;
}

const FILE_HEADER = 14;
const COMPRESSION_NAMES = [
  'BI_RGB',
  'BI_RLE8',
  'BI_RLE4',
  'BI_BITFIELDS',
  'BI_JPEG',
  'BI_PNG',
  'BI_ALPHABITFIELDS',
];
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

function bad(message: string): never {
  throw new DecodeError('CORRUPT_IMAGE', `Bad BMP header: ${message}`);
}

function channelMask(mask: number): BmpChannelMask {
  if (mask === 0) return { mask: 0, shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  // A mask must be one run of bits: a gap would mean a channel is scattered.
  if ((max & (max + 1)) !== 0) bad(`channel mask 0x${mask.toString(16)} is not one run of bits`);
  return { mask, shift, max };
}

/** Default 16-bit layout for BI_RGB is 5-5-5 (X1R5G5B5); 32-bit is X8R8G8B8. */
function defaultMasks(bpp: number): [number, number, number, number] {
  return bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
}

/**
 * Parses and validates the header of a BMP file. Throws DecodeError
 * (CORRUPT_IMAGE) for a bad or truncated header and for compressions this
 * decoder does not read (RLE, embedded JPEG/PNG).
 */
export function parseBmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.length < FILE_HEADER + 4) bad(`file is ${bytes.length} bytes, too short for a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0, true) !== 0x4d42) bad('missing the "BM" signature');
  const dataOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (!DIB_SIZES.has(dibSize)) {
    bad(`DIB header size ${dibSize} is not one of ${[...DIB_SIZES].join(', ')}`);
  }
  if (bytes.length < FILE_HEADER + dibSize) {
    bad(`file is ${bytes.length} bytes, the ${dibSize}-byte DIB header needs ${FILE_HEADER + dibSize}`);
  }

  const core = dibSize === 12;
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getUint16(20, true) : view.getInt32(22, true);
  const planes = view.getUint16(core ? 22 : 26, true);
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : view.getUint32(30, true);
  const colorsUsed = core ? 0 : view.getUint32(46, true);

  if (width < 1) bad(`width ${width} must be at least 1`);
  if (rawHeight === 0 || rawHeight === -0x80000000) bad(`height ${rawHeight} is not a valid row count`);
  if (planes !== 1) bad(`planes is ${planes}, expected 1`);
  if (bpp !== 1 && bpp !== 4 && bpp !== 8 && bpp !== 16 && bpp !== 24 && bpp !== 32) {
    bad(`${bpp} bits per pixel; expected 1, 4, 8, 16, 24 or 32`);
  }
  const name = COMPRESSION_NAMES[compression] ?? `unknown (${compression})`;
  const bitfields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (compression === 1 || compression === 2) {
    throw new DecodeError(
      'CORRUPT_IMAGE',
      `Unsupported BMP compression ${name}: only uncompressed BMP (BI_RGB, BI_BITFIELDS) is read; re-save the image as uncompressed BMP or PNG`,
    );
  }
  if (dibSize === 64 && compression !== BI_RGB) {
    bad(`OS/2 2.x BMP with compression ${compression} is not supported; only uncompressed`);
  }
  if (compression !== BI_RGB && !bitfields) {
    throw new DecodeError(
      'CORRUPT_IMAGE',
      `Unsupported BMP compression ${name}: only uncompressed BMP (BI_RGB, BI_BITFIELDS) is read`,
    );
  }
  if (bitfields && bpp !== 16 && bpp !== 32) bad(`${name} needs 16 or 32 bits per pixel, got ${bpp}`);

  let cursor = FILE_HEADER + dibSize;
  let masks: BmpHeader['masks'] = null;
  if (bpp === 16 || bpp === 32) {
    let m = defaultMasks(bpp);
    if (bitfields) {
      if (dibSize >= 52) {
        // V2 and later carry the masks inside the header (alpha from V3 on).
        m = [
          view.getUint32(54, true),
          view.getUint32(58, true),
          view.getUint32(62, true),
          dibSize >= 56 ? view.getUint32(66, true) : 0,
        ];
      } else {
        // BITMAPINFOHEADER: the masks follow the header.
        const count = compression === BI_ALPHABITFIELDS ? 4 : 3;
        if (bytes.length < cursor + count * 4) bad('file ends inside the channel masks');
        m = [
          view.getUint32(cursor, true),
          view.getUint32(cursor + 4, true),
          view.getUint32(cursor + 8, true),
          count === 4 ? view.getUint32(cursor + 12, true) : 0,
        ];
        cursor += count * 4;
      }
      if (m[0] === 0 || m[1] === 0 || m[2] === 0) bad('a red, green or blue channel mask is zero');
      const limit = bpp === 16 ? 0xffff : 0xffffffff;
      for (const x of m) if (x > limit) bad(`channel mask 0x${x.toString(16)} is wider than ${bpp} bits`);
      if ((m[0] & m[1]) | (m[0] & m[2]) | (m[1] & m[2]) | ((m[0] | m[1] | m[2]) & m[3])) {
        bad('channel masks overlap');
      }
    }
    masks = [channelMask(m[0]), channelMask(m[1]), channelMask(m[2]), channelMask(m[3])];
  }

  let palette = new Uint32Array(0);
  if (bpp <= 8) {
    const max = 1 << bpp;
    if (colorsUsed > max) bad(`palette of ${colorsUsed} colours for ${bpp} bits per pixel (at most ${max})`);
    const entry = core ? 3 : 4;
    // With no count in the header the palette is "full", but writers often
    // store fewer entries: it then ends where the pixel data starts.
    const count = colorsUsed || Math.min(max, Math.floor(Math.max(0, dataOffset - cursor) / entry));
    if (count === 0) bad(`no palette for a ${bpp}-bit image`);
    if (bytes.length < cursor + count * entry) bad(`file ends inside the ${count}-colour palette`);
    palette = new Uint32Array(count);
    for (let i = 0, p = cursor; i < count; i++, p += entry) {
      palette[i] = (bytes[p + 2] << 16) | (bytes[p + 1] << 8) | bytes[p];
    }
    cursor += count * entry;
  }

  if (dataOffset < cursor)
    bad(`pixel data offset ${dataOffset} points inside the header (ends at ${cursor})`);
  const height = Math.abs(rawHeight);
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  return {
    width,
    height,
    topDown: rawHeight < 0,
    bitsPerPixel: bpp,
    dataOffset,
    stride,
    palette,
    masks,
    guessAlpha: bpp === 32 && compression === BI_RGB,
  };
}
