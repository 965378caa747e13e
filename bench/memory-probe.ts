/**
 * Child process of the memory measurement: decodes one image file and
 * vectorizes it with image2svg, then prints one JSON line with its own peak
 * resident set size (getrusage maxRSS), so nothing else of the benchmark is
 * counted. Usage: memory-probe.ts <binary|color> <file>
 */
import { readFileSync } from 'node:fs';
import { vectorize, type Mode } from '../src/engine/index.js';
import { decodeImage } from '../src/node/decode/index.js';

const [mode, file] = process.argv.slice(2);
const t0 = performance.now();
let line: Record<string, unknown>;
try {
  const { raster } = await decodeImage(readFileSync(file));
  const { stats } = vectorize(raster, { mode: mode as Mode });
  line = { ok: true, ms: performance.now() - t0, bytes: stats.bytes };
} catch (e) {
  line = {
    ok: false,
    ms: performance.now() - t0,
    error: e instanceof Error ? e.message.split('\n')[0] : String(e),
  };
}
line.maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(line)}\n`);
