/**
 * Service benchmark, runnable on its own (`npx tsx bench/service.ts`) and meant to run as part of `npm run bench`:
 * starts dist/server/main.js in its own process on loopback and measures
 *  1. cached POST /convert: requests/s and latency percentiles (autocannon);
 *  2. uncached conversions/s over a fixed, seeded image set (use_cache=false);
 *  3. the HTTP path's overhead on an uncached 512 px conversion, against
 *     decoding and vectorizing the same bytes directly in this process.
 * Writes bench/.cache/service.json and prints a Markdown table.
 *
 *   --duration S   seconds per autocannon run (default 10)
 *   --runs N       timed runs per figure of part 3 (default 25)
 *   --warmup N     untimed runs first, per mode of part 3 (default 100: each worker thread has its own JIT)
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { vectorize } from '../src/engine/index.js';
import { decodeImage } from '../src/node/decode/index.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '25' },
    warmup: { type: 'string', default: '100' },
  },
});
const DURATION = Number(values.duration);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const ROOT = new URL('../', import.meta.url);
const MAIN = new URL('dist/server/main.js', ROOT);

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

function multipart(file: Buffer): { body: Buffer; contentType: string } {
  const boundary = '----image2svgbench';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="image.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A free loopback port: bind port 0, read it, release it. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(MAIN)) execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN.pathname], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      BACKEND_HOST: '127.0.0.1',
      BACKEND_PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT: '0',
      MAX_QUEUE_SIZE: '1000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function post(url: string, file: Buffer): Promise<number> {
  const { body, contentType } = multipart(file);
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'content-type': contentType },
  });
  await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status}`);
  return performance.now() - t0;
}

const images = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => logo(seed)));
const { child, url } = await startServer();
try {
  // 1. Cache hits: prime once, then hammer the same request.
  await post(`${url}/convert`, images[0]);
  const { body, contentType } = multipart(images[0]);
  const hammer = async (connections: number, duration: number) => {
    const r = await autocannon({
      url: `${url}/convert`,
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
      connections,
      duration,
    });
    if (r.non2xx > 0) throw new Error(`${r.non2xx} cached requests failed`);
    return r;
  };
  await hammer(4, 2);
  // Latency of one client at a time (what a cache hit costs), then throughput with 10 clients queueing.
  const latency = await hammer(1, DURATION);
  const cached = await hammer(10, DURATION);

  // 2. Uncached conversions over the image set, as many in parallel as there are workers (+1 to keep them fed).
  const parallel = cpus().length + 1;
  const queue = Array.from({ length: images.length * 3 }, (_, i) => images[i % images.length]);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let img = queue.pop(); img; img = queue.pop()) await post(`${url}/convert?use_cache=false`, img);
    }),
  );
  const uncachedPerSecond = (images.length * 3) / ((performance.now() - t0) / 1000);

  // 3. HTTP path against the engine called directly, one conversion at a time, same bytes and options:
  // binary (a few ms, where the fixed cost of HTTP shows most) and colour.
  const subject = images[1];
  const overheadFor = async (mode: 'binary' | 'color') => {
    const direct = async () => {
      const s = performance.now();
      const { raster } = await decodeImage(subject);
      vectorize(raster, { mode });
      return performance.now() - s;
    };
    const viaHttp = () => post(`${url}/convert?use_cache=false&color_mode=${mode}`, subject);
    // Warm up both sides: each worker thread has its own JIT, and requests alternate between the threads.
    for (let i = 0; i < WARMUP; i++) {
      await direct();
      await viaHttp();
    }
    const directMs: number[] = [];
    const httpMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      directMs.push(await direct());
      httpMs.push(await viaHttp());
    }
    const d = median(directMs);
    const h = median(httpMs);
    return {
      mode,
      directMedianMs: d,
      httpMedianMs: h,
      overheadMs: h - d,
      overheadPercent: ((h - d) / d) * 100,
      runs: RUNS,
    };
  };
  const overhead = [await overheadFor('binary'), await overheadFor('color')];

  const results = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cached: {
      requestsPerSecond: cached.requests.average,
      latencyMs: {
        p50: latency.latency.p50,
        p90: latency.latency.p90,
        p99: latency.latency.p99,
        max: latency.latency.max,
      },
      latencyUnderLoadMs: { p50: cached.latency.p50, p99: cached.latency.p99 },
      durationSeconds: DURATION,
    },
    uncached: { conversionsPerSecond: uncachedPerSecond, images: images.length, size: 512, parallel },
    overhead,
    targets: {
      cachedP99Under5ms: latency.latency.p99 < 5,
      overheadUnder10Percent: overhead.map((o) => ({ mode: o.mode, met: o.overheadPercent < 10 })),
    },
  };
  mkdirSync(new URL('bench/.cache/', ROOT), { recursive: true });
  writeFileSync(new URL('bench/.cache/service.json', ROOT), JSON.stringify(results, null, 2));
  const f = (n: number, d = 1) => n.toFixed(d);
  console.log(`
| service figure (loopback, ${cpus().length} cores) | value | target |
|---|---|---|
| cached POST /convert, requests/s (10 connections) | ${f(results.cached.requestsPerSecond, 0)} | |
| cached POST /convert, one client: latency p50 / p99 (ms) | ${f(latency.latency.p50)} / ${f(latency.latency.p99)} | p99 < 5 ms: ${results.targets.cachedP99Under5ms ? 'met' : 'missed'} |
| cached POST /convert, 10 clients: latency p50 / p99 (ms) | ${f(cached.latency.p50)} / ${f(cached.latency.p99)} | |
| uncached conversions/s, 8 logos of 512 px, ${parallel} in parallel | ${f(uncachedPerSecond)} | |
${overhead
  .map(
    (o) =>
      `| 512 px ${o.mode} conversion: engine direct / over HTTP, median (ms) | ${f(o.directMedianMs)} / ${f(o.httpMedianMs)} | |\n` +
      `| HTTP overhead, 512 px ${o.mode} | ${f(o.overheadMs)} ms (${f(o.overheadPercent)}%) | < 10%: ${o.overheadPercent < 10 ? 'met' : 'missed'} |`,
  )
  .join('\n')}
`);
} finally {
  child.kill('SIGTERM');
}
