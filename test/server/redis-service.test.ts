/**
 * The service on Redis, end to end: two app replicas configured only with
 * REDIS_HOST/REDIS_PORT/REDIS_PASSWORD share the result cache, the chunked
 * uploads, the background jobs and the RATE_LIMIT counts; readiness reports
 * the background path (Redis) while staying ready for /convert without it,
 * and the rate limit lets requests through while Redis is away; the
 * started server names its Redis without the password. Runs its own
 * redis-server (with a password, as the production compose file does).
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/server/logger.js';
import {
  expectOwnedByKey,
  expectSafeSvg,
  fileForm,
  form,
  inOneRateLimitWindow,
  makeApp,
  noisePng,
  shapesPng,
  waitFor,
} from './helpers.js';
import { findRedisServer, startRedis, type TestRedis } from './redis-server.js';

const binary = findRedisServer();
if (binary === null) {
  console.warn(
    'redis-server is not installed: skipping the service-on-Redis tests (scripts/install-test-deps.sh)',
  );
}

const PASSWORD = 'test-redis-secret-4f9c';
let redis: TestRedis;
let env: Record<string, string>;
let one: FastifyInstance;
let two: FastifyInstance;
let image: Buffer;

const post = (app: FastifyInstance, url: string, body: ReturnType<typeof form>) =>
  app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });

describe.skipIf(binary === null)('the service on Redis', () => {
  beforeAll(async () => {
    redis = await startRedis(binary!, PASSWORD);
    env = {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redis.settings.port),
      REDIS_PASSWORD: PASSWORD,
      CHUNK_SIZE: '1024',
      WORKER_POOL_SIZE: '1',
    };
    [one, two] = await Promise.all([makeApp(env), makeApp(env)]);
    image = await shapesPng(96);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await redis?.stop();
  });

  it('replicas share the result cache: computed on one, a hit on the other', async () => {
    const first = await post(one, '/convert?precision=1', fileForm(image));
    const second = await post(two, '/convert?precision=1', fileForm(image));
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    expect(second.body).toBe(first.body);
    expectSafeSvg(first.body);
    expect((await one.inject('/cache/stats')).json()).toEqual({
      enabled: true,
      hits: 1,
      misses: 1,
      total_keys: 1,
    });
  });

  it('a background job taken by one replica is answered by the other, byte-identical to /convert', async () => {
    const direct = await post(one, '/convert?precision=2&use_cache=false', fileForm(image));
    const accepted = await post(one, '/convert/background?precision=2&use_cache=false', fileForm(image));
    expect(accepted.statusCode).toBe(202);
    const { task_id } = accepted.json() as { task_id: string };
    const status = await waitFor(async () => {
      const s = (await two.inject(`/tasks/${task_id}`)).json() as { status: string };
      return s.status === 'completed' || s.status === 'failed' ? s : undefined;
    });
    expect(status).toMatchObject({
      status: 'completed',
      progress: 100,
      result_url: `/tasks/${task_id}/result`,
    });
    const result = await two.inject(`/api/tasks/${task_id}/result`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(direct.body);
    expect(result.headers['x-cache']).toBe('MISS');
    for (const h of ['x-paths', 'x-nodes', 'x-svg-bytes']) expect(result.headers[h]).toBe(direct.headers[h]);
    const cancel = await one.inject({ method: 'DELETE', url: `/tasks/${task_id}` });
    expect(cancel.json()).toMatchObject({ status: 'completed' });
    expect((await two.inject('/tasks/no-such-task')).statusCode).toBe(404);
  });

  it('a cancel sent to one replica stops the worker thread of the replica running the job', async () => {
    const slow = await noisePng(1000, 1000, 11);
    const accepted = await post(one, '/convert/background?color_mode=color&use_cache=false', fileForm(slow));
    const { task_id } = accepted.json() as { task_id: string };
    const busy = async () => {
      const health = await Promise.all([one, two].map((app) => app.inject('/health')));
      return health.reduce((n, h) => n + (h.json() as { workers: { busy: number } }).workers.busy, 0);
    };
    await expect.poll(busy, { timeout: 10_000 }).toBe(1);
    const cancelled = await two.inject({ method: 'DELETE', url: `/tasks/${task_id}` });
    expect(cancelled.json()).toMatchObject({ task_id, status: 'cancelled' });
    await expect.poll(busy, { timeout: 3000 }).toBe(0);
    expect((await one.inject(`/tasks/${task_id}`)).json()).toMatchObject({ status: 'cancelled' });
    expect((await one.inject(`/tasks/${task_id}/result`)).statusCode).toBe(410);
  });

  it('chunks sent to different replicas assemble into one upload, converted by either', async () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < image.length; i += 1024) parts.push(image.subarray(i, i + 1024));
    expect(parts.length).toBeGreaterThan(1);
    for (let i = parts.length - 1; i >= 0; i--) {
      const replica = i % 2 === 0 ? one : two;
      const body = form({
        upload_id: 'shared-1',
        chunk_number: String(i),
        total_chunks: String(parts.length),
        chunk: { data: parts[i]! },
      });
      expect((await post(replica, '/upload/chunked', body)).statusCode).toBe(200);
    }
    const done = await two.inject({ method: 'POST', url: '/upload/chunked/shared-1/complete' });
    expect(done.json()).toEqual({ upload_id: 'shared-1', size: image.length, format: 'png' });
    const viaId = await post(one, '/convert?precision=1', form({ upload_id: 'shared-1' }));
    expect(viaId.statusCode).toBe(200);
    expect(viaId.headers['x-cache']).toBe('HIT');
    expect(viaId.body).toBe((await post(two, '/convert?precision=1', fileForm(image))).body);
  });

  it('is ready while Redis answers; without Redis stays ready for /convert, reports the background path degraded and answers 503 QUEUE_UNAVAILABLE', async () => {
    // Polled: a worker thread stopped by the cancel above is being replaced, and readiness waits for it.
    await expect
      .poll(async () => (await one.inject('/ready')).json(), { timeout: 10_000 })
      .toMatchObject({
        status: 'ready',
        checks: { cache: true, jobs: true },
        paths: { sync: 'ready', background: 'ready' },
        background: { redis: true, eviction_policy: 'noeviction' },
      });
    const away = await makeApp({ ...env, REDIS_PORT: '1' });
    try {
      await expect
        .poll(
          async () => {
            const r = await away.inject('/ready');
            return { code: r.statusCode, body: r.json() };
          },
          { timeout: 10_000 },
        )
        .toMatchObject({
          code: 200,
          body: {
            status: 'ready',
            checks: { cache: false, jobs: false, workers: true },
            paths: { sync: 'ready', background: 'degraded' },
            background: { redis: false, reason: 'Redis is not answering' },
          },
        });
      expect((await away.inject('/health')).statusCode).toBe(200);
      const sync = await post(away, '/convert', fileForm(image));
      expect(sync.statusCode).toBe(200);
      const refused = await post(away, '/convert/background', fileForm(image));
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      expect(refused.headers['retry-after']).toBe('5');
      const status = await away.inject('/tasks/some-task');
      expect(status.statusCode).toBe(503);
      expect(status.json()).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      const metrics = (await away.inject('/metrics')).body;
      expect(metrics).toMatch(/^image2svg_redis_up 0$/m);
      expect(metrics).toMatch(/^image2svg_ready\{path="sync"\} 1$/m);
      expect(metrics).toMatch(/^image2svg_ready\{path="background"\} 0$/m);
    } finally {
      await away.close();
    }
    const metrics = (await one.inject('/metrics')).body;
    expect(metrics).toMatch(/^image2svg_redis_up 1$/m);
    expect(metrics).toMatch(/^image2svg_ready\{path="background"\} 1$/m);
  });

  it('replicas share the RATE_LIMIT count: requests answered by one count on the other', async () => {
    await inOneRateLimitWindow();
    const limited = { ...env, RATE_LIMIT: '3' };
    const [a, b] = await Promise.all([makeApp(limited), makeApp(limited)]);
    try {
      const get = (app: FastifyInstance, remoteAddress = '10.1.2.3') =>
        app.inject({ url: '/cache/stats', remoteAddress });
      const answers = [await get(a), await get(b), await get(a)];
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      expect(answers.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
      for (const r of [await get(b), await get(a)]) {
        expect(r.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
        expect(r.headers['retry-after']).toBe(r.headers['x-ratelimit-reset']);
      }
      expect((await get(b, '10.1.2.4')).headers['x-ratelimit-remaining']).toBe('2');
      // Without RATE_LIMIT a replica does not count at all.
      expect((await get(one)).headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets requests through, uncounted and with one warning, while Redis is away', async () => {
    const warnings: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) {
          if (!line) continue;
          const l = JSON.parse(line) as { level: number; msg: string };
          if (l.level === 40) warnings.push(l.msg);
        }
        done();
      },
    });
    const away = await makeApp(
      { ...env, REDIS_PORT: '1', RATE_LIMIT: '1', CACHE_ENABLED: 'false' },
      { logger: pino(loggerOptions('info'), sink) },
    );
    try {
      for (let i = 0; i < 3; i++) {
        const r = await post(away, '/convert?precision=1', fileForm(image));
        expect(r.statusCode).toBe(200);
        expect(r.headers['x-ratelimit-remaining']).toBeUndefined();
      }
    } finally {
      await away.close();
    }
    expect(warnings.filter((m) => m.includes('letting requests through'))).toHaveLength(1);
  });

  it("with API keys, a task and an upload made on one replica are its key's on the other, 404 to another key", async () => {
    const keyed = { ...env, API_KEY_REQUIRED: 'true', API_KEYS: 'owner-key-0001,other-key-0002' };
    const [a, b] = await Promise.all([makeApp(keyed), makeApp(keyed)]);
    try {
      await expectOwnedByKey(a, b, 'owner-key-0001', 'other-key-0002');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the started server says it uses Redis, never shows the password, and exits 0 on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        BACKEND_HOST: '127.0.0.1',
        BACKEND_PORT: '0',
        SHUTDOWN_DRAIN_SECONDS: '0',
        LOG_LEVEL: 'debug',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d.toString();
        const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(image)]), 'image.png');
    const accepted = (await (
      await fetch(`${url}/convert/background?precision=3`, { method: 'POST', body })
    ).json()) as {
      task_id: string;
    };
    const done = await waitFor(async () => {
      const s = (await (await fetch(`${url}/tasks/${accepted.task_id}`)).json()) as { status: string };
      return s.status === 'completed' ? s : undefined;
    });
    expect(done.status).toBe('completed');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain(`backends: Redis at 127.0.0.1:${redis.settings.port} (with password)`);
    expect(out).not.toContain(PASSWORD);
  });
});
