/**
 * Service benchmark, runnable on its own (`npx tsx bench/service.ts`; build first with `npm run build:node`)
 * and meant to run as part of `npm run bench`: starts the built server in its own process on loopback, at
 * the default log level, and measures
 *  1. cached POST /convert: latency percentiles of one client sending one request at a time (timed with
 *     process.hrtime), and requests/s with 10 connections (autocannon);
 *  2. uncached conversions/s over a fixed, seeded image set (use_cache=false);
 *  3. the HTTP path's overhead on an uncached 512 px conversion: one client, one request at a time, against
 *     decoding and vectorizing the same bytes with the same options directly in this process, interleaved,
 *     medians of many runs after warm-up. Interleaved with them, to say where the overhead goes: the same
 *     conversion on a worker pool in this process (the thread hop), X-Processing-Time (the route handler),
 *     a cache hit and GET /health (the HTTP round trip with no conversion).
 * Writes bench/.cache/service.json and prints a Markdown table.
 *
 *   --duration S   seconds per autocannon run (default 10)
 *   --runs N       timed runs per figure of part 3 (default 300), and 10 N cached requests for part 1
 *   --warmup N     untimed runs first, per mode of part 3 (default 150: the worker thread has its own JIT)
 *   --main FILE    server entry to start (default dist/server/main.js), e.g. another build to compare
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { vectorize } from '../src/engine/index.js';
import { decodeImage } from '../src/node/decode/index.js';
import { loadConfig } from '../src/server/config.js';
import { WorkerPool } from '../src/server/pool/worker-pool.js';
import { median, multipart, quantile, TimedClient } from './service-client.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '150' },
    main: { type: 'string' },
  },
});
const DURATION = Number(values.duration);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const ROOT = new URL('../', import.meta.url);
const MAIN = values.main ? pathToFileURL(resolve(values.main)) : new URL('dist/server/main.js', ROOT);

/** Seeded LCG, so the image set is the same on every run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** A 512 px logo-like picture: filled shapes in a few colours on white. */
async function logo(seed: number, size = 512): Promise<Buffer> {
  const rnd = lcg(seed);
  const colors = ['#111111', '#d62828', '#1d4ed8', '#f59e0b', '#16a34a'];
  let shapes = '';
  for (let i = 0; i < 12; i++) {
    const c = colors[Math.floor(rnd() * colors.length)];
    const x = rnd() * size;
    const y = rnd() * size;
    const r = 20 + rnd() * size * 0.15;
    shapes +=
      i % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${c}"/>`
        : `<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" rx="${r / 5}" fill="${c}"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A free loopback port: bind port 0, read it, release it. */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => done(port));
    });
  });
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(MAIN)) execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  const port = await freePort();
  // The default LOG_LEVEL (info), as deployed; the log lines go to /dev/null, so their cost is counted.
  const child = spawn(process.execPath, [MAIN.pathname], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      BACKEND_HOST: '127.0.0.1',
      BACKEND_PORT: String(port),
      RATE_LIMIT: '0',
      MAX_QUEUE_SIZE: '1000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`server exited with ${code}`);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const config = loadConfig({});
const pool = new WorkerPool({ size: 1, maxQueue: 1, timeoutMs: 60_000 });
const images = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => logo(seed)));
const client = new TimedClient();
const { child, url } = await startServer();
try {
  // 1. Cache hits: prime once, then the same request again and again.
  const cachedBody = multipart(images[0]);
  await client.expect(`${url}/convert`, cachedBody, 'MISS');
  for (let i = 0; i < RUNS; i++) await client.expect(`${url}/convert`, cachedBody, 'HIT');
  const hitMs: number[] = [];
  for (let i = 0; i < 10 * RUNS; i++)
    hitMs.push((await client.expect(`${url}/convert`, cachedBody, 'HIT')).ms);
  const cachedThroughput = await autocannon({
    url: `${url}/convert`,
    method: 'POST',
    body: cachedBody.body,
    headers: { 'content-type': cachedBody.contentType },
    connections: 10,
    duration: DURATION,
  });
  if (cachedThroughput.non2xx > 0) throw new Error(`${cachedThroughput.non2xx} cached requests failed`);

  // 2. Uncached conversions over the image set, as many in parallel as there are workers (+1 to keep them fed).
  const parallel = cpus().length + 1;
  const bodies = images.map(multipart);
  const queue = Array.from({ length: images.length * 3 }, (_, i) => bodies[i % bodies.length]);
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let b = queue.pop(); b; b = queue.pop())
        await client.expect(`${url}/convert?use_cache=false`, b, 'MISS');
    }),
  );
  const uncachedPerSecond = (images.length * 3) / (ms(t0) / 1000);

  // 3. HTTP path against the engine called directly, one conversion at a time, same bytes and options:
  // binary (a few ms, where the fixed cost of HTTP shows most) and colour. Uncached: use_cache=false.
  // Interleaved with it, to say where the overhead goes: the same conversion on a worker pool in this
  // process (the thread hop alone), a cache hit and GET /health (HTTP with no conversion).
  const subject = images[1];
  const limits = { maxSide: config.maxImageDimension, maxPixels: config.maxImagePixels, resize: false };
  const overheadFor = async (mode: 'binary' | 'color') => {
    const body = multipart(subject);
    const target = `${url}/convert?use_cache=false&color_mode=${mode}`;
    const hitTarget = `${url}/convert?color_mode=${mode}`;
    const direct = async () => {
      const s = process.hrtime.bigint();
      const { raster } = await decodeImage(subject, limits);
      vectorize(raster, { mode });
      return ms(s);
    };
    const onPool = async () => {
      const s = process.hrtime.bigint();
      const task = {
        bytes: subject,
        options: { mode },
        limits,
        enhance: false,
        stream: false,
        progress: false,
      };
      await pool.run(task);
      return ms(s);
    };
    const viaHttp = () => client.expect(target, body, 'MISS');
    await client.expect(hitTarget, body, 'MISS');
    const samples = {
      direct: [] as number[],
      pool: [] as number[],
      http: [] as number[],
      handler: [] as number[],
    };
    const floor = { hit: [] as number[], health: [] as number[] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const d = await direct();
      const p = await onPool();
      const a = await viaHttp();
      const hit = await client.expect(hitTarget, body, 'HIT');
      const health = await client.get(`${url}/health`);
      if (i < WARMUP) continue;
      samples.direct.push(d);
      samples.pool.push(p);
      samples.http.push(a.ms);
      samples.handler.push(Number(a.headers['x-processing-time']) * 1000);
      floor.hit.push(hit.ms);
      floor.health.push(health.ms);
    }
    const d = median(samples.direct);
    const h = median(samples.http);
    return {
      mode,
      runs: RUNS,
      directMedianMs: d,
      httpMedianMs: h,
      overheadMs: h - d,
      overheadPercent: ((h - d) / d) * 100,
      /** Where it goes: the thread hop (pool in this process), and the HTTP round trip around it. */
      workerPoolMedianMs: median(samples.pool),
      handlerMedianMs: median(samples.handler),
      cacheHitMedianMs: median(floor.hit),
      healthMedianMs: median(floor.health),
    };
  };
  const overhead = [await overheadFor('binary'), await overheadFor('color')];

  const cachedP99 = quantile(hitMs, 0.99);
  const results = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    server: MAIN.pathname,
    cached: {
      requestsPerSecond: cachedThroughput.requests.average,
      latencyMs: {
        p50: quantile(hitMs, 0.5),
        p90: quantile(hitMs, 0.9),
        p99: cachedP99,
        max: quantile(hitMs, 1),
        requests: hitMs.length,
      },
      latencyUnderLoadMs: { p50: cachedThroughput.latency.p50, p99: cachedThroughput.latency.p99 },
      durationSeconds: DURATION,
    },
    uncached: { conversionsPerSecond: uncachedPerSecond, images: images.length, size: 512, parallel },
    overhead,
    targets: {
      cachedP99Under5ms: cachedP99 < 5,
      overheadUnder10Percent: overhead.map((o) => ({ mode: o.mode, met: o.overheadPercent < 10 })),
    },
  };
  mkdirSync(new URL('bench/.cache/', ROOT), { recursive: true });
  writeFileSync(new URL('bench/.cache/service.json', ROOT), JSON.stringify(results, null, 2));
  const f = (n: number, d = 1) => n.toFixed(d);
  const l = results.cached.latencyMs;
  console.log(`
| service figure (loopback, ${cpus().length} cores) | value | target |
|---|---|---|
| cached POST /convert, one client: latency p50 / p99 / max (ms, ${l.requests} requests) | ${f(l.p50, 2)} / ${f(l.p99, 2)} / ${f(l.max, 2)} | p99 < 5 ms: ${results.targets.cachedP99Under5ms ? 'met' : 'missed'} |
| cached POST /convert, 10 connections: requests/s; latency p50 / p99 (ms, autocannon) | ${f(results.cached.requestsPerSecond, 0)}; ${f(cachedThroughput.latency.p50)} / ${f(cachedThroughput.latency.p99)} | |
| uncached conversions/s, 8 logos of 512 px, ${parallel} in parallel | ${f(uncachedPerSecond)} | |
${overhead
  .map(
    (o) =>
      `| 512 px ${o.mode}: engine direct / over HTTP, median of ${o.runs} (ms) | ${f(o.directMedianMs, 2)} / ${f(o.httpMedianMs, 2)} | |\n` +
      `| HTTP overhead, 512 px ${o.mode} | ${f(o.overheadMs, 2)} ms (${f(o.overheadPercent)}%) | < 10%: ${o.overheadPercent < 10 ? 'met' : 'missed'} |\n` +
      `| 512 px ${o.mode}, same runs: on a worker pool in-process / in the route handler / a cache hit / GET /health (ms) | ${f(o.workerPoolMedianMs, 2)} / ${f(o.handlerMedianMs, 2)} / ${f(o.cacheHitMedianMs, 2)} / ${f(o.healthMedianMs, 2)} | |`,
  )
  .join('\n')}
`);
} finally {
  await pool.close();
  client.close();
  child.kill('SIGTERM');
}
