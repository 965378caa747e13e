/**
 * Large files go up in chunks (`POST /api/upload/chunked`), so a person sees
 * the upload advance and a dropped connection costs one chunk, not the
 * whole file; the assembled upload is then converted by its id. A chunk
 * that fails on the network or with a 5xx is sent again a few times.
 */
import { ApiError, isAbort } from './api-error.js';
import { apiFetch, sleep, type RequestContext } from './http.js';

/** Files above this size are uploaded in chunks. */
export const CHUNKED_FROM_BYTES = 8 * 1024 * 1024;
/** Half the service's default CHUNK_SIZE (2 MB); halved again if the service says a chunk is too large. */
const FIRST_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;
const TRIES = 3;

function newUploadId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
    b.toString(16).padStart(2, '0'),
  );
  return `ui-${random.join('')}`;
}

function retryable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

async function sendChunk(
  id: string,
  chunk: Blob,
  index: number,
  total: number,
  ctx: RequestContext,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const form = new FormData();
    form.append('upload_id', id);
    form.append('chunk_number', String(index));
    form.append('total_chunks', String(total));
    form.append('chunk', chunk, `chunk-${index}`);
    try {
      await apiFetch('/upload/chunked', ctx, { method: 'POST', body: form });
      return;
    } catch (error) {
      if (isAbort(error) || !retryable(error) || attempt >= TRIES) throw error;
      await sleep(500 * attempt, ctx.signal);
    }
  }
}

/** Uploads `file` in chunks and assembles it; answers the upload id to convert. */
export async function uploadInChunks(
  file: Blob,
  ctx: RequestContext,
  onProgress: (fraction: number) => void,
): Promise<string> {
  for (let chunkBytes = FIRST_CHUNK_BYTES; ; chunkBytes /= 2) {
    const id = newUploadId();
    const total = Math.max(1, Math.ceil(file.size / chunkBytes));
    try {
      for (let i = 0; i < total; i++) {
        await sendChunk(id, file.slice(i * chunkBytes, (i + 1) * chunkBytes), i, total, ctx);
        onProgress((i + 1) / total);
      }
      await apiFetch(`/upload/chunked/${id}/complete`, ctx, { method: 'POST' });
      return id;
    } catch (error) {
      const tooLarge = error instanceof ApiError && error.code === 'CHUNK_TOO_LARGE';
      if (!tooLarge || chunkBytes / 2 < MIN_CHUNK_BYTES) throw error;
    }
  }
}
