/**
 * Builds the fastify app with its dependencies injected (main.ts listens;
 * tests use app.inject()). The cache, job queue and upload store (unless
 * `AppDeps` gives them) and RATE_LIMIT's counter come from the configuration
 * (backends.ts: in memory, or Redis and BullMQ when REDIS_HOST is set).
 * Every API route is served at the root and under /api (the deployment's
 * ingress sends /api to the backend).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ENGINE_VERSION } from '../engine/index.js';
import { selectBackends } from './backends.js';
import type { ResultCache } from './cache/types.js';
import { clientErrorHandler } from './client-errors.js';
import type { Config } from './config.js';
import { Converter } from './converter.js';
import { errorHandler, notFoundHandler } from './http-errors.js';
import type { JobProcessor, JobQueue } from './jobs/types.js';
import { loggerOptions, OneLinePerRequest } from './logger.js';
import { createMetrics } from './metrics.js';
import { WorkerPool } from './pool/worker-pool.js';
import { convertRoutes } from './routes/convert.js';
import { systemRoutes } from './routes/system.js';
import { taskRoutes } from './routes/tasks.js';
import { uploadRoutes } from './routes/uploads.js';
import { KeyChecker, securityHook } from './security.js';
import type { JobInput, Service } from './service.js';
import type { RateLimiter } from './ratelimit/types.js';
import type { UploadStore } from './uploads/types.js';
import { validatorCompiler } from './validation.js';
import { SERVICE_VERSION } from './version.js';

declare module 'fastify' {
  interface FastifyInstance {
    service: Service;
  }
}

export interface AppDeps {
  /** null disables the cache whatever CACHE_ENABLED says. */
  cache?: ResultCache | null;
  uploads?: UploadStore;
  /** Builds the job queue around the processor the app provides (it converts on this app's pool and cache). */
  jobs?: (process: JobProcessor<JobInput>) => JobQueue<JobInput>;
  pool?: WorkerPool;
  /** The limiter used when RATE_LIMIT is on (tests give one on a fixed clock); default the backends'. */
  rateLimiter?: RateLimiter;
  /** false for silent tests; default pino JSON at LOG_LEVEL. */
  logger?: boolean | FastifyBaseLogger;
  /** Folder of the built web UI; null to serve none. Default dist/web of this checkout. */
  webRoot?: string | null;
}

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Content types whose body is the image itself (the format is still decided by magic bytes). */
export const RAW_IMAGE_TYPES = /^(?:application\/octet-stream|image\/[\w.+-]+)$/;

