/**
 * Logger options: pino JSON lines. Keys and secrets are redacted wherever
 * they could appear (request headers, config objects), so an API key never
 * reaches a log.
 */
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
