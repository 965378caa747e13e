/**
 * The colour tracer end to end, through the public engine API: shared
 * edges, grey fills, fixed palettes, transparency, determinism, invariance
 * under rotation and flips, thin features, streaming, and the auto preset.
 * Quality is measured by rendering the SVG back with resvg.
 */
import { describe, expect, it } from 'vitest';
import { vectorize, vectorizeSteps } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';
import { compareToOriginal, renderSvg } from '../../src/quality/index.js';
import { choosePreset } from '../../src/engine/color/auto-preset.js';
import {
  asciiRaster,
  flipX,
  paths,
  readPath,
  renderToRaster,
  rotate90,
  twemoji,
} from '../fixtures/color/rasters.js';
import { hatching, inkRecall, textPage } from '../fixtures/color/thin.js';

const discs = renderToRaster(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#f4f1e8"/>' +
    '<circle cx="26" cy="30" r="17" fill="#d03a2f"/><circle cx="40" cy="36" r="15" fill="#2f6fd0"/></svg>',
  64,
);

/** Every point (ends and controls) of every subpath, as "x,y" strings. */
function pointSet(d: string): Set<string> {
  return new Set(readPath(d).flatMap((sub) => sub.map(([x, y]) => `${x},${y}`)));
}

describe('shared boundaries', () => {
  it('uses identical coordinates on both sides of every boundary (cutout)', () => {
    const { svg } = vectorize(discs, { mode: 'color', layering: 'cutout' });
    const layers = paths(svg);
    expect(layers.length).toBe(3);
    const sets = layers.map((l) => pointSet(l.d));
    const onBorder = (p: string): boolean => {
      const [x, y] = p.split(',').map(Number);
      return x === 0 || y === 0 || x === 640 || y === 640;
    };
    let shared = 0;
    sets.forEach((set, i) => {
      for (const p of set) {
        if (onBorder(p)) continue;
        // Inside the picture every point lies on a boundary between two layers.
        expect(sets.some((other, j) => j !== i && other.has(p))).toBe(true);
        shared++;
      }
    });
    expect(shared).toBeGreaterThan(30);
  });

  it('draws the red-blue boundary once forward and once reversed', () => {
    const { svg } = vectorize(discs, { mode: 'color', layering: 'cutout' });
    const [, red, blue] = paths(svg).sort((a, b) => a.fill.localeCompare(b.fill));
    const redPts = readPath(red.d).flat();
    const bluePts = new Set(readPath(blue.d).flatMap((s) => s.map(([x, y]) => `${x},${y}`)));
    // The run of red's outline that lies on blue's outline...
    const run = redPts.filter(([x, y]) => bluePts.has(`${x},${y}`)).map(([x, y]) => `${x},${y}`);
    expect(run.length).toBeGreaterThan(5);
    // ...appears in blue's outline in the opposite order.
    const blueSeq = readPath(blue.d)
      .flat()
      .map(([x, y]) => `${x},${y}`)
      .filter((p) => run.includes(p));
    const pos = (p: string): number => blueSeq.indexOf(p);
    let descending = 0;
    for (let k = 1; k < run.length; k++) if (pos(run[k]) < pos(run[k - 1])) descending++;
    expect(descending).toBeGreaterThanOrEqual(run.length - 3);
  });
});

