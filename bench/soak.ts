/**
 * Soak test (`npm run soak`, not part of CI): starts the built service (dist/server/main.js) in its own
 * process on a free loopback port, sends mixed valid traffic from several concurrent clients for a
 * while, samples the server's resident set size (the whole process: the main thread, the conversion
 * worker threads and native memory, read from /proc/PID/status) every few seconds, stops the load and
 * keeps sampling while the service sits idle. It reports the RSS samples, the error rate, latency
 * percentiles, RSS growth after the warm-up and how far RSS came back after the load.
 *
 * The traffic, drawn from a seeded generator so that every run sends the same mix: binary and colour
 * conversions of small (256-512 px) and large (1600-2048 px) PNG drawings and JPEG photographs, with
 * the cache on (repeated images: hits) and off (use_cache=false: a conversion every time), through
 * POST /convert, /convert/streaming and /convert/background (polled until done, then the result read).
 * Any answer but 2xx, and any network failure, counts as an error.
 *
 *   --minutes M    load duration (default 10)
 *   --clients N    concurrent clients (default 4)
 *   --sample S     seconds between RSS samples (default 5)
 *   --cooldown S   seconds of sampling after the load stops (default 30)
 *   --warmup S     seconds of load counted as warm-up (default: 1/10 of the load, at least 30)
 *   --env K=V      extra environment for the server (repeatable), e.g. --env CACHE_ENABLED=false
 *   --main FILE    server entry (default dist/server/main.js)
 *   --out FILE     JSON report (default bench/.cache/soak.json)
 *   --bare         start the server without the glibc malloc settings the Dockerfile and `npm start`
 *                  set (MALLOC_ARENA_MAX=2, MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ at 128 KiB),
 *                  to see what they change
 *
 * Growth after warm-up: the median RSS of the last minute of load (or its last quarter, if shorter)
 * against the median of the minute after the warm-up. Return: RSS at the end of the cool-down against
 * the idle RSS measured before the load (after one warm-up request of each kind, so the worker
 * threads have loaded the engine).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startServer } from './server-process.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '4' },
    sample: { type: 'string', default: '5' },
    cooldown: { type: 'string', default: '30' },
    warmup: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
    main: { type: 'string' },
    out: { type: 'string' },
    bare: { type: 'boolean', default: false },
  },
});

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name}: expected a positive number, got "${v}"`);
    process.exit(2);
  }
  return n;
}

const LOAD_MS = positive('minutes', values.minutes) * 60_000;
const CLIENTS = Math.round(positive('clients', values.clients));
const SAMPLE_MS = positive('sample', values.sample) * 1000;
const COOLDOWN_MS = positive('cooldown', values.cooldown) * 1000;
const WARMUP_MS =
  values.warmup !== undefined ? positive('warmup', values.warmup) * 1000 : Math.max(30_000, LOAD_MS / 10);
const ROOT = new URL('../', import.meta.url);
const MAIN = values.main ? pathToFileURL(resolve(values.main)) : new URL('dist/server/main.js', ROOT);
const OUT = values.out ? resolve(values.out) : new URL('bench/.cache/soak.json', ROOT).pathname;
/** As in the Dockerfile and `npm start` (docs/DEPLOYMENT.md, "Memory"). */
const MALLOC_ENV: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};
/**
 * Finished background tasks keep their SVG for TASK_RESULT_TTL (an hour by default): memory the service
 * holds by design, not a leak. Ten seconds here, so that it has expired by the end of the cool-down.
 */
const SOAK_ENV: Record<string, string> = { TASK_RESULT_TTL: '10' };
const EXTRA_ENV: Record<string, string> = { ...SOAK_ENV, ...(values.bare ? {} : MALLOC_ENV) };
for (const kv of values.env) {
  const eq = kv.indexOf('=');
  if (eq < 1) {
    console.error(`--env: expected KEY=VALUE, got "${kv}"`);
    process.exit(2);
  }
  EXTRA_ENV[kv.slice(0, eq)] = kv.slice(eq + 1);
}

