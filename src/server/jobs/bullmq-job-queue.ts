/**
 * Background conversions on BullMQ, shared by every replica through Redis:
 * any replica takes a job, any replica's worker runs it, any replica answers
 * its status, result and events, and a job outlives the process that took it.
 *
 * - Jobs: a BullMQ Queue (adds), Worker (runs `concurrency` at a time) and
 *   QueueEvents (every replica hears every job's changes, for subscribe()).
 * - Input: its own binary key with a TTL, not the job's JSON data, kept
 *   until the job really ends (BullMQ recorded it completed or failed), so a
 *   job whose lock expired during a Redis outage and is run again still has
 *   its input; the job keeps only its dedupe key and times.
 * - At-least-once delivery made idempotent: a finished conversion is written
 *   to `result:<id>` (retried until Redis answers again) before the job is
 *   reported complete, and a job run again (stalled, recovered from a dead
 *   worker or an outage) answers that result instead of converting again.
 * - Lock and stalled check: `lockMs` / `stalledIntervalMs` (JOB_LOCK_DURATION,
 *   JOB_STALLED_INTERVAL) bound how long a dead worker's job stays frozen;
 *   such a job reads back `recovered: true` with its `attempts`.
 * - Redis away: calls fail fast with 503 QUEUE_UNAVAILABLE (Retry-After)
 *   instead of hanging or answering 500; `redisUp()` and `backgroundReady()`
 *   feed readiness and metrics. A Redis whose maxmemory-policy is not
 *   `noeviction` makes the background path unready (and the worker role
 *   refuses to start, see worker.ts).
 * - Dedupe: identical running jobs are joined (dedupe-keys.ts).
 * - Progress: job.updateProgress({percent, stage, at}), never lower than
 *   what the job already shows (also after a stalled job restarts elsewhere).
 * - Cancel: `cancelled:<id>` holds the cancelled record; a pending job is
 *   removed, and a publish on the `cancel` channel makes the replica running
 *   the job abort its AbortController, which stops the worker thread.
 * - Expiry: each finished job carries its end time (of the injected clock);
 *   past the TTL it reads as TASK_EXPIRED and is removed. BullMQ's
 *   removeOnComplete/removeOnFail ages free Redis of jobs nobody asks about,
 *   and `known:<id>` (a day past the TTL) tells 410 from 404.
 * - close(false) hands running jobs back to the wait list (job.moveToWait),
 *   for another replica: a replica going away never fails a user's job. A
 *   job refused BUSY (every thread here taken) is delayed a second, not failed.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, QueueEvents, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../cache/types.js';
import { ApiError } from '../errors.js';
import {
  closeRedis,
  createRedis,
  evictionPolicy,
  isConnectionError,
  pingRedis,
  type RedisPurpose,
  type RedisSettings,
} from '../redis-connection.js';
import { failureReason, isProgress, readJob, type ReadRecord, type StoredCancel } from './bullmq-records.js';
import type { StoredData, StoredProgress, StoredResult } from './bullmq-records.js';
import { taskFailedStatus } from './memory-job-queue.js';
import { DedupeKeys } from './dedupe-keys.js';
import { JobWatchers } from './job-watchers.js';
import { FINAL_STATUSES } from './types.js';
import type { JobContext, JobOutput, JobProcessor, JobQueue, JobRecord, SubmitResult } from './types.js';

/** Turns a job's input into bytes for Redis and back. */
export interface JobCodec<I> {
  encode(input: I): Buffer;
  decode(bytes: Buffer): I;
}

export interface BullmqJobQueueOptions<I> {
  redis: RedisSettings;
  process: JobProcessor<I>;
  codec: JobCodec<I>;
  /** Jobs this replica's worker runs at once. */
  concurrency: number;
  /** Most jobs waiting, over all replicas; more is BUSY. */
  maxPending: number;
  ttlSeconds: number;
  /** How long a job may wait for a worker before its input is dropped. Default a day. */
  inputTtlSeconds?: number;
  /** BullMQ queue name; replicas sharing Redis and this name share the jobs. Default `image2svg-convert`. */
  name?: string;
  /** Key prefix of BullMQ's and our keys. Default `image2svg`. */
  prefix?: string;
  /** false: this replica only takes and answers jobs, another runs them. Default true. */
  runWorker?: boolean;
  /** How long close(false) waits for running jobs to hand themselves back. Default 5 s. */
  handBackMs?: number;
  /** A running job's lock, renewed at half of it. Default 8 s. */
  lockMs?: number;
  /** How often the worker looks for stalled jobs (lock expired). Default 4 s. */
  stalledIntervalMs?: number;
  /** Told when a job of this worker ends failed, and when this worker finds a stalled job (metrics). */
  onJobFailed?: () => void;
  onJobStalled?: () => void;
  /** Test-only hooks around a job's conversion (IMAGE2SVG_TEST_JOB_GATE, see backends.ts). */
  hooks?: JobHooks;
  clock?: Clock;
  onError?: (err: unknown) => void;
}

