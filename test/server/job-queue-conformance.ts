/**
 * Conformance suite of JobQueue: the in-process queue and the BullMQ one.
 * A queue backed by Redis changes state a few milliseconds after a call, so
 * the tests wait for each expected state (expect.poll answers at once for
 * the memory queue) and, before checking that something did NOT happen, give
 * the queue `settle()` to do it.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/errors.js';
import type { JobContext, JobProcessor, JobQueue, JobRecord } from '../../src/server/jobs/types.js';
import { fakeClock, type FakeClock } from './cache-conformance.js';

interface Gate {
  ctx: JobContext;
  /** `cached`: the processor says the result cache answered (default false). */
  finish: (svg: string, cached?: boolean) => void;
  fail: (e: Error) => void;
}

/** A processor whose jobs wait until the test finishes or fails them; `gates` maps input → controls. */
function controlled() {
  const gates = new Map<string, Gate>();
  const started: string[] = [];
  const process: JobProcessor<string> = (input, ctx) =>
    new Promise((resolve, reject) => {
      started.push(input);
      gates.set(input, {
        ctx,
        finish: (svg, cached = false) =>
          resolve({ svg, stats: { paths: 1, nodes: 4, bytes: svg.length, preset: null }, cached }),
        fail: reject,
      });
    });
  return { process, gates, started };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

export interface QueueFactoryOptions {
  process: JobProcessor<string>;
  concurrency: number;
  maxPending: number;
  ttlSeconds: number;
  clock: FakeClock;
}

export interface ConformanceTiming {
  /** Time for a queue to act on what it was told (memory: one macrotask). */
  settle?: () => Promise<unknown>;
}

export function jobQueueConformance(
  name: string,
  create: (opts: QueueFactoryOptions) => JobQueue<string>,
  { settle = tick }: ConformanceTiming = {},
) {
  const started = (gates: Map<string, Gate>, input: string) => expect.poll(() => gates.has(input)).toBe(true);
  const status = (queue: JobQueue<string>, id: string) =>
    expect.poll(async () => (await queue.get(id)).status);

  const make = (over: Partial<QueueFactoryOptions> = {}) => {
    const c = controlled();
    const clock = fakeClock();
    const queue = create({
      process: c.process,
      concurrency: 1,
      maxPending: 10,
      ttlSeconds: 60,
      clock,
      ...over,
    });
    return { queue, clock, ...c };
  };

  describe(`JobQueue conformance: ${name}`, () => {
    it('runs a job to completion with rising progress and keeps its result', async () => {
      const { queue, gates } = make();
      const { record, joined } = await queue.submit('k1', 'a');
      expect(joined).toBe(false);
      expect(record.status).toBe('pending');
      const seen: JobRecord[] = [];
      queue.subscribe(record.task_id, (r) => seen.push(r));
      await started(gates, 'a');
      expect((await queue.get(record.task_id)).status).toBe('processing');
      const gate = gates.get('a')!;
      gate.ctx.progress('trace', 40);
      gate.ctx.progress('trace', 30);
      await expect.poll(async () => (await queue.get(record.task_id)).progress).toBe(40);
      await settle();
      expect((await queue.get(record.task_id)).progress).toBe(40);
      await expect(queue.result(record.task_id)).rejects.toMatchObject({ code: 'TASK_NOT_READY' });
      gate.finish('<svg/>');
      await status(queue, record.task_id).toBe('completed');
      await expect.poll(() => seen.at(-1)?.status).toBe('completed');
      const done = await queue.get(record.task_id);
      expect(done).toMatchObject({ status: 'completed', progress: 100, stats: { paths: 1, nodes: 4 } });
      expect(await queue.result(record.task_id)).toEqual({
        svg: '<svg/>',
        stats: { paths: 1, nodes: 4, bytes: 6, preset: null },
        cached: false,
      });
      const progress = seen.map((r) => r.progress);
      expect(progress).toEqual([...progress].sort((x, y) => x - y));
      expect(seen.at(-1)!.status).toBe('completed');
      await queue.close();
    });

    it('keeps whether the result came from the cache, with its stats', async () => {
      const { queue, gates } = make({ concurrency: 2 });
      const hit = await queue.submit('hit', 'a');
      const miss = await queue.submit('miss', 'b');
      await started(gates, 'a');
      await started(gates, 'b');
      gates.get('a')!.finish('<svg id="hit"/>', true);
      gates.get('b')!.finish('<svg id="miss"/>', false);
      await status(queue, hit.record.task_id).toBe('completed');
      await status(queue, miss.record.task_id).toBe('completed');
      expect(await queue.result(hit.record.task_id)).toMatchObject({ svg: '<svg id="hit"/>', cached: true });
      expect(await queue.result(miss.record.task_id)).toMatchObject({
        svg: '<svg id="miss"/>',
        cached: false,
      });
      expect((await queue.result(hit.record.task_id)).stats).toEqual({
        paths: 1,
        nodes: 4,
        bytes: 15,
        preset: null,
      });
      await queue.close();
    });

    it('joins an identical pending or running job instead of running it twice', async () => {
      const { queue, gates, started: inputs } = make();
      const first = await queue.submit('same', 'a');
      const second = await queue.submit('same', 'b');
      expect(second).toMatchObject({ joined: true, record: { task_id: first.record.task_id } });
      await started(gates, 'a');
      gates.get('a')!.finish('<svg/>');
      await status(queue, first.record.task_id).toBe('completed');
      await settle();
      expect(inputs).toEqual(['a']);
      const third = await queue.submit('same', 'c');
      expect(third.joined).toBe(false);
      expect(third.record.task_id).not.toBe(first.record.task_id);
    });

    it('marks a job failed with the error code, and its result says so', async () => {
      const { queue, gates } = make();
      const { record } = await queue.submit('k', 'a');
      await started(gates, 'a');
      gates.get('a')!.fail(new ApiError('CORRUPT_IMAGE', 'truncated PNG'));
      await status(queue, record.task_id).toBe('failed');
      expect(await queue.get(record.task_id)).toMatchObject({
        status: 'failed',
        error: { code: 'CORRUPT_IMAGE', message: 'truncated PNG' },
      });
      const e = await failure(queue.result(record.task_id));
      expect(e.code).toBe('TASK_FAILED');
      expect(e.status).toBe(422);
    });

    it('runs at most `concurrency` jobs and refuses more than maxPending waiting', async () => {
      const { queue, gates, started: inputs } = make({ concurrency: 1, maxPending: 1 });
      await queue.submit('1', 'a');
      await started(gates, 'a');
      await queue.submit('2', 'b');
      expect(queue.counts()).toEqual({ pending: 1, processing: 1 });
      const busy = await failure(queue.submit('3', 'c'));
      expect(busy.code).toBe('BUSY');
      expect(busy.headers['Retry-After']).toMatch(/^\d+$/);
      await settle();
      expect(inputs).toEqual(['a']);
    });

    it('cancels a running job (its signal aborts) and a pending one (it never runs)', async () => {
      const { queue, gates, started: inputs } = make({ concurrency: 1 });
      const running = await queue.submit('1', 'a');
      const pending = await queue.submit('2', 'b');
      await started(gates, 'a');
      const signal = gates.get('a')!.ctx.signal;
      expect((await queue.cancel(running.record.task_id)).status).toBe('cancelled');
      expect(signal.aborted).toBe(true);
      expect((await queue.cancel(pending.record.task_id)).status).toBe('cancelled');
      gates.get('a')!.fail(new ApiError('CANCELLED'));
      await settle();
      expect(inputs).toEqual(['a']);
      expect((await queue.get(running.record.task_id)).status).toBe('cancelled');
      expect((await failure(queue.result(pending.record.task_id))).code).toBe('TASK_EXPIRED');
    });

    it('expires finished jobs after the TTL (410) and knows no unknown ids (404)', async () => {
      const { queue, gates, clock } = make({ ttlSeconds: 5 });
      const { record } = await queue.submit('k', 'a');
      await started(gates, 'a');
      gates.get('a')!.finish('<svg/>');
      await status(queue, record.task_id).toBe('completed');
      clock.advance(4_999);
      expect((await queue.result(record.task_id)).svg).toBe('<svg/>');
      clock.advance(1);
      expect((await failure(queue.get(record.task_id))).code).toBe('TASK_EXPIRED');
      expect((await failure(queue.result(record.task_id))).code).toBe('TASK_EXPIRED');
      expect((await failure(queue.get('no-such-task'))).code).toBe('NOT_FOUND');
    });
  });
}
