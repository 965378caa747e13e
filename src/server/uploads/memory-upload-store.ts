/**
 * Upload store in process memory. Each upload expires `ttlSeconds` after its
 * last chunk; expired uploads are freed by a timer and by any access, and
 * leave a small tombstone so a late client hears 410 (expired), not 404.
 */
import { ApiError } from '../errors.js';
import type { Clock } from '../cache/types.js';
import { assertChunkIndex, uploadStatus, type UploadStatus, type UploadStore } from './types.js';

interface Upload {
  total: number;
  chunks: Map<number, Uint8Array>;
  bytes: number;
  assembled: Uint8Array | null;
  expiresAt: number;
}

export interface MemoryUploadStoreOptions {
  ttlSeconds: number;
  /** Largest assembled file, in bytes. */
  maxBytes: number;
  clock?: Clock;
  /** Sweep interval in ms; 0 disables the timer. Default min(ttl, 60 s). */
  sweepEveryMs?: number;
}

const MAX_TOMBSTONES = 10_000;

export class MemoryUploadStore implements UploadStore {
  readonly #uploads = new Map<string, Upload>();
  readonly #expired = new Set<string>();
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #now: Clock;
  readonly #timer: NodeJS.Timeout | null;

  constructor({ ttlSeconds, maxBytes, clock = Date.now, sweepEveryMs }: MemoryUploadStoreOptions) {
    this.#ttlMs = ttlSeconds * 1000;
    this.#maxBytes = maxBytes;
    this.#now = clock;
    const every = sweepEveryMs ?? Math.min(this.#ttlMs, 60_000);
    this.#timer = every > 0 ? setInterval(() => void this.sweep(), every) : null;
    this.#timer?.unref();
  }

  #live(uploadId: string): Upload {
    const upload = this.#uploads.get(uploadId);
    if (upload !== undefined && upload.expiresAt <= this.#now()) {
      this.#expire(uploadId);
    } else if (upload !== undefined) {
      return upload;
    }
    if (this.#expired.has(uploadId)) {
      throw new ApiError('UPLOAD_EXPIRED', `Upload "${uploadId}" expired; send its chunks again`);
    }
    throw new ApiError('NOT_FOUND', `No upload with id "${uploadId}"`);
  }

  #expire(uploadId: string): void {
    this.#uploads.delete(uploadId);
    if (this.#expired.size >= MAX_TOMBSTONES) {
      this.#expired.delete(this.#expired.values().next().value as string);
    }
    this.#expired.add(uploadId);
  }

  #status(uploadId: string, u: Upload): UploadStatus {
    return uploadStatus(uploadId, u.chunks.keys(), u.total);
  }

  async putChunk(
    uploadId: string,
    index: number,
    totalChunks: number,
    bytes: Uint8Array,
  ): Promise<UploadStatus> {
    assertChunkIndex(index, totalChunks);
    let upload: Upload;
    try {
      upload = this.#live(uploadId);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.code !== 'NOT_FOUND' && e.code !== 'UPLOAD_EXPIRED')) throw e;
      // A chunk for an expired id starts a new upload: the client is resending.
      this.#expired.delete(uploadId);
      upload = { total: totalChunks, chunks: new Map(), bytes: 0, assembled: null, expiresAt: 0 };
      this.#uploads.set(uploadId, upload);
    }
    if (upload.total !== totalChunks) {
      throw new ApiError(
        'CHUNK_CONFLICT',
        `Upload "${uploadId}" has total_chunks ${upload.total}, this chunk says ${totalChunks}`,
      );
    }
    const previous = upload.chunks.get(index);
    if (previous !== undefined) {
      if (!Buffer.from(previous).equals(Buffer.from(bytes))) {
        throw new ApiError(
          'CHUNK_CONFLICT',
          `Chunk ${index} of upload "${uploadId}" was already received with different content`,
        );
      }
    } else {
      if (upload.bytes + bytes.length > this.#maxBytes) {
        throw new ApiError(
          'FILE_TOO_LARGE',
          `The upload would exceed MAX_UPLOAD_SIZE (${this.#maxBytes} bytes)`,
        );
      }
      upload.chunks.set(index, Uint8Array.from(bytes));
      upload.bytes += bytes.length;
    }
    upload.expiresAt = this.#now() + this.#ttlMs;
    return this.#status(uploadId, upload);
  }

  async status(uploadId: string): Promise<UploadStatus> {
    return this.#status(uploadId, this.#live(uploadId));
  }

  async assemble(uploadId: string): Promise<Uint8Array> {
    const upload = this.#live(uploadId);
    if (upload.assembled) return upload.assembled;
    const missing: number[] = [];
    for (let i = 0; i < upload.total; i++) if (!upload.chunks.has(i)) missing.push(i);
    if (missing.length > 0) {
      const shown = missing.slice(0, 50).join(', ') + (missing.length > 50 ? ', ...' : '');
      throw new ApiError('UPLOAD_INCOMPLETE', `Upload "${uploadId}" is missing chunks: ${shown}`);
    }
    const out = new Uint8Array(upload.bytes);
    let offset = 0;
    for (let i = 0; i < upload.total; i++) {
      const chunk = upload.chunks.get(i)!;
      out.set(chunk, offset);
      // Keep each chunk as a view of the assembled file: a resent chunk is still compared, memory is not doubled.
      upload.chunks.set(i, out.subarray(offset, offset + chunk.length));
      offset += chunk.length;
    }
    upload.assembled = out;
    upload.expiresAt = this.#now() + this.#ttlMs;
    return out;
  }

  async delete(uploadId: string): Promise<void> {
    this.#uploads.delete(uploadId);
  }

  async sweep(): Promise<number> {
    const now = this.#now();
    let freed = 0;
    for (const [id, upload] of this.#uploads) {
      if (upload.expiresAt <= now) {
        this.#expire(id);
        freed++;
      }
    }
    return freed;
  }

  async bytesHeld(): Promise<number> {
    let total = 0;
    for (const u of this.#uploads.values()) total += u.assembled ? u.assembled.length : u.bytes;
    return total;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#uploads.clear();
  }
}
