/**
 * `image2svg/node`: the Node face of the package. Decoding (bytes to an
 * engine Raster) and file/buffer helpers; the engine itself is the package's
 * main entry (`image2svg`), re-exported here for convenience.
 */
export { convertFile, convertBuffer, withImageDpi } from './convert-file.js';
export type { ConvertFileOptions, ConvertFileResult } from './convert-file.js';
export { decodeImage, readImageHeader, sniffFormat, DecodeError } from './decode/index.js';
export type {
  DecodeErrorCode,
  DecodeLimits,
  DecodedImage,
  ImageFormat,
  ImageHeader,
} from './decode/index.js';
export { readInput, readStream } from './read-input.js';
export * from '../engine/index.js';