/** How long an idle kept-alive connection stays open (ms). */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * The web UI page's Content-Security-Policy: its own scripts, styles, fonts and API only; images and the SVG
 * previews from blob:/data: URLs (what the page makes of the user's files); workers from itself; no plugins,
 * no framing, no foreign form targets. Inline styles stay allowed: the outline view inserts the SVG's own
 * presentation attributes, and a style cannot run code.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Response headers a browser client may read across origins. */
const EXPOSED_HEADERS = [
  'X-Cache',
  'X-Processing-Time',
  'X-Engine-Time',
  'X-Paths',
  'X-Nodes',
  'X-Svg-Bytes',
  'X-Shapes',
  'X-Soft-Layers',
  'X-Preset',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  const app = Fastify({
    ...(deps.logger === undefined || typeof deps.logger === 'boolean'
      ? { logger: deps.logger === false ? false : loggerOptions(config.logLevel) }
      : { loggerInstance: deps.logger }),
    trustProxy: config.trustProxy,
    logController: new OneLinePerRequest(),
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
    // Node checks request deadlines every connectionsCheckingInterval (30 s by default); check often enough
    // that a slow client is cut off close to REQUEST_TIMEOUT. An idle kept-alive connection stays open
    // KEEP_ALIVE_TIMEOUT_MS (fastify's own default, which a serverFactory loses: Node's is 5 s), longer than
    // the usual 60 s idle timeout of load balancers, so a proxy never reuses a connection as we close it.
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout,
          connectionsCheckingInterval: Math.min(1000, requestTimeout),
          keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        },
        handler,
      ),
    // The slow client then gets our JSON 408 REQUEST_TIMEOUT (and a malformed request our 400), not Node's bare status.
    clientErrorHandler: clientErrorHandler(config.requestTimeoutSeconds),
  });

  const pool =
    deps.pool ??
    new WorkerPool({
      size: config.workerPoolSize,
      maxQueue: config.maxQueueSize,
      timeoutMs: config.timeoutSeconds * 1000,
      pixelBudget: config.pixelBudget,
      maxTasksPerWorker: config.workerMaxTasks,
      idleRecycleMs: config.workerIdleSeconds * 1000,
    });
  const backends = selectBackends(config, app.log);
  const cache = deps.cache !== undefined ? deps.cache : backends.cache();
  const uploads = deps.uploads ?? backends.uploads();
  let jobs: JobQueue<JobInput> | null = null;
  const metrics = createMetrics({
    queueDepth: () => pool.stats().queued + (jobs?.counts().pending ?? 0),
    jobsInProgress: () => pool.stats().busy,
  });
  const converter = new Converter({ pool, cache, config, metrics });
  const processJob: JobProcessor<JobInput> = async (input, ctx) => {
    const r = await converter.convert(input.bytes, input.request, {
      signal: ctx.signal,
      wait: true,
      onProgress: (stage, progress) => ctx.progress(stage, progress * 100),
    });
    return { svg: r.svg, stats: r.stats, cached: r.cached };
  };
  jobs = (deps.jobs ?? backends.jobs)(processJob);
  const service: Service = {
    config,
    converter,
    pool,
    cache,
    uploads,
    jobs,
    metrics,
    state: { closing: false },
  };
  app.decorate('service', service);
  app.decorateRequest('owner', null);

  // Every answer (JSON, errors, 404s, SVG, the UI's files) is nosniff; HTML pages but the API docs (Swagger
  // UI, which brings its own scripts) get the UI's CSP.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html') && !/^\/(?:api\/)?docs\b/.test(req.url))
      reply.header('Content-Security-Policy', UI_CSP);
    done(null, payload);
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // A callback-style hook: an async one would cost a promise and a microtask per request.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    done();
  });
  const keys = config.apiKeyRequired ? new KeyChecker(config.apiKeys) : null;
  const limiter =
    config.rateLimitPerHour > 0 ? (deps.rateLimiter ?? backends.rateLimiter(config.rateLimitPerHour)) : null;
  // Nothing to enforce (the default): no hook, so no per-request path test.
  if (keys || limiter) app.addHook('onRequest', securityHook(keys, limiter));

  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      exposedHeaders: EXPOSED_HEADERS,
      methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
    });
  }
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1 } });
  // The image as the whole body (curl --data-binary @logo.png -H 'Content-Type: image/png'): no multipart
  // framing to parse. fastify refuses it with 413 from Content-Length, or while it streams in.
  app.addContentTypeParser(
    RAW_IMAGE_TYPES,
    { parseAs: 'buffer', bodyLimit: config.maxUploadBytes },
    (_req, body, done) => done(null, body),
  );
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'image2svg',
        version: SERVICE_VERSION,
        description: `Raster images to SVG. Engine ${ENGINE_VERSION}. Every route is also served under /api.`,
      },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
      security: config.apiKeyRequired ? [{ apiKey: [] }] : [],
    },
  });
  // At /docs, and at /api/docs for deployments whose ingress sends only /api to this service.
  // Sibling scopes, since the plugin decorates its instance.
  for (const routePrefix of ['/docs', '/api/docs']) {
    await app.register(async (scope) => scope.register(swaggerUi, { routePrefix }));
  }

  const webRoot = deps.webRoot === undefined ? DEFAULT_WEB_ROOT : deps.webRoot;
  const hasWeb = webRoot !== null && existsSync(`${webRoot}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: false, wildcard: true });
  } else if (webRoot !== null) {
    app.log.info(
      { webRoot },
      'web UI not built: GET / answers JSON only (run `npm run build:web` to serve the UI)',
    );
  }

  for (const prefix of ['', '/api']) {
    await app.register(
      async (api) => {
        api.setValidatorCompiler(validatorCompiler);
        const hide = prefix !== '';
        const serveIndex = hasWeb && prefix === '' ? prefersHtml : null;
        await api.register(systemRoutes, { service, serveIndex, hide });
        await api.register(convertRoutes, { service, hide });
        await api.register(taskRoutes, { service, hide });
        await api.register(uploadRoutes, { service, hide });
      },
      { prefix },
    );
  }

  // Shutting down: the server stops accepting and closes idle connections once, then waits for the rest.
  // A connection whose request was in flight turns idle when it is answered, and would otherwise stay open
  // until KEEP_ALIVE_TIMEOUT_MS: close such connections as they turn idle.
  let reaper: NodeJS.Timeout | null = null;
  app.addHook('preClose', async () => {
    service.state.closing = true;
    reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
  });
  app.addHook('onClose', async () => {
    if (reaper) clearInterval(reaper);
    await service.jobs.close(true);
    await pool.close();
    await cache?.close();
    await uploads.close();
    await limiter?.close();
  });
  return app;
}

/** True when the Accept header ranks text/html above JSON (a browser navigating to /). */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  if (html < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || html < json;
}