/** Seeded LCG, so the traffic is the same on every run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** A drawing (PNG): filled shapes in a few colours on white. */
async function drawing(seed: number, size: number): Promise<Buffer> {
  const rnd = lcg(seed);
  const colors = ['#111111', '#d62828', '#1d4ed8', '#f59e0b', '#16a34a'];
  let shapes = '';
  for (let i = 0; i < 14; i++) {
    const c = colors[Math.floor(rnd() * colors.length)];
    const [x, y, r] = [rnd() * size, rnd() * size, size * (0.04 + rnd() * 0.15)];
    shapes +=
      i % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${c}"/>`
        : `<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" rx="${r / 5}" fill="${c}"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A photograph-like JPEG: soft shapes over a gradient, with seeded noise. */
async function photo(seed: number, size: number): Promise<Buffer> {
  const rnd = lcg(seed);
  const hsl = () =>
    `hsl(${Math.floor(rnd() * 360)},${30 + Math.floor(rnd() * 50)}%,${25 + Math.floor(rnd() * 50)}%)`;
  let soft = '';
  for (let i = 0; i < 30; i++) {
    soft += `<ellipse cx="${rnd() * size}" cy="${rnd() * size}" rx="${size * (0.04 + rnd() * 0.2)}" ry="${size * (0.04 + rnd() * 0.2)}" fill="${hsl()}" fill-opacity="0.6"/>`;
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs>` +
    `<filter id="soft"><feGaussianBlur stdDeviation="${size / 40}"/></filter></defs>` +
    `<rect width="100%" height="100%" fill="${hsl()}"/><g filter="url(#soft)">${soft}</g></svg>`;
  const pixels = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.max(0, Math.min(255, Math.round(pixels[i] + (rnd() + rnd() - 1) * 6)));
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

interface Image {
  name: string;
  bytes: Buffer;
  type: string;
  large: boolean;
}

async function images(): Promise<Image[]> {
  const out: Image[] = [];
  for (let seed = 1; seed <= 6; seed++) {
    const size = 256 + (seed % 3) * 128;
    out.push({ name: `drawing-${size}`, bytes: await drawing(seed, size), type: 'image/png', large: false });
    out.push({ name: `photo-${size}`, bytes: await photo(seed, size), type: 'image/jpeg', large: false });
  }
  for (let seed = 7; seed <= 8; seed++) {
    const size = 1600 + (seed % 2) * 448;
    out.push({ name: `drawing-${size}`, bytes: await drawing(seed, size), type: 'image/png', large: true });
    out.push({ name: `photo-${size}`, bytes: await photo(seed, size), type: 'image/jpeg', large: true });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stopping = false;

/** Resident set size of the process (all its threads), MiB, from /proc. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/** The main thread's V8 heap and external memory (MiB) from /metrics (prom-client's default metrics). */
async function mainHeap(base: string): Promise<{ heapUsedMiB: number; externalMiB: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]) / 1048576;
  return {
    heapUsedMiB: Math.round(read('nodejs_heap_size_used_bytes') * 10) / 10,
    externalMiB: Math.round(read('nodejs_external_memory_bytes') * 10) / 10,
  };
}

function threads(pid: number): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

type Route = 'sync' | 'streaming' | 'background';
interface Outcome {
  kind: string;
  ms: number;
  ok: boolean;
  status: number;
  detail?: string;
}

async function post(url: string, img: Image, query: string): Promise<Response> {
  return fetch(`${url}?${query}`, { method: 'POST', body: img.bytes, headers: { 'content-type': img.type } });
}

/** One request of the mix: the whole exchange, including a background job's polling and result. */
async function exchange(base: string, img: Image, route: Route, query: string): Promise<Outcome> {
  const kind = `${route} ${img.large ? 'large' : 'small'}`;
  const t0 = performance.now();
  const done = (ok: boolean, status: number, detail?: string): Outcome => ({
    kind,
    ms: performance.now() - t0,
    ok,
    status,
    detail,
  });
  try {
    if (route !== 'background') {
      const r = await post(`${base}/convert${route === 'streaming' ? '/streaming' : ''}`, img, query);
      const body = await r.text();
      if (!r.ok) return done(false, r.status, body.slice(0, 200));
      if (!body.includes('</svg>')) return done(false, r.status, 'incomplete SVG');
      return done(true, r.status);
    }
    const r = await post(`${base}/convert/background`, img, query);
    const accepted = (await r.json()) as { task_id?: string };
    if (r.status !== 202 || !accepted.task_id) return done(false, r.status, JSON.stringify(accepted));
    for (;;) {
      await sleep(100);
      const s = await fetch(`${base}/tasks/${accepted.task_id}`);
      const rec = (await s.json()) as { status: string; error?: unknown };
      if (!s.ok) return done(false, s.status, JSON.stringify(rec));
      if (rec.status === 'failed') return done(false, 200, JSON.stringify(rec.error));
      if (rec.status === 'completed') break;
    }
    const result = await fetch(`${base}/tasks/${accepted.task_id}/result`);
    const svg = await result.text();
    if (!result.ok || !svg.includes('</svg>')) return done(false, result.status, svg.slice(0, 200));
    return done(true, 200);
  } catch (e) {
    return done(false, 0, e instanceof Error ? e.message : String(e));
  }
}

/** The i-th request of a client: route, image and options from its own seeded generator. */
function pick(rnd: () => number, all: Image[]): { img: Image; route: Route; query: string } {
  const small = all.filter((i) => !i.large);
  const large = all.filter((i) => i.large);
  const img =
    rnd() < 0.15 ? large[Math.floor(rnd() * large.length)] : small[Math.floor(rnd() * small.length)];
  const r = rnd();
  const route: Route = r < 0.6 ? 'sync' : r < 0.8 ? 'streaming' : 'background';
  const params = new URLSearchParams();
  params.set('color_mode', rnd() < 0.5 ? 'binary' : 'color');
  if (rnd() < 0.5) params.set('use_cache', 'false');
  return { img, route, query: params.toString() };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(xs: number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

const all = await images();
console.error(
  `soak: ${all.length} images, ${CLIENTS} clients, ${LOAD_MS / 60_000} min load, ${cpus().length} CPUs`,
);
const { child, url } = await startServer({
  root: ROOT,
  main: MAIN,
  env: { LOG_LEVEL: 'warn', ...EXTRA_ENV },
  readyTimeoutMs: 20_000,
  onExit: (code, signal) => {
    if (!stopping) console.error(`server exited early (code ${code}, signal ${signal})`);
  },
});
const pid = child.pid!;

// Warm each worker path once, then let the service settle: the idle baseline.
for (const route of ['sync', 'streaming', 'background'] as const) {
  for (const mode of ['binary', 'color']) {
    const w = await exchange(url, all[0], route, `color_mode=${mode}&use_cache=false`);
    if (!w.ok) throw new Error(`warm-up ${route} ${mode} failed: ${w.status} ${w.detail}`);
  }
}
await sleep(5000);
const idleMiB = rssMiB(pid);
const idleHeap = await mainHeap(url);
console.error(`idle RSS ${idleMiB.toFixed(1)} MiB`);

interface Sample {
  t: number;
  phase: 'load' | 'cooldown';
  rssMiB: number;
  threads: number;
  done: number;
}
const samples: Sample[] = [];
const outcomes: Outcome[] = [];
const tStart = performance.now();
let phase: Sample['phase'] = 'load';
const sampler = setInterval(() => {
  const s: Sample = {
    t: Math.round((performance.now() - tStart) / 1000),
    phase,
    rssMiB: Math.round(rssMiB(pid) * 10) / 10,
    threads: threads(pid),
    done: outcomes.length,
  };
  samples.push(s);
  console.error(`t=${s.t}s ${s.phase} rss=${s.rssMiB} MiB threads=${s.threads} requests=${s.done}`);
}, SAMPLE_MS);

const loadEnd = tStart + LOAD_MS;
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, c) => {
    const rnd = lcg(1000 + c);
    while (performance.now() < loadEnd) {
      const { img, route, query } = pick(rnd, all);
      const o = await exchange(url, img, route, query);
      outcomes.push(o);
      if (!o.ok) console.error(`error: ${o.kind} ${o.status} ${o.detail ?? ''}`);
    }
  }),
);
const loadSeconds = (performance.now() - tStart) / 1000;
const endHeap = await mainHeap(url);
phase = 'cooldown';
await sleep(COOLDOWN_MS);
clearInterval(sampler);
const afterMiB = rssMiB(pid);
const afterHeap = await mainHeap(url);
stopping = true;
child.kill('SIGTERM');

const load = samples.filter((s) => s.phase === 'load');
const warm = load.filter((s) => s.t * 1000 >= WARMUP_MS);
const window = Math.min(60_000, (LOAD_MS - WARMUP_MS) / 4);
const first = warm.filter((s) => s.t * 1000 < WARMUP_MS + window).map((s) => s.rssMiB);
const last = warm.filter((s) => s.t * 1000 >= LOAD_MS - window).map((s) => s.rssMiB);
const afterWarmupMiB = median(first);
const endOfLoadMiB = median(last);
const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
const errors = outcomes.filter((o) => !o.ok);
const kinds = [...new Set(outcomes.map((o) => o.kind))].sort();
const report = {
  date: new Date().toISOString(),
  cpus: cpus().length,
  clients: CLIENTS,
  loadSeconds: Math.round(loadSeconds),
  env: EXTRA_ENV,
  requests: outcomes.length,
  errors: errors.length,
  errorRate: errors.length / Math.max(1, outcomes.length),
  errorSamples: errors.slice(0, 10),
  latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) },
  byKind: Object.fromEntries(
    kinds.map((k) => {
      const ms = outcomes
        .filter((o) => o.kind === k)
        .map((o) => o.ms)
        .sort((a, b) => a - b);
      return [k, { n: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) }];
    }),
  ),
  rss: {
    idleMiB,
    peakMiB: Math.max(...samples.map((s) => s.rssMiB)),
    afterWarmupMiB,
    endOfLoadMiB,
    growthAfterWarmupPct: ((endOfLoadMiB - afterWarmupMiB) / afterWarmupMiB) * 100,
    afterCooldownMiB: afterMiB,
    afterCooldownVsIdlePct: ((afterMiB - idleMiB) / idleMiB) * 100,
  },
  mainThreadHeap: { idle: idleHeap, endOfLoad: endHeap, afterCooldown: afterHeap },
  samples,
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);

