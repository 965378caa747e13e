import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vectorize } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';
import { renderSvg, ssim } from '../../src/quality/index.js';
import { antialiased, ascii, flipX, rotate90 } from '../fixtures/engine/bitmaps.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'engine');

function pathData(svg: string): string {
  return /<path[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? '';
}

function fidelity(raster: Raster, svg: string): number {
  return ssim(raster, renderSvg(svg, raster.width, raster.height, 'white'));
}

/** Mean absolute luma difference (0-255) between the raster and the rendered SVG, on white. */
function meanDifference(raster: Raster, svg: string): number {
  const out = renderSvg(svg, raster.width, raster.height, 'white');
  let sum = 0;
  for (let i = 0; i < raster.data.length; i += 4) sum += Math.abs(raster.data[i + 1] - out.data[i + 1]);
  return sum / (raster.data.length / 4);
}

/** A threshold of an anti-aliased raster at half coverage: what potrace would be given. */
function crisp(r: Raster): Raster {
  const data = new Uint8ClampedArray(r.data);
  for (let i = 0; i < data.length; i += 4) data[i] = data[i + 1] = data[i + 2] = data[i + 1] < 128 ? 0 : 255;
  return { width: r.width, height: r.height, data };
}

const disk = antialiased(96, 96, (x, y) => (x - 47.3) ** 2 + (y - 46.6) ** 2 < 38.2 ** 2);

/** Strokes 1.5 to 3 px wide, like outline icons and handwriting. */
const strokes = antialiased(96, 64, (x, y) => {
  const arc = Math.abs(Math.hypot(x - 24, y - 32) - 16) < 1.5;
  const slant = Math.abs(y - 8 - (x - 48) * 1.7) < 2.2 && y > 8 && y < 56;
  const bar = Math.abs(y - 40.3) < 0.8 && x > 56 && x < 90;
  const stem = Math.abs(x - 84.6) < 1 && y > 10 && y < 56;
  return arc || slant || bar || stem;
});

const shapes = antialiased(80, 80, (x, y) => {
  const round = (x - 20) ** 2 + (y - 20) ** 2 < 14 ** 2;
  const frame =
    Math.abs(x - 58) < 14 && Math.abs(y - 22) < 14 && !(Math.abs(x - 58) < 6 && Math.abs(y - 22) < 6);
  const wedge = y > 44 && y < 74 && x > 8 && x < 8 + (y - 44) * 1.3;
  return round || frame || wedge;
});

describe('traceBinary: exact paths', () => {
  const square = [
    '........',
    '.######.',
    '.######.',
    '.######.',
    '.######.',
    '.######.',
    '.######.',
    '........',
  ];
  const framed = [
    '........',
    '.######.',
    '.######.',
    '.##..##.',
    '.##..##.',
    '.######.',
    '.######.',
    '........',
  ];

  it('traces a square as a polygon when every vertex is a corner', () => {
    expect(pathData(vectorize(ascii(square), { cornerThreshold: 0 }).svg)).toBe('m1 1h6v6h-6z');
  });

  it('traces a hole as a reversed subpath that the nonzero rule leaves empty', () => {
    const { svg, stats } = vectorize(ascii(framed), { cornerThreshold: 0, speckle: 0 });
    expect(pathData(svg)).toBe('m1 1h6v6h-6zm2 2v2h2v-2z');
    expect(svg).not.toContain('evenodd');
    expect(stats.paths).toBe(1);
    expect(stats.nodes).toBe(10);
  });

  it('writes one black compound path in a viewBox of the image size', () => {
    const { svg } = vectorize(ascii(framed));
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 8 8"/);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('fill="#000000"');
    expect(pathData(svg).match(/m/g)).toHaveLength(2);
  });

  it('keeps tiny shapes (an L, touching diagonals) as one subpath inside the image', () => {
    for (const rows of [
      ['#...', '#...', '#...', '####'],
      ['##..', '##..', '..##', '..##'],
    ]) {
      const d = pathData(vectorize(ascii(rows), { speckle: 0 }).svg);
      expect(d.match(/m/g)).toHaveLength(1);
      expect(d).toMatch(/z$/);
    }
  });

  it('writes numbers with at most `precision` decimals', () => {
    for (const precision of [0, 1, 2, 3]) {
      const d = pathData(vectorize(disk, { precision }).svg);
      const decimals = Math.max(...(d.match(/\.\d+/g) ?? ['.']).map((s) => s.length - 1));
      expect(decimals).toBeLessThanOrEqual(precision);
      if (precision > 0) expect(decimals).toBe(precision);
    }
  });
});

describe('traceBinary: options', () => {
  it('draws nothing for a blank or fully transparent image', () => {
    const blank = ascii(['....', '....']);
    expect(vectorize(blank).stats.paths).toBe(0);
    const clear = { width: 4, height: 2, data: new Uint8ClampedArray(32) };
    expect(vectorize(clear).stats.paths).toBe(0);
    // Transparent black counts as ink only when transparency is not background.
    expect(pathData(vectorize(clear, { transparentAsBackground: false, cornerThreshold: 0 }).svg)).toBe(
      'm0 0h4v2h-4z',
    );
  });

  it('traces the light parts when inverted', () => {
    const dark = ascii(['######', '#....#', '#....#', '######']);
    const light = ascii(['......', '.####.', '.####.', '......']);
    const o = { cornerThreshold: 0, speckle: 0 };
    expect(pathData(vectorize(dark, { ...o, invert: true }).svg)).toBe(pathData(vectorize(light, o).svg));
  });

  it('uses a fixed threshold on luma', () => {
    const grey = ascii(['....', '.##.', '.##.', '....']);
    for (let i = 0; i < grey.data.length; i += 4) if (grey.data[i] === 0) grey.data.fill(150, i, i + 3);
    expect(vectorize(grey, { threshold: 100 }).stats.paths).toBe(0);
    expect(vectorize(grey, { threshold: 200 }).stats.paths).toBe(1);
  });

  it('drops specks smaller than the speckle area', () => {
    const dots = ascii(['#.....', '......', '..###.', '..###.', '..###.']);
    expect(pathData(vectorize(dots, { speckle: 0 }).svg).match(/m/g)).toHaveLength(2);
    expect(pathData(vectorize(dots, { speckle: 2 }).svg).match(/m/g)).toHaveLength(1);
    expect(vectorize(dots, { speckle: 10 }).stats.paths).toBe(0);
  });

  it('has fewer nodes with a larger curve tolerance', () => {
    const fine = vectorize(strokes, { curveTolerance: 0.1 }).stats.nodes;
    const coarse = vectorize(strokes, { curveTolerance: 2 }).stats.nodes;
    expect(coarse).toBeLessThan(fine);
  });

  it('gives byte-identical output for the same input and options', () => {
    const a = vectorize(shapes, { precision: 2 }).svg;
    const copy = { width: shapes.width, height: shapes.height, data: new Uint8ClampedArray(shapes.data) };
    expect(vectorize(copy, { precision: 2 }).svg).toBe(a);
  });
});

describe('traceBinary: invariance', () => {
  it.each([
    ['shapes', shapes],
    ['strokes', strokes],
  ])('gives the same figures for %s rotated and flipped', (_name, image) => {
    const base = vectorize(image);
    const baseSsim = fidelity(image, base.svg);
    const subpaths = pathData(base.svg).match(/m/g)!.length;
    const turned = [
      rotate90(image),
      rotate90(rotate90(image)),
      rotate90(rotate90(rotate90(image))),
      flipX(image),
    ];
    for (const r of turned) {
      const out = vectorize(r);
      expect(pathData(out.svg).match(/m/g)).toHaveLength(subpaths);
      expect(out.stats.nodes).toBe(base.stats.nodes);
      expect(Math.abs(fidelity(r, out.svg) - baseSsim)).toBeLessThan(0.005);
    }
  });
});

describe('traceBinary: quality, rendered back with resvg', () => {
  it('traces an anti-aliased disk closely, with few nodes', () => {
    const { svg, stats } = vectorize(disk);
    expect(fidelity(disk, svg)).toBeGreaterThan(0.98);
    expect(meanDifference(disk, svg)).toBeLessThan(2);
    expect(stats.nodes).toBeLessThanOrEqual(14);
  });

  it('traces thin strokes closely', () => {
    const { svg } = vectorize(strokes);
    expect(fidelity(strokes, svg)).toBeGreaterThan(0.96);
    expect(meanDifference(strokes, svg)).toBeLessThan(6);
  });

  it('is more faithful from grey edges than from the same image thresholded', () => {
    // Edges off the pixel grid: a disk, strokes, and a square offset by fractions of a pixel.
    const square = antialiased(80, 80, (x, y) => Math.abs(x - 40.3) < 20.2 && Math.abs(y - 40.6) < 20.1);
    for (const r of [disk, strokes, square]) {
      const fromGrey = fidelity(r, vectorize(r).svg);
      const fromCrisp = fidelity(r, vectorize(crisp(r)).svg);
      expect(fromGrey).toBeGreaterThan(fromCrisp);
    }
  });
});

describe('traceBinary: bilevel input', () => {
  // A grass blade from a thresholded photograph (benchmark set photo-bw): 1-2 px wide, slanted.
  const blade = ascii(
    [
      '.............',
      '...........#.',
      '..........##.',
      '..........##.',
      '.........##..',
      '.........##..',
      '.........##..',
      '.........#...',
      '........##...',
      '........##...',
      '........##...',
      '........#....',
      '.......##....',
      '.......##....',
      '.......#.....',
      '......##.....',
      '......##.....',
      '......#......',
      '.....##......',
      '.....##......',
      '.....##......',
      '.....##......',
      '....##.......',
      '....##.......',
      '....##.......',
      '.............',
    ].map((row) => `..${row}..`),
  );

  /** Ink area of the rendered SVG, in pixels. */
  function renderedInk(raster: Raster, svg: string): number {
    const out = renderSvg(svg, raster.width, raster.height, 'white');
    let sum = 0;
    for (let i = 0; i < out.data.length; i += 4) sum += 1 - out.data[i + 1] / 255;
    return sum;
  }

  it('keeps the area of a thin slanted stroke when the bitmap is the original', () => {
    // The polygon follows the staircase within half a pixel: the blade's tip and width survive.
    const pixels = 43;
    const { svg } = vectorize(blade);
    expect(Math.abs(renderedInk(blade, svg) - pixels)).toBeLessThan(0.03 * pixels);
    expect(fidelity(blade, svg)).toBeGreaterThan(0.9);
  });

  it('still treats a bitmap with a few stray grey pixels as bilevel', () => {
    const bitmap = crisp(shapes);
    const noisy = { width: bitmap.width, height: bitmap.height, data: new Uint8ClampedArray(bitmap.data) };
    // Three light grey pixels in the paper, far from the shapes: noise, not anti-aliasing.
    for (const i of [79, 80 * 79, 80 * 80 - 1]) noisy.data.fill(200, 4 * i, 4 * i + 3);
    expect(pathData(vectorize(noisy).svg)).toBe(pathData(vectorize(bitmap).svg));
  });
});

describe('traceBinary: golden output', () => {
  // Rewritten only on purpose: UPDATE_GOLDEN=1 npx vitest run test/engine/binary-trace.test.ts
  it.each([
    ['shapes', shapes],
    ['strokes', strokes],
  ])('matches test/fixtures/engine/%s.svg', (name, raster) => {
    const file = join(FIXTURES, `${name}.svg`);
    const { svg } = vectorize(raster);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(file, svg + '\n');
    }
    expect(svg + '\n').toBe(readFileSync(file, 'utf8'));
  });
});
