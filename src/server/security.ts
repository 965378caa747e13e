/**
 * API keys and rate limiting, as one onRequest hook.
 * - API_KEY_REQUIRED=true: every API route but the probes and metrics needs
 *   an X-API-Key from API_KEYS (several, for rotation). Keys are compared as
 *   sha256 digests with timingSafeEqual, and never logged (see logger.ts).
 * - RATE_LIMIT: requests per hour per key, or per client address without
 *   one, in a fixed window; answers carry X-RateLimit-Limit/Remaining/Reset
 *   and a refused request gets 429 with Retry-After.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './cache/types.js';
import { ApiError } from './errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export class KeyChecker {
  readonly #digests: Buffer[];
  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }
  valid(key: string | undefined): boolean {
    if (!key) return false;
    const d = digest(key);
    let ok = false;
    for (const k of this.#digests) ok = timingSafeEqual(k, d) || ok;
    return ok;
  }
}

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Fixed one-hour windows per client; memory is bounded by sweeping windows that ended. */
export class FixedWindowLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  #lastSweep = 0;
  constructor(
    readonly limit: number,
    readonly windowMs = 3_600_000,
    readonly clock: Clock = Date.now,
  ) {}

  hit(client: string): LimitDecision {
    const now = this.clock();
    if (now - this.#lastSweep > this.windowMs) {
      for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
      this.#lastSweep = now;
    }
    let w = this.#windows.get(client);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.#windows.set(client, w);
    }
    w.count++;
    return {
      allowed: w.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetSeconds: Math.ceil((w.resetAt - now) / 1000),
    };
  }
}

/** Paths that need neither a key nor a rate-limit slot: probes, metrics, the UI's files and the docs. */
export function isOpenPath(url: string, method: string): boolean {
  const path = url.split('?')[0].replace(/^\/api(?=\/|$)/, '') || '/';
  if (path === '/health' || path === '/ready' || path === '/metrics') return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    path === '/' ||
    path.startsWith('/assets/') ||
    path.startsWith('/docs') ||
    /^\/[^/]+\.[a-z0-9]+$/i.test(path)
  );
}

export function securityHook(keys: KeyChecker | null, limiter: FixedWindowLimiter | null) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'OPTIONS' || isOpenPath(request.url, request.method)) return;
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (keys && !keys.valid(key)) {
      throw new ApiError(
        'UNAUTHORIZED',
        key ? 'The X-API-Key header is not a valid key' : 'Send a valid API key in the X-API-Key header',
      );
    }
    if (!limiter) return;
    const client = key && keys ? `key:${digest(key).toString('hex')}` : `ip:${request.ip}`;
    const d = limiter.hit(client);
    reply.header('X-RateLimit-Limit', String(d.limit));
    reply.header('X-RateLimit-Remaining', String(d.remaining));
    reply.header('X-RateLimit-Reset', String(d.resetSeconds));
    if (!d.allowed) {
      throw new ApiError(
        'RATE_LIMITED',
        `Rate limit of ${d.limit} requests per hour reached; retry in ${d.resetSeconds} s`,
        { 'Retry-After': String(d.resetSeconds) },
      );
    }
  };
}
