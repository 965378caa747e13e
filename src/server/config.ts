/**
 * Service configuration: the deployment guide's environment variables (plus
 * a few of our own), read from the environment and an optional `.env` file,
 * validated once at start-up. An invalid value fails with a message naming
 * the variable, what was given and what is expected.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { ImageFormat } from '../node/decode/index.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const s = v.trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${v}"` });
      return z.NEVER;
    });

const num = (def: number | undefined, min: number, max: number, integer = true) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v.trim());
      if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
        const kind = integer ? 'an integer' : 'a number';
        ctx.addIssue({ code: 'custom', message: `expected ${kind} from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const list = (def: string) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v === undefined || v.trim() === '' ? def : v)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );

const text = (def: string | undefined) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? def : v.trim()));

/** Extension names as people write them → the sniffed format they mean. */
const EXTENSION_FORMATS: Readonly<Record<string, ImageFormat>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  gif: 'gif',
  bmp: 'bmp',
  dib: 'bmp',
  tif: 'tiff',
  tiff: 'tiff',
  webp: 'webp',
};

/** Python-style level names (the guide writes INFO) → pino levels. */
const LOG_LEVELS: Readonly<Record<string, string>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
  fatal: 'fatal',
  silent: 'silent',
};

const KEY_PATTERN = /^[\x21-\x7e]{8,256}$/;

/**
 * Pixels decoded at once per process: one 8192 x 8192 image (MAX_IMAGE_PIXELS' default) and a quarter
 * as much again for smaller ones beside it. At the measured worst case (colour mode, ~18 bytes of RSS
 * per pixel) that is ~1.4 GiB of conversions beside the idle service and a full in-memory cache, within
 * the deployment guide's 2 GiB limit (docs/CONFIGURATION.md, docs/BENCHMARKS.md).
 */
export const DEFAULT_PIXEL_BUDGET = 83_886_080;
/** Conversions a worker thread runs before it is replaced by a fresh one (its heap never shrinks). */
export const DEFAULT_WORKER_MAX_TASKS = 100;
/** Seconds a worker thread that has worked may sit idle before it is replaced (memory back to idle). */
export const DEFAULT_WORKER_IDLE_SECONDS = 10;

const envSchema = z.object({
  BACKEND_HOST: text('0.0.0.0'),
  BACKEND_PORT: num(8000, 0, 65535),
  BACKEND_WORKERS: num(undefined, 1, 256),
  DEBUG: bool(false),
  REDIS_HOST: text(undefined),
  REDIS_PORT: num(6379, 1, 65535),
  REDIS_PASSWORD: text(undefined),
  REDIS_PASSWORD_FILE: text(undefined),
  CACHE_ENABLED: bool(true),
  CACHE_TTL: num(7200, 1, 31_536_000),
  CACHE_MAX_SIZE: num(10_000, 1, 10_000_000),
  CACHE_MAX_BYTES: num(268_435_456, 1024, 1_099_511_627_776),
  MAX_UPLOAD_SIZE: num(104_857_600, 1024, 4_294_967_296),
  CHUNK_SIZE: num(2_097_152, 1024, 1_073_741_824),
  ALLOWED_EXTENSIONS: list('png,jpg,jpeg,bmp,gif,tiff,webp'),
  VECTORIZATION_TIMEOUT: num(600, 0.001, 86_400, false),
  STREAMING_ENABLED: bool(true),
  BACKGROUND_PROCESSING: bool(true),
  MAX_IMAGE_DIMENSION: num(8192, 1, 65_535),
  MAX_IMAGE_PIXELS: num(67_108_864, 1, 4_294_967_296),
  WORKER_POOL_SIZE: num(undefined, 1, 256),
  MAX_QUEUE_SIZE: num(32, 0, 100_000),
  PIXEL_BUDGET: num(DEFAULT_PIXEL_BUDGET, 1, 1_099_511_627_776),
  WORKER_MAX_TASKS: num(DEFAULT_WORKER_MAX_TASKS, 0, 1_000_000_000),
  WORKER_IDLE_SECONDS: num(DEFAULT_WORKER_IDLE_SECONDS, 0, 86_400, false),
  MONITORING_ENABLED: bool(true),
  LOG_LEVEL: text(undefined),
  CORS_ORIGINS: list(''),
  API_KEY_REQUIRED: bool(false),
  API_KEYS: list(''),
  API_KEYS_FILE: text(undefined),
  RATE_LIMIT: num(0, 0, 100_000_000),
  TASK_RESULT_TTL: num(3600, 1, 31_536_000),
  UPLOAD_TTL: num(3600, 1, 31_536_000),
  REQUEST_TIMEOUT: num(300, 1, 86_400),
  TRUST_PROXY: bool(false),
});

