/**
 * Picks the service's cache, upload store, job queue and rate-limit counter
 * from the configuration: the embedded in-memory ones when REDIS_HOST is
 * unset (one process, nothing to run beside it), Redis and BullMQ when it is
 * set (every replica shares the cache, the uploads, the jobs and the
 * RATE_LIMIT counts). Each backend is built only when asked for, so an app
 * given its own (tests) opens no connection.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryCache } from './cache/memory-cache.js';
import { RedisCache } from './cache/redis-cache.js';
import type { ResultCache } from './cache/types.js';
import type { Config } from './config.js';
import type { ConversionRequest } from './convert-params.js';
import { BullmqJobQueue, type JobCodec, type JobHooks } from './jobs/bullmq-job-queue.js';
import { MemoryJobQueue } from './jobs/memory-job-queue.js';
import type { JobProcessor, JobQueue } from './jobs/types.js';
import { MemoryRateLimiter } from './ratelimit/memory-rate-limiter.js';
import { RedisRateLimiter } from './ratelimit/redis-rate-limiter.js';
import type { RateLimiter } from './ratelimit/types.js';
import { createRedis, describeRedis } from './redis-connection.js';
import type { JobInput } from './service.js';
import { MemoryUploadStore } from './uploads/memory-upload-store.js';
import { RedisUploadStore } from './uploads/redis-upload-store.js';
import type { UploadStore } from './uploads/types.js';

export interface BackendLog {
  warn(obj: object, msg: string): void;
}

/** What the job queue tells the metrics. */
export interface JobEvents {
  failed(): void;
  stalled(): void;
}

/**
 * Test-only (test/cluster): with IMAGE2SVG_TEST_JOB_GATE set to a folder, each background conversion
 * writes `started-<id>-<pid>` there and waits until a file `release` exists, then writes
 * `done-<id>-<pid>` when it finished. A test paces workers with files instead of racing a clock.
 */
export function fileGateHooks(dir: string | undefined): JobHooks | undefined {
  if (!dir) return undefined;
  return {
    async started(id, signal) {
      writeFileSync(join(dir, `started-${id}-${process.pid}`), '');
      while (!existsSync(join(dir, 'release'))) {
        // Stopped like a conversion is (cancel, hand back on shutdown).
        if (signal.aborted) throw new Error('stopped while held by the test gate');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async finished(id) {
      writeFileSync(join(dir, `done-${id}-${process.pid}`), '');
    },
  };
}

export interface Backends {
  kind: 'memory' | 'redis';
  /** null when CACHE_ENABLED=false. */
  cache(): ResultCache | null;
  uploads(): UploadStore;
  jobs(process: JobProcessor<JobInput>, events?: JobEvents): JobQueue<JobInput>;
  /** RATE_LIMIT's counter, `limit` requests per client and hour. */
  rateLimiter(limit: number): RateLimiter;
}

/** Background jobs waiting, at most: four times the worker pool's wait queue. */
function maxPending(config: Config): number {
  return Math.max(config.maxQueueSize, 1) * 4;
}

/** A Redis failure is logged once per 10 s, not once per request, while Redis is away. */
function throttledWarn(log: BackendLog, what: string): (err: unknown) => void {
  let last = -Infinity;
  return (err) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    log.warn({ err }, `Redis ${what}: ${err instanceof Error ? err.message : String(err)}`);
  };
}

/**
 * A job's input as bytes: a 4-byte big-endian length, the request as JSON,
 * then the image. The image stays binary (no base64 inflation in Redis).
 */
export const jobInputCodec: JobCodec<JobInput> = {
  encode({ bytes, request }) {
    const json = Buffer.from(JSON.stringify(request));
    const out = Buffer.allocUnsafe(4 + json.length + bytes.length);
    out.writeUInt32BE(json.length, 0);
    json.copy(out, 4);
    out.set(bytes, 4 + json.length);
    return out;
  },
  decode(buf) {
    const length = buf.readUInt32BE(0);
    const request = JSON.parse(buf.subarray(4, 4 + length).toString()) as ConversionRequest;
    return { request, bytes: new Uint8Array(buf.subarray(4 + length)) };
  },
};

/** For the start-up log: which backends, and where (never a password). */
export function describeBackends(config: Config): string {
  return config.redis
    ? `Redis at ${describeRedis(config.redis)}: cache, uploads, BullMQ job queue and rate-limit counts shared by every replica`
    : 'embedded: in-memory cache, uploads and job queue (set REDIS_HOST to share them between replicas)';
}

function testGate(): { hooks: JobHooks } | undefined {
  const hooks = fileGateHooks(process.env.IMAGE2SVG_TEST_JOB_GATE);
  return hooks ? { hooks } : undefined;
}

export function selectBackends(config: Config, log: BackendLog): Backends {
  const redis = config.redis;
  if (!redis) {
    return {
      kind: 'memory',
      cache: () =>
        config.cache.enabled
          ? new MemoryCache({ maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes })
          : null,
      uploads: () =>
        new MemoryUploadStore({ ttlSeconds: config.uploadTtlSeconds, maxBytes: config.maxUploadBytes }),
      jobs: (process) =>
        new MemoryJobQueue<JobInput>({
          process,
          concurrency: config.workerPoolSize,
          maxPending: maxPending(config),
          ttlSeconds: config.taskResultTtlSeconds,
        }),
      rateLimiter: (limit) => new MemoryRateLimiter({ limit }),
    };
  }
  const connect = (name: string, what: string) =>
    createRedis(redis, 'commands', name, throttledWarn(log, what));
  return {
    kind: 'redis',
    cache: () =>
      config.cache.enabled
        ? new RedisCache({
            client: connect('cache', 'cache'),
            maxEntries: config.cache.maxEntries,
            maxBytes: config.cache.maxBytes,
            onError: throttledWarn(log, 'cache (answering as a miss)'),
          })
        : null,
    uploads: () =>
      new RedisUploadStore({
        client: connect('uploads', 'uploads'),
        ttlSeconds: config.uploadTtlSeconds,
        maxBytes: config.maxUploadBytes,
      }),
    jobs: (process, events) =>
      new BullmqJobQueue<JobInput>({
        redis,
        process,
        codec: jobInputCodec,
        concurrency: config.workerPoolSize,
        maxPending: maxPending(config),
        ttlSeconds: config.taskResultTtlSeconds,
        // The api role, and BACKGROUND_PROCESSING=false, take and answer jobs but run none.
        runWorker: config.role !== 'api' && config.backgroundEnabled,
        lockMs: config.jobLockSeconds * 1000,
        stalledIntervalMs: config.jobStalledIntervalSeconds * 1000,
        ...(events ? { onJobFailed: events.failed, onJobStalled: events.stalled } : {}),
        ...(testGate() ?? {}),
        onError: throttledWarn(log, 'job queue'),
      }),
    rateLimiter: (limit) =>
      new RedisRateLimiter({
        client: connect('ratelimit', 'rate limit'),
        limit,
        onError: throttledWarn(log, 'rate limit (letting requests through uncounted)'),
      }),
  };
}
