/**
 * The Redis cache, Redis upload store, BullMQ job queue and Redis rate
 * limiter: the same conformance suites as the memory backends, then what
 * only a shared backend can do: two replicas on one Redis, a job that waits
 * for a worker to start, a cancel from the replica that does not run the
 * job, a replica that leaves without finishing its job, and a rate limit
 * that lets requests through while Redis is away. Runs its own redis-server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobInputCodec } from '../../src/server/backends.js';
import { RedisCache } from '../../src/server/cache/redis-cache.js';
import { ApiError } from '../../src/server/errors.js';
import { BullmqJobQueue, type JobCodec } from '../../src/server/jobs/bullmq-job-queue.js';
import { failureReason, parseFailure } from '../../src/server/jobs/bullmq-records.js';
import type { JobContext, JobProcessor, JobRecord } from '../../src/server/jobs/types.js';
import {
  RedisRateLimiter,
  type RedisRateLimiterOptions,
} from '../../src/server/ratelimit/redis-rate-limiter.js';
import { createRedis, type RedisSettings } from '../../src/server/redis-connection.js';
import { RedisUploadStore } from '../../src/server/uploads/redis-upload-store.js';
import { cacheConformance } from './cache-conformance.js';
import { jobQueueConformance, type QueueFactoryOptions } from './job-queue-conformance.js';
import { rateLimiterConformance } from './rate-limiter-conformance.js';
import { findRedisServer, startRedis, type TestRedis } from './redis-server.js';
import { uploadStoreConformance } from './upload-store-conformance.js';

const binary = findRedisServer();
if (binary === null) {
  console.warn(
    'redis-server is not installed: skipping the Redis backend tests (scripts/install-test-deps.sh)',
  );
}

const stringCodec: JobCodec<string> = {
  encode: (s) => Buffer.from(s),
  decode: (b) => b.toString(),
};

let redis: TestRedis;
let settings: RedisSettings;
let prefixes = 0;
const open: { close(drain?: boolean): Promise<void> }[] = [];
/** Connection errors of the test's own clients: the 'Redis away' test expects them. */
const ignore = () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function track<T extends { close(drain?: boolean): Promise<void> }>(backend: T): T {
  open.push(backend);
  return backend;
}

/** A fresh key prefix: each backend made by a conformance test starts from empty Redis state. */
const prefix = () => `test${++prefixes}`;

function queue<I = string>(
  over: Partial<ConstructorParameters<typeof BullmqJobQueue<I>>[0]> & { process: JobProcessor<I> },
) {
  return track(
    new BullmqJobQueue<I>({
      redis: settings,
      codec: stringCodec as unknown as JobCodec<I>,
      concurrency: 1,
      maxPending: 10,
      ttlSeconds: 60,
      handBackMs: 2000,
      ...over,
    }),
  );
}

describe('what the Redis backends store', () => {
  it('a job input round-trips through its bytes: request JSON, then the image as is', () => {
    const input = {
      bytes: Uint8Array.from([0, 255, 10, 13]),
      request: {
        options: { mode: 'color' as const, palette: ['#ff0000', '#00ff00'], detail: 0.5 },
        resize: true,
        enhance: false,
        useCache: true,
      },
    };
    const encoded = jobInputCodec.encode(input);
    expect(encoded.readUInt32BE(0)).toBe(Buffer.byteLength(JSON.stringify(input.request)));
    expect([...encoded.subarray(-4)]).toEqual([0, 255, 10, 13]);
    const decoded = jobInputCodec.decode(encoded);
    expect(decoded.request).toEqual(input.request);
    expect([...decoded.bytes]).toEqual([0, 255, 10, 13]);
    expect(
      jobInputCodec.decode(jobInputCodec.encode({ ...input, bytes: new Uint8Array(0) })).bytes.length,
    ).toBe(0);
  });

  it('a failure reason carries the error code, and a reason BullMQ wrote itself reads as INTERNAL', () => {
    expect(parseFailure(failureReason(new ApiError('CORRUPT_IMAGE', 'truncated'), 7), 0)).toEqual({
      code: 'CORRUPT_IMAGE',
      message: 'truncated',
      at: 7,
    });
    expect(parseFailure(failureReason(new TypeError('boom'), 7), 0)).toMatchObject({
      code: 'INTERNAL',
      message: 'boom',
    });
    expect(parseFailure('job stalled more than allowable limit', 3)).toEqual({
      code: 'INTERNAL',
      message: 'job stalled more than allowable limit',
      at: 3,
    });
    expect(parseFailure('{"code":"NOT_A_CODE","message":"x"}', 3).code).toBe('INTERNAL');
  });
});

