import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryJobQueue } from '../../src/server/jobs/memory-job-queue.js';
import type { JobProcessor } from '../../src/server/jobs/types.js';
import type { JobInput } from '../../src/server/service.js';
import { MemoryUploadStore } from '../../src/server/uploads/memory-upload-store.js';
import { fakeClock } from './cache-conformance.js';
import {
  expectSafeSvg,
  fileForm,
  form,
  makeApp,
  noisePng,
  pngHeaderOnly,
  shapesPng,
  waitFor,
} from './helpers.js';

let app: FastifyInstance;
let shapes: Buffer;
const clock = fakeClock(Date.now());

beforeAll(async () => {
  const uploads = new MemoryUploadStore({
    ttlSeconds: 60,
    maxBytes: 10_000_000,
    clock: clock.now,
    sweepEveryMs: 0,
  });
  const jobs = (process: JobProcessor<JobInput>) =>
    new MemoryJobQueue({
      process,
      concurrency: 2,
      maxPending: 10,
      ttlSeconds: 60,
      clock: clock.now,
      sweepEveryMs: 0,
    });
  app = await makeApp({ CHUNK_SIZE: '4096' }, { uploads, jobs });
  shapes = await shapesPng(80);
});
afterAll(() => app.close());

const post = (url: string, body: ReturnType<typeof form>) =>
  app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });

async function finished(statusUrl: string): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const r = (await app.inject(statusUrl)).json() as Record<string, unknown>;
    return ['completed', 'failed', 'cancelled'].includes(r.status as string) ? r : undefined;
  });
}

