/**
 * Result cache in Redis, shared by every replica: an LRU bounded in entries
 * and bytes, with a TTL per entry, and hit/miss counters for all replicas
 * together.
 *
 * Redis's own eviction (maxmemory-policy allkeys-lru) cannot bound the cache:
 * it would evict the job queue's keys too, and BullMQ requires `noeviction`.
 * So the cache keeps its own index, one Lua script per operation so that
 * replicas never see it half-updated:
 *   `values`  hash   cache key -> SVG text
 *   `lru`     zset   cache key -> access tick (a counter, not a clock: ties are impossible)
 *   `expiry`  zset   cache key -> expiry time in ms (of the injected clock)
 *   `stats`   hash   hits, misses, bytes (sum of the values' lengths), tick
 * All keys share one hash tag, so the scripts are atomic on Redis Cluster too.
 */
import type { Redis } from 'ioredis';
import { closeRedis, defineScript, pingRedis, type RedisScript } from '../redis-connection.js';
import type { CacheStats, Clock, ResultCache } from './types.js';

export interface RedisCacheOptions {
  /** A connection the cache owns (close() quits it). */
  client: Redis;
  maxEntries: number;
  /** Budget for the values in bytes of UTF-8. Default unbounded. */
  maxBytes?: number;
  /** Key prefix; replicas sharing a prefix share the cache. Default `image2svg`. */
  prefix?: string;
  clock?: Clock;
  /** Told of a Redis failure; the cache then answers a miss instead of failing the conversion. */
  onError?: (err: unknown) => void;
}

/** Removes one entry from the index and the values, keeping `bytes` exact. */
const REMOVE = `
local function remove(m)
  local size = redis.call('HSTRLEN', KEYS[1], m)
  if redis.call('HDEL', KEYS[1], m) == 1 then redis.call('HINCRBY', KEYS[4], 'bytes', -size) end
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
end
local function purge(now)
  local dead = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
  for _, m in ipairs(dead) do remove(m) end
end
`;

const KEYS = 4;

// ARGV: member, now
const GET = `${REMOVE}
local expires = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not expires or tonumber(expires) <= tonumber(ARGV[2]) then
  if expires then remove(ARGV[1]) end
  redis.call('HINCRBY', KEYS[4], 'misses', 1)
  return false
end
redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[4], 'tick', 1), ARGV[1])
redis.call('HINCRBY', KEYS[4], 'hits', 1)
return redis.call('HGET', KEYS[1], ARGV[1])
`;

// ARGV: member, value, expiresAt, now, maxEntries, maxBytes (-1: unbounded)
const SET = `${REMOVE}
purge(ARGV[4])
remove(ARGV[1])
local size = string.len(ARGV[2])
local maxBytes = tonumber(ARGV[6])
if maxBytes >= 0 and size > maxBytes then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[4], 'tick', 1), ARGV[1])
local bytes = redis.call('HINCRBY', KEYS[4], 'bytes', size)
local maxEntries = tonumber(ARGV[5])
while redis.call('ZCARD', KEYS[2]) > maxEntries or (maxBytes >= 0 and bytes > maxBytes) do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  remove(oldest)
  bytes = tonumber(redis.call('HGET', KEYS[4], 'bytes'))
end
return 1
`;

// ARGV: member
const DELETE = `${REMOVE}
remove(ARGV[1])
return 1
`;

// ARGV: now
const STATS = `${REMOVE}
purge(ARGV[1])
local s = redis.call('HMGET', KEYS[4], 'hits', 'misses')
return {tonumber(s[1]) or 0, tonumber(s[2]) or 0, redis.call('ZCARD', KEYS[2])}
`;

export class RedisCache implements ResultCache {
  readonly #client: Redis;
  readonly #keys: readonly string[];
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: Clock;
  readonly #onError: (err: unknown) => void;
  readonly #get: RedisScript;
  readonly #set: RedisScript;
  readonly #delete: RedisScript;
  readonly #stats: RedisScript;

  constructor(opts: RedisCacheOptions) {
    const { maxEntries, maxBytes = Infinity, prefix = 'image2svg' } = opts;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries: expecting a positive integer. Got ${maxEntries}`);
    }
    this.#client = opts.client;
    const ns = `${prefix}:{cache}`;
    this.#keys = [`${ns}:values`, `${ns}:lru`, `${ns}:expiry`, `${ns}:stats`];
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
    this.#now = opts.clock ?? Date.now;
    this.#onError = opts.onError ?? (() => {});
    this.#get = defineScript(this.#client, 'image2svgCacheGet', KEYS, GET);
    this.#set = defineScript(this.#client, 'image2svgCacheSet', KEYS, SET);
    this.#delete = defineScript(this.#client, 'image2svgCacheDelete', KEYS, DELETE);
    this.#stats = defineScript(this.#client, 'image2svgCacheStats', KEYS, STATS);
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const value = (await this.#get(this.#keys, [key, this.#now()])) as string | null;
      return value ?? undefined;
    } catch (e) {
      this.#onError(e);
      return undefined;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const now = this.#now();
    const maxBytes = Number.isFinite(this.#maxBytes) ? this.#maxBytes : -1;
    try {
      await this.#set(this.#keys, [key, value, now + ttlSeconds * 1000, now, this.#maxEntries, maxBytes]);
    } catch (e) {
      this.#onError(e);
    }
  }

  async delete(key: string): Promise<void> {
    await this.#delete(this.#keys, [key]);
  }

  async stats(): Promise<CacheStats> {
    const [hits, misses, total] = (await this.#stats(this.#keys, [this.#now()])) as number[];
    return { hits: hits!, misses: misses!, total_keys: total! };
  }

  async ping(): Promise<boolean> {
    return pingRedis(this.#client);
  }

  async close(): Promise<void> {
    await closeRedis(this.#client);
  }
}
