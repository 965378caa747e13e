/**
 * Real processes for the cluster tests: a `redis-server` with an append-only
 * file (stopped and started again on the same port and data folder, as an
 * operator restarts Redis), and built service processes (dist/server/main.js)
 * in the api or worker role, each on free ports. Background conversions are
 * paced by the test-only file gate (IMAGE2SVG_TEST_JOB_GATE, backends.ts):
 * a worker holds a job until the test creates `release`, so "mid-job" is a
 * state the test waits for, not a race against a clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it answers a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface AofRedis {
  port: number;
  /** Graceful stop (SIGTERM: Redis finishes its AOF and exits). */
  stop(): Promise<void>;
  /** Starts again on the same port and data folder. */
  start(): Promise<void>;
  kill(): Promise<void>;
}

export async function startAofRedis(binary: string, extra: string[] = []): Promise<AofRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'image2svg-cluster-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    ...extra,
  ];
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(binary, args, { stdio: 'ignore' });
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    await until(
      `redis-server on ${port}`,
      async () => {
        await probe.connect().catch(() => {});
        return (await probe.ping()) === 'PONG' ? true : undefined;
      },
      20_000,
    ).finally(() => probe.disconnect());
  };
  const exit = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    start,
    stop: () => exit('SIGTERM'),
    kill: async () => {
      await exit('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServiceProcess {
  role: 'api' | 'worker';
  pid: number;
  /** The API, or the worker's /health /ready /metrics port. */
  url: string;
  output(): string;
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node dist/server/main.js` in `role` (or `image2svg worker`); with `waitHealthy`, waits until it answers /health (a worker: /ready). */
export async function startProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
  waitHealthy = true,
  /** Start the worker as `image2svg worker` (bin/image2svg.js) instead of main.js with SERVICE_ROLE. */
  viaCli = false,
): Promise<ServiceProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    BACKEND_HOST: '127.0.0.1',
    WORKER_POOL_SIZE: '1',
    LOG_LEVEL: 'info',
    SERVICE_ROLE: role,
    DOTENV_CONFIG_PATH: '/nonexistent',
    ...(role === 'api' ? { BACKEND_PORT: String(port) } : { WORKER_METRICS_PORT: String(port) }),
    ...env,
  };
  if (viaCli) delete childEnv.SERVICE_ROLE;
  const child = spawn(process.execPath, viaCli ? ['bin/image2svg.js', 'worker'] : ['dist/server/main.js'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proc: ServiceProcess = {
    role,
    pid: child.pid!,
    url,
    output: () => output,
    exited,
    signal: (s) => child.kill(s),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
  if (waitHealthy) {
    let done = false;
    void exited.then(() => (done = true));
    await until(
      `${role} /health`,
      async () => {
        if (done) throw new Error(`the ${role} exited:\n${output}`);
        // A worker's /health answers while it waits for Redis; /ready once it runs jobs.
        return (await fetch(`${url}${role === 'worker' ? '/ready' : '/health'}`)).ok ? true : undefined;
      },
      30_000,
    ).catch((e: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${String(e)}\n${output}`);
    });
  }
  return proc;
}

/** The test gate: workers hold each conversion until `release` exists. */
export class JobGate {
  readonly dir = mkdtempSync(join(tmpdir(), 'image2svg-cluster-gate-'));

  close(): void {
    rmSync(join(this.dir, 'release'), { force: true });
  }

  open(): void {
    writeFileSync(join(this.dir, 'release'), '');
  }

  /** Pids of the workers that started (`started`) or finished (`done`) job `id`, one per time. */
  marks(kind: 'started' | 'done', id: string): number[] {
    const prefix = `${kind}-${id}-`;
    return readdirSync(this.dir)
      .filter((f) => f.startsWith(prefix))
      .map((f) => Number(f.slice(prefix.length)));
  }

  exists(): boolean {
    return existsSync(this.dir);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
