/**
 * With API_KEY_REQUIRED, background tasks and chunked uploads belong to the
 * key that created them; any other key gets 404 for them, as for an id that
 * does not exist. Nothing is stored for it, so it holds on every backend
 * (memory, Redis) and across replicas:
 * - a task id handed to a key is the job's id plus a tag, an HMAC of the
 *   job id keyed by that API key: only the same key presents a tag that
 *   checks out. Jobs are deduplicated per key (the dedupe key carries the
 *   key's namespace), so one key cancelling its task never cancels another's.
 * - upload ids are chosen by the client: each key has its own namespace of
 *   them (a digest of the key prefixes the stored id), so two keys may even
 *   use the same upload_id without meeting.
 * Without API keys there is no owner and ids are used as they are.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';
import type { JobRecord } from './jobs/types.js';
import type { UploadStatus, UploadStore } from './uploads/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key's owner identity, when API_KEY_REQUIRED is on (security.ts sets it). */
    owner: Owner | null;
  }
}

const TAG_LENGTH = 16;

/** One per configured API key, built once at start-up (security.ts's KeyChecker). */
export class Owner {
  /** Namespace of this key's uploads and dedupe keys: a digest of the key, never the key. */
  readonly namespace: string;
  /** The key's rate-limit client id: its sha256, never the key. */
  readonly client: string;
  readonly #key: string;

  constructor(apiKey: string) {
    this.#key = apiKey;
    this.namespace = createHash('sha256').update(`image2svg:owner:${apiKey}`).digest('hex').slice(0, 16);
    this.client = `key:${createHash('sha256').update(apiKey).digest('hex')}`;
  }

  #tag(jobId: string): string {
    return createHmac('sha256', this.#key).update(`task:${jobId}`).digest('base64url').slice(0, TAG_LENGTH);
  }

  /** The task id this key is given for a job. */
  taskId(jobId: string): string {
    return `${jobId}.${this.#tag(jobId)}`;
  }

  /** The job of a task id this key was given; null for any other id. */
  jobId(taskId: string): string | null {
    const dot = taskId.lastIndexOf('.');
    if (dot <= 0) return null;
    const jobId = taskId.slice(0, dot);
    const tag = Buffer.from(taskId.slice(dot + 1));
    const expected = Buffer.from(this.#tag(jobId));
    return tag.length === expected.length && timingSafeEqual(tag, expected) ? jobId : null;
  }
}

/** Rewrites the stored id in an ApiError's message to the id the client knows. */
function renamed(e: unknown, stored: string, shown: string): unknown {
  if (e instanceof ApiError && stored !== shown) e.message = e.message.split(stored).join(shown);
  return e;
}

/** The job id behind a task id the client sent; NOT_FOUND when it is not this owner's. */
export function jobIdOf(owner: Owner | null, taskId: string): string {
  if (!owner) return taskId;
  const id = owner.jobId(taskId);
  if (id === null) throw new ApiError('NOT_FOUND', `No task with id "${taskId}"`);
  return id;
}

/** Calls `fn` with the job id of `taskId`, its errors naming the task id the client sent. */
export async function withTask<T>(
  owner: Owner | null,
  taskId: string,
  fn: (jobId: string) => Promise<T>,
): Promise<T> {
  const jobId = jobIdOf(owner, taskId);
  try {
    return await fn(jobId);
  } catch (e) {
    throw renamed(e, jobId, taskId);
  }
}

/** A job record as its owner sees it: with the owner's task id. */
export function recordFor(owner: Owner | null, record: JobRecord): JobRecord {
  return owner ? { ...record, task_id: owner.taskId(record.task_id) } : record;
}

/** The dedupe key of a background job: identical jobs are shared within one owner only. */
export function dedupeKeyFor(owner: Owner | null, key: string): string {
  return owner ? `${key}:${owner.namespace}` : key;
}

/** The upload store as one owner sees it: its own namespace of upload ids. */
export function scopedUploads(store: UploadStore, owner: Owner | null): UploadStore {
  if (!owner) return store;
  const stored = (id: string) => `${owner.namespace}.${id}`;
  const call = async <T>(id: string, fn: (storedId: string) => Promise<T>): Promise<T> => {
    try {
      return await fn(stored(id));
    } catch (e) {
      throw renamed(e, stored(id), id);
    }
  };
  const shown = (id: string, s: UploadStatus): UploadStatus => ({ ...s, upload_id: id });
  return {
    putChunk: (id, index, total, bytes) =>
      call(id, async (s) => shown(id, await store.putChunk(s, index, total, bytes))),
    status: (id) => call(id, async (s) => shown(id, await store.status(s))),
    assemble: (id) => call(id, (s) => store.assemble(s)),
    delete: (id) => call(id, (s) => store.delete(s)),
    sweep: () => store.sweep(),
    bytesHeld: () => store.bytesHeld(),
    close: () => store.close(),
  };
}
