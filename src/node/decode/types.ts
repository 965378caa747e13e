/**
 * The decoder's data types, in a module of their own: the modules of this
 * folder import them from here, and `index.ts` only re-exports, so nothing
 * in src/node imports its own entry point back (no import cycles).
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
  /**
   * Resolution the file declares, in pixels per inch (PNG pHYs, JPEG JFIF or
   * EXIF, TIFF, WebP EXIF, BMP pixels per metre); absent when it declares none.
   */
  density?: number;
}

export interface DecodedImage {
  raster: Raster;
  format: ImageFormat;
  /** Size in the file, before any downscale. */
  originalWidth: number;
  originalHeight: number;
  /** True when `resize` shrank the image. */
  resized: boolean;
  /**
   * Pixels per inch of the decoded raster, from the file's resolution
   * metadata (scaled down with the image when `resize` shrank it); absent
   * when the file declares none.
   */
  density?: number;
}
