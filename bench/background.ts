/**
 * Background throughput benchmark (`npm run bench:background`, not in CI): one redis-server, one API
 * process (SERVICE_ROLE=api) and 1, then 2, worker processes (SERVICE_ROLE=worker, one thread each),
 * all built from dist/. For each worker count it submits the same set of distinct images as background
 * jobs at once (use_cache=false, so every job converts), waits until all completed, and reports
 *  - jobs per second (first submit to last completion, wall clock),
 *  - CPU seconds per job in the workers (user + system of the worker processes from /proc, threads
 *    included), and in the API (taking jobs, answering the status polls).
 * Writes bench/.cache/background.json and prints a Markdown table.
 *
 *   --jobs N      jobs per run (default 40)
 *   --size PX     image size (default 512)
 *   --workers L   worker counts, comma-separated (default 1,2)
 *   --query Q     conversion options (default color_mode=color)
 *   --repeat N    runs per worker count, interleaved (1, 2, 1, 2, ...); the median run is reported (default 3)
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { findRedisServer } from '../test/server/redis-server.js';
import { startAofRedis, startProcess, until, type ServiceProcess } from '../test/cluster/cluster.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '40' },
    size: { type: 'string', default: '512' },
    workers: { type: 'string', default: '1,2' },
    query: { type: 'string', default: 'color_mode=color' },
    repeat: { type: 'string', default: '3' },
  },
});
const JOBS = Number(values.jobs);
const SIZE = Number(values.size);
const COUNTS = values.workers.split(',').map(Number);
const QUERY = values.query;
const REPEAT = Number(values.repeat);
const TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Seeded LCG: the same image set every run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** A logo-like picture: a few filled shapes in a few colours on white, distinct per seed. */
async function logo(seed: number): Promise<Buffer> {
  const r = lcg(seed);
  const colours = ['#1f4e79', '#c00000', '#ffc000', '#00b050', '#7030a0'];
  let shapes = '';
  for (let i = 0; i < 40; i++) {
    const c = colours[Math.floor(r() * colours.length)];
    const x = r() * SIZE * 0.8;
    const y = r() * SIZE * 0.8;
    const s = SIZE * (0.1 + r() * 0.25);
    shapes +=
      r() < 0.5
        ? `<circle cx="${x + s / 2}" cy="${y + s / 2}" r="${s / 2}" fill="${c}"/>`
        : `<rect x="${x}" y="${y}" width="${s}" height="${s * 0.7}" rx="${s * 0.1}" fill="${c}"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}"><rect width="100%" height="100%" fill="#fff"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

interface Run {
  workers: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  workerCpuPerJob: number;
  apiCpuPerJob: number;
}

async function runOnce(images: Buffer[], workerCount: number, redisBinary: string): Promise<Run> {
  const redis = await startAofRedis(redisBinary);
  const env = {
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redis.port),
    LOG_LEVEL: 'warn',
    SHUTDOWN_DRAIN_SECONDS: '0',
  };
  const procs: ServiceProcess[] = [];
  try {
    const api = await startProcess('api', { ...env, MAX_QUEUE_SIZE: String(JOBS) });
    procs.push(api);
    const workers = await Promise.all(Array.from({ length: workerCount }, () => startProcess('worker', env)));
    procs.push(...workers);
    // Warm-up: one job per worker, so the figures leave out thread start and the first JIT.
    const submit = async (png: Buffer, tag: string) => {
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), `${tag}.png`);
      const res = await fetch(`${api.url}/convert/background?use_cache=false&precision=${tag}&${QUERY}`, {
        method: 'POST',
        body,
      });
      if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { task_id: string }).task_id;
    };
    const waitAll = async (ids: string[]) => {
      const left = new Set(ids);
      await until(
        'jobs to complete',
        async () => {
          for (const id of [...left]) {
            const s = (await (await fetch(`${api.url}/tasks/${id}`)).json()) as { status: string };
            if (s.status === 'completed') left.delete(id);
            else if (s.status === 'failed') throw new Error(`job ${id} failed`);
          }
          return left.size === 0 ? true : undefined;
        },
        600_000,
      );
    };
    await waitAll(await Promise.all(workers.map((_, i) => submit(images[i]!, '1'))));
    const cpu0 = workers.map((w) => cpuSeconds(w.pid));
    const api0 = cpuSeconds(api.pid);
    const t0 = performance.now();
    const ids = await Promise.all(images.map((png) => submit(png, '2')));
    await waitAll(ids);
    const seconds = (performance.now() - t0) / 1000;
    const workerCpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.pid) - cpu0[i]!, 0);
    const apiCpu = cpuSeconds(api.pid) - api0;
    return {
      workers: workerCount,
      jobs: images.length,
      seconds,
      jobsPerSecond: images.length / seconds,
      workerCpuPerJob: workerCpu / images.length,
      apiCpuPerJob: apiCpu / images.length,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop(10_000)));
    await redis.kill();
  }
}

const redisBinary = findRedisServer();
if (!redisBinary) throw new Error('redis-server is not installed (scripts/install-test-deps.sh)');
const images = await Promise.all(Array.from({ length: JOBS }, (_, i) => logo(i + 1)));
const all: Run[] = [];
for (let r = 0; r < REPEAT; r++) {
  for (const n of COUNTS) {
    process.stderr.write(
      `run ${r + 1}/${REPEAT}: ${n} worker process(es), ${JOBS} jobs of ${SIZE} px (${QUERY})...\n`,
    );
    all.push(await runOnce(images, n, redisBinary));
  }
}
/** Per worker count, the run of median throughput. */
const runs: Run[] = COUNTS.map((n) => {
  const mine = all.filter((r) => r.workers === n).sort((a, b) => a.jobsPerSecond - b.jobsPerSecond);
  return mine[Math.floor(mine.length / 2)]!;
});
const when = new Date()
  .toISOString()
  .replace(/:\d\d\.\d+Z$/, ' UTC')
  .replace('T', ' ');
mkdirSync(new URL('.cache/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('.cache/background.json', import.meta.url),
  JSON.stringify({ when, cpus: cpus().length, jobs: JOBS, size: SIZE, query: QUERY, runs, all }, null, 2),
);
const base = runs[0]!.jobsPerSecond;
console.log(
  `Background throughput, ${when}, ${cpus().length} CPUs, ${JOBS} jobs of ${SIZE} px logos (${QUERY}), 1 thread per worker, median of ${REPEAT}\n`,
);
console.log(
  '| worker processes | wall time (s) | jobs/s | vs 1 worker | worker CPU per job (s) | API CPU per job (s) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of runs) {
  console.log(
    `| ${r.workers} | ${r.seconds.toFixed(1)} | ${r.jobsPerSecond.toFixed(2)} | ${(r.jobsPerSecond / base).toFixed(2)}x | ${r.workerCpuPerJob.toFixed(3)} | ${r.apiCpuPerJob.toFixed(4)} |`,
  );
}
