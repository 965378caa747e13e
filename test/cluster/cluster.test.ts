/**
 * The service as an operator runs it: one redis-server with an append-only
 * file, two API processes (SERVICE_ROLE=api, no job runs there) and two
 * worker processes (SERVICE_ROLE=worker), all real processes on spare ports.
 *
 * - kill -9 of a worker mid-job: the other worker recovers the job, which
 *   completes exactly once, within 15 s of the kill (JOB_LOCK_DURATION 8 s +
 *   JOB_STALLED_INTERVAL 4 s), and reads `recovered: true`.
 * - SIGTERM of a worker mid-job: it hands the job back and exits 0.
 * - Redis stopped for 30 s under light traffic: background calls answer 503
 *   QUEUE_UNAVAILABLE at once, /ready stays 200, sync /convert works, and
 *   every job submitted before the outage completes after it (including
 *   those whose conversion finished while Redis was away).
 * - SIGTERM of an API under load: /ready 503 first, every request answered
 *   (kept-alive connections too), exit 0 after the drain window.
 * - A queue Redis with maxmemory-policy allkeys-lru: the worker refuses to
 *   start (JSON log line), the API's background path is unready.
 *
 * Tests run in order and share the cluster. Every wait polls a condition
 * with a generous deadline; the one time bound asserted is the issue's
 * 15 s recovery, with a 5 s margin for polling and a loaded CI machine.
 */
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../server/redis-server.js';
import { shapesPng } from '../server/helpers.js';
import {
  JobGate,
  sleep,
  startAofRedis,
  startProcess,
  until,
  type AofRedis,
  type ServiceProcess,
} from './cluster.js';

const binary = findRedisServer();
if (binary === null) console.warn('redis-server is not installed: skipping the cluster tests');

/** The recovery bound, and what the test allows on top of it (polling, a loaded CI box). */
const RECOVERY_BOUND_MS = 15_000;
const RECOVERY_MARGIN_MS = 5_000;
const OUTAGE_MS = 30_000;

let redis: AofRedis;
let gate: JobGate;
let apis: ServiceProcess[] = [];
let workers: ServiceProcess[] = [];
let env: Record<string, string>;
const images = new Map<number, Buffer>();

async function image(size: number): Promise<Buffer> {
  if (!images.has(size)) images.set(size, await shapesPng(size));
  return images.get(size)!;
}

function form(png: Buffer): FormData {
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'image.png');
  return body;
}

interface TaskStatus {
  task_id: string;
  status: string;
  recovered?: boolean;
  attempts?: number;
  error?: { code: string };
}

