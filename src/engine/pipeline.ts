/**
 * The stepped pipeline: one generator that validates, picks the tracer for the
 * mode, and turns the tracer's events into progress events and SVG chunks.
 * `vectorize` (synchronous) and `vectorizeAsync` (progress, AbortSignal,
 * early chunks) both drive this one generator, so there is no second copy of
 * the pipeline.
 */
import { resolveOptions, type ResolvedOptions, type VectorizeOptions } from './options.js';
import { svgHeader, svgPath, SVG_FOOTER } from './svg-document.js';
import { traceBinary } from './binary/trace-binary.js';
import { traceColor } from './color/trace-color.js';
import { traceCenterline } from './centerline/trace-centerline.js';
import { choosePreset } from './color/auto-preset.js';
import { pixelGridFor, tracePixelArt } from './pixelart/trace-pixelart.js';
import type { PipelineEvent, Raster, TraceEvent, VectorizeResult } from './types.js';

export class EngineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineInputError';
  }
}

export class EngineAbortError extends Error {
  constructor() {
    super('The conversion was aborted');
    this.name = 'AbortError';
  }
}

type Tracer = (raster: Raster, options: ResolvedOptions) => Generator<TraceEvent, void, undefined>;

const TRACERS: Readonly<Record<ResolvedOptions['mode'], Tracer>> = {
  binary: traceBinary,
  grayscale: traceColor,
  color: traceColor,
  centerline: traceCenterline,
};

/**
 * The tracer for the options and image: the mode's, or in colour mode (no
 * fixed palette) the pixel-art tracer when the image is an exact
 * nearest-neighbour upscale or pixel art is forced.
 */
function tracerFor(raster: Raster, options: ResolvedOptions): Generator<TraceEvent, void, undefined> {
  if (options.mode === 'color' && options.pixelArt !== 'off' && options.palette === null) {
    const found = pixelGridFor(raster, options.pixelArt !== 'auto');
    if (found)
      return tracePixelArt(raster, options, found, options.pixelArt === 'smooth' ? 'smooth' : 'blocks');
  }
  return TRACERS[options.mode](raster, options);
}

export function validateRaster(raster: Raster): void {
  if (raster === null || typeof raster !== 'object') throw new EngineInputError('raster must be an object');
  const { width, height } = raster;
  const data: unknown = raster.data;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new EngineInputError(`raster size must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8ClampedArray) && !(data instanceof Uint8Array)) {
    throw new EngineInputError('raster.data must be a Uint8ClampedArray of RGBA bytes');
  }
  if ((data as Uint8Array).length !== width * height * 4) {
    throw new EngineInputError(
      `raster.data length: expecting ${width * height * 4}. Got ${(data as Uint8Array).length}`,
    );
  }
}

const encoder = new TextEncoder();

/**
 * The pipeline as a generator. Yields progress events and SVG chunks (the
 * chunks in order are the whole document) and returns the result.
 */
export function* vectorizeSteps(
  raster: Raster,
  options: VectorizeOptions = {},
): Generator<PipelineEvent, VectorizeResult, undefined> {
  const t0 = performance.now();
  validateRaster(raster);
  let resolved = resolveOptions(options);
  let presetUsed: string | null = resolved.preset;
  if (resolved.preset === 'auto') {
    const picked = choosePreset(raster);
    presetUsed = picked;
    resolved = { ...resolveOptions({ ...options, preset: picked }), preset: 'auto' };
  }
  const timings: Record<string, number> = {};
  const header = svgHeader(raster.width, raster.height, resolved.units, resolved.dpi);
  const parts: string[] = [header];
  yield { type: 'chunk', text: header };

  let layers = 0;
  let paths = 0;
  let shapes = 0;
  let softLayers = 0;
  let nodes = 0;
  let stage = 'start';
  let stageStart = performance.now();
  timings.options = stageStart - t0;
  for (const ev of tracerFor(raster, resolved)) {
    if (ev.kind === 'stage') {
      const now = performance.now();
      timings[stage] = (timings[stage] ?? 0) + (now - stageStart);
      stage = ev.stage;
      stageStart = now;
      yield { type: 'progress', stage: ev.stage, progress: ev.progress };
    } else {
      const text = svgPath(ev.layer, layers);
      layers++;
      if (ev.layer.d !== '') paths++;
      shapes += ev.layer.shapes?.length ?? 0;
      if (ev.layer.blur) softLayers++;
      nodes += ev.layer.nodes;
      parts.push(text);
      yield { type: 'chunk', text };
      yield { type: 'progress', stage, progress: ev.progress };
    }
  }
  const now = performance.now();
  timings[stage] = (timings[stage] ?? 0) + (now - stageStart);
  delete timings.start;
  parts.push(SVG_FOOTER);
  yield { type: 'chunk', text: SVG_FOOTER };
  yield { type: 'progress', stage: 'done', progress: 1 };
  const svg = parts.join('');
  return {
    svg,
    stats: {
      width: raster.width,
      height: raster.height,
      mode: resolved.mode,
      preset: presetUsed,
      paths,
      shapes,
      softLayers,
      nodes,
      bytes: encoder.encode(svg).length,
      colors: layers,
      timings,
      totalMs: performance.now() - t0,
    },
  };
}

/** Converts a raster to SVG synchronously. */
export function vectorize(raster: Raster, options: VectorizeOptions = {}): VectorizeResult {
  const steps = vectorizeSteps(raster, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with the stage name and overall progress 0-1 (never decreasing). */
  onProgress?: (stage: string, progress: number) => void;
  /** Called with each finished piece of SVG text, in order. */
  onChunk?: (text: string) => void;
  /** Yield to the host's event loop at least this often (ms), so aborts and messages get in. Default 50. */
  yieldEveryMs?: number;
}

/** Minimal AbortSignal shape, so the engine needs no DOM or Node types. */
export interface AbortSignal {
  readonly aborted: boolean;
}

/**
 * Runs the stepped pipeline, reporting progress and chunks, and checking the
 * signal between steps (a step is at most one stage or one layer).
 */
export async function vectorizeAsync(
  raster: Raster,
  options: VectorizeOptions = {},
  run: RunOptions = {},
): Promise<VectorizeResult> {
  const { signal, onProgress, onChunk, yieldEveryMs = 50 } = run;
  if (signal?.aborted) throw new EngineAbortError();
  const steps = vectorizeSteps(raster, options);
  let lastYield = performance.now();
  let last = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const ev = r.value;
    if (ev.type === 'chunk') onChunk?.(ev.text);
    else if (ev.progress >= last) {
      last = ev.progress;
      onProgress?.(ev.stage, ev.progress);
    }
    if (performance.now() - lastYield >= yieldEveryMs) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    if (signal?.aborted) {
      steps.return(undefined as never);
      throw new EngineAbortError();
    }
  }
}
