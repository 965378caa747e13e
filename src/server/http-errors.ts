/**
 * Turns every failure into the JSON error body of errors.ts: our ApiErrors as
 * they are, fastify's and @fastify/multipart's own errors mapped onto our
 * codes, anything unexpected as INTERNAL (logged, message hidden).
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ERRORS, errorBody, type ErrorCode } from './errors.js';

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_REQ_FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'MISSING_FILE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MISSING_FILE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MISSING_FILE',
  FST_FILES_LIMIT: 'INVALID_REQUEST',
  FST_FIELDS_LIMIT: 'INVALID_REQUEST',
  FST_PARTS_LIMIT: 'INVALID_REQUEST',
  FST_PROTO_VIOLATION: 'INVALID_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_VALIDATION: 'INVALID_REQUEST',
};

const SEND_AN_IMAGE =
  'Send the image as multipart/form-data with the field "file" (e.g. curl -F file=@image.png), or as the whole body with Content-Type image/* or application/octet-stream';

const MESSAGES: Readonly<Record<string, string>> = {
  FST_INVALID_MULTIPART_CONTENT_TYPE: SEND_AN_IMAGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: SEND_AN_IMAGE,
};

export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  const e = error as FastifyError;
  const code = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (code === 'FILE_TOO_LARGE' && e.code === 'FST_REQ_FILE_TOO_LARGE') {
    return new ApiError(code, `${ERRORS.FILE_TOO_LARGE.message}; the upload was cut off`);
  }
  if (code) return new ApiError(code, MESSAGES[e.code] ?? e.message);
  return null;
}

/** What is still discarded of a refused upload's body after the answer, at most, before the connection is cut. */
export const LINGER_BYTES = 4 * 1024 * 1024;
export const LINGER_MS = 2000;

/**
 * Once the answer is written (Node calls destroySoon for a `Connection: close` answer), ends our side and
 * discards what the client still has in flight for a moment, at most LINGER_BYTES or LINGER_MS, then
 * destroys the socket. Cut at once, the unread bytes would make the kernel reset the connection, and a
 * client still sending (a browser, fetch) could see the reset instead of our answer.
 */
function closeAfterAnswer(socket: Socket & { destroySoon?: () => void }): void {
  if (typeof socket.destroySoon !== 'function') return;
  socket.destroySoon = () => {
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    let left = LINGER_BYTES;
    socket.on('data', (chunk: Buffer) => {
      left -= chunk.length;
      if (left <= 0) socket.destroy();
    });
    socket.end();
  };
}

export async function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const api = toApiError(error);
  // An upload refused as too large before its body was read to the end: answered now, and the connection
  // closed after the answer instead of the rest read (which Node would do to keep the connection).
  if (api?.status === 413 && request.raw.complete === false) {
    reply.header('Connection', 'close');
    closeAfterAnswer(request.raw.socket);
  }
  if (api) {
    if (api.status >= 500) request.log.warn({ code: api.code }, api.message);
    return reply
      .code(api.status)
      .headers(api.headers)
      .send(errorBody(api.status, api.code, api.message));
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) {
    // The connection closed under the request (a client cut off after REQUEST_TIMEOUT, or one that left):
    // nobody reads the answer, and nothing went wrong in the service.
    if (request.raw.socket?.destroyed)
      request.log.info({ err: error }, 'connection closed before the request was read');
    else request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody(500, 'INTERNAL', 'Internal error; the server log has the details'));
  }
  return reply.code(status).send(errorBody(status, 'INVALID_REQUEST', error.message));
}

export async function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(404)
    .send(errorBody(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /docs`));
}