async function submit(api: ServiceProcess, size: number): Promise<string> {
  const res = await fetch(`${api.url}/convert/background?use_cache=false`, {
    method: 'POST',
    body: form(await image(size)),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as TaskStatus).task_id;
}

async function status(api: ServiceProcess, id: string): Promise<TaskStatus> {
  return (await (await fetch(`${api.url}/tasks/${id}`)).json()) as TaskStatus;
}

async function finished(api: ServiceProcess, id: string, timeoutMs = 60_000): Promise<TaskStatus> {
  return until(
    `task ${id} to finish`,
    async () => {
      const s = await status(api, id);
      return ['completed', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
    },
    timeoutMs,
  );
}

const startWorker = () => startProcess('worker', env);

describe.skipIf(binary === null)('a cluster of two APIs and two workers on one Redis', () => {
  beforeAll(async () => {
    redis = await startAofRedis(binary!);
    gate = new JobGate();
    env = {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redis.port),
      IMAGE2SVG_TEST_JOB_GATE: gate.dir,
      SHUTDOWN_DRAIN_SECONDS: '3',
    };
    [apis, workers] = await Promise.all([
      Promise.all([startProcess('api', env), startProcess('api', env)]),
      Promise.all([startWorker(), startWorker()]),
    ]);
  });
  afterAll(async () => {
    gate?.open();
    await Promise.all([...apis, ...workers].map((p) => p.stop(5000)));
    await redis?.kill();
    gate?.remove();
  });

  it('a worker killed with SIGKILL mid-job: the other completes the job once, within 15 s, marked recovered', async () => {
    gate.close();
    const id = await submit(apis[0]!, 40);
    const [pid] = await until('a worker to start the job', async () => {
      const started = gate.marks('started', id);
      return started.length > 0 ? started : undefined;
    });
    // Jobs run on workers only: the api role runs none.
    const victim = workers.find((w) => w.pid === pid);
    expect(victim, `started by pid ${pid}, workers ${workers.map((w) => w.pid)}`).toBeDefined();
    expect(await status(apis[1]!, id)).toMatchObject({ status: 'processing' });
    victim!.signal('SIGKILL');
    const killedAt = Date.now();
    await victim!.exited;
    gate.open();
    const done = await finished(apis[1]!, id);
    const recoveredIn = Date.now() - killedAt;
    expect(done).toMatchObject({ status: 'completed', recovered: true });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(recoveredIn).toBeLessThan(RECOVERY_BOUND_MS + RECOVERY_MARGIN_MS);
    // Exactly once: one finished conversion, by the surviving worker.
    const survivor = workers.find((w) => w !== victim)!;
    expect(gate.marks('done', id)).toEqual([survivor.pid]);
    // The survivor found the stalled job: its own /metrics counts it, and it is ready.
    const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
    expect(metrics).toMatch(/^image2svg_jobs_stalled_total 1$/m);
    expect(metrics).toMatch(/^image2svg_redis_up 1$/m);
    expect(metrics).toMatch(/^image2svg_ready\{path="background"\} 1$/m);
    expect((await fetch(`${survivor.url}/ready`)).status).toBe(200);
    const result = await fetch(`${apis[0]!.url}/tasks/${id}/result`);
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('<svg');
    // The replacement is started the way an operator would, with the CLI command.
    workers = [survivor, await startProcess('worker', env, true, true)];
  });

  it('a worker stopped with SIGTERM mid-job hands the job back and exits 0; another worker completes it', async () => {
    gate.close();
    const id = await submit(apis[1]!, 41);
    const [pid] = await until('a worker to start the job', async () => {
      const started = gate.marks('started', id);
      return started.length > 0 ? started : undefined;
    });
    const leaving = workers.find((w) => w.pid === pid)!;
    const staying = workers.find((w) => w !== leaving)!;
    leaving.signal('SIGTERM');
    expect(await leaving.exited).toBe(0);
    expect(leaving.output()).toMatch(/"msg":"worker stopping: finishing running jobs"/);
    await until('the job to start on the other worker', async () =>
      gate.marks('started', id).includes(staying.pid) ? true : undefined,
    );
    gate.open();
    const done = await finished(apis[0]!, id);
    expect(done.status).toBe('completed');
    // Handed back (moved to wait), not left to stall: no recovery was needed.
    expect(done.recovered).toBeUndefined();
    expect(gate.marks('done', id)).toEqual([staying.pid]);
    workers = [staying, await startWorker()];
  });

  it(
    'Redis stopped for 30 s: 503 QUEUE_UNAVAILABLE at once, /ready stays 200, and every job submitted before completes after',
    { timeout: 180_000 },
    async () => {
      gate.close();
      const ids = [await submit(apis[0]!, 42), await submit(apis[1]!, 43), await submit(apis[0]!, 44)];
      // Two running (one per worker), one waiting.
      await until('both workers to hold a job', async () =>
        ids.filter((id) => gate.marks('started', id).length > 0).length === 2 ? true : undefined,
      );
      await redis.stop();
      const outageStart = Date.now();

      // Light traffic while Redis is away: every answer comes, none is a 500.
      const answers: number[] = [];
      let stopTraffic = false;
      const traffic = (async () => {
        while (!stopTraffic) {
          for (const api of apis) {
            if (stopTraffic) break;
            answers.push(
              (await fetch(`${api.url}/convert?precision=1`, { method: 'POST', body: form(await image(32)) }))
                .status,
            );
            answers.push((await fetch(`${api.url}/ready`)).status);
          }
          await sleep(500);
        }
      })().catch(() => answers.push(-1));

      for (const api of apis) {
        await until('the API to see Redis away', async () =>
          (await fetch(`${api.url}/metrics`).then((r) => r.text())).match(/^image2svg_redis_up 0$/m)
            ? true
            : undefined,
        );
        const t0 = Date.now();
        const refused = await fetch(`${api.url}/convert/background`, {
          method: 'POST',
          body: form(await image(45)),
        });
        const elapsed = Date.now() - t0;
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('5');
        expect(await refused.json()).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
        // The queue answers without waiting for Redis (the issue asks under 1 s); the bound is loose for CI load.
        expect(elapsed).toBeLessThan(5000);
        const task = await fetch(`${api.url}/tasks/${ids[0]}`);
        expect(task.status).toBe(503);
        expect(task.headers.get('retry-after')).toBe('5');
        expect(await task.json()).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
        const ready = await fetch(`${api.url}/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({
          status: 'ready',
          paths: { sync: 'ready', background: 'degraded' },
          background: { redis: false },
        });
        const metrics = await (await fetch(`${api.url}/metrics`)).text();
        expect(metrics).toMatch(/^image2svg_ready\{path="sync"\} 1$/m);
        expect(metrics).toMatch(/^image2svg_ready\{path="background"\} 0$/m);
      }

      // A worker started during the outage is alive (not restarted by its liveness probe) but unready.
      const late = await startProcess('worker', env, false);
      await until('the late worker to answer /health', async () =>
        (await fetch(`${late.url}/health`)).ok ? true : undefined,
      );
      expect((await fetch(`${late.url}/ready`)).status).toBe(503);

      // The held conversions finish while Redis is away: their results wait to be written.
      gate.open();
      await until('the running conversions to finish during the outage', async () =>
        ids.filter((id) => gate.marks('done', id).length > 0).length === 2 ? true : undefined,
      );
      // The outage lasts 30 s (longer than a job's 8 s lock): this is the scenario, not a measurement.
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStart)));
      stopTraffic = true;
      await traffic;
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.filter((s) => s !== 200)).toEqual([]);

      await redis.start();
      for (const id of ids) {
        const done = await finished(apis[1]!, id, 90_000);
        expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed' });
        const result = await fetch(`${apis[0]!.url}/tasks/${id}/result`);
        expect(result.status).toBe(200);
        expect(await result.text()).toContain('<svg');
      }
      for (const api of apis) {
        await until('background readiness to come back', async () => {
          const r = (await (await fetch(`${api.url}/ready`)).json()) as { paths: { background: string } };
          return r.paths.background === 'ready' ? true : undefined;
        });
      }
      await until('the late worker to start once Redis is back', async () =>
        (await fetch(`${late.url}/ready`)).ok ? true : undefined,
      );
      await late.stop();
      expect(await late.exited).toBe(0);
      const accepted = await submit(apis[0]!, 46);
      expect((await finished(apis[1]!, accepted)).status).toBe('completed');
    },
  );

  it('SIGTERM of an API under load: /ready 503 first, every request answered (kept-alive ones too), exit 0', async () => {
    const api = apis[1]!;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest(`${api.url}${path}`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.end();
      });
    // A kept-alive connection, idle when the SIGTERM comes.
    expect((await get('/health')).status).toBe(200);
    const errors: unknown[] = [];
    const statuses: number[] = [];
    let stop = false;
    const load = Promise.all(
      [0, 1].map(async () => {
        while (!stop) {
          try {
            statuses.push((await get('/health')).status);
            const r = await fetch(`${api.url}/convert?precision=1`, {
              method: 'POST',
              body: form(await image(32)),
            });
            statuses.push(r.status);
            await r.text();
          } catch (e) {
            errors.push(e);
          }
        }
      }),
    );
    await until('load to run', async () => (statuses.length >= 4 ? true : undefined));
    api.signal('SIGTERM');
    await until(
      '/ready to answer 503',
      async () => ((await get('/ready')).status === 503 ? true : undefined),
      20_000,
    );
    // The load balancer takes it out of rotation a moment after readiness fails; until then it serves.
    await sleep(500);
    const during = await get('/health');
    expect(during.status).toBe(200);
    expect(during.connection).toBe('close');
    stop = true;
    await load;
    agent.destroy();
    expect(errors).toEqual([]);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(await api.exited).toBe(0);
    expect(api.output()).toMatch(
      /"msg":"shutting down: \/ready answers 503, serving until the drain window ends"/,
    );
    apis = [apis[0]!];
  });
});

describe.skipIf(binary === null)('a queue Redis with maxmemory-policy allkeys-lru', () => {
  let lru: AofRedis;
  let api: ServiceProcess | undefined;
  beforeAll(async () => {
    lru = await startAofRedis(binary!, ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
  });
  afterAll(async () => {
    await api?.stop(5000);
    await lru?.kill();
  });

  it('the worker refuses to start, saying why in a JSON log line; the API reports its background path unready', async () => {
    const lruEnv = { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(lru.port), SHUTDOWN_DRAIN_SECONDS: '0' };
    const worker = await startProcess('worker', lruEnv, false);
    expect(await worker.exited).toBe(1);
    const line = worker
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.evictionPolicy !== undefined);
    expect(line).toMatchObject({ level: 50, evictionPolicy: 'allkeys-lru', expected: 'noeviction' });
    expect(String(line!.msg)).toMatch(/refusing to start the worker: Redis maxmemory-policy is allkeys-lru/);

    api = await startProcess('api', lruEnv);
    const ready = await until('readiness to read the policy', async () => {
      const r = await fetch(`${api!.url}/ready`);
      const body = (await r.json()) as { background: { eviction_policy: string | null } };
      // Polled until the threads loaded (sync ready) and the policy was read.
      return body.background.eviction_policy && r.status === 200 ? { status: r.status, body } : undefined;
    });
    expect(ready).toMatchObject({
      status: 200,
      body: {
        paths: { sync: 'ready', background: 'degraded' },
        background: { eviction_policy: 'allkeys-lru', reason: expect.stringMatching(/needs noeviction/) },
      },
    });
    const refused = await fetch(`${api.url}/convert/background`, {
      method: 'POST',
      body: form(await image(40)),
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      code: 'QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/allkeys-lru/),
    });
  });
});
