/** Service info, probes, metrics and cache statistics. */
import type { FastifyInstance } from 'fastify';
import { ENGINE_VERSION } from '../../engine/index.js';
import { ApiError } from '../errors.js';
import { readiness } from '../readiness.js';
import type { Service } from '../service.js';
import { SERVICE_NAME, SERVICE_VERSION } from '../version.js';

export interface SystemRouteOptions {
  service: Service;
  /** Answers GET / for browsers (the web UI's index.html) when it returns true. */
  serveIndex: ((accept: string | undefined) => boolean) | null;
  hide: boolean;
}

export async function systemRoutes(app: FastifyInstance, opts: SystemRouteOptions): Promise<void> {
  const { service, serveIndex, hide } = opts;
  const { config, pool, cache, jobs, metrics } = service;
  const info = () => ({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    engine_version: ENGINE_VERSION,
    status: 'ok',
  });

  app.get(
    '/',
    { schema: { hide, summary: 'Service information (or the web UI for a browser at /)' } },
    async (req, reply) => {
      if (serveIndex?.(req.headers.accept))
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      return info();
    },
  );

  app.get(
    '/health',
    { schema: { hide, summary: 'Liveness: the process answers (depends on no other service)' } },
    async () => ({
      ...info(),
      uptime_seconds: Math.round(process.uptime()),
      workers: pool.stats(),
      settings: {
        cache_enabled: config.cache.enabled,
        streaming_enabled: config.streamingEnabled,
        background_processing: config.backgroundEnabled,
        role: config.role,
        max_upload_size: config.maxUploadBytes,
        max_image_dimension: config.maxImageDimension,
      },
    }),
  );

  app.get(
    '/ready',
    {
      schema: {
        hide,
        summary:
          'Readiness: 200 while synchronous conversions can be served (workers loaded, not shutting down); the body reports the background path (Redis, eviction policy)',
      },
    },
    async (_req, reply) => {
      const r = await readiness({
        config,
        closing: service.state.closing,
        workersReady: pool.ready(),
        cache,
        jobs,
      });
      return reply.code(r.ready ? 200 : 503).send(r.body);
    },
  );

  app.get(
    '/metrics',
    { schema: { hide, summary: 'Prometheus metrics (404 when MONITORING_ENABLED=false)' } },
    async (_req, reply) => {
      if (!config.monitoringEnabled)
        throw new ApiError('NOT_FOUND', 'Metrics are disabled (MONITORING_ENABLED=false)');
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );

  app.get('/cache/stats', { schema: { hide, summary: 'Result cache statistics' } }, async () => {
    if (!cache) return { enabled: false, hits: 0, misses: 0, total_keys: 0 };
    return { enabled: true, ...(await cache.stats()) };
  });
}
