import { describe, expect, it } from 'vitest';
import {
  EngineAbortError,
  EngineInputError,
  EngineOptionError,
  resolveOptions,
  vectorize,
  vectorizeAsync,
  vectorizeSteps,
} from '../../src/engine/index.js';
import type { PipelineEvent, VectorizeResult } from '../../src/engine/index.js';
import { antialiased } from '../fixtures/engine/bitmaps.js';

const rings = antialiased(120, 90, (x, y) => {
  const r = Math.hypot(x - 45, y - 45);
  return (r < 38 && r > 20) || (x > 90 && x < 112 && y > 10 && y < 80);
});

function run(options = {}): { events: PipelineEvent[]; result: VectorizeResult } {
  const steps = vectorizeSteps(rings, options);
  const events: PipelineEvent[] = [];
  for (;;) {
    const r = steps.next();
    if (r.done) return { events, result: r.value };
    events.push(r.value);
  }
}

describe('vectorizeSteps', () => {
  it('hands out chunks that concatenate to the SVG, header first', () => {
    const { events, result } = run();
    const chunks = events.flatMap((e) => (e.type === 'chunk' ? [e.text] : []));
    expect(chunks.join('')).toBe(result.svg);
    expect(chunks[0]).toMatch(/^<svg /);
    expect(chunks.at(-1)).toBe('</svg>');
    expect(result.svg).toBe(vectorize(rings).svg);
  });

  it('reports every binary stage with progress that never decreases, ending at 1', () => {
    const { events } = run();
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].progress).toBeGreaterThanOrEqual(progress[i - 1].progress);
    }
    expect(progress.at(-1)).toEqual({ type: 'progress', stage: 'done', progress: 1 });
    const stages = new Set(progress.map((p) => p.stage));
    for (const s of ['threshold', 'decompose', 'polygon', 'curves', 'path']) expect(stages).toContain(s);
  });

  it('returns statistics that match the SVG', () => {
    const { result } = run();
    const { stats, svg } = result;
    expect(stats).toMatchObject({ width: 120, height: 90, mode: 'binary', paths: 1, colors: 1 });
    expect(stats.bytes).toBe(Buffer.byteLength(svg));
    const d = /d="([^"]*)"/.exec(svg)![1];
    expect(stats.nodes).toBe(d.match(/[a-z]/g)!.length + countImplicit(d));
    for (const s of ['threshold', 'decompose', 'polygon', 'curves', 'path']) {
      expect(stats.timings[s]).toBeGreaterThanOrEqual(0);
    }
  });
});

/** Commands written without their letter: coordinate groups beyond the first after each letter. */
function countImplicit(d: string): number {
  let extra = 0;
  for (const m of d.matchAll(/([a-z])([^a-z]*)/g)) {
    const n = m[2].match(/-?\d*\.?\d+/g)?.length ?? 0;
    const per = { m: 2, l: 2, h: 1, v: 1, c: 6, z: 0 }[m[1]] ?? 0;
    if (per > 0) extra += n / per - 1;
  }
  return extra;
}

describe('vectorizeAsync', () => {
  it('calls back with chunks and non-decreasing progress, and resolves to the same result', async () => {
    const chunks: string[] = [];
    const progress: number[] = [];
    const result = await vectorizeAsync(
      rings,
      {},
      { onChunk: (t) => chunks.push(t), onProgress: (_s, p) => progress.push(p), yieldEveryMs: 0 },
    );
    expect(chunks.join('')).toBe(result.svg);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('rejects with an AbortError when aborted before or during the run', async () => {
    const before = new AbortController();
    before.abort();
    await expect(vectorizeAsync(rings, {}, { signal: before.signal })).rejects.toBeInstanceOf(
      EngineAbortError,
    );

    const during = new AbortController();
    const stages: string[] = [];
    const pending = vectorizeAsync(
      rings,
      {},
      {
        signal: during.signal,
        yieldEveryMs: 0,
        onProgress: (stage) => {
          stages.push(stage);
          if (stage === 'decompose') during.abort();
        },
      },
    );
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(stages).not.toContain('curves');
  });
});

describe('options and input validation', () => {
  it.each([
    [{ threshold: 300 }, 'threshold'],
    [{ threshold: 'otsu' }, 'threshold'],
    [{ speckle: 1.5 }, 'speckle'],
    [{ speckle: -1 }, 'speckle'],
    [{ cornerThreshold: 200 }, 'cornerThreshold'],
    [{ curveTolerance: 0 }, 'curveTolerance'],
    [{ precision: 5 }, 'precision'],
    [{ invert: 'yes' }, 'invert'],
    [{ transparentAsBackground: 1 }, 'transparentAsBackground'],
    [{ mode: 'sepia' }, 'mode'],
    [{ colour: 3 }, 'colour'],
  ])('rejects %j naming %s', (options, name) => {
    expect(() => vectorize(rings, options as never)).toThrow(EngineOptionError);
    expect(() => resolveOptions(options as never)).toThrow(
      expect.objectContaining({ option: name, message: expect.stringContaining(`"${name}"`) }),
    );
  });

  it('states the binary defaults', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({
      mode: 'binary',
      threshold: 'auto',
      invert: false,
      transparentAsBackground: true,
      speckle: 2,
      cornerThreshold: 60,
      curveTolerance: 0.25,
      precision: 1,
    });
  });

  it('rejects rasters whose data does not match their size', () => {
    const bad = { width: 4, height: 4, data: new Uint8ClampedArray(10) };
    expect(() => vectorize(bad)).toThrow(EngineInputError);
    expect(() => vectorize(bad)).toThrow(/expecting 64\. Got 10/);
    expect(() => vectorize({ width: 0, height: 4, data: new Uint8ClampedArray(0) })).toThrow(
      EngineInputError,
    );
  });
});
