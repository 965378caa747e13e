/**
 * Readiness means "can serve traffic". The synchronous path (POST /convert)
 * needs only this process's worker threads: it stays ready while Redis is
 * away (the cache then answers as a miss), so Kubernetes keeps the pod in
 * the Service. The background path (jobs on the queue) needs the queue's
 * Redis answering with `maxmemory-policy noeviction`; when it cannot serve,
 * /ready still answers 200 but says so in its body and in
 * `image2svg_ready{path="background"}`, and background calls answer 503
 * QUEUE_UNAVAILABLE. After SIGTERM every path reads not ready (503).
 */
import type { Config } from './config.js';
import type { JobQueue } from './jobs/types.js';

export type BackgroundStatus = 'ready' | 'degraded' | 'disabled';

export interface Readiness {
  /** HTTP status of /ready: 200 when the sync path can serve. */
  ready: boolean;
  sync: boolean;
  background: boolean;
  body: {
    status: 'ready' | 'not_ready';
    checks: { accepting: boolean; workers: boolean; cache: boolean; jobs: boolean };
    paths: { sync: 'ready' | 'not_ready'; background: BackgroundStatus };
    background: { redis: boolean | null; eviction_policy: string | null; reason?: string };
  };
}

export interface ReadinessSources {
  config: Config;
  closing: boolean;
  workersReady: boolean;
  cache: { ping(): Promise<boolean> } | null;
  jobs: JobQueue<unknown>;
}

export async function readiness(s: ReadinessSources): Promise<Readiness> {
  const accepting = !s.closing;
  const [cache, state] = await Promise.all([
    s.cache ? s.cache.ping().catch(() => false) : Promise.resolve(true),
    s.jobs.backgroundState
      ? s.jobs.backgroundState().catch(() => ({
          ready: false,
          redis: false,
          evictionPolicy: null,
          reason: 'Redis is not answering',
        }))
      : s.jobs.ping().then(
          (ok) => ({ ready: ok, redis: null, evictionPolicy: null, ...(ok ? {} : { reason: 'closed' }) }),
          () => ({ ready: false, redis: null, evictionPolicy: null, reason: 'closed' }),
        ),
  ]);
  const sync = accepting && s.workersReady;
  const enabled = s.config.backgroundEnabled;
  const background = accepting && enabled && state.ready;
  const bgStatus: BackgroundStatus = !enabled ? 'disabled' : background ? 'ready' : 'degraded';
  const reason = !accepting ? 'shutting down' : state.reason;
  return {
    ready: sync,
    sync,
    background,
    body: {
      status: sync ? 'ready' : 'not_ready',
      checks: { accepting, workers: s.workersReady, cache, jobs: state.ready },
      paths: { sync: sync ? 'ready' : 'not_ready', background: bgStatus },
      background: {
        redis: state.redis,
        eviction_policy: state.evictionPolicy,
        ...(reason !== undefined && bgStatus !== 'ready' ? { reason } : {}),
      },
    },
  };
}
