/**
 * Chunked uploads in Redis, so a client's chunks may land on any replica and
 * the assembled file is converted by whichever replica takes the request.
 *
 * Layout, one hash tag per store so each script is atomic (Cluster too):
 *   `meta:<id>`    hash   total, bytes, assembled (0/1), expires (ms of the injected clock)
 *   `chunks:<id>`  hash   chunk number -> bytes
 *   `gone:<id>`    string tombstone of an expired upload (Redis TTL of a day or the upload TTL):
 *                         a late client hears 410, not 404
 *   `expiry`       zset   upload id -> expires, for the sweep and bytesHeld
 * The assembled file is not stored twice: reading it joins the chunks in
 * order (HMGET), so an upload costs its size once in Redis.
 */
import type { Redis } from 'ioredis';
import { ApiError } from '../errors.js';
import type { Clock } from '../cache/types.js';
import { closeRedis, defineScript, type RedisScript } from '../redis-connection.js';
import { assertChunkIndex, uploadStatus, type UploadStatus, type UploadStore } from './types.js';

export interface RedisUploadStoreOptions {
  /** A connection the store owns (close() quits it). */
  client: Redis;
  ttlSeconds: number;
  /** Largest assembled file, in bytes. */
  maxBytes: number;
  /** Key prefix; replicas sharing a prefix share the uploads. Default `image2svg`. */
  prefix?: string;
  clock?: Clock;
  /** Sweep interval in ms; 0 disables the timer. Default min(ttl, 60 s). */
  sweepEveryMs?: number;
}

const DAY_MS = 86_400_000;
const SWEEP_BATCH = 500;

/**
 * KEYS: meta, chunks, gone, expiry. ARGV[1] id, ARGV[2] now, ARGV[3] tombstone TTL (ms).
 * `state()` expires the upload when its time is past and says 'live', 'expired' or 'none'.
 */
const STATE = `
local function drop()
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
end
local function state()
  local e = redis.call('HGET', KEYS[1], 'expires')
  if e then
    if tonumber(e) > tonumber(ARGV[2]) then return 'live' end
    drop()
    return 'expired'
  end
  if redis.call('EXISTS', KEYS[3]) == 1 then return 'expired' end
  return 'none'
end
local function refresh(ttl)
  local expires = tonumber(ARGV[2]) + tonumber(ttl)
  redis.call('HSET', KEYS[1], 'expires', expires)
  redis.call('ZADD', KEYS[4], expires, ARGV[1])
end
-- The chunks in order (false where missing), behind the word 'ok'; HMGET in batches, as unpack() is bounded.
local function chunks()
  local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
  local out = {'ok'}
  for first = 0, total - 1, 1000 do
    local fields = {}
    for i = first, math.min(first + 999, total - 1) do fields[#fields + 1] = tostring(i) end
    for _, part in ipairs(redis.call('HMGET', KEYS[2], unpack(fields))) do out[#out + 1] = part end
  end
  return out
end
`;

// ARGV[4] index, ARGV[5] total, ARGV[6] bytes, ARGV[7] ttl ms, ARGV[8] max bytes
const PUT = `${STATE}
if state() ~= 'live' then
  redis.call('DEL', KEYS[3], KEYS[2])
  redis.call('HSET', KEYS[1], 'total', ARGV[5], 'bytes', 0, 'assembled', 0)
  refresh(ARGV[7])
end
local total = redis.call('HGET', KEYS[1], 'total')
if tonumber(total) ~= tonumber(ARGV[5]) then return {'total', total} end
local previous = redis.call('HGET', KEYS[2], ARGV[4])
if previous then
  if previous ~= ARGV[6] then return {'conflict'} end
else
  local size = string.len(ARGV[6])
  if tonumber(redis.call('HGET', KEYS[1], 'bytes')) + size > tonumber(ARGV[8]) then return {'too_large'} end
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[6])
  redis.call('HINCRBY', KEYS[1], 'bytes', size)
end
refresh(ARGV[7])
return {'ok', total, redis.call('HKEYS', KEYS[2])}
`;

const STATUS = `${STATE}
local s = state()
if s ~= 'live' then return {s} end
return {'ok', redis.call('HGET', KEYS[1], 'total'), redis.call('HKEYS', KEYS[2])}
`;

// ARGV[4] ttl ms. Answers the chunks in order when all are in, else the missing numbers.
const ASSEMBLE = `${STATE}
local s = state()
if s ~= 'live' then return {s} end
local parts = chunks()
local missing = {'missing'}
for i = 2, #parts do
  if not parts[i] and #missing <= 51 then missing[#missing + 1] = tostring(i - 2) end
end
if #missing > 1 then return missing end
redis.call('HSET', KEYS[1], 'assembled', 1)
refresh(ARGV[4])
return parts
`;

const DELETE = `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
return 1
`;

// KEYS: expiry. ARGV[1] key prefix, ARGV[2] now, ARGV[3] tombstone TTL, ARGV[4] batch.
// The keys of other uploads are derived here; they share the store's hash tag, so the slot is the same.
const SWEEP = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
for _, id in ipairs(ids) do
  redis.call('DEL', ARGV[1] .. 'meta:' .. id, ARGV[1] .. 'chunks:' .. id)
  redis.call('SET', ARGV[1] .. 'gone:' .. id, '1', 'PX', ARGV[3])
  redis.call('ZREM', KEYS[1], id)
