/**
 * Decoding adapter (Node): bytes in, engine `Raster` out. The format is
 * decided by magic bytes; limits are checked from the header before any
 * pixel is decoded. The entry point of this folder: it only re-exports (the
 * types live in types.ts, so no module here imports this one back).
 */
export type { ImageFormat, DecodeLimits, ImageHeader, DecodedImage } from './types.js';
export { DecodeError, type DecodeErrorCode } from './decode-error.js';
export { sniffFormat, readImageHeader, decodeImage } from './decode-image.js';
