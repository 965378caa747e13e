/**
 * A throwaway redis-server for one test file: on a free loopback port, with
 * no persistence, killed when the file ends. Never the machine's own Redis
 * on 6379, which other things may use.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { RedisSettings } from '../../src/server/redis-connection.js';

/** Path of redis-server, or null when it is not installed (the tests then skip, saying so). */
export function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : null;
}

/** A loopback port free at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestRedis {
  settings: RedisSettings;
  stop(): Promise<void>;
}

export async function startRedis(binary: string, password?: string): Promise<TestRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (password !== undefined) args.push('--requirepass', password);
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore' });
  const settings: RedisSettings = { host: '127.0.0.1', port, password };
  const probe = new Redis({
    ...settings,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (e) {
      if (i >= 100) throw new Error(`redis-server on port ${port} did not answer`, { cause: e });
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return {
    settings,
    stop: async () => {
      // Killed already: a child killed by a signal keeps exitCode null.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
