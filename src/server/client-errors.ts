/**
 * Answers for what Node's HTTP server refuses before any route sees it (its
 * 'clientError' event): a request that did not arrive in full within
 * REQUEST_TIMEOUT, headers too large, bytes that are not HTTP. Node would
 * write a bare status line ("HTTP/1.1 408 Request Timeout") and fastify a
 * body without our code; this writes the JSON error body of errors.ts, then
 * closes the connection.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyBaseLogger } from 'fastify';
import { errorBody, type ErrorCode } from './errors.js';
import { redactUrl } from './logger.js';

interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

function refusal(err: ConnectionError, requestTimeoutSeconds: number): Refusal {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      code: 'REQUEST_TIMEOUT',
      message: `The request did not arrive in full within ${requestTimeoutSeconds} s (REQUEST_TIMEOUT); the connection is closed. Send it faster, or in chunks (POST /upload/chunked)`,
    };
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large' };
  }
  return { status: 400, code: 'INVALID_REQUEST', message: `The request is not valid HTTP (${err.code})` };
}

/** The handler for fastify's `clientErrorHandler` option (called with the fastify instance as `this`). */
export function clientErrorHandler(requestTimeoutSeconds: number) {
  return function (this: { log: FastifyBaseLogger }, err: ConnectionError, socket: Socket): void {
    // A reset connection is gone already: nobody to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, code, message } = refusal(err, requestTimeoutSeconds);
    // The request being read when it timed out, if its headers had arrived.
    const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    const req = response?.req;
    const level = code === 'REQUEST_TIMEOUT' ? 'info' : 'debug';
    this.log[level](
      { code, remoteAddress: socket.remoteAddress, method: req?.method, url: redactUrl(req?.url) },
      `client refused: ${message}`,
    );
    // Like Node: no answer after a response whose headers are out already (it would corrupt that one).
    if (socket.writable && !response?.headersSent) {
      const body = JSON.stringify(errorBody(status, code, message));
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          'Content-Type: application/json; charset=utf-8\r\n' +
          'X-Content-Type-Options: nosniff\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(err);
  };
}
