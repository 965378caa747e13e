/**
 * API keys and rate limiting, as one onRequest hook.
 * - API_KEY_REQUIRED=true: every API route but the probes and metrics needs
 *   an X-API-Key from API_KEYS (several, for rotation). Keys are compared as
 *   sha256 digests with timingSafeEqual, and never logged (see logger.ts).
 * - RATE_LIMIT: requests per hour per key, or per client address without
 *   one, in fixed one-hour windows counted by a RateLimiter (ratelimit/: in
 *   memory, or in Redis and shared by the replicas); answers carry
 *   X-RateLimit-Limit/Remaining/Reset and a refused request gets 429 with
 *   Retry-After. A request the limiter could not count (Redis away) goes
 *   through without those headers. A request with a wrong or missing key
 *   counts against its client address, so keys cannot be guessed at full speed.
 * - With API keys on, a key in the query string (?api_key=) is refused with
 *   400 (send it in the header); logged URLs are redacted anyway (logger.ts).
 * - The valid key's owner (ownership.ts) is set on the request: tasks and
 *   chunked uploads belong to the key that made them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { Owner } from './ownership.js';
import type { RateLimiter } from './ratelimit/types.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export class KeyChecker {
  readonly #keys: { digest: Buffer; owner: Owner }[];
  constructor(keys: readonly string[]) {
    this.#keys = keys.map((k) => ({ digest: digest(k), owner: new Owner(k) }));
  }
  /** The owner of a valid key (every key compared, whichever matches), null for any other. */
  owner(key: string | undefined): Owner | null {
    if (!key) return null;
    const d = digest(key);
    let found: Owner | null = null;
    for (const k of this.#keys) if (timingSafeEqual(k.digest, d)) found = k.owner;
    return found;
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

/** A key in the query string (?api_key=...): refused, since URLs end up in logs, proxies and browser history. */
const KEY_IN_QUERY = /[?&](?:x[-_]?)?api[-_]?key=/i;

export function securityHook(keys: KeyChecker | null, limiter: RateLimiter | null) {
  /** Counts a request of `client`; RATE_LIMITED past the limit. */
  const count = async (client: string, reply: FastifyReply): Promise<void> => {
    if (!limiter) return;
    const counted = limiter.hit(client);
    // The memory limiter answers at once; only a shared one is awaited.
    const d = counted instanceof Promise ? await counted : counted;
    if (!d) return;
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
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'OPTIONS' || isOpenPath(request.url, request.method)) return;
    if (keys && KEY_IN_QUERY.test(request.url)) {
      throw new ApiError(
        'INVALID_REQUEST',
        'API keys are not accepted in the query string (URLs are logged by proxies and kept in browser history); send the key in the X-API-Key header',
      );
    }
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    const owner = keys ? keys.owner(key) : null;
    if (keys && !owner) {
      // A failed attempt counts against the client address: keys cannot be guessed at full speed.
      await count(`ip:${request.ip}`, reply);
      throw new ApiError(
        'UNAUTHORIZED',
        key ? 'The X-API-Key header is not a valid key' : 'Send a valid API key in the X-API-Key header',
      );
    }
    // The owners (namespace, rate-limit id) were made at start-up: the key is hashed once per request, to compare it.
    request.owner = owner;
    await count(owner ? owner.client : `ip:${request.ip}`, reply);
  };
}