end
return #ids
`;

const BYTES_HELD = `
local total = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  total = total + (tonumber(redis.call('HGET', ARGV[1] .. 'meta:' .. id, 'bytes')) or 0)
end
return total
`;

type Reply = (string | Buffer | null | Reply)[];

export class RedisUploadStore implements UploadStore {
  readonly #client: Redis;
  readonly #ns: string;
  readonly #ttlMs: number;
  readonly #goneMs: number;
  readonly #maxBytes: number;
  readonly #now: Clock;
  readonly #timer: NodeJS.Timeout | null;
  readonly #scripts: Record<'put' | 'status' | 'assemble' | 'delete' | 'sweep' | 'bytes', RedisScript>;

  constructor(opts: RedisUploadStoreOptions) {
    this.#client = opts.client;
    this.#ns = `${opts.prefix ?? 'image2svg'}:{uploads}:`;
    this.#ttlMs = opts.ttlSeconds * 1000;
    this.#goneMs = Math.max(this.#ttlMs, DAY_MS);
    this.#maxBytes = opts.maxBytes;
    this.#now = opts.clock ?? Date.now;
    const c = this.#client;
    this.#scripts = {
      put: defineScript(c, 'image2svgUploadPut', 4, PUT),
      status: defineScript(c, 'image2svgUploadStatus', 4, STATUS),
      assemble: defineScript(c, 'image2svgUploadAssemble', 4, ASSEMBLE),
      delete: defineScript(c, 'image2svgUploadDelete', 4, DELETE),
      sweep: defineScript(c, 'image2svgUploadSweep', 1, SWEEP),
      bytes: defineScript(c, 'image2svgUploadBytes', 1, BYTES_HELD),
    };
    const every = opts.sweepEveryMs ?? Math.min(this.#ttlMs, 60_000);
    this.#timer = every > 0 ? setInterval(() => void this.sweep().catch(() => {}), every) : null;
    this.#timer?.unref();
  }

  #keys(id: string): string[] {
    return [`${this.#ns}meta:${id}`, `${this.#ns}chunks:${id}`, `${this.#ns}gone:${id}`, `${this.#ns}expiry`];
  }

  #base(id: string): (string | number)[] {
    return [id, this.#now(), this.#goneMs];
  }

  /** Turns a script's 'expired' / 'none' answer into the ApiError the interface promises. */
  #absent(id: string, state: string): never {
    if (state === 'expired') {
      throw new ApiError('UPLOAD_EXPIRED', `Upload "${id}" expired; send its chunks again`);
    }
    throw new ApiError('NOT_FOUND', `No upload with id "${id}"`);
  }

  #status(id: string, total: string, fields: string[]): UploadStatus {
    return uploadStatus(id, fields.map(Number), Number(total));
  }

  async putChunk(
    uploadId: string,
    index: number,
    totalChunks: number,
    bytes: Uint8Array,
  ): Promise<UploadStatus> {
    assertChunkIndex(index, totalChunks);
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const args = [...this.#base(uploadId), index, totalChunks, chunk, this.#ttlMs, this.#maxBytes];
    const [outcome, total, fields] = (await this.#scripts.put(this.#keys(uploadId), args)) as [
      string,
      string,
      string[],
    ];
    if (outcome === 'total') {
      throw new ApiError(
        'CHUNK_CONFLICT',
        `Upload "${uploadId}" has total_chunks ${total}, this chunk says ${totalChunks}`,
      );
    }
    if (outcome === 'conflict') {
      throw new ApiError(
        'CHUNK_CONFLICT',
        `Chunk ${index} of upload "${uploadId}" was already received with different content`,
      );
    }
    if (outcome === 'too_large') {
      throw new ApiError(
        'FILE_TOO_LARGE',
        `The upload would exceed MAX_UPLOAD_SIZE (${this.#maxBytes} bytes)`,
      );
    }
    return this.#status(uploadId, total, fields);
  }

  async status(uploadId: string): Promise<UploadStatus> {
    const [state, total, fields] = (await this.#scripts.status(
      this.#keys(uploadId),
      this.#base(uploadId),
    )) as [string, string, string[]];
    if (state !== 'ok') this.#absent(uploadId, state);
    return this.#status(uploadId, total, fields);
  }

  async assemble(uploadId: string): Promise<Uint8Array> {
    const reply = (await this.#scripts.assemble.buffers(this.#keys(uploadId), [
      ...this.#base(uploadId),
      this.#ttlMs,
    ])) as Reply;
    const state = String(reply[0]);
    if (state === 'missing') {
      const missing = reply.slice(1).map(String);
      const shown = missing.slice(0, 50).join(', ') + (missing.length > 50 ? ', ...' : '');
      throw new ApiError('UPLOAD_INCOMPLETE', `Upload "${uploadId}" is missing chunks: ${shown}`);
    }
    return this.#file(uploadId, state, reply);
  }

  #file(uploadId: string, state: string, reply: Reply): Uint8Array {
    if (state !== 'ok') this.#absent(uploadId, state);
    return new Uint8Array(Buffer.concat(reply.slice(1) as Buffer[]));
  }

  async delete(uploadId: string): Promise<void> {
    await this.#scripts.delete(this.#keys(uploadId), [uploadId]);
  }

  async sweep(): Promise<number> {
    const expiry = [`${this.#ns}expiry`];
    let freed = 0;
    for (;;) {
      const n = (await this.#scripts.sweep(expiry, [
        this.#ns,
        this.#now(),
        this.#goneMs,
        SWEEP_BATCH,
      ])) as number;
      freed += n;
      if (n < SWEEP_BATCH) return freed;
    }
  }

  async bytesHeld(): Promise<number> {
    return (await this.#scripts.bytes([`${this.#ns}expiry`], [this.#ns])) as number;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await closeRedis(this.#client);
  }
}
