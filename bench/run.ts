/**
 * `npm run bench`: builds the image sets, runs every tool on the same images,
 * prints the tables and writes bench/.cache/results.json.
 *
 *   --quick          a few images per set, no 8192² memory probes
 *   --set NAME       only this set (repeatable, or comma-separated)
 *   --tool NAME      only this tool (repeatable, or comma-separated)
 *   --no-memory      skip the 8192² memory probes
 *   --memory         run the memory probes even with --quick
 *   --cold           also time one call right after a forced full GC (needs node --expose-gc:
 *                    NODE_OPTIONS=--expose-gc npx tsx bench/run.ts --cold ...)
 *   --write-docs     regenerate the tables in docs/BENCHMARKS.md and docs/fidelity-vs-bytes.svg
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDocs, resultsMarkdown, type RunInfo } from './docs.js';
import { forcedGc, measure, warmUp, type ImageResult } from './measure.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { buildSet, CACHE, SETS } from './sets.js';
import { summarize } from './summary.js';
import { TOOLS } from './tools.js';
import { ENGINE_VERSION } from '../src/engine/index.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    tool: { type: 'string', multiple: true },
    'no-memory': { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    'write-docs': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
  },
});

const list = (v: string[] | undefined) => v?.flatMap((s) => s.split(',')).filter(Boolean);
const wantedSets = list(values.set);
const wantedTools = list(values.tool);
for (const name of wantedSets ?? []) {
  if (!SETS.some((s) => s.name === name)) {
    throw new Error(`unknown set "${name}"; sets are ${SETS.map((s) => s.name).join(', ')}`);
  }
}
for (const name of wantedTools ?? []) {
  if (!TOOLS.some((t) => t.name === name)) {
    throw new Error(`unknown tool "${name}"; tools are ${[...new Set(TOOLS.map((t) => t.name))].join(', ')}`);
  }
}
if (values.cold && !forcedGc()) {
  throw new Error('--cold needs a forced GC: run with NODE_OPTIONS=--expose-gc');
}
const specs = SETS.filter((s) => !wantedSets || wantedSets.includes(s.name));
const quick = values.quick;
const started = performance.now();
const results: ImageResult[] = [];

for (const spec of specs) {
  let images;
  try {
    images = await buildSet(spec, quick);
  } catch (e) {
    // A set whose source is missing is reported and skipped; the others still run.
    console.error(`${spec.name}: cannot build the set: ${e instanceof Error ? e.message : String(e)}`);
    continue;
  }
  const tools = TOOLS.filter(
    (t) =>
      t.kind === spec.kind &&
      (!t.degradedOnly || spec.degrade !== undefined) &&
      (!t.sets || t.sets.includes(spec.name)) &&
      (!wantedTools || wantedTools.includes(t.name)),
  );
  const t0 = performance.now();
  for (const tool of tools) await warmUp(tool, images[0]);
  // Image by image, every tool in turn: on a shared machine the load drifts
  // over minutes, and interleaving spreads that drift evenly over the tools.
  for (const image of images) {
    for (const tool of tools) results.push(await measure(tool, image, spec.kind === 'color', values.cold));
  }
  const mine = results.filter((r) => r.set === spec.name);
  const failed = tools
    .map((t) => [t.name, mine.filter((r) => r.tool === t.name && !r.ok).length] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} failed ${n}`);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.error(
    `${spec.name}: ${images.length} images x ${tools.length} tools in ${secs} s${failed.length ? `; ${failed.join(', ')}` : ''}`,
  );
}

const runMemory = (!quick || values.memory) && !values['no-memory'];
const memory: MemoryResult[] = runMemory ? await measureMemory() : [];
const summaries = summarize(results);
const cpu = cpus();

/** The commit measured, marked when the working tree had changes (the figures are then of uncommitted code). */
function revision(): string {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--', 'src') ? `${head} + uncommitted changes in src/` : head;
}

const info: RunInfo = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  engine: ENGINE_VERSION,
  machine: `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  revision: revision(),
  quick,
  seconds: (performance.now() - started) / 1000,
};

console.log(resultsMarkdown(info, specs, summaries, memory));
writeFileSync(
  join(CACHE, 'results.json'),
  JSON.stringify({ ...info, sets: specs, tools: TOOLS, summaries, memory, images: results }, null, 1),
);
console.error(`\nwrote ${join(CACHE, 'results.json')}`);
if (values['write-docs']) {
  writeDocs(info, specs, summaries, memory);
  console.error('wrote docs/BENCHMARKS.md and docs/fidelity-vs-bytes.svg');
}