/** Every variable the service reads. */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  host: string;
  port: number;
  debug: boolean;
  redis: { host: string; port: number; password: string | undefined } | null;
  cache: { enabled: boolean; ttlSeconds: number; maxEntries: number; maxBytes: number };
  maxUploadBytes: number;
  chunkBytes: number;
  /** Formats accepted, decided from the sniffed bytes. */
  allowedFormats: ReadonlySet<ImageFormat>;
  timeoutSeconds: number;
  streamingEnabled: boolean;
  backgroundEnabled: boolean;
  maxImageDimension: number;
  maxImagePixels: number;
  workerPoolSize: number;
  maxQueueSize: number;
  /** PIXEL_BUDGET: most pixels the running conversions decode at once. */
  pixelBudget: number;
  /** WORKER_MAX_TASKS: a worker thread is replaced after this many conversions (0 = never). */
  workerMaxTasks: number;
  /** WORKER_IDLE_SECONDS: a worker thread idle this long after work is replaced (0 = never). */
  workerIdleSeconds: number;
  monitoringEnabled: boolean;
  logLevel: string;
  /** Allowed CORS origins; `['*']` allows any; empty disables CORS. */
  corsOrigins: string[];
  apiKeyRequired: boolean;
  apiKeys: string[];
  /** Requests per hour per key or client address; 0 disables the limit. */
  rateLimitPerHour: number;
  taskResultTtlSeconds: number;
  uploadTtlSeconds: number;
  requestTimeoutSeconds: number;
  /** Take the client address from X-Forwarded-For (behind nginx or an ingress). */
  trustProxy: boolean;
}

/** Secrets that may come from a file (Docker and Kubernetes secrets): `X_FILE` names it, its trimmed content is X. */
const FILE_VARIABLES = ['REDIS_PASSWORD', 'API_KEYS'] as const;

/**
 * `env` with each `X_FILE` replaced by the file's trimmed content as X. Setting
 * both X (non-empty) and X_FILE, an unreadable file and an empty one are
 * problems; the message names the variable and the path, never the content.
 */
function readSecretFiles(
  env: Record<string, string | undefined>,
  problems: string[],
): Record<string, string | undefined> {
  const resolved = { ...env };
  for (const name of FILE_VARIABLES) {
    const path = env[`${name}_FILE`]?.trim();
    if (!path) continue;
    if (env[name] !== undefined && env[name].trim() !== '') {
      problems.push(`${name}_FILE: ${name} is set as well; set only one of ${name} and ${name}_FILE`);
      continue;
    }
    try {
      const value = readFileSync(path, 'utf8').trim();
      if (value === '') problems.push(`${name}_FILE: "${path}" is empty`);
      else resolved[name] = value;
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      problems.push(`${name}_FILE: cannot read "${path}" (${reason})`);
    }
  }
  return resolved;
}

