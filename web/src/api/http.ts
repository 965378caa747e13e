import { ApiError, errorFromResponse, isAbort, networkError } from './api-error.js';

/** What every call to the service needs: the API key (empty when none) and a signal to abort it. */
export interface RequestContext {
  readonly apiKey: string;
  readonly signal?: AbortSignal;
}

/** Every path is relative to `/api`, so the same build works behind the service and behind nginx. */
export function apiUrl(path: string, query?: URLSearchParams): string {
  const search = query && query.size > 0 ? `?${query.toString()}` : '';
  return `/api${path}${search}`;
}

/**
 * fetch() with the X-API-Key header (never a URL parameter) that throws an
 * ApiError for a non-2xx answer or an unreachable service; an abort is
 * rethrown as is so callers can tell it apart.
 */
export async function apiFetch(
  path: string,
  ctx: RequestContext,
  init: RequestInit = {},
  query?: URLSearchParams,
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (ctx.apiKey !== '') headers.set('X-API-Key', ctx.apiKey);
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), { ...init, headers, signal: ctx.signal });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw networkError(error);
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** Resolves after `ms`, or rejects with an AbortError when the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export { ApiError };
