/**
 * What the BullMQ queue stores in a job and how a job reads back as the
 * JobRecord the API answers. Pure functions: the queue does the Redis calls.
 *
 * BullMQ keeps state, progress and the return value; we add our own clock's
 * times to each (so a test clock drives expiry, and every replica agrees on
 * when a result expires), and carry errors as JSON in the failure reason.
 */
import type { ErrorInfo } from '../errors.js';
import { ApiError, isErrorCode } from '../errors.js';
import type { JobRecord, JobStats, JobStatus } from './types.js';

/** `job.data`: the dedupe key and the creation time. The input itself is in its own Redis key. */
export interface StoredData {
  key: string;
  created: number;
}

/** `job.progress`, written with job.updateProgress. */
export interface StoredProgress {
  percent: number;
  stage: string;
  at: number;
}

/** `job.returnvalue`. */
export interface StoredResult {
  svg: string;
  stats: JobStats;
  /** From the result cache; absent in results stored before it was recorded (read as a miss). */
  cached?: boolean;
  at: number;
}

/** The failure reason, as JSON. */
export interface StoredFailure extends ErrorInfo {
  at: number;
}

/** A cancelled job's record and when it expires, kept under its own key (a cancelled pending job is removed). */
export interface StoredCancel {
  record: JobRecord;
  expires: number;
}

/** The failure reason a processor throws: the error's code (INTERNAL for anything not ours) and message. */
export function failureReason(e: unknown, at: number): string {
  const code = e instanceof ApiError && isErrorCode(e.code) ? e.code : 'INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  return JSON.stringify({ code, message, at } satisfies StoredFailure);
}

/** Reads a failure reason; BullMQ's own reasons (a job stalled too often) are plain text. */
export function parseFailure(reason: string | undefined, fallbackAt: number): StoredFailure {
  try {
    const parsed = JSON.parse(reason ?? '') as Partial<StoredFailure>;
    if (isErrorCode(parsed.code) && typeof parsed.message === 'string') {
      return { code: parsed.code, message: parsed.message, at: parsed.at ?? fallbackAt };
    }
  } catch {
    // not ours: reported as INTERNAL below
  }
  return { code: 'INTERNAL', message: reason || 'The job failed', at: fallbackAt };
}

export function isProgress(p: unknown): p is StoredProgress {
  return typeof p === 'object' && p !== null && typeof (p as StoredProgress).percent === 'number';
}

/** The parts of a BullMQ job the record is built from. */
export interface JobView {
  id: string;
  state: string;
  data: StoredData;
  progress: unknown;
  returnvalue: unknown;
  failedReason: string | undefined;
  /** Times a worker took the job (BullMQ's attemptsStarted). */
  attemptsStarted?: number;
  /** Times the job was found stalled (its worker died or lost its lock) and put back to wait. */
  stalledCounter?: number;
}

export interface ReadRecord {
  record: JobRecord;
  /** When a finished job's result expires (ms of the clock); Infinity while it runs. */
  expires: number;
  result: StoredResult | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The JobRecord of a job in BullMQ state `state`, or null for a state we do not know (a job just removed). */
export function readJob(job: JobView, ttlMs: number): ReadRecord | null {
  const base = { task_id: job.id, created_at: iso(job.data.created) };
  const progress = isProgress(job.progress) ? job.progress : null;
  // A job recovered from a dead worker (or a lock lost in a Redis outage) says so, with its attempts.
  const recovered =
    (job.stalledCounter ?? 0) > 0 ? { recovered: true, attempts: Math.max(job.attemptsStarted ?? 0, 2) } : {};
  const status = (s: JobStatus, at: number, extra: Partial<JobRecord> = {}): JobRecord => ({
    ...base,
    ...recovered,
    status: s,
    progress: progress?.percent ?? 0,
    ...(progress ? { stage: progress.stage } : {}),
    ...extra,
    updated_at: iso(at),
  });
  switch (job.state) {
    case 'waiting':
    case 'wait':
    case 'prioritized':
    case 'delayed':
      return { record: status('pending', job.data.created), expires: Infinity, result: null };
    case 'active':
      return {
        record: status('processing', progress?.at ?? job.data.created, {
          stage: progress?.stage ?? 'queued',
        }),
        expires: Infinity,
        result: null,
      };
    case 'completed': {
      const result = job.returnvalue as StoredResult | null;
      // Read while it was finishing (the job fetched while active, its state once completed): still
      // processing for this read; the next one has the result.
      if (!result) return readJob({ ...job, state: 'active' }, ttlMs);
      const record = status('completed', result.at, { progress: 100, stage: 'done', stats: result.stats });
      return { record, expires: result.at + ttlMs, result };
    }
    case 'failed': {
      const f = parseFailure(job.failedReason, job.data.created);
      const s: JobStatus = f.code === 'CANCELLED' ? 'cancelled' : 'failed';
      const extra = s === 'failed' ? { error: { code: f.code, message: f.message } } : {};
      return { record: status(s, f.at, extra), expires: f.at + ttlMs, result: null };
    }
    default:
      return null;
  }
}
