/**
 * RATE_LIMIT's counter: requests per client in fixed windows of one hour,
 * aligned on the clock (a window is [k x 1 h, (k + 1) x 1 h) of the clock's
 * milliseconds), so every replica that shares the count agrees on the window
 * without talking to the others. The memory limiter is the embedded default;
 * the Redis limiter (redis-rate-limiter.ts) shares the count between
 * replicas. Both pass test/server/rate-limiter-conformance.ts.
 */

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export interface RateLimiter {
  readonly limit: number;
  /**
   * Counts one request of `client` in the current window. The memory limiter
   * answers at once, a shared one asynchronously; null means the request
   * could not be counted (the shared store is away) and is let through.
   */
  hit(client: string): LimitDecision | Promise<LimitDecision | null>;
  close(): Promise<void>;
}

export const HOUR_MS = 3_600_000;

/** Start of the window that holds `now`. */
export function windowStart(now: number, windowMs: number): number {
  return now - (((now % windowMs) + windowMs) % windowMs);
}

/** The decision for the `count`-th request of a window that ends at `end`. */
export function decide(limit: number, count: number, now: number, end: number): LimitDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil((end - now) / 1000)),
  };
}
