/**
 * Identical background jobs share one run across replicas: `dedupe:<key>`
 * holds the id of the job running for that key. A submit claims the key
 * (SET NX GET, one round trip), or joins the job holding it while that job
 * is live. The job's processor releases the key when the job ends; a key a
 * job failed to release (its replica died, it expired) is taken over,
 * compare-and-set, so a stale mapping never blocks a new run.
 */
import type { Redis } from 'ioredis';
import { ApiError } from '../errors.js';
import { defineScript, type RedisScript } from '../redis-connection.js';
import { FINAL_STATUSES, type JobRecord } from './types.js';

// KEYS: dedupe key. ARGV: expected id, new id, ttl ms. Replaces the mapping only if it still holds `expected`.
const SWAP = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

// KEYS: dedupe key. ARGV: id. Deletes the mapping only if it is this job's.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class DedupeKeys {
  readonly #client: Redis;
  readonly #ns: string;
  readonly #ttlMs: number;
  readonly #swap: RedisScript;
  readonly #release: RedisScript;

  /** `ttlMs` bounds how long a key can outlive a job that never released it. */
  constructor(client: Redis, ns: string, ttlMs: number) {
    this.#client = client;
    this.#ns = ns;
    this.#ttlMs = ttlMs;
    this.#swap = defineScript(client, 'image2svgDedupeSwap', 1, SWAP);
    this.#release = defineScript(client, 'image2svgDedupeRelease', 1, RELEASE);
  }

  #key(key: string): string {
    return `${this.#ns}dedupe:${key}`;
  }

  /**
   * Claims `key` for the new job `id` (answers null), or answers the record of
   * the live job holding it. `read` gives a job's record, or null when gone.
   */
  async claim(
    key: string,
    id: string,
    read: (id: string) => Promise<JobRecord | null>,
  ): Promise<JobRecord | null> {
    const k = this.#key(key);
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = (await this.#client.call('SET', k, id, 'NX', 'GET', 'PX', this.#ttlMs)) as string | null;
      if (holder === null) return null;
      const record = await read(holder);
      if (record && !FINAL_STATUSES.has(record.status)) return record;
      if ((await this.#swap([k], [holder, id, this.#ttlMs])) === 1) return null;
    }
    throw new ApiError('BUSY', 'Identical jobs are being submitted and finished very fast; retry', {
      'Retry-After': '1',
    });
  }

  async release(key: string, id: string): Promise<void> {
    await this.#release([this.#key(key)], [id]);
  }
}
