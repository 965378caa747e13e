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
import { cancelTask, startTask, taskResult, watchTask, type TaskInput } from '../api/tasks.js';
import {
  ANY_OPTIONS,
  FILE_ERRORS,
  needsWork,
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
  /** The options as a query string (`toQuery(options).toString()`): also the key that tells results apart. */
  readonly optionsKey: string;
  readonly apiKey: string;
  readonly onUnauthorized: (error: ApiError) => void;
}

function goesToBackground(item: Item, batch: boolean): boolean {
  const pixels = item.size ? item.size.width * item.size.height : 0;
  return batch || pixels > LARGE_IMAGE_PIXELS || item.file.size > CHUNKED_FROM_BYTES;
}

export function useConverter(input: ConverterInput): void {
  const jobs = useRef(new Map<string, Job>());
  const latest = useRef(input);
  latest.current = input;
  const { state, optionsKey } = input;

  useEffect(() => {
    const { dispatch, apiKey } = latest.current;
    const query = new URLSearchParams(optionsKey);
    const byId = new Map(state.items.map((item) => [item.id, item]));
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
      const background = goesToBackground(item, batch);
      dispatch({ type: 'start', id: item.id, background });
      void run(item, job, background, query, latest);
    }
  }, [state, optionsKey]);

  useEffect(() => {
    const all = jobs.current;
    return () => {
      for (const job of all.values()) job.controller.abort();
      all.clear();
    };
  }, []);

  async function run(
    item: Item,
    job: Job,
    background: boolean,
    query: URLSearchParams,
    current: typeof latest,
  ): Promise<void> {
    const { dispatch } = current.current;
    const isCurrent = (): boolean => jobs.current.get(item.id) === job;
    try {
      const conversion = await withBusyRetry(job.controller.signal, () => {
        const ctx: RequestContext = { apiKey: current.current.apiKey, signal: job.controller.signal };
        return background
          ? convertInBackground(item, job, query, ctx, dispatch)
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
        key: FILE_ERRORS.has(apiError.code) ? ANY_OPTIONS : job.key,
        error: { status: apiError.status, code: apiError.code, message: apiError.message },
      });
      if (apiError.status === 401) current.current.onUnauthorized(apiError);
    }
  }
}

async function convertInBackground(
  item: Item,
  job: Job,
  query: URLSearchParams,
  ctx: RequestContext,
  dispatch: Dispatch<QueueAction>,
): Promise<Conversion> {
  const report = (progress: number, stage: string | null): void => {
    if (!job.controller.signal.aborted) dispatch({ type: 'progress', id: item.id, progress, stage });
  };
  const chunked = item.file.size > CHUNKED_FROM_BYTES;
  const share = chunked ? UPLOAD_SHARE : 0;
  const input: TaskInput = chunked
    ? { uploadId: await uploadInChunks(item.file, ctx, (fraction) => report(fraction * share, 'upload')) }
    : { file: item.file };
  job.taskId = await startTask(input, query, ctx);
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
