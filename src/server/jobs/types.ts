/**
 * Background conversions. A queue takes a job (input plus a dedupe key),
 * runs it with a processor, reports progress that only rises, keeps the
 * result for a time to live, and lets a client cancel. The in-process queue
 * is the embedded default; the BullMQ queue (bullmq-job-queue.ts) implements
 * the same interface and passes test/server/job-queue-conformance.ts.
 *
 * `get`, `result` and `cancel` throw ApiError NOT_FOUND for an unknown id and
 * TASK_EXPIRED for a job whose result has expired.
 */
import type { ErrorInfo } from '../errors.js';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface JobStats {
  paths: number;
  nodes: number;
  bytes: number;
  preset: string | null;
  /** True shapes (`<circle>`, `<ellipse>`) and blurred soft-shadow layers in the SVG (engine 0.3). */
  shapes?: number;
  softLayers?: number;
  /** Output format of the result when not SVG (pdf, eps, dxf). */
  format?: 'pdf' | 'eps' | 'dxf';
}

/** The status document of a job, as GET /tasks/:id answers it (without the URL fields). */
export interface JobRecord {
  task_id: string;
  status: JobStatus;
  /** 0-100, never decreasing. */
  progress: number;
  stage?: string;
  error?: ErrorInfo;
  stats?: JobStats;
  created_at: string;
  updated_at: string;
}

export interface JobOutput {
  svg: string;
  stats: JobStats;
  /** True when the result cache answered the conversion (X-Cache: HIT on GET /tasks/:id/result). */
  cached: boolean;
}

export interface JobContext {
  signal: AbortSignal;
  /** Reports progress 0-100 with the stage name; lower values than before are ignored. */
  progress(stage: string, percent: number): void;
}

export type JobProcessor<I> = (input: I, ctx: JobContext) => Promise<JobOutput>;

export interface SubmitResult {
  record: JobRecord;
  /** True when an identical job was already pending or running and this submit joined it. */
  joined: boolean;
}

export interface JobQueue<I> {
  /** Queues a job, or joins the pending/running one with the same key. BUSY when the queue is full. */
  submit(key: string, input: I): Promise<SubmitResult>;
  get(id: string): Promise<JobRecord>;
  /**
   * The SVG of a completed job, with its stats and whether it came from the cache;
   * TASK_NOT_READY while pending or processing.
   */
  result(id: string): Promise<JobOutput>;
  /** Cancels a pending or running job (stopping its conversion); a finished job is left as it is. */
  cancel(id: string): Promise<JobRecord>;
  /** Calls `listener` on every change of the job, until the returned function is called. */
  subscribe(id: string, listener: (record: JobRecord) => void): () => void;
  counts(): { pending: number; processing: number };
  /** True when the backend answers (readiness). */
  ping(): Promise<boolean>;
  /** Stops taking jobs; waits for running ones when `drain` is true, else cancels them. */
  close(drain?: boolean): Promise<void>;
}

export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);
