/**
 * Peak memory of a burst of big images (not part of CI): starts the built service (dist/server/main.js)
 * on a free loopback port, sends N images of S x S pixels (seeded drawings, a few hundred KB of PNG
 * each) to POST /convert all at once, samples the server's RSS (/proc/PID/status, the whole process)
 * every 100 ms, and prints the idle RSS, the peak, the answers' statuses and the time to the last answer.
 * Without PIXEL_BUDGET the images all decode at once; with it they wait for room in turn.
 *
 *   --count N      images sent together (default 4)
 *   --size S       side in pixels (default 8192)
 *   --mode M       color_mode (default binary)
 *   --env K=V      extra environment for the server (repeatable)
 *   --main FILE    server entry (default dist/server/main.js), e.g. another build to compare
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '4' },
    size: { type: 'string', default: '8192' },
    mode: { type: 'string', default: 'binary' },
    env: { type: 'string', multiple: true, default: [] },
    main: { type: 'string' },
  },
});
const COUNT = Number(values.count);
const SIZE = Number(values.size);
const ROOT = new URL('../', import.meta.url);
const MAIN = values.main ? pathToFileURL(resolve(values.main)) : new URL('dist/server/main.js', ROOT);
const env: Record<string, string> = {};
for (const kv of values.env) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);

async function drawing(seed: number): Promise<Buffer> {
  let x = seed * 7919;
  const rnd = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const colors = ['#111111', '#d62828', '#1d4ed8', '#f59e0b', '#16a34a'];
  let shapes = '';
  for (let i = 0; i < 40; i++) {
    shapes += `<circle cx="${rnd() * SIZE}" cy="${rnd() * SIZE}" r="${SIZE * (0.012 + rnd() * 0.11)}" fill="${colors[i % 5]}"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}"><rect width="100%" height="100%" fill="#fff"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg), { limitInputPixels: false })
    .png({ palette: true, compressionLevel: 9 })
    .toBuffer();
}

const rss = (pid: number) =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const images = await Promise.all(Array.from({ length: COUNT }, (_, i) => drawing(i + 1)));
const port = await new Promise<number>((done) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const p = (srv.address() as AddressInfo).port;
    srv.close(() => done(p));
  });
});
const child = spawn(process.execPath, [MAIN.pathname], {
  cwd: ROOT,
  env: {
    PATH: process.env.PATH,
    BACKEND_HOST: '127.0.0.1',
    BACKEND_PORT: String(port),
    LOG_LEVEL: 'warn',
    ...env,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (
  let i = 0;
  i < 400 &&
  !(await fetch(`${url}/ready`).then(
    (r) => r.ok,
    () => false,
  ));
  i++
) {
  await new Promise((r) => setTimeout(r, 50));
}
await new Promise((r) => setTimeout(r, 2000));
const idle = rss(child.pid!);
let peak = idle;
const sampler = setInterval(() => (peak = Math.max(peak, rss(child.pid!))), 100);
const t0 = performance.now();
const statuses = await Promise.all(
  images.map(async (body) => {
    const r = await fetch(`${url}/convert?color_mode=${values.mode}&use_cache=false`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'image/png' },
    });
    await r.arrayBuffer();
    return r.status;
  }),
);
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
child.kill('SIGTERM');
console.log(
  JSON.stringify({
    date: new Date().toISOString(),
    count: COUNT,
    size: SIZE,
    mode: values.mode,
    fileKB: images.map((b) => Math.round(b.length / 1024)),
    env,
    idleMiB: Math.round(idle),
    peakMiB: Math.round(peak),
    statuses,
    seconds: Math.round(seconds * 10) / 10,
  }),
);
process.exit(0);