describe('modes and options', () => {
  it('grayscale output has only grey fills', () => {
    const { svg, stats } = vectorize(twemoji('1f308', 64), { mode: 'grayscale' });
    const fills = paths(svg).map((p) => p.fill);
    expect(fills.length).toBeGreaterThan(1);
    for (const f of fills)
      expect(f.slice(1, 3) === f.slice(3, 5) && f.slice(3, 5) === f.slice(5, 7)).toBe(true);
    expect(stats.mode).toBe('grayscale');
  });

  it('grayscale with a level count uses at most that many greys', () => {
    const { svg } = vectorize(twemoji('1f308', 64), { mode: 'grayscale', colors: 3 });
    expect(paths(svg).length).toBeLessThanOrEqual(3);
  });

  it('obeys a fixed palette exactly', () => {
    const palette = ['#ff0000', '#0000ff', '#eeeeee', '#123456'];
    const { svg } = vectorize(discs, { mode: 'color', palette });
    const fills = paths(svg).map((p) => p.fill);
    for (const f of fills) expect(palette).toContain(f);
    for (const f of ['#ff0000', '#0000ff', '#eeeeee']) expect(fills).toContain(f);
  });

  it('caps the number of colours', () => {
    const { stats } = vectorize(twemoji('1f98a', 64), { mode: 'color', colors: 2 });
    expect(stats.colors).toBeLessThanOrEqual(2);
  });

  it('leaves transparent pixels transparent and paints the opaque ones', () => {
    const r = twemoji('1f600', 64);
    const { svg } = vectorize(r, { mode: 'color' });
    const back = renderSvg(svg, 64, 64);
    let clear = 0;
    let painted = 0;
    for (let p = 3; p < r.data.length; p += 4) {
      if (r.data[p] === 0 && back.data[p] === 0) clear++;
      if (r.data[p] === 255 && back.data[p] >= 250) painted++;
    }
    const transparent = r.data.filter((v, i) => i % 4 === 3 && v === 0).length;
    const opaque = r.data.filter((v, i) => i % 4 === 3 && v === 255).length;
    expect(transparent).toBeGreaterThan(500);
    expect(clear / transparent).toBeGreaterThan(0.97);
    expect(painted / opaque).toBeGreaterThan(0.97);
  });

  it('traces a fully transparent image to an empty SVG', () => {
    const r = asciiRaster(['..', '..'], { '.': [255, 0, 0, 0] });
    const { svg, stats } = vectorize(r, { mode: 'color' });
    expect(stats.paths).toBe(0);
    expect(svg).not.toContain('<path');
  });

  it('traces a single colour to one rectangle', () => {
    const r = asciiRaster(['aaa', 'aaa'], { a: [10, 200, 30] });
    const { svg } = vectorize(r, { mode: 'color' });
    expect(paths(svg)).toEqual([{ fill: '#0ac81e', d: 'm0 0v2h3v-2z' }]);
  });

  it('is byte-identical for the same input and options', () => {
    const r = twemoji('1f98a', 64);
    for (const layering of ['stacked', 'cutout'] as const) {
      expect(vectorize(r, { mode: 'color', layering }).svg).toBe(
        vectorize(r, { mode: 'color', layering }).svg,
      );
    }
  });

  it('writes numbers at the requested precision', () => {
    const r = twemoji('1f34e', 64);
    for (const precision of [0, 2]) {
      const { svg } = vectorize(r, { mode: 'color', precision });
      const decimals = Math.max(...(svg.match(/\.\d+/g) ?? ['.']).map((s) => s.length - 1));
      expect(decimals).toBeLessThanOrEqual(precision);
    }
  });
});

describe('odd inputs', () => {
  const mk = (w: number, h: number, f: (x: number, y: number) => number[]): Raster => {
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 4);
    return { width: w, height: h, data };
  };
  let seed = 1;
  const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pictures: [string, Raster][] = [
    ['1x1', mk(1, 1, () => [200, 10, 10, 255])],
    ['7x1', mk(7, 1, (x) => [x * 30, 100, 200 - x * 20, 255])],
    ['1x7', mk(1, 7, (_x, y) => [y * 30, 100, 0, 255])],
    ['noise with holes', mk(24, 24, () => [rnd() * 255, rnd() * 255, rnd() * 255, rnd() < 0.2 ? 0 : 255])],
    ['checkerboard', mk(12, 12, (x, y) => ((x + y) & 1 ? [0, 0, 0, 255] : [255, 255, 255, 255]))],
  ];
  const settings = [
    {},
    { colors: 256 },
    { precision: 0 },
    { precision: 4 },
    { cornerThreshold: 0 },
    { cornerThreshold: 180 },
    { detail: 0 },
    { detail: 1 },
    { speckle: 0 },
    { speckle: 1000 },
    { transparentAsBackground: false },
    { layering: 'cutout' as const },
  ];

  it.each(pictures)(
    '%s: every setting gives well-formed path data covering the picture',
    (_name, picture) => {
      for (const options of settings) {
        const { svg, stats } = vectorize(picture, { mode: 'color', ...options });
        expect(stats.paths).toBeGreaterThan(0);
        for (const p of paths(svg)) expect(readPath(p.d, options.precision ?? 1).length).toBeGreaterThan(0);
      }
    },
  );

  it('paints a checkerboard exactly', () => {
    const [, board] = pictures[4];
    expect(compareToOriginal(board, vectorize(board, { mode: 'color' }).svg).ssim).toBeGreaterThan(0.999);
  });
});

