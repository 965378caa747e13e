import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/server/pool/worker-pool.js';
import { fileForm, inOneRateLimitWindow, makeApp, noisePng, shapesPng, waitFor } from './helpers.js';

const GATED_WORKER = new URL('./fixtures/gated-worker.mjs', import.meta.url);

const apps: FastifyInstance[] = [];
async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const app = await makeApp(env);
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function convert(
  app: FastifyInstance,
  data: Buffer,
  url = '/convert',
  headers: Record<string, string> = {},
) {
  const body = fileForm(data);
  return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...headers } });
}

describe('API keys', () => {
  it('401 without a valid X-API-Key on API routes; probes, metrics and docs stay open; every key works', async () => {
    const app = await appWith({ API_KEY_REQUIRED: 'true', API_KEYS: 'first-key-0001,second-key-0002' });
    const png = await shapesPng(32);
    const none = await convert(app, png);
    expect(none.json()).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/X-API-Key/),
    });
    expect((await convert(app, png, '/convert', { 'x-api-key': 'wrong-key-0000' })).statusCode).toBe(401);
    expect((await app.inject('/api/cache/stats')).statusCode).toBe(401);
    expect((await app.inject('/tasks/x')).statusCode).toBe(401);
    for (const key of ['first-key-0001', 'second-key-0002']) {
      expect((await convert(app, png, '/api/convert', { 'x-api-key': key })).statusCode).toBe(200);
    }
    for (const url of ['/health', '/api/health', '/metrics', '/docs/json']) {
      expect((await app.inject(url)).statusCode).toBe(200);
    }
    expect((await app.inject('/ready')).statusCode).not.toBe(401);
  });
});

