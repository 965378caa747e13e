/**
 * RATE_LIMIT counted in Redis, shared by every replica: one key per client
 * and window, `<prefix>:ratelimit:<client>:<window start>`, incremented and
 * given its expiry by one Lua script (atomic, one round trip). A key expires
 * a minute after its window ends, a margin for replicas whose clocks differ
 * a little.
 *
 * Redis away never fails a request: it is let through uncounted (fail open)
 * and the error reported. A connection that was up and dropped lets requests
 * through at once rather than queueing them for a reconnect; a command sent
 * waits at most `timeoutMs` for Redis's answer.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../cache/types.js';
import { closeRedis, defineScript, type RedisScript } from '../redis-connection.js';
import { decide, HOUR_MS, windowStart, type LimitDecision, type RateLimiter } from './types.js';

// KEYS: the window's counter; ARGV: its time to live in ms
const INCR = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

const EXPIRY_MARGIN_MS = 60_000;

export interface RedisRateLimiterOptions {
  /** A connection the limiter owns (close() quits it). */
  client: Redis;
  /** Requests allowed per client and window. */
  limit: number;
  windowMs?: number;
  /** Key prefix; replicas sharing a prefix share the counts. Default `image2svg`. */
  prefix?: string;
  clock?: Clock;
  /** Told of a Redis failure; the request is then let through. */
  onError?: (err: unknown) => void;
  /** Longest wait for Redis's answer before letting the request through. Default 500 ms. */
  timeoutMs?: number;
}

export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly #client: Redis;
  readonly #windowMs: number;
  readonly #prefix: string;
  readonly #now: Clock;
  readonly #onError: (err: unknown) => void;
  readonly #timeoutMs: number;
  readonly #incr: RedisScript;
  #connected: boolean;

  constructor(opts: RedisRateLimiterOptions) {
    this.limit = opts.limit;
    this.#client = opts.client;
    this.#windowMs = opts.windowMs ?? HOUR_MS;
    this.#prefix = `${opts.prefix ?? 'image2svg'}:ratelimit`;
    this.#now = opts.clock ?? Date.now;
    this.#onError = opts.onError ?? (() => {});
    this.#timeoutMs = opts.timeoutMs ?? 500;
    this.#incr = defineScript(this.#client, 'image2svgRateLimitIncr', 1, INCR);
    this.#connected = this.#client.status === 'ready';
    this.#client.on('ready', () => (this.#connected = true));
  }

  async hit(client: string): Promise<LimitDecision | null> {
    const status = this.#client.status;
    if (this.#connected && status !== 'ready') {
      this.#onError(new Error(`the connection is ${status}`));
      return null;
    }
    const now = this.#now();
    const start = windowStart(now, this.#windowMs);
    const end = start + this.#windowMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const count = await Promise.race([
        this.#incr([`${this.#prefix}:${client}:${start}`], [end - now + EXPIRY_MARGIN_MS]),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.#timeoutMs} ms`)),
            this.#timeoutMs,
          );
        }),
      ]);
      return decide(this.limit, Number(count), now, end);
    } catch (e) {
      this.#onError(e);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await closeRedis(this.#client);
  }
}
