/**
 * Service benchmark, runnable on its own (`npm run bench:service`) and run after `npm run bench`: starts
 * the built server (dist/) in its own process on loopback, at the default log level, and measures
 *  1. cached POST /convert: latency percentiles of one client sending one request at a time, and
 *     requests/s with 10 connections (autocannon);
 *  2. uncached conversions/s over a fixed, seeded image set (use_cache=false);
 *  3. the HTTP path's overhead on uncached 512 px conversions (a logo in binary and in colour, a
 *     photograph in colour), one request at a time, back to back: for each request, the time the client
 *     waited minus the time the engine took for that very request (decode + vectorize, measured inside
 *     the worker thread and sent as X-Engine-Time). Pairing each request with its own engine time keeps
 *     the figure free of the engine's run-to-run spread and of the difference between two JIT-compiled
 *     copies of the engine (this process's and the worker's). Sent as the whole body (image/png) and as
 *     multipart with a raw-socket client (RawClient: the server's path and the loopback, not a client
 *     library), and as multipart with node:http (what a Node program sees). With them: GET /health (the
 *     bare round trip) and the engine called in this process on the same bytes (dist/ build);
 *  4. the overhead at saturation: 512 px logo conversions, as many in flight as there are workers + 1,
 *     through HTTP against the server's worker pool code converting the same images without HTTP, in a
 *     plain node process of its own (bench/pool-rate.mjs): how much the HTTP path costs in conversions
 *     per second when the machine is busy.
 * Writes bench/.cache/service.json and prints a Markdown table.
 *
 *   --duration S   seconds per autocannon run (default 10)
 *   --runs N       timed requests per figure of part 3 (default 300; a third of it for the photograph),
 *                  and 10 N cached requests for part 1
 *   --warmup N     untimed requests first, per case of part 3 (default 150: the worker has its own JIT)
 *   --main FILE    server entry to start (default dist/server/main.js), e.g. another build to compare
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { loadConfig } from '../src/server/config.js';
import { startServer } from './server-process.js';
import { median, multipart, quantile, RawClient, rawRequest, TimedClient } from './service-client.js';

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

/**
 * A 512 px photograph-like JPEG: soft blurred shapes over a gradient, a few sharp-edged objects and
 * sensor-like noise (seeded), so that bench:service needs no photo package.
 */