/** Validates `env` (process.env, after .env was loaded) into a Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const fileProblems: string[] = [];
  const parsed = envSchema.safeParse(readSecretFiles(env, fileProblems));
  if (!parsed.success) {
    throw new ConfigError([
      ...fileProblems,
      ...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    ]);
  }
  const e = parsed.data;
  const problems: string[] = [...fileProblems];

  const allowedFormats = new Set<ImageFormat>();
  for (const ext of e.ALLOWED_EXTENSIONS) {
    const format = EXTENSION_FORMATS[ext.toLowerCase().replace(/^\./, '')];
    if (format) allowedFormats.add(format);
    else {
      problems.push(
        `ALLOWED_EXTENSIONS: unknown image type "${ext}"; known: ${Object.keys(EXTENSION_FORMATS).join(', ')}`,
      );
    }
  }
  if (e.ALLOWED_EXTENSIONS.length === 0)
    problems.push('ALLOWED_EXTENSIONS: must list at least one image type');

  const levelName = e.LOG_LEVEL ?? (e.DEBUG ? 'debug' : 'info');
  const logLevel = LOG_LEVELS[levelName.toLowerCase()];
  if (!logLevel) {
    problems.push(`LOG_LEVEL: expected one of ${Object.keys(LOG_LEVELS).join(', ')}, got "${levelName}"`);
  }

  if (e.API_KEY_REQUIRED && e.API_KEYS.length === 0) {
    problems.push('API_KEYS: API_KEY_REQUIRED=true needs at least one key in API_KEYS (comma-separated)');
  }
  e.API_KEYS.forEach((k, i) => {
    if (!KEY_PATTERN.test(k)) {
      problems.push(`API_KEYS: key #${i + 1} must be 8-256 printable characters without spaces`);
    }
  });
  for (const origin of e.CORS_ORIGINS) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin like https://example.com (or *)`);
    }
  }
  if (e.CHUNK_SIZE! > e.MAX_UPLOAD_SIZE!) {
    problems.push(`CHUNK_SIZE: ${e.CHUNK_SIZE} is larger than MAX_UPLOAD_SIZE (${e.MAX_UPLOAD_SIZE})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    host: e.BACKEND_HOST ?? '0.0.0.0',
    port: e.BACKEND_PORT ?? 8000,
    debug: e.DEBUG,
    redis: e.REDIS_HOST
      ? { host: e.REDIS_HOST, port: e.REDIS_PORT ?? 6379, password: e.REDIS_PASSWORD }
      : null,
    cache: {
      enabled: e.CACHE_ENABLED,
      ttlSeconds: e.CACHE_TTL!,
      maxEntries: e.CACHE_MAX_SIZE!,
      maxBytes: e.CACHE_MAX_BYTES!,
    },
    maxUploadBytes: e.MAX_UPLOAD_SIZE!,
    chunkBytes: e.CHUNK_SIZE!,
    allowedFormats,
    timeoutSeconds: e.VECTORIZATION_TIMEOUT!,
    streamingEnabled: e.STREAMING_ENABLED,
    backgroundEnabled: e.BACKGROUND_PROCESSING,
    maxImageDimension: e.MAX_IMAGE_DIMENSION!,
    maxImagePixels: e.MAX_IMAGE_PIXELS!,
    workerPoolSize: e.WORKER_POOL_SIZE ?? e.BACKEND_WORKERS ?? availableParallelism(),
    maxQueueSize: e.MAX_QUEUE_SIZE!,
    pixelBudget: e.PIXEL_BUDGET!,
    workerMaxTasks: e.WORKER_MAX_TASKS!,
    workerIdleSeconds: e.WORKER_IDLE_SECONDS!,
    monitoringEnabled: e.MONITORING_ENABLED,
    logLevel: logLevel!,
    corsOrigins: e.CORS_ORIGINS,
    apiKeyRequired: e.API_KEY_REQUIRED,
    apiKeys: e.API_KEYS,
    rateLimitPerHour: e.RATE_LIMIT!,
    taskResultTtlSeconds: e.TASK_RESULT_TTL!,
    uploadTtlSeconds: e.UPLOAD_TTL!,
    requestTimeoutSeconds: e.REQUEST_TIMEOUT!,
    trustProxy: e.TRUST_PROXY,
  };
}
