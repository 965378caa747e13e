/**
 * File and buffer helpers of the `image2svg/node` entry: bytes or a path in,
 * the SVG text (or another format) out, through the same decoder and engine
 * the CLI and the service use.
 */
import { readFile } from 'node:fs/promises';
import {
  convertSvg,
  FORMAT_INFO,
  vectorizeAsync,
  type OutputFormat,
  type VectorizeOptions,
  type VectorizeStats,
} from '../engine/index.js';
import { decodeImage } from './decode/decode-image.js';
import type { DecodeLimits, ImageFormat } from './decode/types.js';

export interface ConvertFileOptions extends VectorizeOptions {
  /** Output format: svg (default), pdf, eps or dxf. */
  format?: OutputFormat;
  /** Decoder limits (largest side, largest pixel count, downscale instead of refusing). */
  limits?: DecodeLimits;
  /** Stops the conversion; the promise rejects with an `AbortError`. */
  signal?: { readonly aborted: boolean };
  /** Called with the stage name and the overall progress 0-1. */
  onProgress?: (stage: string, progress: number) => void;
}

export interface ConvertFileResult {
  /** The document's text (SVG, PDF, EPS or DXF: all are written as ASCII text). */
  readonly data: string;
  readonly format: OutputFormat;
  /** Content type of `data`, e.g. application/pdf. */
  readonly mimeType: string;
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
 * The engine options for an image and an output format: `dpi` defaults to
 * the file's own resolution (else the engine's 96). PDF, EPS and DXF are
 * always physical (their size is pixels / dpi), so for them the SVG they are
 * written from is made in inches whatever `units` says (it only shapes an
 * SVG answer).
 */
export function withImageDpi(
  options: VectorizeOptions,
  density: number | undefined,
  format: OutputFormat = 'svg',
): VectorizeOptions {
  let out = options;
  if (options.dpi === undefined && density !== undefined) out = { ...out, dpi: density };
  if (format !== 'svg' && out.units !== 'in' && out.units !== 'mm') out = { ...out, units: 'in' };
  return out;
}

/** Converts encoded image bytes (PNG, JPEG, GIF, BMP, TIFF, WebP). */
export async function convertBuffer(
  bytes: Uint8Array,
  options: ConvertFileOptions = {},
): Promise<ConvertFileResult> {
  const { limits, signal, onProgress, format = 'svg', ...engine } = options;
  const decoded = await decodeImage(bytes, limits);
  const { svg, stats } = await vectorizeAsync(decoded.raster, withImageDpi(engine, decoded.density, format), {
    signal,
    onProgress,
  });
  return {
    data: convertSvg(svg, format),
    format,
    mimeType: FORMAT_INFO[format].mimeType,
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
