/**
 * The page's side of the engine worker: one worker per use (the live
 * preview has its own, so a batch converting in the browser never holds it
 * up), requests by id, and cancellation through an AbortSignal.
 */
import { ApiError } from '../api/api-error.js';
import type { Conversion } from '../api/conversion.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface LocalConversion extends Conversion {
  readonly decodeMs: number;
  readonly engineMs: number;
}

export interface Fidelity {
  readonly ssim: number;
  readonly deltaE: number;
  readonly heat: ImageData;
}

export interface LocalRun {
  readonly signal?: AbortSignal;
  /** Downscale first so the larger side is at most this (a draft); omitted: full size. */
  readonly maxSide?: number | null;
}

export class LocalEngine {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, (message: FromWorker) => void>();

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), {
      type: 'module',
      name: 'image2svg-engine',
    });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const settle = this.#pending.get(event.data.id);
      this.#pending.delete(event.data.id);
      settle?.(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const failed = [...this.#pending.entries()];
      this.#pending.clear();
      this.#worker?.terminate();
      this.#worker = null;
      for (const [id, settle] of failed)
        settle({
          type: 'error',
          id,
          code: 'INTERNAL',
          message: event.message || 'The engine worker failed.',
        });
    };
    this.#worker = worker;
    return worker;
  }

  #send(message: ToWorker, signal?: AbortSignal): Promise<FromWorker> {
    const worker = this.#start();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
      const onAbort = (): void => {
        this.#pending.delete(message.id);
        worker.postMessage({ type: 'cancel', id: message.id } satisfies ToWorker);
        reject(new DOMException('Aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(message.id, (answer) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(answer);
      });
      worker.postMessage(message);
    });
  }

  /** Converts `file` with the options of a service query string, in the worker. */
  async convert(
    file: Blob,
    fileKey: string,
    query: URLSearchParams,
    run: LocalRun = {},
  ): Promise<LocalConversion> {
    const id = this.#nextId++;
    const answer = await this.#send(
      { type: 'convert', id, fileKey, file, query: query.toString(), maxSide: run.maxSide ?? null },
      run.signal,
    );
    if (answer.type === 'error') {
      if (answer.code === 'ABORTED') throw new DOMException('Aborted', 'AbortError');
      throw new ApiError(0, answer.code, answer.message);
    }
    if (answer.type !== 'done')
      throw new ApiError(0, 'INTERNAL', 'Unexpected answer from the engine worker.');
    const { stats } = answer;
    return {
      svg: answer.svg,
      decodeMs: answer.decodeMs,
      engineMs: answer.engineMs,
      stats: {
        bytes: stats.bytes,
        paths: stats.paths,
        nodes: stats.nodes,
        seconds: (answer.decodeMs + answer.engineMs) / 1000,
        cache: null,
        preset: stats.preset,
        via: 'local',
      },
    };
  }

  /** The decoded pixels of `file` (RGBA), as the worker sees them. */
  async pixels(file: Blob, fileKey: string, signal?: AbortSignal): Promise<ImageData> {
    const answer = await this.#send({ type: 'raster', id: this.#nextId++, fileKey, file }, signal);
    if (answer.type !== 'pixels')
      throw new ApiError(0, 'UNSUPPORTED_FORMAT', 'The browser cannot decode this file.');
    return new ImageData(new Uint8ClampedArray(answer.data), answer.width, answer.height);
  }

  /** SSIM, mean ΔE and a difference heat map of the original against the SVG as drawn (same size). */
  async fidelity(file: Blob, fileKey: string, rendered: ImageData, signal?: AbortSignal): Promise<Fidelity> {
    const answer = await this.#send(
      {
        type: 'fidelity',
        id: this.#nextId++,
        fileKey,
        file,
        width: rendered.width,
        height: rendered.height,
        rendered: rendered.data,
      },
      signal,
    );
    if (answer.type !== 'fidelity')
      throw new ApiError(0, 'INTERNAL', answer.type === 'error' ? answer.message : 'No fidelity answer.');
    return {
      ssim: answer.ssim,
      deltaE: answer.deltaE,
      heat: new ImageData(new Uint8ClampedArray(answer.heat), rendered.width, rendered.height),
    };
  }

  terminate(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}

/** The worker the converter uses in local mode, and the one for live previews. */
export const conversionEngine = new LocalEngine();
export const previewEngine = new LocalEngine();