async function photo(seed: number, size = 512): Promise<Buffer> {
  const rnd = lcg(seed);
  const hsl = () =>
    `hsl(${Math.floor(rnd() * 360)},${30 + Math.floor(rnd() * 50)}%,${25 + Math.floor(rnd() * 50)}%)`;
  let soft = '';
  for (let i = 0; i < 40; i++) {
    soft += `<ellipse cx="${rnd() * size}" cy="${rnd() * size}" rx="${20 + rnd() * 120}" ry="${20 + rnd() * 120}" fill="${hsl()}" fill-opacity="0.6"/>`;
  }
  let sharpEdged = '';
  for (let i = 0; i < 6; i++) {
    sharpEdged += `<rect x="${rnd() * size}" y="${rnd() * size}" width="${10 + rnd() * 80}" height="${10 + rnd() * 80}" fill="${hsl()}"/>`;
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs>` +
    `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl()}"/><stop offset="1" stop-color="${hsl()}"/></linearGradient>` +
    `<filter id="soft"><feGaussianBlur stdDeviation="14"/></filter></defs>` +
    `<rect width="100%" height="100%" fill="url(#sky)"/><g filter="url(#soft)">${soft}</g>${sharpEdged}</svg>`;
  const pixels = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  for (let i = 0; i < pixels.length; i++) {
    const noise = (rnd() + rnd() + rnd() - 1.5) * 4;
    pixels[i] = Math.max(0, Math.min(255, Math.round(pixels[i] + noise)));
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const seconds = (header: string | string[] | undefined) => Number(header) * 1000;

const config = loadConfig({});
const limits = { maxSide: config.maxImageDimension, maxPixels: config.maxImagePixels, resize: false };
const images = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => logo(seed)));
const client = new TimedClient();
// The default LOG_LEVEL (info), as deployed; the log lines go to /dev/null, so their cost is counted.
const { child, url } = await startServer({
  root: ROOT,
  main: MAIN,
  env: { RATE_LIMIT: '0', MAX_QUEUE_SIZE: '1000' },
  readyTimeoutMs: 10_000,
  onExit: (code) => {
    if (code !== null && code !== 0) console.error(`server exited with ${code}`);
  },
});
const raw = await RawClient.open(url);
// The engine in this process, from the same dist/ build the server runs (tsx would compile src/ differently).
const engine = (await import(
  new URL('dist/engine/index.js', ROOT).href
)) as typeof import('../src/engine/index.js');
const decoder = (await import(
  new URL('dist/node/decode/index.js', ROOT).href
)) as typeof import('../src/node/decode/index.js');
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

  // 3. The HTTP path's overhead, one uncached request at a time, each paired with its own engine time.
  const cases = [
    { name: '512 px logo, binary', image: images[1], type: 'image/png', mode: 'binary', runs: RUNS },
    { name: '512 px logo, colour', image: images[1], type: 'image/png', mode: 'color', runs: RUNS },
    {
      name: '512 px photograph, colour',
      image: await photo(7),
      type: 'image/jpeg',
      mode: 'color',
      runs: Math.ceil(RUNS / 3),
    },
  ] as const;
  const health = rawRequest('GET', '/health');
  const overhead = [];
  for (const c of cases) {
    const path = `/convert?use_cache=false&color_mode=${c.mode}`;
    const form = multipart(c.image);
    const asBody = rawRequest('POST', path, { bytes: c.image, contentType: c.type });
    const asForm = rawRequest('POST', path, { bytes: form.body, contentType: form.contentType });
    /** client ms − engine ms of the same request, and the engine ms. */
    const paired = async (
      send: () => Promise<{ ms: number; headers: Record<string, string | string[] | undefined> }>,
    ) => {
      for (let i = 0; i < WARMUP; i++) await send();
      const over: number[] = [];
      const eng: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < c.runs; i++) {
        const a = await send();
        const e = seconds(a.headers['x-engine-time']);
        if (!(e > 0)) throw new Error(`${c.name}: no X-Engine-Time on an uncached answer`);
        over.push(a.ms - e);
        eng.push(e);
        total.push(a.ms);
      }
      return { overheadMs: median(over), engineMs: median(eng), totalMs: median(total) };
    };
    const body = await paired(() => raw.expect(asBody, 'MISS'));
    const formRaw = await paired(() => raw.expect(asForm, 'MISS'));
    const formNode = await paired(() => client.expect(`${url}${path}`, form, 'MISS'));
    const healthMs: number[] = [];
    for (let i = 0; i < c.runs; i++) healthMs.push((await raw.expect(health)).ms);
    const direct: number[] = [];
    for (let i = 0; i < WARMUP + c.runs; i++) {
      const s = process.hrtime.bigint();
      const { raster } = await decoder.decodeImage(c.image, limits);
      engine.vectorize(raster, { mode: c.mode });
      if (i >= WARMUP) direct.push(ms(s));
    }
    const percent = (o: { overheadMs: number; engineMs: number }) => (o.overheadMs / o.engineMs) * 100;
    overhead.push({
      case: c.name,
      runs: c.runs,
      body: { ...body, percent: percent(body) },
      multipart: { ...formRaw, percent: percent(formRaw) },
      multipartNodeHttp: { ...formNode, percent: percent(formNode) },
      healthMs: median(healthMs),
      engineInThisProcessMs: median(direct),
    });
  }

  // 4. At saturation: conversions/s through HTTP against the server's worker pool code converting the same
  // images without HTTP, in a plain node process of its own (pool-rate.mjs), over the 8 logos in turn
  // (identical requests in flight would share one run and flatter HTTP).
  const satRuns = Math.max(4 * RUNS, 200);
  const satPath = '/convert?use_cache=false&color_mode=binary';
  const satBodies = images.map((bytes) => rawRequest('POST', satPath, { bytes, contentType: 'image/png' }));
  const clients = await Promise.all(Array.from({ length: parallel }, () => RawClient.open(url)));
  let next = 0;
  const httpRound = async () => {
    const start = process.hrtime.bigint();
    const end = next + satRuns;
    await Promise.all(
      clients.map(async (c) => {
        for (let i = next++; i < end; i = next++) await c.expect(satBodies[i % images.length], 'MISS');
      }),
    );
    next = end;
    return satRuns / (ms(start) / 1000);
  };
  await httpRound();
  const httpRates = [await httpRound(), await httpRound(), await httpRound()];
  for (const c of clients) c.close();
  const imageDir = new URL('bench/.cache/service-images/', ROOT);
  mkdirSync(imageDir, { recursive: true });
  images.forEach((png, i) => writeFileSync(new URL(`logo-${i}.png`, imageDir), png));
  const baseline = spawnSync(
    process.execPath,
    [
      new URL('bench/pool-rate.mjs', ROOT).pathname,
      imageDir.pathname,
      String(satRuns),
      String(parallel),
      '3',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (baseline.status !== 0) throw new Error(`bench/pool-rate.mjs exited with ${baseline.status}`);
  const poolRates = JSON.parse(baseline.stdout) as number[];
  const enginePerSecond = median(poolRates);
  const httpPerSecond = median(httpRates);
  const saturation = {
    case: '512 px logos, binary',
    inFlight: parallel,
    conversions: satRuns,
    enginePerSecond,
    httpPerSecond,
    percent: (enginePerSecond / httpPerSecond - 1) * 100,
  };

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
    saturation,
    targets: {
      cachedP99Under5ms: cachedP99 < 5,
      overheadUnder10Percent: [
        ...overhead.map((o) => ({ case: o.case, met: o.body.percent < 10 })),
        { case: `${saturation.case}, at saturation`, met: saturation.percent < 10 },
      ],
    },
  };
  mkdirSync(new URL('bench/.cache/', ROOT), { recursive: true });
  writeFileSync(new URL('bench/.cache/service.json', ROOT), JSON.stringify(results, null, 2));
  const f = (n: number, d = 1) => n.toFixed(d);
  const l = results.cached.latencyMs;
  const met = (ok: boolean) => (ok ? 'met' : 'missed');
  console.log(`
| service figure (loopback, ${cpus().length} cores) | value | target |
|---|---|---|
| cached POST /convert, one client: latency p50 / p99 / max (ms, ${l.requests} requests) | ${f(l.p50, 2)} / ${f(l.p99, 2)} / ${f(l.max, 2)} | p99 < 5 ms: ${met(results.targets.cachedP99Under5ms)} |
| cached POST /convert, 10 connections: requests/s; latency p50 / p99 (ms, autocannon) | ${f(results.cached.requestsPerSecond, 0)}; ${f(cachedThroughput.latency.p50)} / ${f(cachedThroughput.latency.p99)} | |
| uncached conversions/s, 8 logos of 512 px, ${parallel} in parallel | ${f(uncachedPerSecond)} | |
${overhead
  .map(
    (o) =>
      `| ${o.case}: engine time (in the worker, median of ${o.runs}) / whole request | ${f(o.body.engineMs, 2)} / ${f(o.body.totalMs, 2)} ms | |\n` +
      `| ${o.case}: HTTP overhead, image as the body | ${f(o.body.overheadMs, 2)} ms (${f(o.body.percent)}%) | < 10%: ${met(o.body.percent < 10)} |\n` +
      `| ${o.case}: HTTP overhead, multipart / multipart from node:http | ${f(o.multipart.overheadMs, 2)} ms (${f(o.multipart.percent)}%) / ${f(o.multipartNodeHttp.overheadMs, 2)} ms (${f(o.multipartNodeHttp.percent)}%) | |\n` +
      `| ${o.case}: GET /health round trip; engine called in this process | ${f(o.healthMs, 2)} ms; ${f(o.engineInThisProcessMs, 2)} ms | |`,
  )
  .join('\n')}
| ${saturation.case}, ${parallel} in flight: conversions/s, the worker pool without HTTP (own process) / through HTTP | ${f(saturation.enginePerSecond)} / ${f(saturation.httpPerSecond)} | |
| ${saturation.case}: HTTP overhead at saturation | ${f(saturation.percent)}% | < 10%: ${met(saturation.percent < 10)} |
`);
} finally {
  client.close();
  raw.close();
  child.kill('SIGTERM');
}
