/**
 * In-process job queue: jobs wait in FIFO order and run `concurrency` at a
 * time; identical jobs (same key) pending or running are shared; finished
 * jobs keep their result for `ttlSeconds`, then leave a tombstone so a late
 * client hears TASK_EXPIRED (410) rather than NOT_FOUND.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, isErrorCode } from '../errors.js';
import type { Clock } from '../cache/types.js';
import { FINAL_STATUSES } from './types.js';
import type { JobOutput, JobProcessor, JobQueue, JobRecord, SubmitResult } from './types.js';

interface Job<I> {
  record: JobRecord;
  key: string;
  input: I | null;
  output: JobOutput | null;
  controller: AbortController;
  listeners: Set<(record: JobRecord) => void>;
  expiresAt: number;
}

export interface MemoryJobQueueOptions<I> {
  process: JobProcessor<I>;
  concurrency: number;
  /** Most jobs waiting; more is BUSY. */
  maxPending: number;
  ttlSeconds: number;
  clock?: Clock;
  /** Sweep interval in ms; 0 disables the timer. Default min(ttl, 60 s). */
  sweepEveryMs?: number;
}

const MAX_TOMBSTONES = 10_000;

export class MemoryJobQueue<I> implements JobQueue<I> {
  readonly #jobs = new Map<string, Job<I>>();
  readonly #active = new Map<string, Job<I>>();
  readonly #pending: Job<I>[] = [];
  readonly #expired = new Set<string>();
  readonly #opts: MemoryJobQueueOptions<I>;
  readonly #now: Clock;
  readonly #timer: NodeJS.Timeout | null;
  #running = 0;
  #closed = false;

  constructor(opts: MemoryJobQueueOptions<I>) {
    this.#opts = opts;
    this.#now = opts.clock ?? Date.now;
    const every = opts.sweepEveryMs ?? Math.min(opts.ttlSeconds * 1000, 60_000);
    this.#timer = every > 0 ? setInterval(() => this.#sweep(), every) : null;
    this.#timer?.unref();
  }

  #stamp(): string {
    return new Date(this.#now()).toISOString();
  }

  #update(job: Job<I>, patch: Partial<JobRecord>): void {
    job.record = { ...job.record, ...patch, updated_at: this.#stamp() };
    if (FINAL_STATUSES.has(job.record.status)) {
      job.expiresAt = this.#now() + this.#opts.ttlSeconds * 1000;
      job.input = null;
      if (this.#active.get(job.key) === job) this.#active.delete(job.key);
    }
    for (const listener of job.listeners) listener(job.record);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, job] of this.#jobs) {
      if (FINAL_STATUSES.has(job.record.status) && job.expiresAt <= now) {
        this.#jobs.delete(id);
        if (this.#expired.size >= MAX_TOMBSTONES)
          this.#expired.delete(this.#expired.values().next().value as string);
        this.#expired.add(id);
      }
    }
  }

  #find(id: string): Job<I> {
    this.#sweep();
    const job = this.#jobs.get(id);
    if (job) return job;
    if (this.#expired.has(id))
      throw new ApiError('TASK_EXPIRED', `Task ${id} has expired; submit the image again`);
    throw new ApiError('NOT_FOUND', `No task with id "${id}"`);
  }

  async submit(key: string, input: I): Promise<SubmitResult> {
    if (this.#closed) throw new ApiError('BUSY', 'The server is shutting down', { 'Retry-After': '5' });
    const existing = this.#active.get(key);
    if (existing) return { record: existing.record, joined: true };
    if (this.#pending.length >= this.#opts.maxPending) {
      throw new ApiError('BUSY', 'The background queue is full; retry later', { 'Retry-After': '10' });
    }
    const now = this.#stamp();
    const job: Job<I> = {
      record: { task_id: randomUUID(), status: 'pending', progress: 0, created_at: now, updated_at: now },
      key,
      input,
      output: null,
      controller: new AbortController(),
      listeners: new Set(),
      expiresAt: Infinity,
    };
    this.#jobs.set(job.record.task_id, job);
    this.#active.set(key, job);
    const record = job.record;
    this.#pending.push(job);
    this.#pump();
    return { record, joined: false };
  }

  #pump(): void {
    while (this.#running < this.#opts.concurrency && this.#pending.length > 0) {
      void this.#run(this.#pending.shift()!);
    }
  }

  async #run(job: Job<I>): Promise<void> {
    this.#running++;
    this.#update(job, { status: 'processing', stage: 'queued' });
    try {
      const output = await this.#opts.process(job.input as I, {
        signal: job.controller.signal,
        progress: (stage, percent) => {
          if (job.record.status !== 'processing') return;
          const progress = Math.min(99, Math.max(job.record.progress, Math.floor(percent)));
          if (progress !== job.record.progress || stage !== job.record.stage)
            this.#update(job, { progress, stage });
        },
      });
      if (job.record.status === 'processing') {
        job.output = output;
        this.#update(job, { status: 'completed', progress: 100, stage: 'done', stats: output.stats });
      }
    } catch (e) {
      if (job.record.status === 'processing') {
        const code = e instanceof ApiError && isErrorCode(e.code) ? e.code : 'INTERNAL';
        const message = e instanceof Error ? e.message : String(e);
        this.#update(job, { status: 'failed', error: { code, message } });
      }
    } finally {
      this.#running--;
      this.#pump();
    }
  }

  async get(id: string): Promise<JobRecord> {
    return this.#find(id).record;
  }

  async result(id: string): Promise<JobOutput> {
    const job = this.#find(id);
    if (job.output) return job.output;
    if (job.record.status === 'cancelled') throw new ApiError('TASK_EXPIRED', `Task ${id} was cancelled`);
    if (job.record.status === 'failed') {
      const err = job.record.error!;
      throw new ApiError('TASK_FAILED', `Task ${id} failed: ${err.message}`, {}, taskFailedStatus(err.code));
    }
    throw new ApiError('TASK_NOT_READY', `Task ${id} is ${job.record.status} (${job.record.progress}%)`);
  }

  async cancel(id: string): Promise<JobRecord> {
    const job = this.#find(id);
    if (FINAL_STATUSES.has(job.record.status)) return job.record;
    const queued = this.#pending.indexOf(job);
    if (queued >= 0) this.#pending.splice(queued, 1);
    this.#update(job, { status: 'cancelled' });
    job.controller.abort();
    return job.record;
  }

  subscribe(id: string, listener: (record: JobRecord) => void): () => void {
    const job = this.#find(id);
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  counts(): { pending: number; processing: number } {
    return { pending: this.#pending.length, processing: this.#running };
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }

  async close(drain = true): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (!drain) {
      for (const job of this.#active.values()) await this.cancel(job.record.task_id);
    }
    while (this.#running > 0 || this.#pending.length > 0) await new Promise((r) => setTimeout(r, 20));
  }
}

/** A failed task's result answers with the status its error would have had: 422 for bad images, else 500. */
export function taskFailedStatus(code: string): number {
  return ['CORRUPT_IMAGE', 'IMAGE_TOO_LARGE', 'UNSUPPORTED_FORMAT', 'EMPTY_FILE', 'INVALID_OPTION'].includes(
    code,
  )
    ? 422
    : 500;
}