describe('background conversions', () => {
  it('queues, completes with progress 100, and returns the same bytes as /convert', async () => {
    const res = await post('/api/convert/background?precision=2', fileForm(shapes));
    expect(res.statusCode).toBe(202);
    const accepted = res.json() as { task_id: string; status: string; status_url: string };
    expect(accepted.status).toBe('pending');
    expect(accepted.status_url).toBe(`/api/tasks/${accepted.task_id}`);
    const done = await finished(accepted.status_url);
    expect(done).toMatchObject({
      task_id: accepted.task_id,
      status: 'completed',
      progress: 100,
      result_url: `/api/tasks/${accepted.task_id}/result`,
      stats: { paths: expect.any(Number), nodes: expect.any(Number), bytes: expect.any(Number) },
    });
    expect(Date.parse(done.created_at as string)).toBeLessThanOrEqual(Date.parse(done.updated_at as string));
    const result = await app.inject(done.result_url as string);
    expect(result.statusCode).toBe(200);
    expect(result.headers['x-content-type-options']).toBe('nosniff');
    expectSafeSvg(result.body);
    const stats = done.stats as { paths: number; nodes: number; bytes: number };
    expect(result.headers).toMatchObject({
      'x-cache': 'MISS',
      'x-paths': String(stats.paths),
      'x-nodes': String(stats.nodes),
      'x-svg-bytes': String(Buffer.byteLength(result.body)),
      'x-processing-time': expect.stringMatching(/^\d+\.\d{4}$/),
    });
    expect(result.headers['x-preset']).toBeUndefined();
    expect(result.headers['x-engine-time']).toBeUndefined();
    const sync = await post('/convert?precision=2&use_cache=false', fileForm(shapes));
    expect(sync.body).toBe(result.body);
    for (const h of ['x-paths', 'x-nodes', 'x-svg-bytes']) expect(result.headers[h]).toBe(sync.headers[h]);
    const events = await app.inject(`/api/tasks/${accepted.task_id}/events`);
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(events.body).toBe(`event: completed\ndata: ${JSON.stringify(done)}\n\n`);
  });

  it('answers X-Cache: HIT and the stats headers for a task the result cache answered', async () => {
    const sync = await post('/convert?precision=3&preset=logo', fileForm(shapes));
    expect(sync.headers['x-cache']).toBe('MISS');
    const accepted = (await post('/convert/background?precision=3&preset=logo', fileForm(shapes))).json();
    expect((await finished(accepted.status_url)).status).toBe('completed');
    const result = await app.inject(`${accepted.status_url}/result`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(sync.body);
    expect(result.headers).toMatchObject({
      'x-cache': 'HIT',
      'x-paths': sync.headers['x-paths'],
      'x-nodes': sync.headers['x-nodes'],
      'x-svg-bytes': sync.headers['x-svg-bytes'],
      'x-preset': 'logo',
      'content-security-policy': sync.headers['content-security-policy'],
    });
    expect(result.headers['x-engine-time']).toBeUndefined();
  });

  it('expires a finished task after its TTL: status and result answer 410', async () => {
    const accepted = (await post('/convert/background?precision=0', fileForm(shapes))).json();
    expect((await finished(accepted.status_url)).status).toBe('completed');
    clock.advance(60_001);
    expect((await app.inject(accepted.status_url)).json()).toMatchObject({
      statusCode: 410,
      code: 'TASK_EXPIRED',
    });
    expect((await app.inject(`${accepted.status_url}/result`)).statusCode).toBe(410);
  });

  it('joins an identical running job, and answers 202 with the status while it runs', async () => {
    const slow = await noisePng(700, 700, 7);
    const a = (await post('/convert/background?color_mode=color&use_cache=false', fileForm(slow))).json();
    const b = (await post('/convert/background?color_mode=color&use_cache=false', fileForm(slow))).json();
    expect(b.task_id).toBe(a.task_id);
    const early = await app.inject(`/tasks/${a.task_id}/result`);
    expect(early.statusCode).toBe(202);
    expect(early.json()).toMatchObject({
      task_id: a.task_id,
      status: expect.stringMatching(/pending|processing/),
    });
    const cancelled = await app.inject({ method: 'DELETE', url: `/tasks/${a.task_id}` });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const gone = await app.inject(`/tasks/${a.task_id}/result`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('TASK_EXPIRED');
  });

  it('marks a job with a bad image failed before queueing it, and 404s unknown tasks', async () => {
    const res = await post('/convert/background', fileForm(shapes.subarray(0, 50)));
    expect(res.statusCode).toBe(422);
    const bomb = await post('/convert/background', fileForm(pngHeaderOnly(100_000, 100_000)));
    expect(bomb.json()).toMatchObject({
      statusCode: 422,
      code: 'IMAGE_TOO_LARGE',
      message: expect.stringMatching(/MAX_IMAGE_PIXELS/),
    });
    expect(app.service.jobs.counts()).toEqual({ pending: 0, processing: 0 });
    expect((await app.inject('/tasks/nope')).json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await app.inject('/tasks/nope/result')).statusCode).toBe(404);
    expect((await app.inject('/tasks/nope/events')).json()).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
    });
    expect((await app.inject({ method: 'DELETE', url: '/tasks/nope' })).statusCode).toBe(404);
  });
});

