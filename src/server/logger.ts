/**
 * Logger options: pino JSON lines. Keys and secrets are redacted wherever
 * they could appear (request headers, config objects, credential-like query
 * parameters of every logged URL), so an API key never reaches a log.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Query parameters whose value is a credential: their values never reach a log. */
const SECRET_PARAM =
  /^(?:x-?)?(?:api[-_]?key|apikey|key|token|access[-_]?token|auth|authorization|password|passwd|secret|signature|sig)$/i;

/**
 * The URL with the values of credential-like query parameters (api_key, token, ...) replaced by
 * [redacted]; every URL the service logs goes through it.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const raw = eq < 0 ? pair : pair.slice(0, eq);
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as sent.
      }
      return SECRET_PARAM.test(name.trim()) ? `${raw}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** fastify's request serializer, with the URL redacted. */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

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
    serializers: {
      req: serializeRequest,
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
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