const f = (n: number) => n.toFixed(1);
console.log(`## Soak ${report.date.slice(0, 10)}: ${CLIENTS} clients, ${f(loadSeconds / 60)} min\n`);
console.log(`| figure | value |\n|---|---|`);
console.log(`| requests | ${report.requests} (${f(report.requests / loadSeconds)}/s) |`);
console.log(`| errors | ${report.errors} (${(report.errorRate * 100).toFixed(2)} %) |`);
console.log(
  `| latency p50 / p99 / max | ${f(report.latencyMs.p50)} / ${f(report.latencyMs.p99)} / ${f(report.latencyMs.max ?? NaN)} ms |`,
);
console.log(`| RSS idle before load | ${f(idleMiB)} MiB |`);
console.log(`| RSS peak | ${f(report.rss.peakMiB)} MiB |`);
console.log(
  `| RSS after warm-up (median, ${f(WARMUP_MS / 1000)}-${f((WARMUP_MS + window) / 1000)} s) | ${f(afterWarmupMiB)} MiB |`,
);
console.log(`| RSS end of load (median, last ${f(window / 1000)} s) | ${f(endOfLoadMiB)} MiB |`);
console.log(`| growth after warm-up | ${f(report.rss.growthAfterWarmupPct)} % |`);
console.log(
  `| RSS ${f(COOLDOWN_MS / 1000)} s after the load | ${f(afterMiB)} MiB (${f(report.rss.afterCooldownVsIdlePct)} % vs idle) |`,
);
const heap = (h: { heapUsedMiB: number; externalMiB: number }) => `${f(h.heapUsedMiB)} + ${f(h.externalMiB)}`;
console.log(
  `| main thread JS heap + external, MiB: idle / end of load / after | ${heap(idleHeap)} / ${heap(endHeap)} / ${heap(afterHeap)} |`,
);
console.log(`\n| kind | n | p50 ms | p99 ms |\n|---|---|---|---|`);
for (const [k, v] of Object.entries(report.byKind))
  console.log(`| ${k} | ${v.n} | ${f(v.p50)} | ${f(v.p99)} |`);
console.log(
  `\nRSS samples (s: MiB): ${samples.map((s) => `${s.t}${s.phase === 'cooldown' ? 'c' : ''}:${Math.round(s.rssMiB)}`).join(' ')}`,
);
process.exit(0);
