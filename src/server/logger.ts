/**
 * Logger options: pino JSON lines. Keys and secrets are redacted wherever
 * they could appear (request headers, config objects), so an API key never
 * reaches a log.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { destination, type DestinationStream, type LoggerOptions } from 'pino';

export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-api-key"]',
  'config.apiKeys',
  'config.redis.password',
  'apiKeys',
  'password',
];

let stdout: (DestinationStream & { flushSync(): void }) | null = null;

/**
 * Standard output written asynchronously (a buffered pino destination): a
 * synchronous write per request line costs the event loop ~20 µs. pino
 * flushes it when the process exits; `flushLogs` flushes it before an
 * explicit process.exit.
 */
export function asyncStdout(): DestinationStream {
  stdout ??= destination({ dest: 1, sync: false });
  return stdout;
}

export function flushLogs(): void {
  try {
    stdout?.flushSync();
  } catch {
    // Nothing written yet, or standard output is gone: nothing to flush.
  }
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'image2svg' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  };
}

/**
 * fastify's request logging with one line per request, written when it is
 * answered (with the request, the status and the time taken), instead of
 * two: an access log line costs as much as a few fastify routes.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(req)) return;
    const line = { req, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
