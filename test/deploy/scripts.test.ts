/**
 * The operations scripts, run for real: healthcheck.sh against HTTP servers on
 * loopback, backup.sh against a stand-in `docker` that plays a compose
 * project's Redis (no Docker engine is needed). Both pass `bash -n`, and
 * shellcheck where the machine has it.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, repoPath } from './deploy-files.js';

const SCRIPTS = [
  'scripts/healthcheck.sh',
  'scripts/backup.sh',
  'scripts/restore.sh',
  'scripts/pin-images.sh',
];

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script without blocking the event loop, so the test's own HTTP servers can answer it. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [repoPath(script), ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('shell syntax', () => {
  it.each(SCRIPTS)('%s passes bash -n', (script) => {
    expect(() => execFileSync('bash', ['-n', repoPath(script)])).not.toThrow();
  });
  const shellcheck = findExecutable('SHELLCHECK', 'shellcheck');
  it.skipIf(!shellcheck).each(SCRIPTS)('%s passes shellcheck', (script) => {
    expect(() => execFileSync(shellcheck!, [repoPath(script)], { stdio: 'pipe' })).not.toThrow();
  });
});

/** A server answering each path with the status in `statuses` (404 for others); the map can change between runs. */
async function statusServer(statuses: Map<string, number>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.statusCode = statuses.get(req.url ?? '') ?? 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('healthcheck.sh', () => {
  const backendStatus = new Map([
    ['/health', 200],
    ['/ready', 200],
  ]);
  const frontendStatus = new Map([
    ['/', 200],
    ['/api/health', 200],
  ]);
  let backend: { url: string; server: Server };
  let frontend: { url: string; server: Server };
  beforeAll(async () => {
    backend = await statusServer(backendStatus);
    frontend = await statusServer(frontendStatus);
  });
  afterAll(() => {
    backend.server.close();
    frontend.server.close();
  });
  const check = () => run('scripts/healthcheck.sh', ['--backend', backend.url, '--frontend', frontend.url]);

  it('passes when backend and frontend answer, one line per check', async () => {
    const result = await check();
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('✓'))).toHaveLength(4);
    expect(result.stdout).toContain(`✓ backend is ready (${backend.url}/ready)`);
  });

  it('fails and names the check when the backend is alive but not ready', async () => {
    backendStatus.set('/ready', 503);
    try {
      const result = await check();
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`✗ backend is ready (${backend.url}/ready): HTTP 503`);
      expect(result.stdout).toContain('✓ backend is alive');
      expect(result.stdout).toContain('1 check(s) failed');
    } finally {
      backendStatus.set('/ready', 200);
    }
  });

  it('fails when the frontend cannot reach the backend through /api', async () => {
    frontendStatus.set('/api/health', 502);
    try {
      const result = await check();
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('✗ frontend reaches the backend');
    } finally {
      frontendStatus.set('/api/health', 200);
    }
  });

  it('reports "no answer" for a closed port, and checks only the backend with --no-frontend', async () => {
    const result = await run('scripts/healthcheck.sh', ['--backend', 'http://127.0.0.1:9', '--no-frontend']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('✗ backend is alive (http://127.0.0.1:9/health): no answer');
    expect(result.stdout).not.toContain('frontend');
  });

  it('refuses an unknown argument with status 2', async () => {
    expect((await run('scripts/healthcheck.sh', ['--bogus'])).status).toBe(2);
  });
});

/**
 * A stand-in for `docker compose -f FILE exec -T redis redis-cli ...` and
 * `docker compose -f FILE cp redis:PATH DEST`: it keeps LASTSAVE in a file,
 * moves it on BGSAVE, logs every call and copies RDB_CONTENT.
 */
