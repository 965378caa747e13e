/**
 * The shortcuts the colour tracer's per-pixel stages take (runs of equal
 * pixels, equal neighbours, small regions' boxes) on tiny inline images
 * with exact answers: each must give what the plain per-pixel rule gives.
 */
import { describe, expect, it } from 'vitest';
import { buildHistogram } from '../../src/engine/color/histogram.js';
import { indexPixels, TRANSPARENT } from '../../src/engine/color/index-pixels.js';
import { paletteFromRgb } from '../../src/engine/color/palette.js';
import { labelRegions } from '../../src/engine/color/regions.js';
import { smallRegionGraph } from '../../src/engine/color/small-region-graph.js';
import { asciiRaster } from '../fixtures/color/rasters.js';

const RED = [200, 0, 0];
const BLUE = [0, 0, 200];
const MID = [100, 0, 100];
const WHITE = [255, 255, 255];
const CLEAR = [0, 0, 0, 0];
const hex = (rgb: number[]): number => (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
const LEGEND = { r: RED, b: BLUE, m: MID, w: WHITE, '.': CLEAR };

/** Blend pixels counted over all bins. */
function blends(rows: string[]): number {
  const hist = buildHistogram(asciiRaster(rows, LEGEND));
  return hist.blend.reduce((a, b) => a + b, 0);
}

describe('histogram blends by runs', () => {
  it('counts a one-pixel mix between two colours across a row, and across a column', () => {
    expect(blends(['rmb'])).toBe(1);
    expect(blends(['r', 'm', 'b'])).toBe(1);
  });

  it('does not count a pixel equal to a neighbour on the axis (a run of two mixes)', () => {
    expect(blends(['rmmb'])).toBe(0);
    expect(blends(['r', 'm', 'm', 'b'])).toBe(0);
  });

  it('tests every pixel of a run across the column, and counts each pixel once', () => {
    expect(blends(['rrr', 'mmm', 'bbb'])).toBe(3);
    expect(blends(['wrw', 'rmb', 'wbw'])).toBe(1);
  });

  it('counts runs of pixels at once, transparent runs not at all', () => {
    const hist = buildHistogram(asciiRaster(['rrrr..bb', 'rrrr..bb'], LEGEND));
    expect(hist.total).toBe(12);
    expect([...hist.count].sort()).toEqual([4, 8]);
  });
});

describe('indexing by runs', () => {
  it('gives runs that wrap from one row to the next, and runs under equal pixels, the same answer', () => {
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(BLUE)));
    const index = indexPixels(asciiRaster(['rrb', 'bb.', '.rr'], LEGEND), pal);
    const T = TRANSPARENT;
    expect([...index]).toEqual([0, 0, 1, 1, 1, T, T, 0, 0]);
  });
});

describe('region labelling by runs', () => {
  it('joins two runs that meet under a later one, and numbers regions in scan order', () => {
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(BLUE)));
    const regions = labelRegions(indexPixels(asciiRaster(['rbrbr', 'rbrrr', 'rrrbb'], LEGEND), pal), 5, 3);
    const inner: number[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) inner.push(regions.labels[(y + 1) * 7 + x + 1]);
    expect(inner).toEqual([0, 1, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 3]);
    expect([...regions.area]).toEqual([10, 2, 1, 2]);
    expect([regions.minX[0], regions.maxX[0], regions.minY[0], regions.maxY[0]]).toEqual([0, 4, 0, 2]);
  });
});

/** Neighbours per region as sorted, distinct lists. */
function contacts(from: Int32Array, list: Int32Array, count: number): number[][] {
  return Array.from({ length: count }, (_, r) =>
    [...new Set(list.subarray(from[r], from[r + 1]))].sort((a, b) => a - b),
  );
}

describe('small-region contacts', () => {
  const pal = paletteFromRgb(Uint32Array.of(hex(WHITE), hex(RED), hex(BLUE)));

  it('finds the neighbours and diagonal groups of a few specks within their boxes', () => {
    const rows = [
      'wwwwwwww',
      'wrwwwwww',
      'wwwwwwww',
      'wwwwbwww',
      'wwwwwbww',
      'wwwwwwww',
      'wwwwwwww',
      'wwwwwwww',
    ];
    const regions = labelRegions(indexPixels(asciiRaster(rows, LEGEND), pal), 8, 8);
    expect(regions.count).toBe(4);
    const g = smallRegionGraph(regions, 8, 8, 2);
    expect(contacts(g.from, g.list, 4)).toEqual([[], [0], [0], [0]]);
    expect([...g.group]).toEqual([0, 1, 2, 2]);
  });

  it('finds the same on a picture made of specks only (a pass over every pixel)', () => {
    const regions = labelRegions(indexPixels(asciiRaster(['rbr', 'brb', 'rbr'], LEGEND), pal), 3, 3);
    expect(regions.count).toBe(9);
    const g = smallRegionGraph(regions, 3, 3, 2);
    expect(contacts(g.from, g.list, 9)).toEqual([
      [1, 3],
      [0, 2, 4],
      [1, 5],
      [0, 4, 6],
      [1, 3, 5, 7],
      [2, 4, 8],
      [3, 7],
      [4, 6, 8],
      [5, 7],
    ]);
    expect([...g.group]).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
  });
});
