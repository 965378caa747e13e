/**
 * One conversion as every route does it: check the image from its header
 * (format allowed, not a pixel bomb, within MAX_IMAGE_DIMENSION unless
 * resize), look the result up in the cache, else run it on a worker thread
 * and store it. Identical conversions running at the same time share one run.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  ENGINE_VERSION,
  EngineOptionError,
  resolveOptions,
  type ResolvedOptions,
  type VectorizeOptions,
} from '../engine/index.js';
import { DecodeError, readImageHeader, sniffFormat, type ImageHeader } from '../node/decode/index.js';
import type { ResultCache } from './cache/types.js';
import type { Config } from './config.js';
import type { ConversionRequest } from './convert-params.js';
import { ApiError, type ErrorCode } from './errors.js';
import type { JobStats } from './jobs/types.js';
import type { Metrics } from './metrics.js';
import type { RunHooks, WorkerPool } from './pool/worker-pool.js';

export interface ConversionResult {
  svg: string;
  stats: JobStats;
  cached: boolean;
  /** Milliseconds the worker spent decoding and vectorizing; null for a cache hit or a joined run. */
  engineMs: number | null;
}

type Limits = Pick<
  Config,
  'allowedFormats' | 'maxImageDimension' | 'maxImagePixels' | 'timeoutSeconds' | 'cache'
> &
  Partial<Pick<Config, 'pixelBudget'>>;

export interface ConverterDeps {
  pool: WorkerPool;
  cache: ResultCache | null;
  config: Limits;
  metrics: Metrics;
}

const DECODE_CODES: Readonly<Record<string, ErrorCode>> = {
  UNSUPPORTED_FORMAT: 'UNSUPPORTED_FORMAT',
  CORRUPT_IMAGE: 'CORRUPT_IMAGE',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  EMPTY_INPUT: 'EMPTY_FILE',
};

/** Cache value: one header line of stats, then the SVG (cheaper to split than JSON to parse on a hit). */
function encodeEntry(svg: string, s: JobStats): string {
  return `${s.paths} ${s.nodes} ${s.bytes} ${s.preset ?? '-'} ${s.shapes ?? 0} ${s.softLayers ?? 0}\n${svg}`;
}

function decodeEntry(entry: string): { svg: string; stats: JobStats } {
  const nl = entry.indexOf('\n');
  const [paths, nodes, bytes, preset, shapes, softLayers] = entry.slice(0, nl).split(' ');
  return {
    svg: entry.slice(nl + 1),
    stats: {
      paths: +paths,
      nodes: +nodes,
      bytes: +bytes,
      preset: preset === '-' ? null : preset,
      shapes: +(shapes ?? 0),
      softLayers: +(softLayers ?? 0),
    },
  };
}

/** Stats with the request's output format, when it is not SVG. */
function withFormat(stats: JobStats, req: ConversionRequest): JobStats {
  return req.format === undefined || req.format === 'svg' ? stats : { ...stats, format: req.format };
}

/**
 * Format and size of a PNG from its first chunk, which the format requires to
 * be IHDR; null for anything else (the decoder reads the header then).
 */
export function pngHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 24 || sniffFormat(bytes) !== 'png') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  if (view.getUint32(8) !== 13 || view.getUint32(12) !== 0x49484452) return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { format: 'png', width, height } : null;
}

/** Hash slice size: ~8 ms of sha256 each, so hashing a 100 MB upload never holds the event loop for long. */
const HASH_SLICE = 4 * 1024 * 1024;

/** Feeds a large upload to the hash a slice per event-loop turn (a small one, the common case, never gets here). */
async function updateInSlices(hash: Hash, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; at += HASH_SLICE) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    hash.update(bytes.subarray(at, at + HASH_SLICE));
  }
}

/**
 * The options as the engine will run them (presets and defaults applied), in a fixed key order: what decides
 * the SVG. A named preset only names the defaults it brings, so it is left out, except `auto`, which the
 * engine resolves from the image. An option the resolver does not return is kept as given.
 */
