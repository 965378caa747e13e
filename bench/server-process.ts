/**
 * The built service as a child process on a free loopback port, for the
 * benchmarks that measure it from outside (bench/service.ts, bench/soak.ts).
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

/** A free loopback port: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => done(port));
    });
  });
}

export interface ServerOptions {
  /** The repository root (the child's working directory, where `tsc` builds when `main` is missing). */
  readonly root: URL;
  /** The service's entry point, e.g. dist/server/main.js. */
  readonly main: URL;
  /** Environment beyond PATH and the host and port. */
  readonly env: Readonly<Record<string, string>>;
  /** How long to wait for `/ready` before giving up. */
  readonly readyTimeoutMs: number;
  /** Called when the child exits (to tell an early death from a requested stop). */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** Starts the service (building it first when its entry point is missing) and waits until `/ready` answers 200. */
export async function startServer(options: ServerOptions): Promise<{ child: ChildProcess; url: string }> {
  const { root, main, env, readyTimeoutMs, onExit } = options;
  if (!existsSync(main)) execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
  const port = await freePort();
  const child = spawn(process.execPath, [main.pathname], {
    cwd: root,
    env: { PATH: process.env.PATH, BACKEND_HOST: '127.0.0.1', BACKEND_PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', onExit);
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + readyTimeoutMs; Date.now() < deadline;) {
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, url };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become ready in ${readyTimeoutMs / 1000} s`);
}
