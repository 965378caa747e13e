/**
 * Keeps every image's result in step with the current options: picks the
 * images whose result is missing or stale, converts up to two at a time
 * (the one on screen first), and aborts requests made stale by a newer
 * option change or a removed image. Small single images go through
 * `POST /api/convert`; large images and batches through background jobs, so
 * they get real progress.
 */
import { useEffect, useRef, type Dispatch } from 'react';
import { ApiError, isAbort } from '../api/api-error.js';
import { CHUNKED_FROM_BYTES, uploadInChunks } from '../api/chunked-upload.js';
import { convertDirect, type Conversion } from '../api/conversion.js';
import { sleep, type RequestContext } from '../api/http.js';
import { conversionEngine } from '../local/local-engine.js';
import { cancelTask, startTask, taskResult, watchTask, type TaskInput } from '../api/tasks.js';
import {
  ANY_OPTIONS,
  FILE_ERRORS,
  needsWork,
  recalled,
  type Item,
  type QueueAction,
  type QueueState,
} from './queue.js';

/** Above this many pixels an image goes through a background job even alone. */
export const LARGE_IMAGE_PIXELS = 2_000_000;
const CONCURRENCY = 2;
/** Share of the progress bar given to a chunked upload; the job's own progress fills the rest. */
const UPLOAD_SHARE = 20;
const BUSY_RETRIES = 3;

/**
 * A conversion in flight, or finished but not yet seen in the state the
 * scheduler reads: React may run an effect with a state rendered before the
 * job's outcome was dispatched, and without the entry that effect would
 * start the same image again.
 */
interface Job {
  /** Increasing number, recorded in the item as `settledJob` once its outcome is in the state. */
  readonly seq: number;
  readonly key: string;
  readonly controller: AbortController;
  taskId: string | null;
  finished: boolean;
}

let lastJob = 0;

export interface ConverterInput {
  readonly state: QueueState;
  readonly dispatch: Dispatch<QueueAction>;
  /**
   * The options as a query string (`toQuery(options).toString()`): also the key that tells results
   * apart. In local mode it starts with LOCAL_PREFIX: conversions run in the page's engine worker.
   */
  readonly optionsKey: string;
  readonly apiKey: string;
  readonly onUnauthorized: (error: ApiError) => void;
  /** The service's size limits (from `/api/health`), to refuse an image before sending it; null while unknown. */
  readonly limits: ServiceLimits | null;
}

export interface ServiceLimits {
  /** MAX_IMAGE_DIMENSION: the largest side accepted without `resize`. */
  readonly maxSide: number;
  /** MAX_UPLOAD_SIZE in bytes. */
  readonly maxBytes: number;
}

/** Marks an options key of local mode: converted in the browser, nothing uploaded. */
export const LOCAL_PREFIX = 'local:';

export function splitKey(key: string): { local: boolean; query: URLSearchParams } {
  const local = key.startsWith(LOCAL_PREFIX);
  return { local, query: new URLSearchParams(local ? key.slice(LOCAL_PREFIX.length) : key) };
}

/** Why the service would refuse this image, known in the browser before anything is sent. */
export function refusedLocally(
  item: Item,
  query: URLSearchParams,
  limits: ServiceLimits | null,
): { code: string; message: string } | null {
  if (!limits) return null;
  if (item.file.size > limits.maxBytes) {
    return {
      code: 'FILE_TOO_LARGE',
      message: `This file is ${(item.file.size / 1048576).toFixed(1)} MB; the service takes files up to ${(limits.maxBytes / 1048576).toFixed(0)} MB.`,
    };
  }
  const side = item.size ? Math.max(item.size.width, item.size.height) : 0;
  if (side > limits.maxSide && query.get('resize') !== 'true') {
    return {
      code: 'IMAGE_TOO_LARGE',
      message: `This image is ${item.size?.width}×${item.size?.height} px; the service takes at most ${limits.maxSide} px per side.`,
    };
  }
  return null;
}

