/**
 * Prometheus metrics, with exactly the names the deployment guide's dashboard
 * and alerts query (uploads_total, vectorizations_total{cached},
 * processing_seconds, cache_hits_total, http_requests_total), plus queue
 * depth, jobs in progress and the default Node process metrics. Each app has
 * its own registry, so several apps in one process (tests) do not collide.
 *
 * `image2svg_queue_depth` is the background jobs waiting. On Redis it is the
 * shared queue's count, the same on every replica: aggregate it with max(),
 * never sum(). `image2svg_pool_queue_depth` is this process's conversions
 * waiting for a thread (sum() over replicas). Redis connectivity, readiness
 * per path and failed/stalled job counters are for the alerts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** From 5 ms to 10 minutes: cache-sized icons up to VECTORIZATION_TIMEOUT-sized scans. */
export const PROCESSING_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

export interface Metrics {
  registry: Registry;
  uploads: Counter<never>;
  vectorizations: Counter<'cached'>;
  processingSeconds: Histogram<never>;
  cacheHits: Counter<never>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  queueDepth: Gauge<never>;
  poolQueueDepth: Gauge<never>;
  jobsInProgress: Gauge<never>;
  redisUp: Gauge<never> | null;
  ready: Gauge<'path'>;
  jobsFailed: Counter<never>;
  jobsStalled: Counter<never>;
}

export interface GaugeSources {
  /** Background jobs waiting (the shared queue's count on Redis). */
  queueDepth: () => number;
  /** Conversions of this process waiting for a worker thread. */
  poolQueueDepth?: () => number;
  jobsInProgress: () => number;
  /** 1/0 with Redis configured; absent (null) without: no gauge, nothing to alert on. */
  redisUp?: (() => boolean) | null;
  /** Readiness of each path; the worker role reports only `background`. */
  ready?: () => Promise<{ sync?: boolean; background?: boolean }>;
}

export function createMetrics(sources: GaugeSources): Metrics {
  const registry = new Registry();
  const redisUp = sources.redisUp ?? null;
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    uploads: new Counter({
      name: 'uploads_total',
      help: 'Images received for conversion (files and chunked uploads completed)',
      registers: [registry],
    }),
    vectorizations: new Counter({
      name: 'vectorizations_total',
      help: 'Conversions answered, by whether the answer came from the cache',
      labelNames: ['cached'],
      registers: [registry],
    }),
    processingSeconds: new Histogram({
      name: 'processing_seconds',
      help: 'Time to convert one image (uncached), decoding and tracing, in seconds',
      buckets: PROCESSING_BUCKETS,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'cache_hits_total',
      help: 'Conversions answered from the result cache',
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'image2svg_queue_depth',
      help: 'Background jobs waiting for a worker; on Redis the shared count, the same on every replica (aggregate with max)',
      registers: [registry],
      collect() {
        this.set(sources.queueDepth());
      },
    }),
    poolQueueDepth: new Gauge({
      name: 'image2svg_pool_queue_depth',
      help: "Conversions waiting for one of this process's worker threads",
      registers: [registry],
      collect() {
        this.set(sources.poolQueueDepth?.() ?? 0);
      },
    }),
    redisUp: redisUp
      ? new Gauge({
          name: 'image2svg_redis_up',
          help: 'Whether the connection to Redis (job queue, cache, uploads) is up (1) or not (0)',
          registers: [registry],
          collect() {
            this.set(redisUp() ? 1 : 0);
          },
        })
      : null,
    ready: new Gauge({
      name: 'image2svg_ready',
      help: 'Readiness by path: sync (POST /convert) and background (jobs on the queue), 1 ready, 0 not',
      labelNames: ['path'],
      registers: [registry],
      async collect() {
        const r = (await sources.ready?.()) ?? {};
        for (const path of ['sync', 'background'] as const) {
          const v = r[path];
          if (v !== undefined) this.set({ path }, v ? 1 : 0);
        }
      },
    }),
    jobsFailed: new Counter({
      name: 'image2svg_jobs_failed_total',
      help: 'Background jobs that ended failed (not cancelled), counted by the process that ran them',
      registers: [registry],
    }),
    jobsStalled: new Counter({
      name: 'image2svg_jobs_stalled_total',
      help: 'Background jobs found stalled (worker died or lost its lock) and put back to wait',
      registers: [registry],
    }),
    jobsInProgress: new Gauge({
      name: 'image2svg_jobs_in_progress',
      help: 'Conversions running on worker threads',
      registers: [registry],
      collect() {
        this.set(sources.jobsInProgress());
      },
    }),
  };
}
