/** What the routes share: configuration and the swappable backends. */
import type { ResultCache } from './cache/types.js';
import type { Config } from './config.js';
import type { ConversionRequest } from './convert-params.js';
import type { Converter } from './converter.js';
import type { JobQueue } from './jobs/types.js';
import type { Metrics } from './metrics.js';
import type { WorkerPool } from './pool/worker-pool.js';
import type { UploadStore } from './uploads/types.js';

/** A background job's input: serialisable, so a Redis-backed queue can store it. */
export interface JobInput {
  bytes: Uint8Array;
  request: ConversionRequest;
}

export interface Service {
  config: Config;
  converter: Converter;
  pool: WorkerPool;
  cache: ResultCache | null;
  uploads: UploadStore;
  jobs: JobQueue<JobInput>;
  metrics: Metrics;
  /** Set while the process shuts down: readiness fails so load balancers stop sending traffic. */
  state: { closing: boolean };
}

/** `/api` when the request came in under the /api prefix, else empty: URLs we hand out keep the caller's form. */
export function apiPrefix(url: string): string {
  return url.startsWith('/api/') || url === '/api' ? '/api' : '';
}
