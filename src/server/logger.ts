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

let stdout: (DestinationStream & { flush(): void; flushSync(): void }) | null = null;

/** Bytes of log lines gathered before one write, and the longest a line waits for it. */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 1000;

/**
 * Standard output for the logs, buffered: lines are written in one call per
 * 4 KB, or each second, instead of one call per line. A write per request
 * costs a system call and, to a pipe, a wake-up of the reader, which on a
 * busy machine takes the CPU from conversions. pino flushes the buffer when
 * the process exits; `flushLogs` flushes it before an explicit process.exit.
 */
export function asyncStdout(): DestinationStream {
  if (!stdout) {
    const stream = destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
    setInterval(() => stream.flush(), LOG_FLUSH_MS).unref();
    stdout = stream;
  }
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