describe.skipIf(binary === null)('Redis backends', () => {
  beforeAll(async () => {
    redis = await startRedis(binary!);
    settings = redis.settings;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close(false)));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  cacheConformance('RedisCache', ({ maxEntries, clock }) =>
    track(
      new RedisCache({
        client: createRedis(settings, 'commands', 'test-cache', ignore),
        maxEntries,
        clock: clock.now,
        prefix: prefix(),
      }),
    ),
  );

  uploadStoreConformance('RedisUploadStore', ({ ttlSeconds, maxBytes, clock }) =>
    track(
      new RedisUploadStore({
        client: createRedis(settings, 'commands', 'test-uploads', ignore),
        ttlSeconds,
        maxBytes,
        clock: clock.now,
        sweepEveryMs: 0,
        prefix: prefix(),
      }),
    ),
  );

  jobQueueConformance(
    'BullmqJobQueue',
    ({ process, concurrency, maxPending, ttlSeconds, clock }: QueueFactoryOptions) =>
      queue({
        process,
        concurrency,
        maxPending,
        ttlSeconds,
        clock: clock.now,
        prefix: prefix(),
        handBackMs: 50,
      }),
    { settle: () => sleep(150) },
  );

  rateLimiterConformance('RedisRateLimiter', ({ limit, clock }) =>
    track(
      new RedisRateLimiter({
        client: createRedis(settings, 'commands', 'test-ratelimit', ignore),
        limit,
        clock: clock.now,
        prefix: prefix(),
      }),
    ),
  );

  describe('RedisRateLimiter across replicas', () => {
    function limiter(
      over: Partial<RedisRateLimiterOptions> & { redis?: RedisSettings; errors?: unknown[] } = {},
    ) {
      const { redis: at = settings, errors, ...rest } = over;
      return track(
        new RedisRateLimiter({
          client: createRedis(at, 'commands', 'test-ratelimit', ignore),
          limit: 3,
          onError: (e) => errors?.push(e),
          ...rest,
        }),
      );
    }

    it('replicas sharing a prefix share one count per client, in one expiring key per client and window', async () => {
      const window = 7 * 3_600_000;
      const shared = { prefix: prefix(), clock: () => window + 1000 };
      const a = limiter(shared);
      const b = limiter(shared);
      expect(await a.hit('ip:10.0.0.1')).toMatchObject({ allowed: true, remaining: 2 });
      expect(await b.hit('ip:10.0.0.1')).toMatchObject({ allowed: true, remaining: 1 });
      expect(await a.hit('ip:10.0.0.1')).toMatchObject({ allowed: true, remaining: 0 });
      expect(await b.hit('ip:10.0.0.1')).toMatchObject({ allowed: false, resetSeconds: 3599 });
      expect(await b.hit('ip:10.0.0.2')).toMatchObject({ allowed: true, remaining: 2 });
      const otherPrefix = limiter({ prefix: prefix(), clock: shared.clock });
      expect(await otherPrefix.hit('ip:10.0.0.1')).toMatchObject({ allowed: true, remaining: 2 });
      const probe = createRedis(settings, 'commands', 'probe', ignore);
      try {
        const key = `${shared.prefix}:ratelimit:ip:10.0.0.1:${window}`;
        expect(await probe.get(key)).toBe('4');
        const ttl = await probe.pttl(key);
        // The window's 3599 s left, plus a minute's margin for replicas' clocks.
        expect(ttl).toBeGreaterThan(3_658_000);
        expect(ttl).toBeLessThanOrEqual(3_659_000);
      } finally {
        probe.disconnect();
      }
    });

    it('lets requests through uncounted (and reports it) while Redis cannot be reached, within its deadline', async () => {
      const errors: unknown[] = [];
      const away = limiter({
        redis: { host: '127.0.0.1', port: 1, password: undefined },
        errors,
        timeoutMs: 300,
      });
      const t0 = performance.now();
      expect(await away.hit('ip:10.0.0.1')).toBeNull();
      expect(await away.hit('ip:10.0.0.1')).toBeNull();
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(errors).toHaveLength(2);
    });

    it('lets requests through at once, without waiting for a deadline, when the Redis it used goes away', async () => {
      const own = await startRedis(binary!);
      try {
        const errors: unknown[] = [];
        const l = limiter({ redis: own.settings, errors, timeoutMs: 1000 });
        expect(await l.hit('ip:10.0.0.1')).toMatchObject({ allowed: true, remaining: 2 });
        await own.stop();
        await expect.poll(() => l.hit('ip:10.0.0.1'), { timeout: 5000 }).toBeNull();
        const t0 = performance.now();
        for (let i = 0; i < 5; i++) expect(await l.hit('ip:10.0.0.1')).toBeNull();
        expect(performance.now() - t0).toBeLessThan(1000);
        expect(errors.length).toBeGreaterThanOrEqual(6);
      } finally {
        await own.stop();
      }
    });
  });

  describe('RedisCache across replicas', () => {
    it('serves on one replica what another stored, bounds bytes, and counts for all', async () => {
      const shared = { prefix: prefix(), maxEntries: 10, maxBytes: 10 };
      const a = track(new RedisCache({ client: createRedis(settings, 'commands', 'a', ignore), ...shared }));
      const b = track(new RedisCache({ client: createRedis(settings, 'commands', 'b', ignore), ...shared }));
      await a.set('k', '12345', 60);
      expect(await b.get('k')).toBe('12345');
      await b.set('big', 'x'.repeat(11), 60);
      expect(await a.get('big')).toBeUndefined();
      await b.set('l', '678901', 60);
      expect(await a.get('k')).toBeUndefined();
      expect(await a.stats()).toEqual({ hits: 1, misses: 2, total_keys: 1 });
    });

    it('answers a miss (and reports the error) while Redis is away', async () => {
      const errors: unknown[] = [];
      const client = createRedis(
        { host: '127.0.0.1', port: 1, password: undefined },
        'commands',
        'away',
        ignore,
      );
      const cache = track(new RedisCache({ client, maxEntries: 2, onError: (e) => errors.push(e) }));
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', 'v', 60);
      expect(errors).toHaveLength(2);
      expect(await cache.ping()).toBe(false);
    });
  });

  describe('BullmqJobQueue across replicas', () => {
    /** A processor that reports what it is given and finishes or stops when the test says. */
    function remote() {
      const runs: { input: string; ctx: JobContext; finish: (svg: string) => void }[] = [];
      const process: JobProcessor<string> = (input, ctx) =>
        new Promise((resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new ApiError('CANCELLED')));
          runs.push({
            input,
            ctx,
            finish: (svg) =>
              resolve({ svg, stats: { paths: 1, nodes: 2, bytes: svg.length, preset: null }, cached: false }),
          });
        });
      return { process, runs };
    }
    const never: JobProcessor<string> = () => new Promise(() => {});

    it('a job taken by one replica runs on the other, and both hear its events', async () => {
      const shared = { prefix: prefix() };
      const worker = remote();
      const api = queue({ ...shared, process: never, runWorker: false });
      const runner = queue({ ...shared, process: worker.process });
      const { record } = await api.submit('k', 'image bytes');
      const seenApi: JobRecord[] = [];
      const seenRunner: JobRecord[] = [];
      api.subscribe(record.task_id, (r) => seenApi.push(r));
      runner.subscribe(record.task_id, (r) => seenRunner.push(r));
      await expect.poll(() => worker.runs.length).toBe(1);
      expect(worker.runs[0]!.input).toBe('image bytes');
      worker.runs[0]!.ctx.progress('trace', 50);
      await expect.poll(() => seenApi.some((r) => r.progress === 50 && r.stage === 'trace')).toBe(true);
      expect(await api.submit('k', 'image bytes')).toMatchObject({
        joined: true,
        record: { task_id: record.task_id },
      });
      worker.runs[0]!.finish('<svg id="done"/>');
      await expect.poll(() => seenApi.at(-1)?.status).toBe('completed');
      await expect.poll(() => seenRunner.at(-1)?.status).toBe('completed');
      expect((await api.result(record.task_id)).svg).toBe('<svg id="done"/>');
      for (const seen of [seenApi, seenRunner]) {
        const progress = seen.map((r) => r.progress);
        expect(progress).toEqual([...progress].sort((x, y) => x - y));
      }
    });

    it('a job taken while no worker runs waits in Redis and runs when a worker starts', async () => {
      const shared = { prefix: prefix() };
      const api = queue({ ...shared, process: never, runWorker: false });
      const { record } = await api.submit('k', 'queued before any worker');
      await api.close();
      const worker = remote();
      const late = queue({ ...shared, process: worker.process });
      await expect.poll(() => worker.runs.length).toBe(1);
      worker.runs[0]!.finish('<svg id="late"/>');
      const restarted = queue({ ...shared, process: never, runWorker: false });
      await expect.poll(async () => (await restarted.get(record.task_id)).status).toBe('completed');
      expect((await restarted.result(record.task_id)).svg).toBe('<svg id="late"/>');
      expect((await late.get(record.task_id)).progress).toBe(100);
    });

    it('a job run again after its conversion finished (lost lock) answers the stored result, converting nothing', async () => {
      const shared = { prefix: prefix() };
      const api = queue({ ...shared, process: never, runWorker: false });
      const { record } = await api.submit('k', 'converted before the outage');
      // What a worker whose lock expired during a Redis outage left: the finished result, written once
      // Redis came back, with the job still to be completed by whoever runs it next.
      const stored = {
        svg: '<svg id="stored"/>',
        stats: { paths: 1, nodes: 4, bytes: 18, preset: null },
        at: Date.now(),
      };
      const raw = createRedis(settings, 'commands', 'test', ignore);
      const ns = `${shared.prefix}:{image2svg-convert}:`;
      await raw.set(`${ns}result:${record.task_id}`, JSON.stringify(stored));
      const failed: string[] = [];
      queue({ ...shared, process: never, onJobFailed: () => failed.push('failed') });
      await expect.poll(async () => (await api.get(record.task_id)).status).toBe('completed');
      expect((await api.result(record.task_id)).svg).toBe('<svg id="stored"/>');
      expect(failed).toEqual([]);
      // The job really ended: its input and stored result are gone.
      await expect
        .poll(() => raw.exists(`${ns}input:${record.task_id}`, `${ns}result:${record.task_id}`))
        .toBe(0);
      raw.disconnect();
    });

    it('calls answer 503 QUEUE_UNAVAILABLE at once while the connection is down, and readiness says why', async () => {
      const api = queue({ prefix: prefix(), process: never, runWorker: false });
      await api.submit('k', 'x');
      expect(api.redisUp()).toBe(true);
      expect(await api.backgroundState()).toEqual({ ready: true, redis: true, evictionPolicy: 'noeviction' });
      const down = queue({
        prefix: prefix(),
        process: never,
        runWorker: false,
        redis: { ...settings, port: 1 },
      });
      await expect(down.submit('k', 'x')).rejects.toMatchObject({
        code: 'QUEUE_UNAVAILABLE',
        status: 503,
        headers: { 'Retry-After': '5' },
      });
      // Once a connection attempt failed, every call answers without waiting.
      const t0 = Date.now();
      await expect(down.get('any')).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      await expect(down.submit('k', 'y')).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(down.redisUp()).toBe(false);
      expect(await down.backgroundState()).toMatchObject({
        ready: false,
        redis: false,
        reason: 'Redis is not answering',
      });
    });

    it('a cancel on one replica stops the run on the replica that runs it', async () => {
      const shared = { prefix: prefix() };
      const worker = remote();
      const api = queue({ ...shared, process: never, runWorker: false });
      const runner = queue({ ...shared, process: worker.process });
      const { record } = await api.submit('k', 'long');
      const seen: JobRecord[] = [];
      api.subscribe(record.task_id, (r) => seen.push(r));
      await expect.poll(() => worker.runs.length).toBe(1);
      expect((await api.cancel(record.task_id)).status).toBe('cancelled');
      await expect.poll(() => worker.runs[0]!.ctx.signal.aborted).toBe(true);
      await expect.poll(() => seen.at(-1)?.status).toBe('cancelled');
      expect((await runner.get(record.task_id)).status).toBe('cancelled');
      await expect(api.result(record.task_id)).rejects.toMatchObject({ code: 'TASK_EXPIRED' });
      const again = await runner.submit('k', 'long');
      expect(again.joined).toBe(false);
    });

    it('a replica that leaves without draining hands its running job to another', async () => {
      const shared = { prefix: prefix() };
      const first = remote();
      const leaving = queue({ ...shared, process: first.process });
      const { record } = await leaving.submit('k', 'handed over');
      await expect.poll(() => first.runs.length).toBe(1);
      first.runs[0]!.ctx.progress('trace', 30);
      await expect.poll(async () => (await leaving.get(record.task_id)).progress).toBe(30);
      await leaving.close(false);
      expect(first.runs[0]!.ctx.signal.aborted).toBe(true);
      const second = remote();
      const staying = queue({ ...shared, process: second.process });
      await expect.poll(() => second.runs.length).toBe(1);
      expect(second.runs[0]!.input).toBe('handed over');
      second.runs[0]!.ctx.progress('trace', 10);
      await sleep(100);
      expect((await staying.get(record.task_id)).progress).toBe(30);
      second.runs[0]!.finish('<svg id="second"/>');
      await expect.poll(async () => (await staying.get(record.task_id)).status).toBe('completed');
      expect((await staying.result(record.task_id)).svg).toBe('<svg id="second"/>');
    });

    it('a job refused BUSY by a replica whose threads are all taken runs again a moment later', async () => {
      const inputs: string[] = [];
      const busyOnce: JobProcessor<string> = async (input) => {
        inputs.push(input);
        if (inputs.length === 1) throw new ApiError('BUSY');
        return {
          svg: '<svg id="retried"/>',
          stats: { paths: 0, nodes: 0, bytes: 19, preset: null },
          cached: false,
        };
      };
      const q = queue({ prefix: prefix(), process: busyOnce });
      const { record } = await q.submit('k', 'busy');
      await expect
        .poll(async () => (await q.get(record.task_id)).status, { timeout: 5000 })
        .toBe('completed');
      expect(inputs).toEqual(['busy', 'busy']);
      expect((await q.result(record.task_id)).svg).toBe('<svg id="retried"/>');
    });

    it('counts and readiness', async () => {
      const q = queue({ prefix: prefix(), process: never, runWorker: false });
      await q.submit('1', 'a');
      await q.submit('2', 'b');
      expect(q.counts()).toEqual({ pending: 2, processing: 0 });
      expect(await q.ping()).toBe(true);
      await q.close();
      expect(await q.ping()).toBe(false);
      await expect(q.submit('3', 'c')).rejects.toMatchObject({ code: 'BUSY' });
    });
  });
});
