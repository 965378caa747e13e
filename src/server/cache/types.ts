/**
 * The result cache: SVG text by key, with a time to live. The memory LRU is
 * the embedded default; the Redis cache (redis-cache.ts) implements
 * the same interface and passes the same conformance suite
 * (test/server/cache-conformance.ts).
 */
export interface CacheStats {
  hits: number;
  misses: number;
  total_keys: number;
}

export interface ResultCache {
  /** The value, or undefined when absent or expired. Counts a hit or a miss. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  stats(): Promise<CacheStats>;
  /** True when the backend answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Milliseconds since some origin; injected so tests can move time. */
export type Clock = () => number;
