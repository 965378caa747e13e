/**
 * The one table of the service's error codes (as fastify keeps its own in
 * `lib/errors.js`): each code has one HTTP status and a default message.
 * Every error the API answers is JSON `{statusCode, code, error, message}`
 * built from this table; docs/API.md documents the same list.
 */
import { STATUS_CODES } from 'node:http';

export const ERRORS = {
  FILE_TOO_LARGE: { status: 413, message: 'The upload is larger than MAX_UPLOAD_SIZE' },
  CHUNK_TOO_LARGE: { status: 413, message: 'The chunk is larger than CHUNK_SIZE' },
  UNSUPPORTED_FORMAT: { status: 415, message: 'The file is not an image format this service accepts' },
  CORRUPT_IMAGE: { status: 422, message: 'The image is corrupt or truncated' },
  IMAGE_TOO_LARGE: { status: 422, message: 'The image is larger than the service accepts' },
  EMPTY_FILE: { status: 400, message: 'The uploaded file is empty' },
  INVALID_OPTION: { status: 400, message: 'An option has an invalid value' },
  INVALID_REQUEST: { status: 400, message: 'The request is malformed' },
  MALFORMED_MULTIPART: {
    status: 400,
    message: 'The multipart/form-data body cannot be parsed',
  },
  MISSING_FILE: {
    status: 400,
    message:
      'Send the image as multipart/form-data field "file" (curl -F file=@image.png), as the whole body with Content-Type image/* or application/octet-stream, or give an upload_id',
  },
  TIMEOUT: { status: 504, message: 'The conversion took longer than VECTORIZATION_TIMEOUT and was stopped' },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request did not arrive in full within REQUEST_TIMEOUT; the connection is closed',
  },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large' },
  BUSY: { status: 503, message: 'All workers are busy and the wait queue is full; retry later' },
  STREAMING_DISABLED: {
    status: 503,
    message: 'Streaming is disabled on this server (STREAMING_ENABLED=false)',
  },
  BACKGROUND_DISABLED: {
    status: 503,
    message: 'Background processing is disabled on this server (BACKGROUND_PROCESSING=false)',
  },
  QUEUE_UNAVAILABLE: {
    status: 503,
    message:
      'The background job queue (Redis) is unavailable; synchronous POST /convert still works. Retry after the time in Retry-After',
  },
  UNAUTHORIZED: { status: 401, message: 'A valid X-API-Key header is required' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry after the time in Retry-After' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  TASK_NOT_READY: { status: 409, message: 'The task has not finished yet' },
  TASK_FAILED: { status: 500, message: 'The task failed' },
  TASK_EXPIRED: { status: 410, message: 'The task result has expired or the task was cancelled' },
  CANCELLED: { status: 410, message: 'The conversion was cancelled' },
  UPLOAD_INCOMPLETE: { status: 400, message: 'Some chunks of the upload are missing' },
  CHUNK_CONFLICT: { status: 409, message: 'This chunk was already received with different content' },
  CHUNK_OUT_OF_RANGE: { status: 400, message: 'chunk_number must be from 0 to total_chunks - 1' },
  UPLOAD_EXPIRED: { status: 410, message: 'The upload expired; start it again' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error the API answers as is: a stable code, a status and an actionable message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
    status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status ?? ERRORS[code].status;
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

export function errorBody(status: number, code: string, message: string): ErrorBody {
  return { statusCode: status, code, error: STATUS_CODES[status] ?? 'Error', message };
}

/** Serialisable form of an ApiError, for worker messages and job records. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}
