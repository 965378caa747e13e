/**
 * Chunked uploads: chunks arrive in any order, the same chunk twice is
 * idempotent, a different body for an accepted chunk is a conflict, and an
 * upload left unfinished expires and its storage is freed. The memory store
 * is the embedded default; the Redis store (redis-upload-store.ts) implements the same
 * interface and passes test/server/upload-store-conformance.ts.
 *
 * Failures are thrown as ApiError with codes NOT_FOUND, UPLOAD_EXPIRED,
 * CHUNK_CONFLICT, CHUNK_OUT_OF_RANGE, UPLOAD_INCOMPLETE and FILE_TOO_LARGE.
 */
import { ApiError } from '../errors.js';

export interface UploadStatus {
  upload_id: string;
  /** Chunk numbers received, ascending. */
  received: number[];
  total_chunks: number;
  /** True when every chunk is in. */
  complete: boolean;
}

export interface UploadStore {
  putChunk(uploadId: string, index: number, totalChunks: number, bytes: Uint8Array): Promise<UploadStatus>;
  status(uploadId: string): Promise<UploadStatus>;
  /**
   * Joins the chunks into one file (kept until the upload expires) and returns it; called again, returns
   * the same file. UPLOAD_INCOMPLETE naming the missing chunks while some are not in.
   */
  assemble(uploadId: string): Promise<Uint8Array>;
  delete(uploadId: string): Promise<void>;
  /** Frees expired uploads now; returns how many. Also runs on a timer. */
  sweep(): Promise<number>;
  /** Bytes held, for tests and metrics. */
  bytesHeld(): Promise<number>;
  close(): Promise<void>;
}

export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The status document from the chunk numbers received (any order). */
export function uploadStatus(
  uploadId: string,
  received: Iterable<number>,
  totalChunks: number,
): UploadStatus {
  const sorted = [...received].sort((a, b) => a - b);
  return {
    upload_id: uploadId,
    received: sorted,
    total_chunks: totalChunks,
    complete: sorted.length === totalChunks,
  };
}

/** CHUNK_OUT_OF_RANGE unless `index` is a chunk number of an upload of `totalChunks` chunks. */
export function assertChunkIndex(index: number, totalChunks: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= totalChunks) {
    throw new ApiError(
      'CHUNK_OUT_OF_RANGE',
      `chunk_number must be from 0 to ${totalChunks - 1} (total_chunks ${totalChunks}), got ${index}`,
    );
  }
}
