/**
 * `npm run bench`: builds the image sets, runs every tool on the same images,
 * prints the tables and writes bench/.cache/results.json.
 *
 *   --quick          a few images per set, no 8192² memory probes
 *   --set NAME       only this set (repeatable, or comma-separated)
 *   --tool NAME      only this tool (repeatable, or comma-separated)
 *   --no-memory      skip the 8192² memory probes
 *   --memory         run the memory probes even with --quick
 *   --write-docs     regenerate the tables in docs/BENCHMARKS.md and docs/fidelity-vs-bytes.svg
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDocs, resultsMarkdown, type RunInfo } from './docs.js';
import { measure, warmUp, type ImageResult } from './measure.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { buildSet, CACHE, SETS } from './sets.js';
import { summarize } from './summary.js';
import { TOOLS } from './tools.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    tool: { type: 'string', multiple: true },
    'no-memory': { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    'write-docs': { type: 'boolean', default: false },
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
const specs = SETS.filter((s) => !wantedSets || wantedSets.includes(s.name));
const quick = values.quick;
const started = performance.now();
const results: ImageResult[] = [];

for (const spec of specs) {
  const images = await buildSet(spec, quick);
  const tools = TOOLS.filter((t) => t.kind === spec.kind && (!wantedTools || wantedTools.includes(t.name)));
  for (const tool of tools) {
    const t0 = performance.now();
    await warmUp(tool, images[0]);
    let failed = 0;
    for (const image of images) {
      const r = await measure(tool, image, spec.kind === 'color');
      if (!r.ok) failed++;
      results.push(r);
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.error(`${spec.name} / ${tool.name}: ${images.length - failed}/${images.length} ok in ${secs} s`);
  }
}

const runMemory = (!quick || values.memory) && !values['no-memory'];
const memory: MemoryResult[] = runMemory ? await measureMemory() : [];
const summaries = summarize(results);
const cpu = cpus();
const info: RunInfo = {
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine: `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
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