const FAKE_DOCKER = `#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> "$STATE/calls"
[ "$1" = compose ] && [ "$2" = -f ] || { echo "unexpected: $*" >&2; exit 64; }
shift 3
case "$1" in
  exec)
    shift 4
    case "$1 \${2:-}" in
      "LASTSAVE ") cat "$STATE/lastsave" ;;
      "TIME ") printf '%s\\n0\\n' "$(date +%s)" ;;
      "BGSAVE SCHEDULE") echo $(( $(cat "$STATE/lastsave") + 1 )) > "$STATE/lastsave"; echo "Background saving started" ;;
      "INFO persistence") printf 'rdb_bgsave_in_progress:0\\r\\nrdb_last_bgsave_status:ok\\r\\n' ;;
      "CONFIG GET") printf '%s\\n%s\\n' "$3" "$( [ "$3" = dir ] && echo /data || echo dump.rdb )" ;;
      *) echo "unexpected redis-cli $*" >&2; exit 64 ;;
    esac ;;
  cp) [ "$2" = redis:/data/dump.rdb ] || exit 65; printf '%s' "$RDB_CONTENT" > "$3" ;;
  *) exit 64 ;;
esac
`;

describe('backup.sh', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'image2svg-backup-'));
    const bin = join(dir, 'bin');
    const state = join(dir, 'state');
    const backups = join(dir, 'backups');
    for (const d of [bin, state, backups]) mkdirSync(d);
    writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
    chmodSync(join(bin, 'docker'), 0o755);
    writeFileSync(join(state, 'lastsave'), '1000\n');
    const env = (extra: Record<string, string> = {}) => ({
      PATH: `${bin}:${process.env.PATH}`,
      STATE: state,
      BACKUP_DIR: backups,
      RDB_CONTENT: 'REDIS0011 snapshot',
      ...extra,
    });
    return { state, backups, env };
  }
  const daysAgo = (path: string, days: number) => {
    const t = Date.now() / 1000 - days * 86_400;
    utimesSync(path, t, t);
  };

  it('saves a fresh snapshot and deletes only its own backups older than the retention', async () => {
    const { state, backups, env } = setup();
    for (const [name, age] of [
      ['redis_old.rdb', 8],
      ['redis_recent.rdb', 6],
      ['notes.txt', 30],
    ] as const) {
      writeFileSync(join(backups, name), 'x');
      daysAgo(join(backups, name), age);
    }
    const result = await run('scripts/backup.sh', ['-f', 'docker-compose.prod.yml'], env());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = readdirSync(backups).sort();
    expect(files.filter((f) => !/^redis_\d{8}_\d{6}\.rdb$/.test(f))).toEqual([
      'notes.txt',
      'redis_recent.rdb',
    ]);
    const fresh = files.find((f) => /^redis_\d{8}_\d{6}\.rdb$/.test(f))!;
    expect(readFileSync(join(backups, fresh), 'utf8')).toBe('REDIS0011 snapshot');
    expect(result.stdout).toContain(`deleted old backup: ${join(backups, 'redis_old.rdb')}`);
    expect(readFileSync(join(state, 'calls'), 'utf8')).toContain(
      'compose -f docker-compose.prod.yml exec -T redis redis-cli BGSAVE SCHEDULE',
    );
  });

  it('fails and keeps no file when the copy is not an RDB snapshot', async () => {
    const { backups, env } = setup();
    const result = await run('scripts/backup.sh', [], env({ RDB_CONTENT: '<html>error</html>' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the copied file is not an RDB snapshot');
    expect(readdirSync(backups)).toEqual([]);
  });

  it('fails naming the compose file when Redis cannot be reached', async () => {
    const { env } = setup();
    const result = await run(
      'scripts/backup.sh',
      ['-f', 'missing.yml'],
      env({ PATH: `/nonexistent:${process.env.PATH}` }),
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot reach Redis through 'missing.yml'");
  });

  it('refuses a retention that is not a whole number of days', async () => {
    const { env } = setup();
    const result = await run('scripts/backup.sh', [], env({ RETENTION_DAYS: '7d' }));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("RETENTION_DAYS must be a whole number of days, got '7d'");
  });
});
