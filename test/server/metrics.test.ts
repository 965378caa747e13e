import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileForm, makeApp, shapesPng, waitFor } from './helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(() => app.close());

/** Parses the Prometheus text format into sample name+labels → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const scrape = async () => samples((await app.inject('/metrics')).body);

describe('GET /metrics', () => {
  it("exposes every metric the guide's dashboard and alerts query, and they move with real traffic", async () => {
    const before = await scrape();
    const png = await shapesPng(40);
    const send = (url: string) => {
      const body = fileForm(png);
      return app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });
    };
    expect((await send('/convert')).headers['x-cache']).toBe('MISS');
    expect((await send('/api/convert')).headers['x-cache']).toBe('HIT');
    const bg = (await send('/convert/background?precision=3')).json();
    await waitFor(async () =>
      (await app.inject(bg.status_url)).json().status === 'completed' ? true : undefined,
    );
    await app.inject('/tasks/unknown-id');
    const after = await scrape();

    const moved = (name: string, by: number) =>
      expect((after.get(name) ?? 0) - (before.get(name) ?? 0)).toBe(by);
    moved('uploads_total', 3);
    moved('vectorizations_total{cached="false"}', 2);
    moved('vectorizations_total{cached="true"}', 1);
    moved('cache_hits_total', 1);
    moved('processing_seconds_count', 2);
    expect(after.get('processing_seconds_sum')).toBeGreaterThan(0);
    expect(after.get('processing_seconds_bucket{le="+Inf"}')).toBe(after.get('processing_seconds_count'));
    expect(after.has('processing_seconds_bucket{le="0.005"}')).toBe(true);
    expect(after.has('processing_seconds_bucket{le="600"}')).toBe(true);
    moved('http_requests_total{method="POST",route="/convert",status="200"}', 1);
    moved('http_requests_total{method="POST",route="/api/convert",status="200"}', 1);
    moved('http_requests_total{method="POST",route="/convert/background",status="202"}', 1);
    moved('http_requests_total{method="GET",route="/tasks/:id",status="404"}', 1);
    expect(after.has('image2svg_queue_depth')).toBe(true);
    expect(after.has('image2svg_jobs_in_progress')).toBe(true);
    expect(after.get('image2svg_pool_queue_depth')).toBe(0);
    // Readiness gauges: polled, since the threads may still be loading (the pool replaces any it stopped).
    await expect.poll(async () => (await scrape()).get('image2svg_ready{path="sync"}')).toBe(1);
    expect(after.get('image2svg_ready{path="background"}')).toBe(1);
    expect(after.get('image2svg_jobs_failed_total')).toBe(0);
    expect(after.get('image2svg_jobs_stalled_total')).toBe(0);
    // No Redis configured: no connectivity gauge to alert on.
    expect(after.has('image2svg_redis_up')).toBe(false);
    expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });
});
