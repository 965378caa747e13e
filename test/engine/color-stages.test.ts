/**
 * The colour tracer's stages one by one, on tiny inline images with exact
 * answers.
 */
import { describe, expect, it } from 'vitest';
import { buildHistogram } from '../../src/engine/color/histogram.js';
import { choosePalette, paletteFromRgb } from '../../src/engine/color/palette.js';
import { indexPixels, TRANSPARENT } from '../../src/engine/color/index-pixels.js';
import { reassignBlends } from '../../src/engine/color/antialias.js';
import { labelRegions, type Regions } from '../../src/engine/color/regions.js';
import { mergeSpeckles } from '../../src/engine/color/speckle.js';
import { extractChains } from '../../src/engine/color/boundary-graph.js';
import { chainTolerances } from '../../src/engine/color/chain-tolerance.js';
import { fitChains } from '../../src/engine/color/fit-chains.js';
import { CUBIC, LINE, QUAD } from '../../src/engine/geometry/curves.js';
import { asciiRaster } from '../fixtures/color/rasters.js';

const RED = [200, 30, 40];
const GREEN = [20, 160, 60];
const BLUE = [30, 60, 200];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
const GREY = [200, 200, 200];
const hex = (rgb: number[]): number => (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];

/** Labels of the pixels, without the frame. */
function innerLabels(regions: Regions, width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out.push(regions.labels[(y + 1) * (width + 2) + x + 1]);
  }
  return out;
}

describe('palette', () => {
  const three = asciiRaster(['rrrrgggg', 'rrrrgggg', 'rrbbbbgg', 'bbbbbbbb'], { r: RED, g: GREEN, b: BLUE });

  it('finds exactly the three colours of a three-colour image', () => {
    const p = choosePalette(buildHistogram(three), { colors: 'auto', detail: 0.5 });
    expect([...p.rgb].sort()).toEqual([hex(RED), hex(GREEN), hex(BLUE)].sort());
  });

  it('stays within the colours asked for', () => {
    expect(choosePalette(buildHistogram(three), { colors: 2, detail: 0.5 }).size).toBe(2);
  });

  it('gives a thin dark stroke a colour of its own though it covers under 1% of the image', () => {
    const rows: string[] = [];
    for (let y = 0; y < 64; y++) {
      let row = '';
      for (let x = 0; x < 64; x++) row += y === 20 && x >= 10 && x < 40 ? 'k' : x < 30 ? 'w' : 'g';
      rows.push(row);
    }
    const r = asciiRaster(rows, { w: WHITE, g: GREY, k: BLACK });
    const p = choosePalette(buildHistogram(r), { colors: 'auto', detail: 0.5 });
    expect([...p.rgb]).toContain(hex(BLACK));
  });

  it('is empty for a fully transparent image', () => {
    const r = asciiRaster(['..', '..'], { '.': [10, 20, 30, 0] });
    expect(choosePalette(buildHistogram(r), { colors: 'auto', detail: 0.5 }).size).toBe(0);
  });
});

describe('indexing', () => {
  it('maps each pixel to the nearest palette colour and leaves transparent pixels out', () => {
    const r = asciiRaster(['ab.', 'cd.'], {
      a: [250, 10, 10],
      b: [10, 10, 240],
      c: [240, 240, 240],
      d: [200, 40, 30],
      '.': [0, 0, 0, 20],
    });
    const pal = paletteFromRgb(Uint32Array.of(0xff0000, 0x0000ff, 0xffffff));
    expect([...indexPixels(r, pal)]).toEqual([0, 1, TRANSPARENT, 2, 0, TRANSPARENT]);
  });

  it('gives an anti-aliased blend between two colours to the nearer side', () => {
    const r = asciiRaster(['rrmbb', 'rrmbb', 'rrmbb'], { r: RED, b: BLUE, m: [120, 40, 110] });
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(BLUE), 0x784070));
    const index = indexPixels(r, pal);
    expect(index[2]).toBe(2);
    const cleaned = reassignBlends(index, r, pal);
    expect(cleaned[7]).not.toBe(2);
    expect([0, 1]).toContain(cleaned[7]);
  });

  it('keeps a dark stroke between two light areas, which is not a blend of them', () => {
    const r = asciiRaster(['wwkgg', 'wwkgg', 'wwkgg'], { w: WHITE, g: GREY, k: BLACK });
    const pal = paletteFromRgb(Uint32Array.of(hex(WHITE), hex(GREY), hex(BLACK)));
    const cleaned = reassignBlends(indexPixels(r, pal), r, pal);
    expect(cleaned[7]).toBe(2);
  });
});

