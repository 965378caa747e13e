/**
 * No import cycles in the library's sources: each module's relative imports
 * (static `import`/`export ... from`, type-only ones included, since a cycle of
 * types is still a cycle between modules) form a graph, searched depth-first
 * for a back edge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]/g;

/** The relative imports of a module, as absolute .ts paths. */
export function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
}

/** Every cycle found (each as the modules around it), over the graph of `files`. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function graphOf(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of sources(join(ROOT, dir))) graph.set(f, importsOf(f, readFileSync(f, 'utf8')));
  return graph;
}

const name = (p: string) => relative(ROOT, p);

describe('import cycles', () => {
  it('the detector finds a cycle, including one through type-only imports', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    const c = '/x/c.ts';
    const text = `import type { T } from './b.js';\nexport { f } from './c.js';`;
    expect(importsOf(a, text)).toEqual([b, c]);
    const graph = new Map([
      [a, [b]],
      [b, [c]],
      [c, [a]],
    ]);
    expect(findCycles(graph)).toEqual([[a, b, c, a]]);
    expect(
      findCycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, []],
        ]),
      ),
    ).toEqual([]);
  });

  it.each(['src/node', 'src/engine'])('%s has none', (dir) => {
    const graph = graphOf(dir);
    expect(graph.size).toBeGreaterThan(5);
    expect(findCycles(graph).map((c) => c.map(name).join(' -> '))).toEqual([]);
  });
});
