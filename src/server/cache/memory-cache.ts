/**
 * In-memory LRU cache with a TTL per entry, bounded both in entries and in
 * bytes (a few huge SVGs must not take the process's memory). A Map keeps insertion order, so
 * re-inserting an entry on every hit makes the first key the least recently
 * used one: eviction is O(1) with no linked list of our own.
 */
import type { CacheStats, Clock, ResultCache } from './types.js';

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryCacheOptions {
  maxEntries: number;
  /** Budget for the values, counted as 2 bytes per UTF-16 code unit. Default unbounded. */
  maxBytes?: number;
  clock?: Clock;
}

export class MemoryCache implements ResultCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: Clock;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor({ maxEntries, maxBytes = Infinity, clock = Date.now }: MemoryCacheOptions) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries: expecting a positive integer. Got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
    this.#now = clock;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.#now()) {
      if (entry !== undefined) this.#remove(key);
      this.#misses++;
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#hits++;
    return entry.value;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#bytes -= entry.value.length * 2;
    this.#entries.delete(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#remove(key);
    if (value.length * 2 > this.#maxBytes) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlSeconds * 1000 });
    this.#bytes += value.length * 2;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      this.#remove(this.#entries.keys().next().value as string);
    }
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  async stats(): Promise<CacheStats> {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#remove(key);
    return { hits: this.#hits, misses: this.#misses, total_keys: this.#entries.size };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