describe('regions', () => {
  it('labels 4-connected regions in scan order with area and bounding box', () => {
    const r = asciiRaster(['aab', 'abb', 'ccb'], { a: RED, b: GREEN, c: BLUE });
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(GREEN), hex(BLUE)));
    const regions = labelRegions(indexPixels(r, pal), 3, 3);
    expect(regions.count).toBe(3);
    expect(innerLabels(regions, 3, 3)).toEqual([0, 0, 1, 0, 1, 1, 2, 2, 1]);
    expect([...regions.area]).toEqual([3, 4, 2]);
    expect([...regions.color]).toEqual([0, 1, 2]);
    expect([regions.minX[1], regions.minY[1], regions.maxX[1], regions.maxY[1]]).toEqual([1, 0, 2, 2]);
  });

  it('does not connect pixels that touch only at a corner', () => {
    const r = asciiRaster(['ab', 'ba'], { a: RED, b: GREEN });
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(GREEN)));
    expect(labelRegions(indexPixels(r, pal), 2, 2).count).toBe(4);
  });

  it('labels transparent pixels -1', () => {
    const r = asciiRaster(['a.'], { a: RED, '.': [0, 0, 0, 0] });
    const regions = labelRegions(indexPixels(r, paletteFromRgb(Uint32Array.of(hex(RED)))), 2, 1);
    expect(innerLabels(regions, 2, 1)).toEqual([0, -1]);
  });
});

describe('speckle merging', () => {
  const pal = paletteFromRgb(Uint32Array.of(hex(WHITE), hex(GREY), hex(BLACK), 0xf0f0f0));

  it('merges a speck into its most similar neighbour', () => {
    const r = asciiRaster(['wwwggg', 'wwlggg', 'wwwggg'], { w: WHITE, g: GREY, l: [240, 240, 240] });
    const index = indexPixels(r, pal);
    const regions = labelRegions(index, 6, 3);
    const merged = mergeSpeckles(regions, 6, 3, pal, 4)!;
    expect(merged.count).toBe(2);
    expect(innerLabels(merged, 6, 3)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
    expect([...merged.color]).toEqual([0, 1]);
    expect([...merged.area]).toEqual([9, 9]);
  });

  it('joins regions of one colour that a merged speck connected', () => {
    const r = asciiRaster(['wwwww', 'gglgg', 'wwwww'], { w: WHITE, g: GREY, l: [190, 190, 190] });
    const pal3 = paletteFromRgb(Uint32Array.of(hex(WHITE), hex(GREY), 0xbebebe));
    const regions = labelRegions(indexPixels(r, pal3), 5, 3);
    expect(regions.count).toBe(5);
    const merged = mergeSpeckles(regions, 5, 3, pal3, 2)!;
    expect(merged.count).toBe(3);
    expect(innerLabels(merged, 5, 3)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect([...merged.area]).toEqual([5, 5, 5]);
    expect([...merged.color]).toEqual([0, 1, 0]);
  });

  it('keeps a one-pixel-wide dark line however small the area limit makes it', () => {
    const r = asciiRaster(['wwwwwwww', 'wkkkkkkw', 'wwwwwwww'], { w: WHITE, k: BLACK });
    const index = indexPixels(r, pal);
    expect(mergeSpeckles(labelRegions(index, 8, 3), 8, 3, pal, 16)).toBeNull();
  });

  it('keeps a small high-contrast dot (the dot of an i) but not a faint one', () => {
    const dot = asciiRaster(['wwww', 'wkkw', 'wwww'], { w: WHITE, k: BLACK });
    const i1 = indexPixels(dot, pal);
    expect(mergeSpeckles(labelRegions(i1, 4, 3), 4, 3, pal, 8)).toBeNull();
    const faint = asciiRaster(['wwww', 'wllw', 'wwww'], { w: WHITE, l: [240, 240, 240] });
    const i2 = indexPixels(faint, pal);
    expect(mergeSpeckles(labelRegions(i2, 4, 3), 4, 3, pal, 8)).not.toBeNull();
  });
});

describe('boundary graph', () => {
  it('cuts the boundaries of a 2x2, 3-region image into six chains between junctions', () => {
    const r = asciiRaster(['ab', 'cc'], { a: RED, b: GREEN, c: BLUE });
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(GREEN), hex(BLUE)));
    const regions = labelRegions(indexPixels(r, pal), 2, 2);
    const chains = extractChains(regions.labels, 2, 2);
    expect(chains.count).toBe(6);
    const lengths: Record<string, number> = {};
    for (let c = 0; c < chains.count; c++) {
      const pair = [chains.left[c], chains.right[c]].sort().join('|');
      expect(lengths[pair]).toBeUndefined();
      lengths[pair] = chains.offset[c + 1] - chains.offset[c];
      // Every chain runs between junctions: (1,0), (0,1), (1,1), (2,1) on the 3x3 lattice.
      for (const v of [chains.start[c], chains.end[c]]) expect([1, 3, 4, 5]).toContain(v);
    }
    expect(lengths).toEqual({ '0|1': 1, '0|2': 1, '1|2': 1, '-2|0': 2, '-2|1': 2, '-2|2': 4 });
    expect(chains.dirs.length).toBe(11);
  });

  it('keeps the region on the left of each chain as walked', () => {
    const r = asciiRaster(['ab'], { a: RED, b: GREEN });
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(GREEN)));
    const chains = extractChains(labelRegions(indexPixels(r, pal), 2, 1).labels, 2, 1);
    for (let c = 0; c < chains.count; c++) {
      const d = chains.dirs[chains.offset[c]];
      const x = chains.start[c] % 3;
      const y = Math.floor(chains.start[c] / 3);
      // The pixel on the left of a step: east -> above, south -> right, west -> below, north -> left.
      const [lx, ly] = [
        [x, y - 1],
        [x, y],
        [x - 1, y],
        [x - 1, y - 1],
      ][d];
      const expected = lx < 0 || ly < 0 || lx >= 2 || ly >= 1 ? -2 : lx;
      expect(chains.left[c]).toBe(expected);
    }
  });

  it('makes an island with no junction a single closed chain', () => {
    const r = asciiRaster(['aaaa', 'abba', 'aaaa'], { a: RED, b: GREEN });
    const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(GREEN)));
    const chains = extractChains(labelRegions(indexPixels(r, pal), 4, 3).labels, 4, 3);
    expect(chains.count).toBe(2);
    expect([...chains.closed]).toEqual([1, 1]);
  });
});

