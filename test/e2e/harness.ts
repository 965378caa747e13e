/**
 * What the browser tests need: the web UI built, the real service running on
 * a free port with the environment of the case, and Debian's Chromium driven
 * by playwright-core (no browser download), headless, with a fresh profile
 * and the background networking that fails noisily offline turned off.
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds dist/web with Vite when it is missing or older than any source of the UI. */
export function buildWebIfStale(): void {
  // Test files run in parallel processes: one builds while the others wait for its lock.
  const lock = join(ROOT, 'dist/.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    const index = join(ROOT, 'dist/web/index.html');
    const sources = Math.max(
      newestMtime(join(ROOT, 'web')),
      statSync(join(ROOT, 'src/engine/options.ts')).mtimeMs,
    );
    if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    execSync('npx vite build --config web/vite.config.ts --logLevel warn', {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/server/main.js` (built by the global setup) and waits until /health answers. */
export async function startService(env: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    BACKEND_HOST: '127.0.0.1',
    BACKEND_PORT: String(port),
    WORKER_POOL_SIZE: '1',
    LOG_LEVEL: 'warn',
    ...env,
  };
  delete childEnv.REDIS_HOST;
  const child: ChildProcess = spawn(process.execPath, ['dist/server/main.js'], { cwd: ROOT, env: childEnv });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The service exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The service did not become healthy in 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /**
   * Ignore the page's Content-Security-Policy (default false: pages run under the service's real policy).
   * Its `script-src 'self'` forbids the string predicates of waitForFunction and injected scripts such as
   * axe-core; test files that need those pass true.
   */
  readonly bypassCSP?: boolean;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'image2svg-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    bypassCSP: options.bypassCSP ?? false,
    acceptDownloads: true,
    viewport: DESKTOP,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Screenshots go to a temporary folder on every run (to look at while
 * working); with UPDATE_SCREENSHOTS=1 the kept ones are rewritten in
 * docs/screenshots for the README.
 */
export const SHOTS = mkdtempSync(join(tmpdir(), 'image2svg-e2e-shots-'));
export function shotPath(name: string, keep = false): string {
  return keep && process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs/screenshots', name)
    : join(SHOTS, name);
}