function goesToBackground(item: Item, batch: boolean): boolean {
  const pixels = item.size ? item.size.width * item.size.height : 0;
  return batch || pixels > LARGE_IMAGE_PIXELS || item.file.size > CHUNKED_FROM_BYTES;
}

export function useConverter(input: ConverterInput): void {
  const jobs = useRef(new Map<string, Job>());
  /** Chunked uploads by image: started once, reused by every later conversion of that image. */
  const uploads = useRef(new Map<string, Upload>());
  const latest = useRef(input);
  latest.current = input;
  const { state, optionsKey, limits } = input;

  useEffect(() => {
    const { dispatch, apiKey } = latest.current;
    const { local, query } = splitKey(optionsKey);
    const byId = new Map(state.items.map((item) => [item.id, item]));
    for (const [id, upload] of uploads.current) {
      if (byId.has(id)) continue;
      upload.controller.abort();
      uploads.current.delete(id);
    }
    for (const [id, job] of jobs.current) {
      const item = byId.get(id);
      if (job.finished) {
        if (!item || item.settledJob >= job.seq) jobs.current.delete(id);
        continue;
      }
      if (job.key === optionsKey && item) continue;
      jobs.current.delete(id);
      job.controller.abort();
      if (job.taskId !== null) cancelTask(job.taskId, apiKey);
      if (item) dispatch({ type: 'idle', id });
    }

    const batch = state.items.length > 1;
    let running = [...jobs.current.values()].filter((job) => !job.finished).length;
    const waiting = state.items
      .filter((item) => !jobs.current.has(item.id) && needsWork(item, optionsKey))
      .sort((a, b) => Number(b.id === state.selectedId) - Number(a.id === state.selectedId));
    for (const item of waiting) {
      const kept = recalled(item, optionsKey);
      if (kept) {
        dispatch({ type: 'recall', id: item.id, key: optionsKey });
        continue;
      }
      const refusal = local ? null : refusedLocally(item, query, limits);
      if (refusal) {
        const fileError = refusal.code === 'FILE_TOO_LARGE';
        dispatch({
          type: 'failed',
          id: item.id,
          job: item.settledJob,
          key: fileError ? ANY_OPTIONS : optionsKey,
          error: { status: fileError ? 413 : 422, ...refusal },
        });
        continue;
      }
      if (running >= CONCURRENCY) break;
      running++;
      const job: Job = {
        seq: ++lastJob,
        key: optionsKey,
        controller: new AbortController(),
        taskId: null,
        finished: false,
      };
      jobs.current.set(item.id, job);
      const background = !local && goesToBackground(item, batch);
      dispatch({ type: 'start', id: item.id, background });
      void run(item, job, background, local, query, latest);
    }
  }, [state, optionsKey, limits]);

  useEffect(() => {
    const all = jobs.current;
    const allUploads = uploads.current;
    return () => {
      for (const job of all.values()) job.controller.abort();
      for (const upload of allUploads.values()) upload.controller.abort();
      all.clear();
      allUploads.clear();
    };
  }, []);

  /**
   * The upload id of an image over 8 MB: sent in chunks the first time, then
   * reused. The upload has its own controller, so an option change during
   * it does not throw the sent chunks away; only removing the image stops it.
   */
  function uploadOnce(
    item: Item,
    ctx: RequestContext,
    onProgress: (fraction: number) => void,
  ): Promise<string> {
    let upload = uploads.current.get(item.id);
    if (!upload) {
      const controller = new AbortController();
      const listeners = new Set<(fraction: number) => void>();
      const promise = uploadInChunks(item.file, { apiKey: ctx.apiKey, signal: controller.signal }, (f) =>
        listeners.forEach((listener) => listener(f)),
      );
      const created: Upload = { controller, promise, listeners };
      uploads.current.set(item.id, created);
      promise.catch(() => {
        if (uploads.current.get(item.id) === created) uploads.current.delete(item.id);
      });
      upload = created;
    }
    const current = upload;
    current.listeners.add(onProgress);
    const signal = ctx.signal;
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => reject(new DOMException('Aborted', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      current.promise.then(resolve, reject).finally(() => {
        current.listeners.delete(onProgress);
        signal?.removeEventListener('abort', onAbort);
      });
    });
  }

  function forgetUpload(id: string): void {
    uploads.current.delete(id);
  }

  async function run(
    item: Item,
    job: Job,
    background: boolean,
    local: boolean,
    query: URLSearchParams,
    current: typeof latest,
  ): Promise<void> {
    const { dispatch } = current.current;
    const isCurrent = (): boolean => jobs.current.get(item.id) === job;
    try {
      const conversion = await withBusyRetry(job.controller.signal, () => {
        if (local)
          return conversionEngine.convert(item.file, item.id, query, { signal: job.controller.signal });
        const ctx: RequestContext = { apiKey: current.current.apiKey, signal: job.controller.signal };
        return background
          ? convertInBackground(item, job, query, ctx, dispatch, uploadOnce, forgetUpload)
          : convertDirect(item.file, query, ctx);
      });
      if (!isCurrent()) return;
      job.finished = true;
      const url = URL.createObjectURL(new Blob([conversion.svg], { type: 'image/svg+xml' }));
      dispatch({ type: 'done', id: item.id, job: job.seq, result: { ...conversion, url, key: job.key } });
    } catch (error) {
      if (isAbort(error) || !isCurrent()) return;
      job.finished = true;
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(0, 'CLIENT', error instanceof Error ? error.message : String(error));
      dispatch({
        type: 'failed',
        id: item.id,
        job: job.seq,
        // In local mode a file the browser cannot decode may still be one the service takes.
        key: FILE_ERRORS.has(apiError.code) && !local ? ANY_OPTIONS : job.key,
        error: { status: apiError.status, code: apiError.code, message: apiError.message },
      });
      if (apiError.status === 401) current.current.onUnauthorized(apiError);
    }
  }
}