/** Called around a conversion: `started` may hold it back (a test pacing workers), `finished` after it. */
export interface JobHooks {
  started(id: string, signal: AbortSignal): Promise<void>;
  finished(id: string): Promise<void>;
}

/** Where the background path stands: Redis answers, and its eviction policy keeps jobs. */
export interface BackgroundState {
  ready: boolean;
  redis: boolean;
  /** Redis's maxmemory-policy, null until read. */
  evictionPolicy: string | null;
  /** Why it is not ready. */
  reason?: string;
}

const DAY_MS = 86_400_000;
const CANCEL = 'cancelled';
const HAND_BACK = 'handed back';
/** A job refused for want of a free thread is tried again this much later. */
const BUSY_RETRY_MS = 1000;
const READY_MS = 5000;
/** A stalled job (lock expired: dead worker, Redis outage) is put back to wait this many times before failing. */
const MAX_STALLED = 5;
/** Attempts of a job whose runs lose Redis (each failure of the job itself is final at once). */
const REDIS_ATTEMPTS = 5;
/** How long a finished result written during an outage keeps being retried. */
const RESULT_WRITE_MS = 10 * 60_000;

/** A failure reason that records a cancel, not a failure (metrics count failures). */
function isCancel(reason: string | undefined): boolean {
  return reason !== undefined && reason.includes('"code":"CANCELLED"');
}

function unavailable(detail = 'Redis is not answering'): ApiError {
  return new ApiError(
    'QUEUE_UNAVAILABLE',
    `The background job queue is unavailable (${detail}); synchronous POST /convert still works`,
    { 'Retry-After': '5' },
  );
}

/** Waits for `p` (at most `ms`), ignoring its failure. */
async function settled(p: Promise<unknown> | undefined, ms = Infinity): Promise<void> {
  const deadline = new Promise<void>((resolve) => {
    if (Number.isFinite(ms)) setTimeout(resolve, ms).unref();
  });
  await Promise.race([p?.catch(() => {}), deadline]);
}

