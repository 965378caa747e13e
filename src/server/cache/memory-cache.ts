/**
 * In-memory LRU cache with a TTL per entry. A Map keeps insertion order, so
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
  clock?: Clock;
}

export class MemoryCache implements ResultCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: Clock;
  #hits = 0;
  #misses = 0;

  constructor({ maxEntries, clock = Date.now }: MemoryCacheOptions) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries: expecting a positive integer. Got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
    this.#now = clock;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.#now()) {
      if (entry !== undefined) this.#entries.delete(key);
      this.#misses++;
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#hits++;
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlSeconds * 1000 });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async stats(): Promise<CacheStats> {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    return { hits: this.#hits, misses: this.#misses, total_keys: this.#entries.size };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
