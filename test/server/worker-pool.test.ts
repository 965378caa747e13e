import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/errors.js';
import { defaultWorkerUrl, WorkerPool, type PoolOptions } from '../../src/server/pool/worker-pool.js';
import type { ConvertTask } from '../../src/server/pool/protocol.js';
import { waitFor } from './helpers.js';

const FAKE = new URL('./fixtures/fake-worker.mjs', import.meta.url);
const pools: WorkerPool[] = [];

async function makePool(options: Partial<PoolOptions> = {}): Promise<WorkerPool> {
  const pool = new WorkerPool({ size: 1, maxQueue: 1, timeoutMs: 5_000, workerUrl: FAKE, ...options });
  pools.push(pool);
  await waitFor(async () => (pool.ready() ? true : undefined));
  return pool;
}

function task(options: Record<string, unknown> = {}, stream = false): ConvertTask {
  return {
    bytes: new Uint8Array(10),
    options: options as ConvertTask['options'],
    limits: {},
    enhance: false,
    stream,
    progress: true,
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

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool', () => {
  it('resolves the compiled worker from dist/ when running from src/', () => {
    expect(defaultWorkerUrl().pathname).toMatch(/\/dist\/server\/pool\/convert-worker\.js$/);
  });

  it('runs a task on a thread, passing progress and chunks', async () => {
    const pool = await makePool();
    const progress: number[] = [];
    const chunks: string[] = [];
    const out = await pool.run(task({}, true), {
      onProgress: (_s, p) => progress.push(p),
      onChunk: (t) => chunks.push(t),
    });
    expect(out.svg).toMatch(/data-bytes="10"/);
    expect(progress).toEqual([0.5]);
    expect(chunks).toEqual(['<svg>']);
  });

  it('terminates the thread of a task past the timeout; the next task runs on a fresh thread', async () => {
    const pool = await makePool({ timeoutMs: 200 });
    const before = (await pool.run(task())).svg;
    const e = await failure(pool.run(task({ sleepMs: 30_000 })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.status).toBe(504);
    expect(pool.stats().terminated).toBe(1);
    const after = (await pool.run(task())).svg;
    expect(after).not.toBe(before);
  });

  it('answers BUSY with Retry-After when every thread is busy and the queue is full', async () => {
    const pool = await makePool({ size: 1, maxQueue: 1 });
    const running = pool.run(task({ sleepMs: 300 }));
    const queued = pool.run(task());
    const e = await failure(pool.run(task()));
    expect(e.code).toBe('BUSY');
    expect(Number(e.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 });
    await Promise.all([running, queued]);
  });

  it('cancels a running task by terminating its thread, and a queued one without running it', async () => {
    const pool = await makePool({ size: 1, maxQueue: 2 });
    const a = new AbortController();
    const b = new AbortController();
    const running = pool.run(task({ sleepMs: 30_000 }), { signal: a.signal });
    const queued = pool.run(task(), { signal: b.signal });
    b.abort();
    expect((await failure(queued)).code).toBe('CANCELLED');
    a.abort();
    expect((await failure(running)).code).toBe('CANCELLED');
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0, terminated: 1 });
    expect((await pool.run(task())).svg).toMatch(/<svg/);
  });

  it('survives a crashing worker and passes worker errors through with their code', async () => {
    const pool = await makePool();
    expect((await failure(pool.run(task({ crash: true })))).code).toBe('INTERNAL');
    await waitFor(async () => (pool.ready() ? true : undefined));
    const e = await failure(pool.run(task({ fail: 'CORRUPT_IMAGE' })));
    expect(e).toMatchObject({ code: 'CORRUPT_IMAGE', status: 422, message: 'failed with CORRUPT_IMAGE' });
  });

  it('fails queued and new tasks once closed', async () => {
    const pool = await makePool();
    await pool.close();
    expect((await failure(pool.run(task()))).code).toBe('BUSY');
  });
});