describe('fidelity', () => {
  it.each(['1f600', '1f98a', '1f3e0'])('renders emoji %s faithfully and compactly', (name) => {
    const r = twemoji(name, 96);
    const { svg } = vectorize(r, { mode: 'color' });
    const f = compareToOriginal(r, svg);
    expect(f.ssim).toBeGreaterThan(0.93);
    expect(f.deltaE).toBeLessThan(1.5);
    expect(svg.length).toBeLessThan(4000);
  });

  it('keeps long straight edges straight between rounded corners', () => {
    const r = renderToRaster(
      '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#f4f1e8"/>' +
        '<rect x="10.3" y="20.3" width="76" height="56" rx="12" fill="#2f6fd0"/></svg>',
      96,
    );
    const { svg } = vectorize(r, { mode: 'color' });
    const blue = paths(svg).find((p) => p.fill !== paths(svg)[0].fill)!;
    // The four sides, 52 and 32 px between the corners' curves, are each one h or v.
    const sides = [...blue.d.matchAll(/([hv])(-?[\d.]+)/g)].map((m) => Math.abs(Number(m[2])));
    expect(sides.filter((len) => len >= 24).length).toBe(4);
    expect(blue.d).toContain('c');
    expect(compareToOriginal(r, svg).ssim).toBeGreaterThan(0.98);
  });

  it('keeps the same figures when the picture is rotated or flipped', () => {
    const r = twemoji('1f98a', 96);
    const base = vectorize(r, { mode: 'color' });
    const baseSsim = compareToOriginal(r, base.svg).ssim;
    for (const t of [rotate90(r), flipX(r), rotate90(rotate90(r))]) {
      const res = vectorize(t, { mode: 'color' });
      expect(Math.abs(compareToOriginal(t, res.svg).ssim - baseSsim)).toBeLessThan(0.005);
      expect(res.stats.colors).toBe(base.stats.colors);
      expect(Math.abs(res.stats.bytes / base.stats.bytes - 1)).toBeLessThan(0.08);
    }
  });
});

describe('thin features', () => {
  it('keeps small text legible (strokes 1.2 px, glyphs 9 px tall)', () => {
    const page = textPage();
    const { svg } = vectorize(page, { mode: 'color' });
    const back = renderSvg(svg, page.width, page.height);
    // An empty page scores about 0.12 here; vtracer's default output about 0.68.
    expect(compareToOriginal(page, svg).ssim).toBeGreaterThan(0.9);
    expect(inkRecall(page, back)).toBeGreaterThan(0.95);
  });

  it('keeps one-pixel hatching over colour areas', () => {
    const h = hatching();
    const { svg } = vectorize(h, { mode: 'color' });
    expect(compareToOriginal(h, svg).ssim).toBeGreaterThan(0.95);
    expect(inkRecall(h, renderSvg(svg, h.width, h.height))).toBeGreaterThan(0.9);
  });

  it('keeps text with the photo preset, whose speckle size is larger than a glyph stem', () => {
    const page = textPage();
    const { svg } = vectorize(page, { preset: 'photo' });
    expect(inkRecall(page, renderSvg(svg, page.width, page.height))).toBeGreaterThan(0.9);
  });
});

describe('pipeline', () => {
  it('streams one layer per colour before the trace ends, with rising progress', () => {
    const steps = vectorizeSteps(twemoji('1f308', 64), { mode: 'color' });
    const events: string[] = [];
    let last = 0;
    for (;;) {
      const r = steps.next();
      if (r.done) {
        expect(events.filter((e) => e === 'path').length).toBe(r.value.stats.paths);
        break;
      }
      const ev = r.value;
      if (ev.type === 'progress') {
        expect(ev.progress).toBeGreaterThanOrEqual(last);
        last = ev.progress;
        events.push(ev.stage);
      } else if (ev.text.startsWith('<path')) events.push('path');
    }
    // Paths arrive while the layers stage runs, between progress events.
    const firstPath = events.indexOf('path');
    expect(firstPath).toBeGreaterThan(0);
    expect(events.lastIndexOf('layers')).toBeGreaterThan(firstPath);
  });

  it('the auto preset picks logo for emoji, photo for a photograph-like image, and says so', () => {
    expect(choosePreset(twemoji('1f600', 64))).toBe('logo');
    const noise: Raster = (() => {
      const w = 64;
      const data = new Uint8ClampedArray(w * w * 4);
      let s = 1;
      for (let i = 0; i < w * w; i++) {
        s = (s * 48271) % 2147483647;
        const v = 100 + (i % w) + (s % 9);
        data.set([v, v * 0.8, v * 0.6, 255], i * 4);
      }
      return { width: w, height: w, data };
    })();
    expect(choosePreset(noise)).toBe('photo');
    expect(vectorize(twemoji('1f600', 32), { preset: 'auto' }).stats.preset).toBe('logo');
  });
});
