/**
 * Bytes to an engine Raster. The format comes from the magic bytes; the size
 * from the header (sharp's metadata, which reads no pixels, or our BMP
 * parser); the limits are checked before decoding. PNG, JPEG, GIF (first
 * frame), TIFF (first page) and WebP are decoded by sharp (libvips), BMP by
 * our decoder. A GIF is its first frame at the frame's own size (gif-frame.ts),
 * not its logical screen. Every failure is a DecodeError with a stable code.
 */
import sharp, { type Metadata } from 'sharp';
import type { Raster } from '../../engine/types.js';
import { DecodeError } from './decode-error.js';
import { parseBmpHeader } from './bmp-header.js';
import { decodeBmp } from './bmp-decoder.js';
import { gifFrameCrop, type FrameRect } from './gif-frame.js';
import { decodePngFast } from './png-fast.js';
import { checkLimits, resolveLimits } from './limits.js';
import { describeBytes, sniffFormat } from './sniff-format.js';
import { bmpDensity, plausibleDensity, pngDensity } from './density.js';
import type { DecodedImage, DecodeLimits, ImageFormat, ImageHeader } from './types.js';

export { sniffFormat };

const FORMAT_NAMES: Readonly<Record<ImageFormat, string>> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  bmp: 'BMP',
  tiff: 'TIFF',
  webp: 'WebP',
};

function formatOf(bytes: Uint8Array): ImageFormat {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decode: expected the image bytes as a Uint8Array');
  if (bytes.length === 0) throw new DecodeError('EMPTY_INPUT', 'The input is empty (0 bytes)');
  const format = sniffFormat(bytes);
  if (format === null) {
    throw new DecodeError(
      'UNSUPPORTED_FORMAT',
      `Unsupported format: ${describeBytes(bytes)}. Supported: PNG, JPEG, GIF, BMP, TIFF, WebP`,
    );
  }
  return format;
}

/**
 * libvips reports "Input buffer has corrupt header: VipsJpeg: premature end
 * ...", often with repeated lines; keep the distinct details without the
 * loader prefixes.
 */
function decoderDetail(message: string): string {
  const parts = new Set<string>();
  for (const line of message.split('\n')) {
    const clean = line
      .replace(/^Input buffer has corrupt header:?\s*/i, '')
      .replace(/^[A-Za-z_]*(vips|load)[A-Za-z_]*:\s*/i, '')
      .replace(/^Input buffer contains unsupported image format$/i, 'its structure cannot be read')
      .replace(/:\s*$/, '')
      .trim();
    if (clean) parts.add(clean);
  }
  return parts.size ? [...parts].join('; ') : 'the data cannot be read';
}

function corrupt(format: ImageFormat, err: unknown): DecodeError {
  if (err instanceof DecodeError) return err;
  const detail = decoderDetail(err instanceof Error ? err.message : String(err));
  return new DecodeError('CORRUPT_IMAGE', `Corrupt or truncated ${FORMAT_NAMES[format]} file: ${detail}`);
}

/**
 * A sharp instance over the first frame/page. `failOn: 'warning'` turns
 * libvips' recoverable warnings (a truncated scan, a bad CRC) into errors, so
 * a damaged file is reported rather than half-decoded; `autoOrient` applies
 * the EXIF orientation, so the SVG looks as the photo is displayed.
 */
function open(bytes: Uint8Array, limitInputPixels: number | false) {
  return sharp(bytes, { limitInputPixels, pages: 1, failOn: 'warning', autoOrient: true });
}

/** Reads format and size from the header without decoding any pixel. A GIF's size is its first frame's. */
export async function readImageHeader(bytes: Uint8Array): Promise<ImageHeader> {
  return (await readLayout(bytes)).header;
}

