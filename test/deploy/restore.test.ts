/**
 * scripts/restore.sh against a real redis-server (skipped where the machine
 * has none): a stand-in `docker` runs the script's one-off container as a
 * local Redis on a temporary folder that plays the Redis volume. The check is
 * the one that matters: after the restore, a Redis started the way the
 * compose files start it (append-only on) holds the snapshot's keys, not the
 * data that was there before.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findExecutable, repoPath } from './deploy-files.js';

const redisServer = findExecutable('REDIS_SERVER', 'redis-server', ['/usr/bin/redis-server']);
const PASSWORD = 'restore-test-password';

/**
 * `docker compose -f F stop|start`, `docker compose -f F run ... --entrypoint sh redis -c SCRIPT sh FILE`
 * (SCRIPT run here, with /data and /restore mapped to folders), `docker exec N redis-cli ...`,
 * `docker inspect` (running while the port answers) and `docker rm`.
 */
const FAKE_DOCKER = `#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> "$STATE/calls"
case "$1" in
  compose)
    shift 3
    case "$1" in
      stop | start) exit 0 ;;
      run)
        shift
        while [ "$1" != redis ]; do
          case "$1" in -v) volume="$2"; shift 2 ;; --name | --entrypoint) shift 2 ;; *) shift ;; esac
        done
        [ "$2" = -c ] || exit 64
        script="$3"; shift 3
        script="\${script//\\/data/$DATA}"
        script="\${script//\\/restore/\${volume%%:/restore:ro}}"
        PATH="$STATE/bin:$PATH" sh -c "$script" "$@" ;;
      *) exit 64 ;;
    esac ;;
  exec) shift 3; redis-cli -p "$PORT" "$@" ;;
  inspect) if redis-cli -p "$PORT" PING >/dev/null 2>&1; then echo true; else echo false; fi ;;
  rm) exit 0 ;;
  *) exit 64 ;;
esac
`;

/** The image's entrypoint, here: redis-server on the test's port and folder, in the background as with `run -d`. */
const FAKE_ENTRYPOINT = `#!/bin/sh
shift
exec "$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --dir "$DATA" --daemonize yes --logfile "$STATE/redis.log" "$@"
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const startedPorts: number[] = [];
const cli = (port: number, ...args: string[]): string =>
  execFileSync('redis-cli', ['-p', String(port), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REDISCLI_AUTH: PASSWORD },
  }).trim();

const answers = (port: number): boolean => {
  try {
    return cli(port, 'PING') === 'PONG';
  } catch {
    return false;
  }
};

/** Starts redis-server in the background and waits until it answers. */
async function startRedis(port: number, dir: string, ...args: string[]): Promise<void> {
  execFileSync(redisServer!, [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'yes'],
    ...['--logfile', join(dir, '..', `redis-${port}.log`), '--requirepass', PASSWORD, ...args],
  ]);
  startedPorts.push(port);
  for (let i = 0; !answers(port); i++) {
    if (i > 100) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stopRedis(port: number): void {
  try {
    cli(port, 'SHUTDOWN');
  } catch {
    // SHUTDOWN closes the connection before answering.
  }
}

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [repoPath('scripts/restore.sh'), ...args], {
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe.skipIf(!redisServer)('restore.sh with a real Redis', () => {
  afterEach(() => {
    for (const port of startedPorts.splice(0)) stopRedis(port);
  });

  it('replaces the append-only data with the snapshot, and a normal start then serves it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'image2svg-restore-'));
    const [data, backups, source, state] = ['data', 'backups', 'source', 'state'].map((d) => join(root, d));
    for (const d of [data, backups, source, join(state, 'bin')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(state, 'bin', 'docker'), FAKE_DOCKER);
    writeFileSync(join(state, 'bin', 'docker-entrypoint.sh'), FAKE_ENTRYPOINT);
    chmodSync(join(state, 'bin', 'docker'), 0o755);
    chmodSync(join(state, 'bin', 'docker-entrypoint.sh'), 0o755);

    // The snapshot, from another Redis: keys a and b.
    const sourcePort = await freePort();
    await startRedis(sourcePort, source);
    cli(sourcePort, 'SET', 'a', '1');
    cli(sourcePort, 'SET', 'b', '2');
    cli(sourcePort, 'SAVE');
    stopRedis(sourcePort);
    cpSync(join(source, 'dump.rdb'), join(backups, 'redis_20260101_030000.rdb'));

    // The deployment's volume today: append-only files holding a key that the restore must drop.
    const port = await freePort();
    await startRedis(port, data, '--appendonly', 'yes');
    cli(port, 'SET', 'current', 'x');
    stopRedis(port);
    expect(existsSync(join(data, 'appendonlydir'))).toBe(true);

    startedPorts.push(port); // the script's one-off Redis, should the script stop half-way
    const result = await run([join(backups, 'redis_20260101_030000.rdb')], {
      PATH: `${join(state, 'bin')}:${process.env.PATH}`,
      STATE: state,
      DATA: data,
      PORT: String(port),
      REDIS_SERVER: redisServer!,
      REDIS_PASSWORD: PASSWORD,
      REDISCLI_AUTH: PASSWORD,
    });
    expect(result.output).toContain('restore completed: 2 keys from redis_20260101_030000.rdb');
    expect(result.status).toBe(0);

    const calls = readFileSync(join(state, 'calls'), 'utf8').split('\n');
    const index = (prefix: string) => calls.findIndex((c) => c.includes(prefix));
    expect(index('stop backend redis')).toBeLessThan(index(' run -d'));
    expect(index('CONFIG SET appendonly yes')).toBeLessThan(index('start redis backend'));

    await startRedis(port, data, '--appendonly', 'yes');
    expect(cli(port, 'KEYS', '*').split('\n').sort()).toEqual(['a', 'b']);
  });
});

describe('restore.sh arguments', () => {
  it('refuses a file that is not a Redis snapshot, before touching anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'image2svg-restore-'));
    writeFileSync(join(dir, 'notes.rdb'), 'not a snapshot');
    const result = await run([join(dir, 'notes.rdb')], { PATH: `/nonexistent:${process.env.PATH}` });
    expect(result.status).toBe(2);
    expect(result.output).toContain('is not a Redis snapshot (RDB file)');
  });

  it('asks for a snapshot when none is given', async () => {
    const result = await run([], {});
    expect(result.status).toBe(2);
    expect(result.output).toContain('which snapshot?');
  });
});