describe('chunked uploads', () => {
  const chunksOf = (data: Buffer, size: number) => {
    const out: Buffer[] = [];
    for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
    return out;
  };
  const sendChunk = (id: string, n: number, total: number, data: Uint8Array, url = '/upload/chunked') =>
    post(url, form({ upload_id: id, chunk_number: String(n), total_chunks: String(total), chunk: { data } }));

  it('assembles chunks sent in any order, then converts by upload_id (sync and background)', async () => {
    const image = await shapesPng(300);
    const parts = chunksOf(image, 2048);
    expect(parts.length).toBeGreaterThan(2);
    const order = parts.map((_, i) => i).reverse();
    for (const i of order)
      expect((await sendChunk('up-1', i, parts.length, parts[i], '/api/upload/chunked')).statusCode).toBe(
        200,
      );
    const again = await sendChunk('up-1', 0, parts.length, parts[0]);
    expect(again.json()).toMatchObject({ upload_id: 'up-1', complete: true, total_chunks: parts.length });
    expect((again.json() as { received: number[] }).received).toEqual(parts.map((_, i) => i));
    const done = await app.inject({ method: 'POST', url: '/upload/chunked/up-1/complete' });
    expect(done.json()).toEqual({ upload_id: 'up-1', size: image.length, format: 'png' });

    const viaId = await post('/convert', form({ upload_id: 'up-1', use_cache: 'false' }));
    const direct = await post('/convert', fileForm(image));
    expect(viaId.statusCode).toBe(200);
    expect(viaId.body).toBe(direct.body);
    const bg = (await post('/convert/background?upload_id=up-1', form({}))).json();
    const status = await finished(bg.status_url);
    expect(status.status).toBe('completed');
  });

  it('refuses a different body for an accepted chunk (409), an index out of range (400) and an oversized chunk (413)', async () => {
    await sendChunk('up-2', 0, 2, Buffer.from('abc'));
    const conflict = await sendChunk('up-2', 0, 2, Buffer.from('abd'));
    expect(conflict.json()).toMatchObject({ statusCode: 409, code: 'CHUNK_CONFLICT' });
    const range = await sendChunk('up-2', 2, 2, Buffer.from('x'));
    expect(range.json()).toMatchObject({ statusCode: 400, code: 'CHUNK_OUT_OF_RANGE' });
    const big = await sendChunk('up-2', 1, 2, Buffer.alloc(5000));
    expect(big.json()).toMatchObject({ statusCode: 413, code: 'CHUNK_TOO_LARGE' });
    const bad = await post(
      '/upload/chunked',
      form({ upload_id: 'bad id!', chunk_number: '0', total_chunks: '1', chunk: { data: Buffer.from('x') } }),
    );
    expect(bad.json()).toMatchObject({ statusCode: 400, code: 'INVALID_REQUEST' });
    const noChunk = await post(
      '/upload/chunked',
      form({ upload_id: 'u', chunk_number: '0', total_chunks: '1' }),
    );
    expect(noChunk.json()).toMatchObject({ statusCode: 400, code: 'MISSING_FILE' });
  });

  it('says which chunks are in and which are missing, and refuses to convert an unassembled upload', async () => {
    await sendChunk('up-3', 1, 4, Buffer.from('b'));
    await sendChunk('up-3', 3, 4, Buffer.from('d'));
    const status = await app.inject('/upload/chunked/up-3');
    expect(status.json()).toEqual({ upload_id: 'up-3', received: [1, 3], total_chunks: 4, complete: false });
    const complete = await app.inject({ method: 'POST', url: '/upload/chunked/up-3/complete' });
    expect(complete.json()).toMatchObject({
      statusCode: 400,
      code: 'UPLOAD_INCOMPLETE',
      message: expect.stringMatching(/0, 2/),
    });
    const conv = await post('/convert', form({ upload_id: 'up-3' }));
    expect(conv.json()).toMatchObject({ statusCode: 400, code: 'UPLOAD_INCOMPLETE' });
  });

  it('refuses an assembled upload that is no accepted image (415)', async () => {
    await sendChunk('up-4', 0, 1, Buffer.from('%PDF-1.4 not an image'));
    const res = await app.inject({ method: 'POST', url: '/upload/chunked/up-4/complete' });
    expect(res.json()).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_FORMAT' });
  });

  it('expires a partial upload (410) and frees its storage', async () => {
    await sendChunk('up-5', 0, 2, Buffer.alloc(1000, 1));
    const store = app.service.uploads;
    const held = await store.bytesHeld();
    clock.advance(61_000);
    await store.sweep();
    expect(await store.bytesHeld()).toBeLessThanOrEqual(held - 1000);
    const res = await app.inject('/upload/chunked/up-5');
    expect(res.json()).toMatchObject({ statusCode: 410, code: 'UPLOAD_EXPIRED' });
    expect((await post('/convert', form({ upload_id: 'up-5' }))).statusCode).toBe(410);
    expect((await app.inject('/upload/chunked/never')).statusCode).toBe(404);
  });
});
