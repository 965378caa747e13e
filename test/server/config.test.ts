import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../src/server/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it("has the guide's defaults, with webp allowed and the CPU count of workers", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 8000,
      cache: { enabled: true, ttlSeconds: 7200, maxEntries: 10_000 },
      maxUploadBytes: 104_857_600,
      chunkBytes: 2_097_152,
      timeoutSeconds: 600,
      maxImageDimension: 8192,
      streamingEnabled: true,
      backgroundEnabled: true,
      monitoringEnabled: true,
      logLevel: 'info',
      apiKeyRequired: false,
      rateLimitPerHour: 0,
      redis: null,
    });
    expect([...c.allowedFormats].sort()).toEqual(['bmp', 'gif', 'jpeg', 'png', 'tiff', 'webp']);
    expect(c.workerPoolSize).toBeGreaterThanOrEqual(1);
  });

  it("reads the guide's production example as written", () => {
    const c = loadConfig({
      BACKEND_HOST: '0.0.0.0',
      BACKEND_PORT: '8000',
      BACKEND_WORKERS: '4',
      DEBUG: 'false',
      REDIS_HOST: 'redis.prod.internal',
      REDIS_PORT: '6379',
      REDIS_PASSWORD: 'secret-password',
      CACHE_ENABLED: 'true',
      CACHE_TTL: '7200',
      CACHE_MAX_SIZE: '10000',
      MAX_UPLOAD_SIZE: '104857600',
      CHUNK_SIZE: '2097152',
      ALLOWED_EXTENSIONS: 'png,jpg,jpeg,bmp,gif,tiff',
      VECTORIZATION_TIMEOUT: '600',
      STREAMING_ENABLED: 'true',
      BACKGROUND_PROCESSING: 'true',
      MAX_IMAGE_DIMENSION: '8192',
      WORKER_POOL_SIZE: '8',
      MONITORING_ENABLED: 'true',
      LOG_LEVEL: 'INFO',
      CORS_ORIGINS: 'https://yourdomain.com',
      API_KEY_REQUIRED: 'true',
      API_KEYS: 'key-one-123456,key-two-654321',
      RATE_LIMIT: '100',
    });
    expect(c.workerPoolSize).toBe(8);
    expect(c.logLevel).toBe('info');
    expect(c.redis).toEqual({ host: 'redis.prod.internal', port: 6379, password: 'secret-password' });
    expect(c.corsOrigins).toEqual(['https://yourdomain.com']);
    expect(c.apiKeys).toHaveLength(2);
    expect(c.allowedFormats.has('webp')).toBe(false);
    expect(c.rateLimitPerHour).toBe(100);
  });

  it("defaults: role all, drain 5 s, lock 8 s and stalled check 4 s (a dead worker's job free within 12 s), worker port 9100", () => {
    const c = loadConfig({});
    expect([
      c.role,
      c.shutdownDrainSeconds,
      c.jobLockSeconds,
      c.jobStalledIntervalSeconds,
      c.workerMetricsPort,
    ]).toEqual(['all', 5, 8, 4, 9100]);
    expect(loadConfig({ SERVICE_ROLE: 'Worker', REDIS_HOST: 'redis' }).role).toBe('worker');
  });

  it('uses BACKEND_WORKERS as the pool size when WORKER_POOL_SIZE is unset, and maps level names', () => {
    expect(loadConfig({ BACKEND_WORKERS: '3' }).workerPoolSize).toBe(3);
    expect(loadConfig({ LOG_LEVEL: 'WARNING' }).logLevel).toBe('warn');
    expect(loadConfig({ DEBUG: 'true' }).logLevel).toBe('debug');
  });

  it.each([
    [{ BACKEND_PORT: 'eighty' }, /^BACKEND_PORT: expected an integer from 0 to 65535, got "eighty"$/],
    [{ CACHE_ENABLED: 'maybe' }, /^CACHE_ENABLED: expected true or false, got "maybe"$/],
    [{ MAX_UPLOAD_SIZE: '-5' }, /^MAX_UPLOAD_SIZE: expected an integer/],
    [{ VECTORIZATION_TIMEOUT: '0' }, /^VECTORIZATION_TIMEOUT: expected a number from 0.001/],
    [{ ALLOWED_EXTENSIONS: 'png,svg' }, /^ALLOWED_EXTENSIONS: unknown image type "svg"/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of .*got "loud"$/],
    [{ API_KEY_REQUIRED: 'true' }, /^API_KEYS: API_KEY_REQUIRED=true needs at least one key/],
    [{ API_KEYS: 'short' }, /^API_KEYS: key #1 must be 8-256 printable characters/],
    [{ CORS_ORIGINS: 'yourdomain.com' }, /^CORS_ORIGINS: "yourdomain.com" is not an origin/],
    [
      { CHUNK_SIZE: '2097152', MAX_UPLOAD_SIZE: '1048576' },
      /^CHUNK_SIZE: 2097152 is larger than MAX_UPLOAD_SIZE/,
    ],
    [{ RATE_LIMIT: '1.5' }, /^RATE_LIMIT: expected an integer/],
    [{ SERVICE_ROLE: 'both' }, /^SERVICE_ROLE: expected one of api, worker, all, got "both"$/],
    [{ SERVICE_ROLE: 'worker' }, /^SERVICE_ROLE: "worker" needs REDIS_HOST: .*nothing to share/],
    [{ SERVICE_ROLE: 'api' }, /^SERVICE_ROLE: "api" needs REDIS_HOST/],
    [{ SHUTDOWN_DRAIN_SECONDS: '-1' }, /^SHUTDOWN_DRAIN_SECONDS: expected a number from 0/],
    [{ JOB_LOCK_DURATION: '0' }, /^JOB_LOCK_DURATION: expected a number from 1/],
    [
      { JOB_LOCK_DURATION: '5', JOB_STALLED_INTERVAL: '10' },
      /^JOB_STALLED_INTERVAL: 10 s is longer than JOB_LOCK_DURATION/,
    ],
    [{ WORKER_METRICS_PORT: '70000' }, /^WORKER_METRICS_PORT: expected an integer from 0 to 65535/],
  ])('names the variable and the problem: %j', (env, message) => {
    const found = problems(env as Record<string, string>);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('.env.example lists every variable, each with a comment, and is a valid configuration', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = parse(text);
    expect(Object.keys(env).sort()).toEqual([...ENV_VARIABLES].sort());
    const lines = text.split('\n');
    for (const name of ENV_VARIABLES) {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect(lines[at - 1], name).toMatch(/^#|^[A-Z_]+=/);
    }
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('lists every problem at once', () => {
    expect(problems({ BACKEND_PORT: 'x', CACHE_TTL: 'y' }).map((p) => p.split(':')[0])).toEqual([
      'BACKEND_PORT',
      'CACHE_TTL',
    ]);
  });

  it('main.js exits 1 with the message when the configuration is invalid', () => {
    const main = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
    const r = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, BACKEND_PORT: 'abc', DOTENV_CONFIG_PATH: '/nonexistent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BACKEND_PORT: expected an integer from 0 to 65535, got "abc"');
  });
});

describe('secrets from files (REDIS_PASSWORD_FILE, API_KEYS_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image2svg-config-'));
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads the value from the file, trimmed of the newline an editor or `echo` leaves', () => {
    const c = loadConfig({
      REDIS_HOST: 'redis',
      REDIS_PASSWORD_FILE: file('redis_password', 's3cr3t$with spaces inside\n'),
      API_KEY_REQUIRED: 'true',
      API_KEYS_FILE: file('api_keys', '  key-one-1234, key-two-5678\n\n'),
    });
    expect(c.redis).toEqual({ host: 'redis', port: 6379, password: 's3cr3t$with spaces inside' });
    expect(c.apiKeys).toEqual(['key-one-1234', 'key-two-5678']);
    expect(c.apiKeyRequired).toBe(true);
  });

  it('a key read from a file is validated like one given directly', () => {
    expect(problems({ API_KEYS_FILE: file('short_key', 'short\n') })).toEqual([
      'API_KEYS: key #1 must be 8-256 printable characters without spaces',
    ]);
  });

  it('refuses both X and X_FILE, naming both', () => {
    const path = file('both', 'from-the-file');
    expect(problems({ REDIS_PASSWORD: 'direct', REDIS_PASSWORD_FILE: path })).toEqual([
      'REDIS_PASSWORD_FILE: REDIS_PASSWORD is set as well; set only one of REDIS_PASSWORD and REDIS_PASSWORD_FILE',
    ]);
    expect(problems({ API_KEYS: 'direct-key-123', API_KEYS_FILE: path })[0]).toMatch(
      /^API_KEYS_FILE: API_KEYS is set as well/,
    );
  });

  it('an empty X beside X_FILE is not a conflict (Compose writes unset variables as empty)', () => {
    const c = loadConfig({ REDIS_HOST: 'r', REDIS_PASSWORD: '', REDIS_PASSWORD_FILE: file('pw', 'p\n') });
    expect(c.redis?.password).toBe('p');
  });

  it('a missing, unreadable or empty file is a start-up error naming the variable and path, not the content', () => {
    const missing = join(dir, 'does-not-exist');
    expect(problems({ REDIS_PASSWORD_FILE: missing })).toEqual([
      `REDIS_PASSWORD_FILE: cannot read "${missing}" (ENOENT)`,
    ]);
    expect(problems({ API_KEYS_FILE: dir })).toEqual([`API_KEYS_FILE: cannot read "${dir}" (EISDIR)`]);
    const empty = file('empty', ' \n');
    expect(problems({ REDIS_PASSWORD_FILE: empty })).toEqual([`REDIS_PASSWORD_FILE: "${empty}" is empty`]);
    if (process.getuid?.() !== 0) {
      const locked = file('locked', 'secret-value');
      chmodSync(locked, 0o000);
      expect(problems({ REDIS_PASSWORD_FILE: locked })).toEqual([
        `REDIS_PASSWORD_FILE: cannot read "${locked}" (EACCES)`,
      ]);
    }
  });

  it('lists file problems together with the other variables’ problems', () => {
    const found = problems({ REDIS_PASSWORD_FILE: join(dir, 'nope'), BACKEND_PORT: 'x' });
    expect(found.map((p) => p.split(':')[0])).toEqual(['REDIS_PASSWORD_FILE', 'BACKEND_PORT']);
  });

  it('main.js exits 1 naming the unreadable file', () => {
    const main = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
    const missing = join(dir, 'missing-secret');
    const r = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, API_KEYS_FILE: missing, DOTENV_CONFIG_PATH: '/nonexistent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`API_KEYS_FILE: cannot read "${missing}" (ENOENT)`);
  });
});
