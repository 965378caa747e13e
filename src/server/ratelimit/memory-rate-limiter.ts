/**
 * RATE_LIMIT counted in this process: one Map of counts for the current
 * window, dropped whole when the window changes, so memory is bounded by the
 * clients seen in one hour and a request costs one Map update.
 */
import type { Clock } from '../cache/types.js';
import { decide, HOUR_MS, windowStart, type LimitDecision, type RateLimiter } from './types.js';

export interface MemoryRateLimiterOptions {
  /** Requests allowed per client and window. */
  limit: number;
  windowMs?: number;
  clock?: Clock;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly #windowMs: number;
  readonly #now: Clock;
  #counts = new Map<string, number>();
  #start = Number.NaN;

  constructor({ limit, windowMs = HOUR_MS, clock = Date.now }: MemoryRateLimiterOptions) {
    this.limit = limit;
    this.#windowMs = windowMs;
    this.#now = clock;
  }

  hit(client: string): LimitDecision {
    const now = this.#now();
    const start = windowStart(now, this.#windowMs);
    if (start !== this.#start) {
      this.#counts = new Map();
      this.#start = start;
    }
    const count = (this.#counts.get(client) ?? 0) + 1;
    this.#counts.set(client, count);
    return decide(this.limit, count, now, start + this.#windowMs);
  }

  async close(): Promise<void> {
    this.#counts.clear();
  }
}
