import { MemoryCache } from '../../src/server/cache/memory-cache.js';
import { MemoryJobQueue } from '../../src/server/jobs/memory-job-queue.js';
import { MemoryRateLimiter } from '../../src/server/ratelimit/memory-rate-limiter.js';
import { MemoryUploadStore } from '../../src/server/uploads/memory-upload-store.js';
import { cacheConformance } from './cache-conformance.js';
import { jobQueueConformance } from './job-queue-conformance.js';
import { rateLimiterConformance } from './rate-limiter-conformance.js';
import { uploadStoreConformance } from './upload-store-conformance.js';

cacheConformance('MemoryCache', ({ maxEntries, clock }) => new MemoryCache({ maxEntries, clock: clock.now }));

uploadStoreConformance(
  'MemoryUploadStore',
  ({ ttlSeconds, maxBytes, clock }) =>
    new MemoryUploadStore({ ttlSeconds, maxBytes, clock: clock.now, sweepEveryMs: 0 }),
);

jobQueueConformance(
  'MemoryJobQueue',
  ({ process, concurrency, maxPending, ttlSeconds, clock }) =>
    new MemoryJobQueue({ process, concurrency, maxPending, ttlSeconds, clock: clock.now, sweepEveryMs: 0 }),
);

rateLimiterConformance(
  'MemoryRateLimiter',
  ({ limit, clock }) => new MemoryRateLimiter({ limit, clock: clock.now }),
);
