/**
 * Prometheus metrics, with exactly the names the deployment guide's dashboard
 * and alerts query (uploads_total, vectorizations_total{cached},
 * processing_seconds, cache_hits_total, http_requests_total), plus queue
 * depth, jobs in progress and the default Node process metrics. Each app has
 * its own registry, so several apps in one process (tests) do not collide.
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
  jobsInProgress: Gauge<never>;
}

export interface GaugeSources {
  queueDepth: () => number;
  jobsInProgress: () => number;
}

export function createMetrics(sources: GaugeSources): Metrics {
  const registry = new Registry();
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
      help: 'Conversions waiting for a worker thread, plus background jobs pending',
      registers: [registry],
      collect() {
        this.set(sources.queueDepth());
      },
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
