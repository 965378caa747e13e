/**
 * File and buffer helpers of the `image2svg/node` entry: bytes or a path in,
 * the SVG text (or another format) out, through the same decoder and engine
 * the CLI and the service use.
 */
import { readFile } from 'node:fs/promises';
import { vectorizeAsync, type VectorizeOptions, type VectorizeStats } from '../engine/index.js';
import { decodeImage } from './decode/decode-image.js';
import type { DecodeLimits, ImageFormat } from './decode/types.js';

export interface ConvertFileOptions extends VectorizeOptions {
  /** Decoder limits (largest side, largest pixel count, downscale instead of refusing). */
  limits?: DecodeLimits;
  /** Stops the conversion; the promise rejects with an `AbortError`. */
  signal?: { readonly aborted: boolean };
  /** Called with the stage name and the overall progress 0-1. */
  onProgress?: (stage: string, progress: number) => void;
}

export interface ConvertFileResult {
  /** The document's text (SVG). */
  readonly data: string;
  /** The engine's figures (size, paths, nodes, bytes, timings). */
  readonly stats: VectorizeStats;
  /** What was decoded. */
  readonly image: {
    readonly format: ImageFormat;
    readonly width: number;
    readonly height: number;
    readonly resized: boolean;
    /** Pixels per inch from the file's metadata, when it has any. */
    readonly density?: number;
  };
}

/**
 * The engine options with a `dpi` default from the image: with physical
 * units and no `dpi` given, the file's own resolution (else the engine's 96).
 */
export function withImageDpi(options: VectorizeOptions, density: number | undefined): VectorizeOptions {
  if (options.dpi !== undefined || density === undefined) return options;
  return { ...options, dpi: density };
}

/** Converts encoded image bytes (PNG, JPEG, GIF, BMP, TIFF, WebP). */
export async function convertBuffer(
  bytes: Uint8Array,
  options: ConvertFileOptions = {},
): Promise<ConvertFileResult> {
  const { limits, signal, onProgress, ...engine } = options;
  const decoded = await decodeImage(bytes, limits);
  const { svg, stats } = await vectorizeAsync(decoded.raster, withImageDpi(engine, decoded.density), {
    signal,
    onProgress,
  });
  return {
    data: svg,
    stats,
    image: {
      format: decoded.format,
      width: decoded.raster.width,
      height: decoded.raster.height,
      resized: decoded.resized,
      ...(decoded.density === undefined ? {} : { density: decoded.density }),
    },
  };
}

/** Converts an image file, given its path (or its bytes). */
export async function convertFile(
  input: string | URL | Uint8Array,
  options: ConvertFileOptions = {},
): Promise<ConvertFileResult> {
  const bytes = input instanceof Uint8Array ? input : await readFile(input);
  return convertBuffer(bytes, options);
}