export class BullmqJobQueue<I> implements JobQueue<I> {
  readonly #opts: BullmqJobQueueOptions<I>;
  readonly #ns: string;
  readonly #now: Clock;
  readonly #ttlMs: number;
  readonly #inputTtlMs: number;
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #connections: Redis[];
  readonly #queue: Queue<StoredData, StoredResult>;
  readonly #events: QueueEvents;
  readonly #worker: Worker<StoredData, StoredResult> | null;
  readonly #dedupe: DedupeKeys;
  readonly #ready: Promise<unknown>;
  /** Runs of each job in this process (two when a job stalled here and was taken again). */
  readonly #running = new Map<string, Set<{ controller: AbortController; done: Promise<unknown> }>>();
  readonly #queueConnection: Redis;
  #policy: string | null = null;
  /** Connected once: from then on a connection that is down fails calls at once. */
  #started = false;
  /** A connection attempt failed or a connection closed: Redis is away until `ready` again. */
  #lost = false;
  readonly #watchers = new JobWatchers((id) =>
    this.#load(id).then(
      (r) => r.record,
      () => null,
    ),
  );
  readonly #timer: NodeJS.Timeout;
  readonly #onError: (err: unknown) => void;
  #counts = { pending: 0, processing: 0 };
  #countsTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(opts: BullmqJobQueueOptions<I>) {
    this.#opts = opts;
    const prefix = opts.prefix ?? 'image2svg';
    const name = opts.name ?? 'image2svg-convert';
    this.#ns = `${prefix}:{${name}}:`;
    this.#now = opts.clock ?? Date.now;
    this.#ttlMs = opts.ttlSeconds * 1000;
    this.#inputTtlMs = (opts.inputTtlSeconds ?? 86_400) * 1000;
    const onError = opts.onError ?? (() => {});
    this.#onError = onError;
    // Commands fail fast while Redis is away (a request answers instead of hanging); the blocking
    // connections of QueueEvents and the Worker, and the cancel subscription, wait for it to come back.
    const connect = (role: string, purpose: RedisPurpose = 'queue') =>
      createRedis(opts.redis, purpose, `${name}:${role}`, onError);
    this.#client = connect('commands', 'commands');
    this.#subscriber = connect('cancel');
    const queueConnection = connect('queue', 'commands');
    this.#queueConnection = queueConnection;
    const eventsConnection = connect('events');
    this.#connections = [this.#client, this.#subscriber, queueConnection, eventsConnection];
    this.#dedupe = new DedupeKeys(this.#client, this.#ns, this.#inputTtlMs);

    const bull = { prefix };
    this.#queue = new Queue(name, { ...bull, connection: queueConnection });
    this.#events = new QueueEvents(name, { ...bull, connection: eventsConnection });
    this.#queue.on('error', onError);
    this.#events.on('error', onError);
    for (const event of ['waiting', 'active', 'progress', 'completed', 'failed', 'removed'] as const) {
      this.#events.on(event, ({ jobId }: { jobId: string }) => {
        this.#watchers.changed(jobId);
        this.#countsSoon();
      });
    }
    if (opts.runWorker ?? true) {
      const workerConnection = connect('worker');
      this.#connections.push(workerConnection);
      this.#worker = new Worker<StoredData, StoredResult>(name, (job, token) => this.#run(job, token), {
        ...bull,
        connection: workerConnection,
        concurrency: opts.concurrency,
        lockDuration: opts.lockMs ?? 8000,
        stalledInterval: opts.stalledIntervalMs ?? 4000,
        maxStalledCount: MAX_STALLED,
        // Completion written while Redis was away is retried this often (BullMQ's default is 15 s).
        runRetryDelay: 500,
      });
      this.#worker.on('error', onError);
      // The job really ended (BullMQ recorded it): only now its input and stored result may go.
      this.#worker.on('completed', (job) => void this.#ended(job));
      this.#worker.on('failed', (job) => {
        // A run that lost Redis is retried (the job is not finished: no finishedOn) and keeps its input.
        if (job && !job.finishedOn) return;
        if (!job || !isCancel(job.failedReason)) opts.onJobFailed?.();
        if (job) void this.#ended(job);
      });
      this.#worker.on('stalled', () => opts.onJobStalled?.());
    } else {
      this.#worker = null;
    }
    this.#subscriber.on('message', (_channel: string, id: string) => {
      this.#abort(id, CANCEL);
      this.#watchers.changed(id);
    });
    const connected = (c: Redis) =>
      c.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => c.once('ready', () => resolve()));
    this.#ready = Promise.all([
      connected(this.#client),
      connected(queueConnection),
      this.#queue.waitUntilReady(),
      this.#events.waitUntilReady(),
      this.#worker?.waitUntilReady(),
      this.#subscriber.subscribe(`${this.#ns}cancel`),
    ]);
    this.#ready.then(() => (this.#started = true), onError);
    const readPolicy = () =>
      void evictionPolicy(this.#client).then(
        (p) => (this.#policy = p),
        () => {},
      );
    this.#client.on('ready', readPolicy);
    for (const c of [this.#client, queueConnection]) {
      c.on('close', () => (this.#lost = true));
      c.on('ready', () => {
        if (this.#client.status === 'ready' && queueConnection.status === 'ready') this.#lost = false;
      });
    }
    this.#timer = setInterval(() => void this.#refreshCounts().catch(onError), 2000);
    this.#timer.unref();
  }

  /** Waits (5 s at most) until events are heard and the worker runs, so no event of a new job is missed. */
  async #whenReady(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const away = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable()), READY_MS);
    });
    try {
      await Promise.race([this.#ready, away]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Fails fast while Redis is away, before any command is queued behind a dead connection; before the
   * first connection (start-up) it waits for it a moment instead.
   */
  async #checkConnected(): Promise<void> {
    if (this.#client.status === 'ready' && this.#queueConnection.status === 'ready') return;
    if (this.#started || this.#lost) throw unavailable();
    await this.#whenReady();
  }

  /** Runs a public call: Redis errors become 503 QUEUE_UNAVAILABLE, our own ApiErrors pass through. */
  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    await this.#checkConnected();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (isConnectionError(e) || this.#client.status !== 'ready') throw unavailable();
      throw e;
    }
  }

  /** Retries `fn` while Redis is away (a worker finishing a job across an outage), for `ms` at most. */
  async #retryRedis<T>(fn: () => Promise<T>, ms: number): Promise<T> {
    const deadline = Date.now() + ms;
    for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await fn();
      } catch (e) {
        if (!isConnectionError(e) || Date.now() + delay > deadline || this.#closed) throw e;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  #key(kind: 'input' | 'known' | 'cancelled' | 'result', id: string): string {
    return `${this.#ns}${kind}:${id}`;
  }

  #stamp(): string {
    return new Date(this.#now()).toISOString();
  }

  /** After an event: refresh the counts at most every 250 ms (each replica hears every job's events). */
  #countsSoon(): void {
    if (this.#countsTimer !== null) return;
    this.#countsTimer = setTimeout(() => {
      this.#countsTimer = null;
      void this.#refreshCounts().catch(this.#onError);
    }, 250);
    this.#countsTimer.unref();
  }

  async #refreshCounts(): Promise<void> {
    if (this.#client.status !== 'ready') return;
    const c = await this.#queue.getJobCounts('wait', 'prioritized', 'delayed', 'active');
    this.#counts = {
      pending: (c.wait ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0),
      processing: c.active ?? 0,
    };
  }

  /** The job's record, its expiry and result; throws NOT_FOUND / TASK_EXPIRED. */
  async #load(id: string): Promise<ReadRecord & { key: string | null }> {
    const [job, cancelled] = await Promise.all([
      this.#queue.getJob(id),
      this.#client.get(this.#key('cancelled', id)),
    ]);
    const key = job?.data.key ?? null;
    let read: ReadRecord | null = null;
    if (cancelled !== null) {
      const c = JSON.parse(cancelled) as StoredCancel;
      read = { record: c.record, expires: c.expires, result: null };
    } else if (job) {
      const state = await job.getState();
      read = readJob(
        {
          id,
          state,
          data: job.data,
          progress: job.progress,
          returnvalue: job.returnvalue,
          failedReason: job.failedReason,
          attemptsStarted: job.attemptsStarted,
          stalledCounter: job.stalledCounter,
        },
        this.#ttlMs,
      );
    }
    if (read && read.expires > this.#now()) return { ...read, key };
    if (read) await this.#expire(id, job ?? undefined);
    if (read || (await this.#client.exists(this.#key('known', id))) === 1) {
      throw new ApiError('TASK_EXPIRED', `Task ${id} has expired; submit the image again`);
    }
    throw new ApiError('NOT_FOUND', `No task with id "${id}"`);
  }

  async #expire(id: string, job: Job | undefined): Promise<void> {
    await job?.remove().catch(() => {});
    await this.#client.del(this.#key('cancelled', id), this.#key('input', id), this.#key('result', id));
  }

  /** A job BullMQ recorded as completed or failed: its input, stored result and dedupe key go. */
  async #ended(job: Job<StoredData, StoredResult>): Promise<void> {
    const id = job.id!;
    try {
      await this.#retryRedis(() => this.#client.del(this.#key('input', id), this.#key('result', id)), 60_000);
      await this.#dedupe.release(job.data.key, id);
    } catch (e) {
      // Left to their TTL.
      this.#onError(e);
    }
  }

  async submit(key: string, input: I): Promise<SubmitResult> {
    if (this.#closed) throw new ApiError('BUSY', 'The server is shutting down', { 'Retry-After': '5' });
    await this.#checkConnected();
    await this.#whenReady();
    if (this.#policy !== null && this.#policy !== 'noeviction') {
      throw unavailable(`Redis maxmemory-policy is ${this.#policy}, not noeviction`);
    }
    return this.#guard(async () => {
      const id = randomUUID();
      const joined = await this.#dedupe.claim(key, id, (holder) =>
        this.#load(holder).then(
          (r) => r.record,
          () => null,
        ),
      );
      if (joined) return { record: joined, joined: true };
      if ((await this.#queue.getWaitingCount()) >= this.#opts.maxPending) {
        await this.#dedupe.release(key, id);
        throw new ApiError('BUSY', 'The background queue is full; retry later', { 'Retry-After': '10' });
      }
      const created = this.#now();
      await this.#client
        .multi()
        .set(this.#key('input', id), this.#opts.codec.encode(input), 'PX', this.#inputTtlMs)
        .set(this.#key('known', id), '1', 'PX', this.#inputTtlMs + this.#ttlMs + DAY_MS)
        .exec();
      const age = Math.ceil(this.#ttlMs / 1000);
      await this.#queue.add(
        'convert',
        { key, created },
        {
          jobId: id,
          // Every failure of the job itself is final (UnrecoverableError); further attempts are only for a
          // run that lost Redis (see #run), which goes back to the queue instead of failing.
          attempts: REDIS_ATTEMPTS,
          backoff: { type: 'fixed', delay: 2000 },
          stackTraceLimit: 0,
          removeOnComplete: { age },
          removeOnFail: { age },
        },
      );
      await this.#refreshCounts();
      const stamp = new Date(created).toISOString();
      return {
        record: {
          task_id: id,
          status: 'pending' as const,
          progress: 0,
          created_at: stamp,
          updated_at: stamp,
        },
        joined: false,
      };
    });
  }

  /** The worker's processor: loads the input, runs the conversion, reports progress, honours cancel. */
  async #run(job: Job<StoredData, StoredResult>, token: string | undefined): Promise<StoredResult> {
    const id = job.id!;
    const controller = new AbortController();
    let finish = () => {};
    const run = { controller, done: new Promise<void>((r) => (finish = r)) };
    let runs = this.#running.get(id);
    if (!runs) this.#running.set(id, (runs = new Set()));
    runs.add(run);
    let reported: StoredProgress | null = isProgress(job.progress) ? job.progress : null;
    let updates: Promise<unknown> = Promise.resolve();
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (stage, percent) => {
        const value = Math.min(99, Math.max(reported?.percent ?? 0, Math.floor(percent)));
        if (reported && value === reported.percent && stage === reported.stage) return;
        reported = { percent: value, stage, at: this.#now() };
        const update = reported;
        updates = updates.then(() => job.updateProgress(update)).catch(this.#onError);
      },
    };
    const readMs = 60_000;
    try {
      if ((await this.#retryRedis(() => this.#client.exists(this.#key('cancelled', id)), readMs)) === 1)
        controller.abort(CANCEL);
      if (controller.signal.aborted) throw new ApiError('CANCELLED');
      // Run before (the job stalled after its conversion finished, e.g. across a Redis outage): its result.
      const done = await this.#retryRedis(() => this.#client.get(this.#key('result', id)), readMs);
      if (done !== null) return JSON.parse(done) as StoredResult;
      const bytes = await this.#retryRedis(() => this.#client.getBuffer(this.#key('input', id)), readMs);
      if (bytes === null) throw new ApiError('TASK_EXPIRED', 'The job waited longer than its input is kept');
      await this.#opts.hooks?.started(id, controller.signal);
      let output;
      try {
        output = await this.#opts.process(this.#opts.codec.decode(bytes), ctx);
      } finally {
        // Progress writes wait for Redis (BullMQ's connection queues them while it is away): do not hold
        // the result back for them.
        await settled(updates, 1000);
      }
      if (controller.signal.aborted) throw new ApiError('CANCELLED');
      await this.#opts.hooks?.finished(id);
      const result: StoredResult = {
        svg: output.svg,
        stats: output.stats,
        cached: output.cached,
        at: this.#now(),
      };
      // Kept until BullMQ records the completion (#ended): a run of this job after a lost lock answers it.
      await this.#retryRedis(
        () => this.#client.set(this.#key('result', id), JSON.stringify(result), 'PX', this.#inputTtlMs),
        RESULT_WRITE_MS,
      );
      return result;
    } catch (e) {
      if (controller.signal.reason === HAND_BACK && token !== undefined) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (e instanceof ApiError && e.code === 'BUSY' && !controller.signal.aborted && token !== undefined) {
        // This replica's threads are all taken (by synchronous requests): not the job's fault, so it
        // waits a moment in Redis, for any replica, instead of failing.
        await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
        throw new DelayedError();
      }
      // Redis went away under this run (reading the input, writing the result past its retries): not the
      // job's fault, so a plain error sends it back to the queue for another attempt, which reuses any
      // result already stored.
      if (isConnectionError(e) && !controller.signal.aborted) throw e;
      const cause = controller.signal.reason === CANCEL ? new ApiError('CANCELLED') : e;
      throw new UnrecoverableError(failureReason(cause, this.#now()));
    } finally {
      runs.delete(run);
      if (runs.size === 0 && this.#running.get(id) === runs) this.#running.delete(id);
      finish();
    }
  }

  #abort(id: string, reason: string): void {
    for (const run of this.#running.get(id) ?? []) run.controller.abort(reason);
  }

  get(id: string): Promise<JobRecord> {
    return this.#guard(async () => (await this.#load(id)).record);
  }

  result(id: string): Promise<JobOutput> {
    return this.#guard(async () => {
      const { record, result } = await this.#load(id);
      if (result) return { svg: result.svg, stats: result.stats, cached: result.cached ?? false };
      if (record.status === 'cancelled') throw new ApiError('TASK_EXPIRED', `Task ${id} was cancelled`);
      if (record.status === 'failed') {
        const err = record.error!;
        throw new ApiError(
          'TASK_FAILED',
          `Task ${id} failed: ${err.message}`,
          {},
          taskFailedStatus(err.code),
        );
      }
      throw new ApiError('TASK_NOT_READY', `Task ${id} is ${record.status} (${record.progress}%)`);
    });
  }

  cancel(id: string): Promise<JobRecord> {
    return this.#guard(async () => {
      const { record, key } = await this.#load(id);
      if (FINAL_STATUSES.has(record.status)) return record;
      const cancelled: JobRecord = { ...record, status: 'cancelled', updated_at: this.#stamp() };
      const stored: StoredCancel = { record: cancelled, expires: this.#now() + this.#ttlMs };
      await this.#client.set(this.#key('cancelled', id), JSON.stringify(stored), 'PX', this.#ttlMs + DAY_MS);
      this.#abort(id, CANCEL);
      if (record.status === 'pending') {
        // A job that became active meanwhile cannot be removed (it is locked); its processor sees the mark.
        await this.#queue.remove(id).catch(() => 0);
      }
      if (key !== null) await this.#dedupe.release(key, id);
      await this.#client.publish(`${this.#ns}cancel`, id);
      await this.#refreshCounts();
      return cancelled;
    });
  }

  subscribe(id: string, listener: (record: JobRecord) => void): () => void {
    return this.#watchers.subscribe(id, listener);
  }

  counts(): { pending: number; processing: number } {
    return this.#counts;
  }

  async ping(): Promise<boolean> {
    return !this.#closed && pingRedis(this.#client);
  }

  /** True while the command connection to Redis is up (no round trip: for metrics). */
  redisUp(): boolean {
    return !this.#closed && this.#client.status === 'ready';
  }

  /** Jobs this process is running now. */
  running(): number {
    return this.#running.size;
  }

  /** Redis answers and keeps jobs (maxmemory-policy noeviction): the background path can serve. */
  async backgroundState(): Promise<BackgroundState> {
    const redis = await this.ping();
    if (redis && this.#policy === null) this.#policy = await evictionPolicy(this.#client).catch(() => null);
    const policy = this.#policy;
    if (!redis) return { ready: false, redis, evictionPolicy: policy, reason: 'Redis is not answering' };
    if (policy !== null && policy !== 'noeviction') {
      return {
        ready: false,
        redis,
        evictionPolicy: policy,
        reason: `Redis maxmemory-policy is ${policy}; the job queue needs noeviction`,
      };
    }
    return { ready: true, redis, evictionPolicy: policy };
  }

  /** Stops taking new jobs and waits up to `ms` for the running ones to finish (graceful worker stop). */
  async finishRunning(ms: number): Promise<void> {
    await settled(this.#worker?.pause(true), 2000);
    const done = [...this.#running.values()].flatMap((runs) => [...runs].map((r) => r.done));
    await settled(Promise.all(done), ms);
  }

  async close(drain = true): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#countsTimer !== null) clearTimeout(this.#countsTimer);
    if (!drain && this.#running.size > 0) {
      // Stop fetching first, so a job handed back is not taken again by this same worker.
      await settled(this.#worker?.pause(true), 2000);
      const done = [...this.#running.values()].flatMap((runs) =>
        [...runs].map((r) => {
          r.controller.abort(HAND_BACK);
          return r.done;
        }),
      );
      const grace = new Promise((r) => setTimeout(r, this.#opts.handBackMs ?? 5000).unref());
      await Promise.race([Promise.all(done), grace]);
    }
    if (this.#client.status === 'ready') {
      await settled(this.#worker?.close(!drain));
      await settled(Promise.all([this.#events.close(), this.#queue.close()]), 5000);
    } else {
      // BullMQ's close waits for its connections to be ready, forever while Redis is away: drop them and
      // give it a moment. Nothing is lost: the jobs are in Redis, and a job running here goes back to wait
      // when its lock expires.
      const closing = Promise.all([this.#worker?.close(true), this.#events.close(), this.#queue.close()]);
      for (const c of this.#connections) c.disconnect();
      await settled(closing, 1000);
    }
    await Promise.all(this.#connections.map(closeRedis));
  }
}
