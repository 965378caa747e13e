import { ApiError } from './api-error.js';
import { readConversion, fileForm, type Conversion } from './conversion.js';
import { apiFetch, apiUrl, sleep, type RequestContext } from './http.js';
import { SseParser } from './sse-parser.js';

export type TaskState = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** `GET /api/tasks/:id`, as the API contract defines it. */
export interface TaskStatus {
  readonly task_id: string;
  readonly status: TaskState;
  readonly progress: number;
  readonly stage?: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly stats?: {
    readonly paths?: number;
    readonly nodes?: number;
    readonly bytes?: number;
    readonly preset?: string;
  };
  readonly created_at?: string;
  readonly updated_at?: string;
}

export type ProgressListener = (progress: number, stage: string | null) => void;

const TERMINAL: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 500;

/** What a job converts: a file sent with the request, or a chunked upload already on the service. */
export type TaskInput = { readonly file: File } | { readonly uploadId: string };

/** `POST /api/convert/background`: queues a job and answers its id. */
export async function startTask(
  input: TaskInput,
  query: URLSearchParams,
  ctx: RequestContext,
): Promise<string> {
  const response =
    'file' in input
      ? await apiFetch('/convert/background', ctx, { method: 'POST', body: fileForm(input.file) }, query)
      : await apiFetch('/convert/background', ctx, { method: 'POST' }, withUploadId(query, input.uploadId));
  const body = (await response.json()) as { task_id?: unknown };
  if (typeof body.task_id !== 'string')
    throw new ApiError(502, 'BAD_ANSWER', 'The service did not return a task id.');
  return body.task_id;
}

function withUploadId(query: URLSearchParams, uploadId: string): URLSearchParams {
  const copy = new URLSearchParams(query);
  copy.set('upload_id', uploadId);
  return copy;
}

function taskPath(id: string, suffix = ''): string {
  return `/tasks/${encodeURIComponent(id)}${suffix}`;
}

/**
 * Follows a task to its end through `GET /api/tasks/:id/events` (read with
 * fetch so the API key travels in a header), falling back to polling
 * `GET /api/tasks/:id` when the event stream is unavailable or ends early.
 */
export async function watchTask(
  id: string,
  ctx: RequestContext,
  onProgress: ProgressListener,
): Promise<TaskStatus> {
  const fromEvents = await followEvents(id, ctx, onProgress);
  return fromEvents ?? pollTask(id, ctx, onProgress);
}

async function followEvents(
  id: string,
  ctx: RequestContext,
  onProgress: ProgressListener,
): Promise<TaskStatus | null> {
  let response: Response;
  try {
    response = await apiFetch(taskPath(id, '/events'), ctx, { headers: { Accept: 'text/event-stream' } });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
    if (!(error instanceof ApiError)) throw error;
    return null;
  }
  if (!response.body) return null;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return null;
      for (const event of parser.feed(value)) {
        const data = parseJson(event.data);
        if (event.event === 'progress' && data) {
          onProgress(Number(data.progress) || 0, typeof data.stage === 'string' ? data.stage : null);
        } else if (TERMINAL.has(event.event as TaskState)) {
          const status = data as TaskStatus | null;
          return status && typeof status.status === 'string' ? status : pollOnce(id, ctx);
        }
      }
    }
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    return null;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function pollOnce(id: string, ctx: RequestContext): Promise<TaskStatus> {
  const response = await apiFetch(taskPath(id), ctx);
  return (await response.json()) as TaskStatus;
}

async function pollTask(id: string, ctx: RequestContext, onProgress: ProgressListener): Promise<TaskStatus> {
  for (;;) {
    const status = await pollOnce(id, ctx);
    onProgress(status.progress, status.stage ?? null);
    if (TERMINAL.has(status.status)) return status;
    await sleep(POLL_MS, ctx.signal);
  }
}

/** Turns a finished task into its SVG, or throws the task's error. */
export async function taskResult(status: TaskStatus, ctx: RequestContext): Promise<Conversion> {
  if (status.status === 'failed') {
    throw new ApiError(
      422,
      status.error?.code ?? 'TASK_FAILED',
      status.error?.message ?? 'The conversion failed.',
    );
  }
  if (status.status === 'cancelled')
    throw new ApiError(410, 'TASK_CANCELLED', 'The conversion was cancelled.');
  const response = await apiFetch(taskPath(status.task_id, '/result'), ctx);
  if (response.status !== 200) throw new ApiError(409, 'TASK_NOT_READY', 'The result is not ready yet.');
  // The result answers X-Cache and the stats headers of POST /convert; the task's stats stand in for a
  // service that sends none. Its X-Processing-Time is the time to fetch the result, so the time shown is
  // the task's own, from its timestamps.
  const s = status.stats ?? {};
  const seconds = elapsedSeconds(status);
  const conversion = await readConversion(response, 'background', {
    bytes: s.bytes,
    paths: s.paths ?? null,
    nodes: s.nodes ?? null,
    preset: s.preset ?? null,
  });
  return seconds === null ? conversion : { ...conversion, stats: { ...conversion.stats, seconds } };
}

function elapsedSeconds(status: TaskStatus): number | null {
  if (!status.created_at || !status.updated_at) return null;
  const ms = Date.parse(status.updated_at) - Date.parse(status.created_at);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

/** Best-effort `DELETE /api/tasks/:id` for a job whose result is no longer wanted. */
export function cancelTask(id: string, apiKey: string): void {
  const headers: Record<string, string> = apiKey === '' ? {} : { 'X-API-Key': apiKey };
  fetch(apiUrl(taskPath(id)), { method: 'DELETE', headers, keepalive: true }).catch(() => undefined);
}
