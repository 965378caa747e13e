/**
 * Decoding adapter (Node): bytes in, engine `Raster` out. The format is
 * decided by magic bytes; limits are checked from the header before any
 * pixel is decoded. CONTRACT used by the CLI and the service; implemented in
 * this folder.
 */
import type { Raster } from '../../engine/types.js';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'tiff' | 'webp';

export interface DecodeLimits {
  /** Largest number of pixels (width x height) accepted. Default 268 402 689 (16383^2). */
  maxPixels?: number;
  /** Largest width or height accepted. Default 16384. */
  maxSide?: number;
  /** When the image is over `maxSide`, downscale it to fit instead of refusing. Default false. */
  resize?: boolean;
}

/** What the header says, read without decoding a pixel. */
export interface ImageHeader {
  format: ImageFormat;
  /** Size as displayed (after the EXIF orientation of JPEG, TIFF and WebP is applied). */
  width: number;
  height: number;
}

export interface DecodedImage {
  raster: Raster;
  format: ImageFormat;
  /** Size in the file, before any downscale. */
  originalWidth: number;
  originalHeight: number;
  /** True when `resize` shrank the image. */
  resized: boolean;
}

export { DecodeError, type DecodeErrorCode } from './decode-error.js';
export { sniffFormat, readImageHeader, decodeImage } from './decode-image.js';
