/**
 * Errors from the service, in the shape of its JSON error body
 * `{statusCode, code, error, message}`; the message is what a person can act
 * on, so the UI shows it as given.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before retrying (from Retry-After on 503/429), when the service said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  error?: unknown;
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Builds an ApiError from a non-2xx response, reading the service's JSON error body when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  let body: ErrorBody | null = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    body = (await response.json().catch(() => null)) as ErrorBody | null;
  }
  const code = typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`;
  const message =
    typeof body?.message === 'string' && body.message !== ''
      ? body.message
      : `The service answered ${response.status} ${response.statusText || (typeof body?.error === 'string' ? body.error : '')}`.trim();
  return new ApiError(response.status, code, message, retryAfter);
}

/** Turns a failed fetch (no HTTP answer at all) into an ApiError a person can read. */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, 'NETWORK', `Could not reach the service (${detail}). Check that it is running.`);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
