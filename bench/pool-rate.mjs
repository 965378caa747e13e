/**
 * The service benchmark's saturation baseline, run by bench/service.ts in a
 * plain `node` process of its own (no tsx loader, no HTTP clients beside it):
 * the server's worker pool (dist/ build) converting the given images with
 * `parallel` tasks in flight, without HTTP. Prints the conversions per second
 * of each timed round as JSON.
 *
 *   node bench/pool-rate.mjs <dir of .png files> <conversions per round> <in flight> <timed rounds>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const [dir, perRound, parallel, rounds] = process.argv.slice(2);
const { WorkerPool } = await import(new URL('../dist/server/pool/worker-pool.js', import.meta.url).href);
const { loadConfig } = await import(new URL('../dist/server/config.js', import.meta.url).href);
const config = loadConfig({});
const images = readdirSync(dir)
  .filter((f) => f.endsWith('.png'))
  .sort()
  .map((f) => new Uint8Array(readFileSync(join(dir, f))));
// The server's defaults: WORKER_POOL_SIZE = the CPU count.
const pool = new WorkerPool({ size: cpus().length, maxQueue: 1000, timeoutMs: 60_000 });
const limits = { maxSide: config.maxImageDimension, maxPixels: config.maxImagePixels, resize: false };
const task = (bytes) => ({
  bytes,
  options: { mode: 'binary' },
  limits,
  enhance: false,
  stream: false,
  progress: false,
});

async function round() {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Number(parallel) }, async () => {
      for (let i = next++; i < Number(perRound); i = next++) await pool.run(task(images[i % images.length]));
    }),
  );
  return Number(perRound) / ((performance.now() - start) / 1000);
}

await round(); // warm-up: each thread's JIT
const rates = [];
for (let i = 0; i < Number(rounds); i++) rates.push(await round());
await pool.close();
process.stdout.write(JSON.stringify(rates));
