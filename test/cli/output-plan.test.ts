import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit-codes.js';
import { planOutputs } from '../../src/cli/output-plan.js';

describe('planOutputs', () => {
  it('beside the input by default, with the last extension replaced', () => {
    expect(planOutputs(['a/logo.png', 'b/scan.v2.jpeg', 'noext'], {})).toEqual([
      { input: 'a/logo.png', output: join('a', 'logo.svg') },
      { input: 'b/scan.v2.jpeg', output: join('b', 'scan.v2.svg') },
      { input: 'noext', output: 'noext.svg' },
    ]);
  });

  it('--out-dir takes the basename', () => {
    expect(planOutputs(['a/x.png', 'y.gif'], { outDir: 'out' })).toEqual([
      { input: 'a/x.png', output: join('out', 'x.svg') },
      { input: 'y.gif', output: join('out', 'y.svg') },
    ]);
  });

  it('-o for one input; standard input goes to standard output unless -o says otherwise', () => {
    expect(planOutputs(['x.png'], { output: 'o.svg' })).toEqual([{ input: 'x.png', output: 'o.svg' }]);
    expect(planOutputs(['-'], {})).toEqual([{ input: '-', output: '-' }]);
    expect(planOutputs(['-'], { output: 'o.svg' })).toEqual([{ input: '-', output: 'o.svg' }]);
  });

  it.each<[string, string[], { output?: string; outDir?: string }, string]>([
    [
      '-o with many',
      ['a.png', 'b.png'],
      { output: 'o.svg' },
      '-o/--output takes one input, got 2; use --out-dir for many',
    ],
    ['both', ['a.png'], { output: 'o.svg', outDir: 'd' }, 'use either -o/--output or --out-dir, not both'],
    ['stdin mixed', ['-', 'a.png'], {}, '"-" (standard input) cannot be mixed with other inputs'],
    ['stdin with out-dir', ['-'], { outDir: 'd' }, '"-" (standard input) goes to standard output or -o FILE'],
    [
      'clash',
      ['a/x.png', 'b/x.jpg'],
      { outDir: 'd' },
      `a/x.png and b/x.jpg would both be written to ${join('d', 'x.svg')}`,
    ],
    ['overwrite input', ['pic.svg'], {}, 'pic.svg: the output would overwrite the input'],
  ])('%s is a usage error', (_name, files, flags, message) => {
    expect(() => planOutputs(files, flags)).toThrow(new UsageError(message));
  });
});