describe('rate limit', () => {
  it('429 with Retry-After and rate-limit headers past RATE_LIMIT requests per hour per client', async () => {
    await inOneRateLimitWindow();
    const app = await appWith({ RATE_LIMIT: '3' });
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const r = await app.inject('/cache/stats');
      expect(r.statusCode).toBe(200);
      seen.push(r.headers['x-ratelimit-remaining']);
      expect(r.headers['x-ratelimit-limit']).toBe('3');
    }
    expect(seen).toEqual(['2', '1', '0']);
    const refused = await app.inject('/cache/stats');
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    // The window is the clock hour: it resets at the top of the hour.
    const retry = Number(refused.headers['retry-after']);
    const toNextHour = (3_600_000 - (Date.now() % 3_600_000)) / 1000;
    expect(retry).toBeGreaterThanOrEqual(Math.floor(toNextHour));
    expect(retry).toBeLessThanOrEqual(Math.ceil(toNextHour) + 1);
    expect(Number(refused.headers['x-ratelimit-reset'])).toBe(retry);
    expect((await app.inject('/health')).statusCode).toBe(200);
    const other = await app.inject({ url: '/cache/stats', remoteAddress: '10.0.0.9' });
    expect(other.statusCode).toBe(200);
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const app = await appWith({ CORS_ORIGINS: 'https://ok.example' });
    const ok = await app.inject({ url: '/api/', headers: { origin: 'https://ok.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://ok.example');
    expect(String(ok.headers['access-control-expose-headers'])).toContain('X-Cache');
    const other = await app.inject({ url: '/api/', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers when CORS_ORIGINS is empty', async () => {
    const app = await appWith({});
    const r = await app.inject({ url: '/api/', headers: { origin: 'https://any.example' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('feature switches', () => {
  it('503 STREAMING_DISABLED, 503 BACKGROUND_DISABLED, 404 metrics, cache stats disabled', async () => {
    const app = await appWith({
      STREAMING_ENABLED: 'false',
      BACKGROUND_PROCESSING: 'false',
      MONITORING_ENABLED: 'false',
      CACHE_ENABLED: 'false',
    });
    const png = await shapesPng(32);
    expect((await convert(app, png, '/convert/streaming')).json()).toMatchObject({
      statusCode: 503,
      code: 'STREAMING_DISABLED',
    });
    expect((await convert(app, png, '/convert/background')).json()).toMatchObject({
      statusCode: 503,
      code: 'BACKGROUND_DISABLED',
    });
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    expect((await app.inject('/cache/stats')).json()).toEqual({
      enabled: false,
      hits: 0,
      misses: 0,
      total_keys: 0,
    });
    const twice = [await convert(app, png), await convert(app, png)];
    expect(twice.map((r) => r.headers['x-cache'])).toEqual(['MISS', 'MISS']);
  });
});

describe('timeouts and back-pressure', () => {
  it('504 when a conversion passes VECTORIZATION_TIMEOUT, its thread is stopped, and the next request works', async () => {
    const app = await appWith({ WORKER_POOL_SIZE: '1', VECTORIZATION_TIMEOUT: '0.3' });
    await new Promise((r) => setTimeout(r, 300));
    const slow = await noisePng(1400, 1400, 3);
    const body = fileForm(slow, { color_mode: 'color' });
    const r = await app.inject({
      method: 'POST',
      url: '/convert',
      payload: body.payload,
      headers: body.headers,
    });
    expect(r.json()).toMatchObject({
      statusCode: 504,
      code: 'TIMEOUT',
      message: expect.stringMatching(/0.3 s/),
    });
    expect(app.service.pool.stats()).toMatchObject({ terminated: 1, busy: 0 });
    const next = await convert(app, await shapesPng(24));
    expect(next.statusCode).toBe(200);
  });

  it('503 BUSY with Retry-After, at once, when the workers are busy and the wait queue is full', async () => {
    // The worker holds every task until the test releases it: the pool is full for as long as the test
    // needs, however fast or loaded the machine is.
    const pool = new WorkerPool({ size: 1, maxQueue: 1, timeoutMs: 60_000, workerUrl: GATED_WORKER });
    const app = await makeApp({ WORKER_POOL_SIZE: '1', MAX_QUEUE_SIZE: '1' }, { pool });
    apps.push(app);
    const gate = new BroadcastChannel('image2svg-test-worker-gate');
    try {
      await waitFor(async () => (pool.ready() ? true : undefined));
      const images = await Promise.all([1, 2, 3].map((seed) => noisePng(16, 16, seed)));
      const running = convert(app, images[0], '/convert?use_cache=false');
      await waitFor(async () => (pool.stats().busy === 1 ? true : undefined));
      const queued = convert(app, images[1], '/convert?use_cache=false');
      await waitFor(async () => (pool.stats().queued === 1 ? true : undefined));
      const busy = await convert(app, images[2], '/convert?use_cache=false');
      expect(busy.statusCode).toBe(503);
      expect(busy.json().code).toBe('BUSY');
      expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      gate.postMessage('release');
      const done = await Promise.all([running, queued]);
      expect(done.map((r) => r.statusCode)).toEqual([200, 200]);
    } finally {
      gate.close();
    }
  });
});

describe('readiness', () => {
  it('is ready once the workers load, and not ready while shutting down', async () => {
    const app = await appWith({ WORKER_POOL_SIZE: '1' });
    const ready = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await app.inject('/ready');
        if (r.statusCode === 200) return r;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error('never ready');
    })();
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { workers: true, cache: true, jobs: true },
      paths: { sync: 'ready', background: 'ready' },
      background: { redis: null, eviction_policy: null },
    });
    expect(ready.headers.connection).not.toBe('close');
    app.service.state.closing = true;
    const closing = await app.inject('/ready');
    expect(closing.statusCode).toBe(503);
    expect(closing.json()).toMatchObject({
      status: 'not_ready',
      checks: { accepting: false },
      paths: { sync: 'not_ready', background: 'degraded' },
      background: { reason: 'shutting down' },
    });
    // Draining: still served, each answer telling the client to leave its kept-alive connection.
    const health = await app.inject('/health');
    expect(health.statusCode).toBe(200);
    expect(health.headers.connection).toBe('close');
  });
});
