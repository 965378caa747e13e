/**
 * The worker role (SERVICE_ROLE=worker, `image2svg worker`): BullMQ workers
 * running background jobs on the thread pool, and no API. A small HTTP
 * server on WORKER_METRICS_PORT answers /health (liveness), /ready (Redis
 * answers with noeviction, threads loaded, not stopping) and /metrics.
 *
 * The probes answer from the start (a worker waiting for Redis is alive but
 * unready). Start-up refuses a queue Redis whose maxmemory-policy is not `noeviction`
 * (a JSON log line says why, exit 1): under memory pressure such a Redis
 * drops jobs' keys. SIGTERM/SIGINT: /ready turns 503, no new job is taken,
 * running jobs get SHUTDOWN_DRAIN_SECONDS to finish, the rest are handed
 * back to the queue (another worker takes them), then exit 0.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { jobProcessor } from './app.js';
import { describeBackends, selectBackends } from './backends.js';
import type { Config } from './config.js';
import { Converter } from './converter.js';
import { loggerOptions } from './logger.js';
import type { ResultCache } from './cache/types.js';
import type { JobQueue } from './jobs/types.js';
import { createMetrics, type Metrics } from './metrics.js';
import { WorkerPool } from './pool/worker-pool.js';
import { readiness } from './readiness.js';
import type { JobInput } from './service.js';
import { closeRedis, createRedis, evictionPolicy, isConnectionError } from './redis-connection.js';
import { SERVICE_NAME, SERVICE_VERSION } from './version.js';

export interface RunningWorker {
  server: FastifyInstance;
  /** Graceful stop (what SIGTERM does); resolves when everything is closed. */
  stop(): Promise<void>;
}

/** Reads the queue Redis's eviction policy, waiting for Redis to answer (it may start after us). */
async function readPolicy(config: Config, log: Logger): Promise<string | null> {
  let warned = false;
  const client = createRedis(config.redis!, 'commands', 'worker:policy', () => {});
  try {
    for (;;) {
      try {
        return await evictionPolicy(client);
      } catch (e) {
        if (!isConnectionError(e)) throw e;
        if (!warned) log.warn('waiting for Redis to answer before starting the workers');
        warned = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await closeRedis(client);
  }
}

/** Starts the worker role; null when it refused to start (logged). */
export async function startWorker(config: Config, log: Logger): Promise<RunningWorker | null> {
  if (!config.redis) {
    log.error('the worker role needs REDIS_HOST (the shared job queue)');
    return null;
  }
  // The probes answer from the start, so a worker waiting for Redis is alive (not restarted) but unready.
  let core: Core | null = null;
  let closing = false;
  const ready = async () => {
    if (!core) return { ready: false, body: null };
    const c = core;
    const r = await readiness({
      config,
      closing,
      workersReady: c.pool.ready(),
      cache: c.cache,
      jobs: c.jobs,
    });
    return { ready: !closing && c.pool.ready() && r.background, body: r.body };
  };
  // Registered from the start (a scrape while waiting for Redis sees every metric, at zero).
  const metrics = createMetrics({
    queueDepth: () => core?.jobs.counts().pending ?? 0,
    poolQueueDepth: () => core?.pool.stats().queued ?? 0,
    jobsInProgress: () => core?.pool.stats().busy ?? 0,
    redisUp: () => core?.jobs.redisUp?.() ?? false,
    ready: async () => ({ background: (await ready()).ready }),
  });
  const server = Fastify({ logger: false });
  server.get('/health', async () => ({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    role: 'worker',
    status: 'ok',
    started: core !== null,
    uptime_seconds: Math.round(process.uptime()),
    ...(core ? { workers: core.pool.stats(), jobs_running: core.jobs.running?.() ?? 0 } : {}),
  }));
  server.get('/ready', async (_req, reply) => {
    const r = await ready();
    if (!r.body) return reply.code(503).send({ status: 'not_ready', reason: 'starting: waiting for Redis' });
    return reply.code(r.ready ? 200 : 503).send({ ...r.body, status: r.ready ? 'ready' : 'not_ready' });
  });
  server.get('/metrics', async (_req, reply) => {
    if (!config.monitoringEnabled) return reply.code(404).send({ code: 'NOT_FOUND' });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  await server.listen({ host: config.host, port: config.workerMetricsPort });

  const policy = await readPolicy(config, log);
  if (policy !== null && policy !== 'noeviction') {
    log.error(
      { evictionPolicy: policy, expected: 'noeviction' },
      `refusing to start the worker: Redis maxmemory-policy is ${policy}; the job queue needs noeviction ` +
        '(any other policy may evict jobs under memory pressure). Set maxmemory-policy noeviction on the queue Redis',
    );
    await server.close();
    return null;
  }
  const c = buildCore(config, log, metrics);
  core = c;
  log.info(
    {
      role: 'worker',
      port: (server.server.address() as { port: number }).port,
      concurrency: config.workerPoolSize,
      lockSeconds: config.jobLockSeconds,
      stalledIntervalSeconds: config.jobStalledIntervalSeconds,
    },
    `worker started: ${describeBackends(config)}`,
  );

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      closing = true;
      const drainMs = config.shutdownDrainSeconds * 1000;
      log.info({ running: c.jobs.running?.() ?? 0, drainMs }, 'worker stopping: finishing running jobs');
      await c.jobs.finishRunning?.(drainMs);
      // Whatever still runs goes back to the queue for another worker.
      await c.jobs.close(false);
      await c.pool.close();
      await c.cache?.close();
      await server.close();
    })());
  return { server, stop };
}

interface Core {
  pool: WorkerPool;
  cache: ResultCache | null;
  jobs: JobQueue<JobInput>;
}

/** The thread pool, cache and BullMQ worker of the worker role. */
function buildCore(config: Config, log: Logger, metrics: Metrics): Core {
  const pool = new WorkerPool({
    size: config.workerPoolSize,
    maxQueue: config.maxQueueSize,
    timeoutMs: config.timeoutSeconds * 1000,
  });
  const backends = selectBackends(config, log);
  const cache = backends.cache();
  const converter = new Converter({ pool, cache, config, metrics });
  const jobs = backends.jobs(jobProcessor(converter, null), {
    failed: () => metrics.jobsFailed.inc(),
    stalled: () => metrics.jobsStalled.inc(),
  });
  return { pool, cache, jobs };
}

/** The worker process: start, stop on SIGTERM/SIGINT, exit 0 (1 when it refused to start). */
export async function runWorkerProcess(config: Config): Promise<void> {
  const log = pino(loggerOptions(config.logLevel));
  let worker: RunningWorker | null;
  try {
    worker = await startWorker(config, log);
  } catch (e) {
    log.error({ err: e }, 'the worker could not start');
    worker = null;
  }
  if (!worker) {
    log.flush();
    process.exit(1);
  }
  const w = worker;
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    w.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
