/**
 * One conversion: read the bytes, decode, vectorize. Runs in the main thread
 * for a single input and in the worker threads for a batch; the outcome is
 * plain data (no Error objects) so it crosses a thread boundary unchanged.
 */
import { decodeImage, DecodeError, type DecodeLimits, type ImageFormat } from '../node/decode/index.js';
import { readInput } from '../node/read-input.js';
import { withImageDpi } from '../node/convert-file.js';
import {
  convertSvg,
  DocumentError,
  EngineOptionError,
  type OutputFormat,
  vectorizeAsync,
  type VectorizeOptions,
  type VectorizeStats,
} from '../engine/index.js';

export interface ConvertRequest {
  /** A file path, or the bytes themselves (standard input). */
  readonly input: string | Uint8Array;
  readonly options: VectorizeOptions;
  /** Output format; default svg. */
  readonly format?: OutputFormat;
  readonly limits: DecodeLimits;
}

export type ConvertOutcome =
  | {
      readonly ok: true;
      /** The output document: the SVG, or its conversion to the requested format. */
      readonly svg: string;
      readonly stats: VectorizeStats;
      readonly format: ImageFormat;
      readonly originalWidth: number;
      readonly originalHeight: number;
      readonly resized: boolean;
      readonly bytesIn: number;
      /** Reading, decoding and vectorizing, in ms. */
      readonly totalMs: number;
    }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly bytesIn: number };

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

function failure(err: unknown, bytesIn: number): ConvertOutcome {
  if (err instanceof DecodeError) return { ok: false, code: err.code, message: err.message, bytesIn };
  if (err instanceof DocumentError)
    return {
      ok: false,
      code: 'CONVERSION_FAILED',
      message: `cannot write the format: ${err.message}`,
      bytesIn,
    };
  if (err instanceof EngineOptionError)
    return { ok: false, code: 'INVALID_OPTION', message: err.message, bytesIn };
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && code in READ_ERRORS) {
    return { ok: false, code: 'READ_ERROR', message: `cannot read: ${READ_ERRORS[code]}`, bytesIn };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, code: 'CONVERSION_FAILED', message: `conversion failed: ${message}`, bytesIn };
}

export async function convertOne(
  request: ConvertRequest,
  onProgress?: (stage: string, progress: number) => void,
): Promise<ConvertOutcome> {
  const t0 = performance.now();
  let bytesIn = 0;
  try {
    const bytes = typeof request.input === 'string' ? await readInput(request.input) : request.input;
    bytesIn = bytes.length;
    const decoded = await decodeImage(bytes, request.limits);
    const options = withImageDpi(request.options, decoded.density, request.format);
    const { svg, stats } = await vectorizeAsync(decoded.raster, options, { onProgress });
    return {
      ok: true,
      svg: convertSvg(svg, request.format ?? 'svg'),
      stats,
      format: decoded.format,
      originalWidth: decoded.originalWidth,
      originalHeight: decoded.originalHeight,
      resized: decoded.resized,
      bytesIn,
      totalMs: performance.now() - t0,
    };
  } catch (err) {
    return failure(err, bytesIn);
  }
}
