/**
 * The worker pool's memory bounds: admission by pixel budget (PIXEL_BUDGET) and the recycling of worker
 * threads (WORKER_MAX_TASKS, WORKER_IDLE_SECONDS). The stand-in worker of fixtures/paced-worker.mjs
 * marks when it starts a task and finishes only when the test releases it, so which tasks run at once is
 * decided by the pool alone, never by the machine's speed.
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PIXEL_BUDGET, loadConfig } from '../../src/server/config.js';
import { ApiError } from '../../src/server/errors.js';
import type { ConvertTask } from '../../src/server/pool/protocol.js';
import { WorkerPool, type PoolOptions, type RunHooks } from '../../src/server/pool/worker-pool.js';
import { makeApp, waitFor } from './helpers.js';

const GATED = new URL('./fixtures/paced-worker.mjs', import.meta.url);
const FAKE = new URL('./fixtures/fake-worker.mjs', import.meta.url);

/** Start flags and release flags of up to 32 tasks, shared with the worker threads. */
class Gate {
  readonly cells = new Int32Array(new SharedArrayBuffer(4 * 64));
  started(i: number): boolean {
    return Atomics.load(this.cells, 2 * i) === 1;
  }
  /** Indexes of the tasks started so far. */
  startedSet(): number[] {
    return [...Array(32).keys()].filter((i) => this.started(i));
  }
  release(i: number): void {
    Atomics.store(this.cells, 2 * i + 1, 1);
    Atomics.notify(this.cells, 2 * i + 1);
  }
  releaseAll(): void {
    for (let i = 0; i < 32; i++) this.release(i);
  }
}

const pools: WorkerPool[] = [];
const gates: Gate[] = [];

async function makePool(options: Partial<PoolOptions>): Promise<WorkerPool> {
  const pool = new WorkerPool({ size: 2, maxQueue: 4, timeoutMs: 30_000, workerUrl: GATED, ...options });
  pools.push(pool);
  await waitFor(async () => (pool.ready() ? true : undefined));
  return pool;
}

function task(options: Record<string, unknown>): ConvertTask {
  return {
    bytes: new Uint8Array(4),
    options: options as ConvertTask['options'],
    limits: {},
    enhance: false,
    stream: false,
    progress: false,
  };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a failure');
}

const until = (probe: () => boolean) => waitFor(async () => (probe() ? true : undefined));

