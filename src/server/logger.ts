/**
 * Logger options: pino JSON lines. Keys and secrets are redacted wherever
 * they could appear (request headers, config objects), so an API key never
 * reaches a log.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

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