describe('fitting', () => {
  /** A 40 x 24 picture: a red disc of radius 9 and a one-pixel black bar on white. */
  const rows: string[] = [];
  for (let y = 0; y < 24; y++) {
    let row = '';
    for (let x = 0; x < 40; x++) {
      const disc = (x + 0.5 - 12) ** 2 + (y + 0.5 - 12) ** 2 <= 81;
      row += disc ? 'r' : x === 30 && y >= 4 && y < 20 ? 'k' : 'w';
    }
    rows.push(row);
  }
  const picture = asciiRaster(rows, { r: RED, k: BLACK, w: WHITE });
  const pal = paletteFromRgb(Uint32Array.of(hex(RED), hex(BLACK), hex(WHITE)));
  const regions = labelRegions(indexPixels(picture, pal), 40, 24);
  const chains = extractChains(regions.labels, 40, 24);
  const chainOf = (colour: number[]): number => {
    for (let c = 0; c < chains.count; c++) {
      const l = chains.left[c];
      const r = chains.right[c];
      if (
        (l >= 0 && pal.rgb[regions.color[l]] === hex(colour)) ||
        (r >= 0 && pal.rgb[regions.color[r]] === hex(colour))
      )
        return c;
    }
    return -1;
  };
  const disc = chainOf(RED);
  const bar = chainOf(BLACK);

  it('keeps the base tolerance for broad shapes and fits thin ones exactly', () => {
    const t = chainTolerances(chains, regions, pal, 0.45);
    expect([t.simplify[disc], t.fit[disc]]).toEqual([0.45, 0.45]);
    // The bar is 1 px thick: 0.4 x its mean thickness, and no refit.
    expect(t.simplify[bar]).toBeCloseTo((0.4 * 2 * 16) / 34, 9);
    expect(t.fit[bar]).toBe(0);
  });

  it('fits a disc with a few cubic curves and ends each chain where it started', () => {
    const fit = fitChains(chains, chainTolerances(chains, regions, pal, 0.45), 60);
    const kinds = [...fit.kinds.subarray(fit.from[disc], fit.from[disc + 1])];
    expect(kinds.filter((k) => k === CUBIC).length).toBeGreaterThanOrEqual(2);
    expect(kinds.length).toBeLessThanOrEqual(4);
    const pts = fit.pts.subarray(fit.at[disc], fit.at[disc + 1]);
    expect([pts[pts.length - 2], pts[pts.length - 1]]).toEqual([pts[0], pts[1]]);
    // The curve stays within half a pixel of the circle (measured: 0.24).
    let p = 2;
    for (const k of kinds) {
      const [x0, y0] = [pts[p - 2], pts[p - 1]];
      const q =
        k === CUBIC
          ? pts.subarray(p, p + 6)
          : Float64Array.of(x0, y0, pts[p], pts[p + 1], pts[p], pts[p + 1]);
      for (let t = 0; t <= 1; t += 0.05) {
        const u = 1 - t;
        const x = u * u * u * x0 + 3 * u * u * t * q[0] + 3 * u * t * t * q[2] + t * t * t * q[4];
        const y = u * u * u * y0 + 3 * u * u * t * q[1] + 3 * u * t * t * q[3] + t * t * t * q[5];
        expect(Math.abs(Math.hypot(x - 12, y - 12) - 9)).toBeLessThan(0.5);
      }
      p += k === CUBIC ? 6 : 2;
    }
  });

  it('writes a thin bar as its smoothed outline: lines and quadratic curves', () => {
    const fit = fitChains(chains, chainTolerances(chains, regions, pal, 0.45), 60);
    const kinds = new Set(fit.kinds.subarray(fit.from[bar], fit.from[bar + 1]));
    expect(kinds.has(CUBIC)).toBe(false);
    expect([...kinds].every((k) => k === LINE || k === QUAD)).toBe(true);
  });
});