afterEach(async () => {
  for (const g of gates.splice(0)) g.releaseAll();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool pixel budget', () => {
  function gated(): { gate: Gate; run: (pool: WorkerPool, i: number, hooks: RunHooks) => Promise<unknown> } {
    const gate = new Gate();
    gates.push(gate);
    return { gate, run: (pool, i, hooks) => pool.run(task({ gate: gate.cells, index: i }), hooks) };
  }

  it('runs one big image at a time while small ones keep flowing beside it', async () => {
    const pool = await makePool({ size: 2, pixelBudget: 100 });
    const { gate, run } = gated();
    const big1 = run(pool, 0, { pixels: 80 });
    const big2 = run(pool, 1, { pixels: 80 });
    const small = run(pool, 2, { pixels: 10 });
    // big1 and the small one hold both threads; big2 waits for room although a thread will be free first.
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 1, pixelsInUse: 90 });
    await until(() => gate.started(0) && gate.started(2));
    gate.release(2);
    await small;
    const small2 = run(pool, 3, { pixels: 10 });
    await until(() => gate.started(3));
    expect(gate.started(1)).toBe(false);
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 1, pixelsInUse: 90 });
    gate.release(3);
    await small2;
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 });
    gate.release(0);
    await big1;
    await until(() => gate.started(1));
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 0, pixelsInUse: 80 });
    gate.release(1);
    await big2;
    expect(pool.stats().pixelsInUse).toBe(0);
  });

  it('answers 503 BUSY with Retry-After when a big image cannot start and the wait queue is full', async () => {
    const pool = await makePool({ size: 2, maxQueue: 1, pixelBudget: 100 });
    const { gate, run } = gated();
    const running = run(pool, 0, { pixels: 80 });
    const waiting = run(pool, 1, { pixels: 80 });
    const e = await failure(run(pool, 2, { pixels: 80 }));
    expect(e.code).toBe('BUSY');
    expect(e.status).toBe(503);
    expect(Number(e.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    // A small image still starts on the free thread.
    const small = run(pool, 3, { pixels: 5 });
    await until(() => gate.started(3));
    gate.releaseAll();
    await Promise.all([running, waiting, small]);
  });

  it('lets a background job (wait) queue past MAX_QUEUE_SIZE instead of failing', async () => {
    const pool = await makePool({ size: 1, maxQueue: 0, pixelBudget: 100 });
    const { gate, run } = gated();
    const running = run(pool, 0, { pixels: 80 });
    expect((await failure(run(pool, 1, { pixels: 80 }))).code).toBe('BUSY');
    const background = run(pool, 2, { pixels: 80, wait: true });
    expect(pool.stats().queued).toBe(1);
    gate.release(0);
    await running;
    await until(() => gate.started(2));
    gate.release(2);
    await background;
  });

  it('refuses an image that alone is over the budget with 422 IMAGE_TOO_LARGE naming PIXEL_BUDGET', async () => {
    const pool = await makePool({ size: 1, pixelBudget: 100 });
    const e = await failure(pool.run(task({}), { pixels: 101 }));
    expect(e).toMatchObject({ code: 'IMAGE_TOO_LARGE', status: 422 });
    expect(e.message).toMatch(/PIXEL_BUDGET/);
    expect(pool.stats().queued).toBe(0);
  });

  it('frees the pixels of a cancelled task, so a waiting one starts', async () => {
    const pool = await makePool({ size: 2, pixelBudget: 100 });
    const { gate, run } = gated();
    const abort = new AbortController();
    const big1 = run(pool, 0, { pixels: 80, signal: abort.signal });
    const big2 = run(pool, 1, { pixels: 80 });
    await until(() => gate.started(0));
    abort.abort();
    expect((await failure(big1)).code).toBe('CANCELLED');
    await until(() => gate.started(1));
    gate.release(1);
    await big2;
  });
});

describe('WorkerPool recycling', () => {
  it('replaces a thread by a fresh one after maxTasksPerWorker tasks', async () => {
    const pool = await makePool({ size: 1, workerUrl: FAKE, maxTasksPerWorker: 2 });
    const thread = async () => /data-thread="(\d+)"/.exec((await pool.run(task({}))).svg)![1];
    const first = await thread();
    expect(await thread()).toBe(first);
    // The fresh thread loads beside the old one and takes its place once ready.
    await until(() => pool.stats().recycled === 1);
    const third = await thread();
    expect(third).not.toBe(first);
    expect(pool.stats()).toMatchObject({ recycled: 1, terminated: 0 });
  });

  it('keeps every thread serving while a fresh one loads: a task arriving meanwhile runs on the old thread', async () => {
    const pool = await makePool({ size: 1, workerUrl: FAKE, maxTasksPerWorker: 1 });
    const thread = async () => /data-thread="(\d+)"/.exec((await pool.run(task({}))).svg)![1];
    await thread();
    // The successor is loading; the pool still has its one thread, ready (a swap-then-load would not be).
    expect(pool.ready()).toBe(true);
    expect(pool.stats()).toMatchObject({ size: 1, busy: 0 });
    expect(await thread()).toMatch(/^\d+$/);
    await until(() => pool.stats().recycled >= 1);
  });

  it('replaces a thread that sits idle after work, and not one that never worked', async () => {
    const pool = await makePool({ size: 2, workerUrl: FAKE, idleRecycleMs: 1 });
    const first = /data-thread="(\d+)"/.exec((await pool.run(task({}))).svg)![1];
    await until(() => pool.stats().recycled === 1 && pool.ready());
    // One idle period, one replacement: the fresh thread has not worked, so it is kept.
    expect(pool.stats()).toMatchObject({ recycled: 1, terminated: 0, size: 2 });
    const next = /data-thread="(\d+)"/.exec((await pool.run(task({}))).svg)![1];
    expect(next).not.toBe(first);
  });
});