interface Upload {
  readonly controller: AbortController;
  readonly promise: Promise<string>;
  readonly listeners: Set<(fraction: number) => void>;
}

type UploadOnce = (
  item: Item,
  ctx: RequestContext,
  onProgress: (fraction: number) => void,
) => Promise<string>;

/** The service no longer has the upload (expired or restarted): send the file again. */
function uploadGone(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'UPLOAD_EXPIRED');
}

async function convertInBackground(
  item: Item,
  job: Job,
  query: URLSearchParams,
  ctx: RequestContext,
  dispatch: Dispatch<QueueAction>,
  uploadOnce: UploadOnce,
  forgetUpload: (id: string) => void,
): Promise<Conversion> {
  const report = (progress: number, stage: string | null): void => {
    if (!job.controller.signal.aborted) dispatch({ type: 'progress', id: item.id, progress, stage });
  };
  const chunked = item.file.size > CHUNKED_FROM_BYTES;
  const share = chunked ? UPLOAD_SHARE : 0;
  const start = async (): Promise<string> => {
    const input: TaskInput = chunked
      ? { uploadId: await uploadOnce(item, ctx, (fraction) => report(fraction * share, 'upload')) }
      : { file: item.file };
    return startTask(input, query, ctx);
  };
  try {
    job.taskId = await start();
  } catch (error) {
    if (!chunked || !uploadGone(error)) throw error;
    forgetUpload(item.id);
    job.taskId = await start();
  }
  const status = await watchTask(job.taskId, ctx, (progress, stage) =>
    report(share + (progress * (100 - share)) / 100, stage),
  );
  return taskResult(status, ctx);
}

/** A busy service (503 BUSY with Retry-After) is asked again a few times before giving up. */
async function withBusyRetry<T>(signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'BUSY' || tries >= BUSY_RETRIES) throw error;
      await sleep(Math.min(error.retryAfter ?? 1, 10) * 1000, signal);
    }
  }
}