export function resolvedKeyOptions(options: VectorizeOptions): Record<string, unknown> {
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(options);
  } catch (e) {
    if (e instanceof EngineOptionError) throw new ApiError('INVALID_OPTION', e.message);
    throw e;
  }
  const all: Record<string, unknown> = { ...options, ...resolved };
  all.preset = resolved.preset === 'auto' ? 'auto' : null;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(all).sort()) {
    const v = all[k];
    out[k] = ArrayBuffer.isView(v) ? Array.from(v as Uint32Array) : v;
  }
  return out;
}

/**
 * The preset the stats of a shared result name for this request: the requested one (a cached or joined
 * result may come from a request that named no preset, or another preset with the same settings); for
 * `auto`, the one the engine picked.
 */
function withRequestedPreset(result: ConversionResult, req: ConversionRequest): ConversionResult {
  const preset = req.options.preset;
  if (preset === 'auto' || (result.stats.preset ?? null) === (preset ?? null)) return result;
  return { ...result, stats: { ...result.stats, preset: preset ?? null } };
}

export class Converter {
  readonly #deps: ConverterDeps;
  readonly #inflight = new Map<string, Promise<ConversionResult>>();

  constructor(deps: ConverterDeps) {
    this.#deps = deps;
  }

  /**
   * sha256 of the bytes, the resolved options (resolvedKeyOptions) and the engine version (one hash over
   * all three): options spelled at their defaults share one entry, and a new engine never serves old output.
   */
  async cacheKey(bytes: Uint8Array, req: ConversionRequest): Promise<string> {
    const options = resolvedKeyOptions(req.options);
    const { maxImageDimension, maxImagePixels } = this.#deps.config;
    const fields: unknown[] = [options, req.resize, req.enhance, maxImageDimension, maxImagePixels];
    // The format only when not SVG, so SVG keys (and their cached entries) stay as they were.
    const format = req.format ?? 'svg';
    if (format !== 'svg') fields.push(format);
    // A physical size without a dpi takes the image's own resolution, which the resolved options (dpi 96)
    // do not show: such a request must not share a key with one that asks for 96 explicitly.
    if (req.options.dpi === undefined && (format !== 'svg' || options.units !== 'px'))
      fields.push('dpi:image');
    const params = JSON.stringify(fields);
    // One line each (JSON has no raw newline), then the byte count: no two inputs hash the same text.
    const hash = createHash('sha256').update(`${params}\n${ENGINE_VERSION}\n${bytes.length}\n`);
    if (bytes.length > HASH_SLICE) await updateInSlices(hash, bytes);
    else hash.update(bytes);
    return `svg:${hash.digest('hex')}`;
  }

  /**
   * Refuses what can be refused before a worker is involved: an empty file,
   * bytes that are no image (named), a format not allowed, and from the size
   * in the header a pixel bomb or an image over MAX_IMAGE_DIMENSION without
   * resize. Returns the header: its pixel count is what the conversion
   * costs against PIXEL_BUDGET. The decoder reads the header, which also
   * finds a truncated or damaged file; with `quick` (the synchronous path,
   * where the worker finds those anyway), a PNG's size is read from its IHDR
   * here instead, which keeps a thread hop off the path.
   */
  async precheck(bytes: Uint8Array, resize: boolean, quick = false): Promise<ImageHeader> {
    if (bytes.length === 0) throw new ApiError('EMPTY_FILE');
    const found = (quick ? pngHeader(bytes) : null) ?? (await this.#readHeader(bytes));
    const { format } = found;
    const { allowedFormats, maxImageDimension, maxImagePixels } = this.#deps.config;
    if (!allowedFormats.has(format)) {
      throw new ApiError(
        'UNSUPPORTED_FORMAT',
        `The file is a ${format.toUpperCase()} image; this server accepts ${[...allowedFormats].join(', ')} (ALLOWED_EXTENSIONS)`,
      );
    }
    const { width, height } = found;
    const { pixelBudget = Infinity } = this.#deps.config;
    if (width * height > maxImagePixels) {
      throw new ApiError(
        'IMAGE_TOO_LARGE',
        `The image declares ${width}x${height} = ${width * height} pixels; the limit is ${maxImagePixels} (MAX_IMAGE_PIXELS)`,
      );
    }
    if (!resize && Math.max(width, height) > maxImageDimension) {
      throw new ApiError(
        'IMAGE_TOO_LARGE',
        `The image is ${width}x${height}; the largest side accepted is ${maxImageDimension} px (MAX_IMAGE_DIMENSION). Send resize=true to downscale it`,
      );
    }
    if (width * height > pixelBudget) {
      // It could never start: refused now rather than left to wait (or, in the background, fail later).
      throw new ApiError(
        'IMAGE_TOO_LARGE',
        `The image is ${width}x${height} = ${width * height} pixels; this server decodes at most ${pixelBudget} at once (PIXEL_BUDGET)`,
      );
    }
    return found;
  }

  async #readHeader(bytes: Uint8Array): Promise<ImageHeader> {
    try {
      return await readImageHeader(bytes);
    } catch (e) {
      if (e instanceof DecodeError) throw new ApiError(DECODE_CODES[e.code] ?? 'CORRUPT_IMAGE', e.message);
      throw e;
    }
  }