/** Injects the gate and each request's index into the task options the converter sends. */
class GatedPool extends WorkerPool {
  gate = new Gate();
  #next = 0;
  override run(t: ConvertTask, hooks?: RunHooks) {
    return super.run(
      { ...t, options: { ...t.options, gate: this.gate.cells, index: this.#next++ } as never },
      hooks,
    );
  }
}

describe('HTTP: big images are not decoded at once (PIXEL_BUDGET)', () => {
  let app: FastifyInstance;
  let pool: GatedPool;
  let big: Buffer;
  let small: Buffer;

  beforeAll(async () => {
    pool = new GatedPool({
      size: 2,
      maxQueue: 4,
      timeoutMs: 30_000,
      workerUrl: GATED,
      pixelBudget: 5_000_000,
    });
    app = await makeApp({ PIXEL_BUDGET: '5000000', WORKER_POOL_SIZE: '2' }, { pool, cache: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const plain = (size: number) =>
      sharp({ create: { width: size, height: size, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
    big = await plain(2000); // 4 Mpx: one fits in the budget, two do not
    small = await plain(64);
  });
  afterAll(async () => {
    pool.gate.releaseAll();
    await app.close();
  });

  it('starts the second big image only after the first is done; a small one runs meanwhile', async () => {
    const { port } = app.server.address() as { port: number };
    const post = (bytes: Buffer, route = '/convert') =>
      fetch(`http://127.0.0.1:${port}${route}?use_cache=false`, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'image/png' },
      });
    const first = post(big);
    await until(() => pool.gate.started(0));
    const second = post(big, '/convert/streaming');
    await until(() => pool.stats().queued === 1);
    const third = post(small);
    await until(() => pool.gate.started(2));
    pool.gate.release(2);
    expect((await third).status).toBe(200);
    expect(pool.gate.started(1)).toBe(false);
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 1, pixelsInUse: 4_000_000 });
    pool.gate.release(0);
    expect((await first).status).toBe(200);
    await until(() => pool.gate.started(1));
    pool.gate.release(1);
    const streamed = await second;
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toMatch(/data-index="1"/);
  });

  it('an image over the budget alone answers 422 IMAGE_TOO_LARGE naming PIXEL_BUDGET', async () => {
    const huge = await sharp({ create: { width: 2500, height: 2500, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const r = await app.inject({
      method: 'POST',
      url: '/convert',
      payload: huge,
      headers: { 'content-type': 'image/png' },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(r.body).toMatch(/PIXEL_BUDGET/);
    // A background task is refused when submitted, not accepted to fail later.
    const queued = await app.inject({
      method: 'POST',
      url: '/convert/background',
      payload: huge,
      headers: { 'content-type': 'image/png' },
    });
    expect(queued.statusCode).toBe(422);
    expect(queued.json()).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });
  });
});

describe('configuration', () => {
  it('defaults PIXEL_BUDGET to at least MAX_IMAGE_PIXELS, so any accepted image can run', () => {
    const c = loadConfig({});
    expect(c.pixelBudget).toBe(DEFAULT_PIXEL_BUDGET);
    expect(c.pixelBudget).toBeGreaterThanOrEqual(c.maxImagePixels);
    expect(c).toMatchObject({ workerMaxTasks: 100, workerIdleSeconds: 10 });
    expect(loadConfig({ WORKER_MAX_TASKS: '0', WORKER_IDLE_SECONDS: '0.5' })).toMatchObject({
      workerMaxTasks: 0,
      workerIdleSeconds: 0.5,
    });
  });

  it.each([
    [{ PIXEL_BUDGET: '0' }, /^PIXEL_BUDGET: expected an integer from 1/],
    [{ PIXEL_BUDGET: 'lots' }, /^PIXEL_BUDGET: expected an integer/],
    [{ WORKER_MAX_TASKS: '-1' }, /^WORKER_MAX_TASKS: expected an integer from 0/],
    [{ WORKER_IDLE_SECONDS: 'soon' }, /^WORKER_IDLE_SECONDS: expected a number from 0/],
  ])('refuses %j at start-up, naming the variable', (env, message) => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(1);
      expect((e as ConfigError).problems[0]).toMatch(message);
      return;
    }
    throw new Error('expected a ConfigError');
  });
});