/** The header, and for a GIF whose frame is smaller than its screen, the frame's rectangle on the canvas. */
async function readLayout(bytes: Uint8Array): Promise<{ header: ImageHeader; crop: FrameRect | null }> {
  const format = formatOf(bytes);
  if (format === 'bmp') {
    const h = parseBmpHeader(bytes);
    return {
      header: withDensity({ format, width: h.width, height: h.height }, bmpDensity(bytes)),
      crop: null,
    };
  }
  let meta: Metadata;
  try {
    // No pixel limit here: the caller compares the size with its own limits.
    meta = await open(bytes, false).metadata();
  } catch (err) {
    throw corrupt(format, err);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) {
    throw new DecodeError(
      'CORRUPT_IMAGE',
      `Corrupt ${FORMAT_NAMES[format]} file: no image size in the header`,
    );
  }
  const density = plausibleDensity(meta.density);
  const crop = format === 'gif' ? gifFrameCrop(bytes, width, height) : null;
  if (crop) return { header: withDensity({ format, width: crop.width, height: crop.height }, density), crop };
  return { header: withDensity({ format, width, height }, density), crop: null };
}

function withDensity(header: ImageHeader, density: number | undefined): ImageHeader {
  return density === undefined ? header : { ...header, density };
}

/** The density of the decoded raster: a downscale makes each pixel cover more of the page. */
function scaledDensity(
  density: number | undefined,
  originalWidth: number,
  width: number,
): number | undefined {
  if (density === undefined) return undefined;
  return originalWidth === width ? density : plausibleDensity((density * width) / originalWidth);
}

function toRaster(data: Buffer, width: number, height: number): Raster {
  return { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}

async function decodeWithSharp(
  bytes: Uint8Array,
  maxPixels: number,
  target: { width: number; height: number } | null,
  crop: FrameRect | null,
): Promise<Raster> {
  let pipeline = open(bytes, maxPixels);
  // Cut before resizing, so `target` (computed from the frame's size) applies to the frame.
  if (crop) pipeline = pipeline.extract(crop);
  if (target) pipeline = pipeline.resize({ width: target.width, height: target.height, fit: 'inside' });
  // Grey, CMYK, 16-bit and palette images all come out as 8-bit sRGB plus alpha.
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4 || data.length !== info.width * info.height * 4) {
    throw new DecodeError('CORRUPT_IMAGE', `Decoder returned ${info.channels} channels, expected RGBA`);
  }
  return toRaster(data, info.width, info.height);
}

async function resizeRaster(raster: Raster, target: { width: number; height: number }): Promise<Raster> {
  const { data, info } = await sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: 4 },
    limitInputPixels: false,
  })
    .resize({ width: target.width, height: target.height, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRaster(data, info.width, info.height);
}

/**
 * Decodes an image to RGBA. Throws DecodeError: EMPTY_INPUT, UNSUPPORTED_FORMAT
 * (naming what the bytes look like), IMAGE_TOO_LARGE (from the header, before
 * decoding) or CORRUPT_IMAGE. Over `maxSide` with `resize`, the image is
 * downscaled to fit (aspect ratio kept) instead of refused.
 */
export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits = {}): Promise<DecodedImage> {
  const resolved = resolveLimits(limits);
  // A small, plain PNG within the limits decodes here, in this thread; every
  // other file, and every failure, takes the general path below.
  const png = formatOf(bytes) === 'png' ? decodePngFast(bytes, resolved) : null;
  if (png) {
    const density = pngDensity(bytes);
    return {
      raster: png,
      format: 'png',
      originalWidth: png.width,
      originalHeight: png.height,
      resized: false,
      ...(density === undefined ? {} : { density }),
    };
  }
  const { header, crop } = await readLayout(bytes);
  const target = checkLimits(header, resolved);
  let raster: Raster;
  try {
    if (header.format === 'bmp') {
      raster = decodeBmp(bytes, parseBmpHeader(bytes));
      if (target) raster = await resizeRaster(raster, target);
    } else {
      raster = await decodeWithSharp(bytes, resolved.maxPixels, target, crop);
    }
  } catch (err) {
    throw corrupt(header.format, err);
  }
  const density = scaledDensity(header.density, header.width, raster.width);
  return {
    raster,
    format: header.format,
    originalWidth: header.width,
    originalHeight: header.height,
    resized: target !== null,
    ...(density === undefined ? {} : { density }),
  };
}