  async #cached(key: string, req: ConversionRequest): Promise<ConversionResult | null> {
    const { cache, metrics } = this.#deps;
    if (!cache || !req.useCache) return null;
    const entry = await cache.get(key);
    if (entry === undefined) return null;
    metrics.cacheHits.inc();
    metrics.vectorizations.inc({ cached: 'true' });
    const { svg, stats } = decodeEntry(entry);
    return { svg, stats: withFormat(stats, req), cached: true, engineMs: null };
  }

  /**
   * Converts `bytes`. With `hooks.onChunk` (streaming) or `hooks.signal`
   * (cancellable background job) the run is the caller's own; otherwise an
   * identical run in flight is joined.
   */
  async convert(bytes: Uint8Array, req: ConversionRequest, hooks: RunHooks = {}): Promise<ConversionResult> {
    const key = await this.cacheKey(bytes, req);
    const hit = await this.#cached(key, req);
    if (hit) return withRequestedPreset(hit, req);
    const { width, height } = await this.precheck(bytes, req.resize, true);
    hooks = { ...hooks, pixels: width * height };
    const shareable = !hooks.onChunk && !hooks.signal;
    if (shareable) {
      const running = this.#inflight.get(key);
      if (running) return withRequestedPreset({ ...(await running), engineMs: null }, req);
    }
    const run = this.#run(key, bytes, req, hooks);
    if (!shareable) return run;
    this.#inflight.set(key, run);
    try {
      return await run;
    } finally {
      this.#inflight.delete(key);
    }
  }

  async #run(
    key: string,
    bytes: Uint8Array,
    req: ConversionRequest,
    hooks: RunHooks,
  ): Promise<ConversionResult> {
    const { pool, cache, metrics, config } = this.#deps;
    let started = 0;
    const output = await pool.run(
      {
        bytes,
        options: req.options,
        limits: { maxSide: config.maxImageDimension, maxPixels: config.maxImagePixels, resize: req.resize },
        enhance: req.enhance,
        format: req.format,
        stream: hooks.onChunk !== undefined,
        progress: hooks.onProgress !== undefined,
      },
      {
        ...hooks,
        onStart: () => {
          started = performance.now();
          hooks.onStart?.();
        },
      },
    );
    metrics.processingSeconds.observe((performance.now() - started) / 1000);
    metrics.vectorizations.inc({ cached: 'false' });
    const { paths, nodes, bytes: size, preset, shapes, softLayers } = output.stats;
    const stats: JobStats = withFormat({ paths, nodes, bytes: size, preset, shapes, softLayers }, req);
    if (cache && req.useCache) await cache.set(key, encodeEntry(output.svg, stats), config.cache.ttlSeconds);
    return { svg: output.svg, stats, cached: false, engineMs: output.engineMs };
  }
}
