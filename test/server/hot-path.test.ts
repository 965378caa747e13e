/** The conversion hot path's shortcuts keep the behaviour: access log, options parsed once, the cache key. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { Converter } from '../../src/server/converter.js';
import type { ConversionRequest } from '../../src/server/convert-params.js';
import { loggerOptions } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { WorkerPool } from '../../src/server/pool/worker-pool.js';
import { fileForm, makeApp, makeConfig, shapesPng } from './helpers.js';

describe('access log', () => {
  it('writes one line per request, when answered, with the request, the status and the time', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n'))
          if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const app = await buildApp(makeConfig(), { logger: pino(loggerOptions('info'), sink), webRoot: null });
    await app.ready();
    await app.inject('/health');
    await app.inject('/cache/stats');
    await app.inject({ method: 'POST', url: '/convert?color_mode=purple' });
    await app.close();
    const requests = lines.filter((l) => l.reqId !== undefined);
    expect(requests.map((l) => l.msg)).toEqual([
      'request completed',
      'request completed',
      'request completed',
    ]);
    expect(requests.map((l) => (l.req as { url: string }).url)).toEqual([
      '/health',
      '/cache/stats',
      '/convert?color_mode=purple',
    ]);
    expect(requests.map((l) => (l.res as { statusCode: number }).statusCode)).toEqual([200, 200, 400]);
    for (const l of requests) expect(l.responseTime).toBeGreaterThanOrEqual(0);
  });
});

describe('options from the query and the form', () => {
  let app: Awaited<ReturnType<typeof makeApp>>;
  let png: Buffer;
  beforeAll(async () => {
    app = await makeApp();
    png = await shapesPng(48);
  });
  afterAll(() => app.close());

  const convert = (url: string, fields: Record<string, string> = {}) => {
    const body = fileForm(png, fields);
    return app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });
  };

  it('takes a form field over the same query option, and keeps the other query options', async () => {
    const both = await convert('/convert?color_mode=color&precision=0&use_cache=false', {
      color_mode: 'binary',
    });
    const formOnly = await convert('/convert?use_cache=false', { color_mode: 'binary', precision: '0' });
    const queryOnly = await convert('/convert?color_mode=binary&precision=0&use_cache=false');
    expect(both.statusCode).toBe(200);
    expect(both.body).toBe(formOnly.body);
    expect(both.body).toBe(queryOnly.body);
    const color = await convert('/convert?color_mode=color&precision=0&use_cache=false');
    expect(color.body).not.toBe(both.body);
  });

  it('names a bad form field even when the query is valid, and a bad query option whatever the form says', async () => {
    const badField = await convert('/convert?color_mode=binary', { detail: '2' });
    expect(badField.statusCode).toBe(400);
    expect(badField.json()).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/"detail"/),
    });
    const unknownField = await convert('/convert', { colour: 'red' });
    expect(unknownField.json()).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/"colour"/),
    });
    const badQuery = await convert('/convert?detail=2', { detail: '0.5' });
    expect(badQuery.statusCode).toBe(400);
  });
});

describe('cache key', () => {
  const converter = new Converter({
    pool: undefined as unknown as WorkerPool,
    cache: null,
    config: makeConfig(),
    metrics: createMetrics({ queueDepth: () => 0, jobsInProgress: () => 0 }),
  });
  const request = (options: ConversionRequest['options'], resize = false): ConversionRequest => ({
    options,
    resize,
    enhance: false,
    useCache: true,
  });
  const bytes = new Uint8Array([1, 2, 3, 4, 5]);

  it('is the same for the same bytes and options in any order, and differs when either differs', async () => {
    const key = await converter.cacheKey(bytes, request({ mode: 'color', colors: 8 }));
    expect(key).toMatch(/^svg:[0-9a-f]{64}$/);
    expect(await converter.cacheKey(bytes, request({ colors: 8, mode: 'color' }))).toBe(key);
    expect(await converter.cacheKey(bytes, request({ mode: 'color', colors: 9 }))).not.toBe(key);
    expect(await converter.cacheKey(bytes, request({ mode: 'color', colors: 8 }, true))).not.toBe(key);
    expect(await converter.cacheKey(bytes.subarray(0, 4), request({ mode: 'color', colors: 8 }))).not.toBe(
      key,
    );
    expect(await converter.cacheKey(new Uint8Array(bytes), request({ mode: 'color', colors: 8 }))).toBe(key);
  });
});
