/**
 * Continuous-tone pictures under the automatic palette: the measure on tiny
 * inline images with exact answers, and its effect on the palette size of a
 * noisy gradient (a stand-in for a photograph) and of a flat logo.
 */
import { describe, expect, it } from 'vitest';
import { CONTINUOUS_TONE, continuousToneShare } from '../../src/engine/color/continuous-tone.js';
import { buildHistogram } from '../../src/engine/color/histogram.js';
import { choosePalette, meanErrorTarget } from '../../src/engine/color/palette.js';
import { vectorize } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';
import { compareToOriginal } from '../../src/quality/index.js';
import { asciiRaster, renderToRaster } from '../fixtures/color/rasters.js';

/** A diagonal colour gradient with +-6 of deterministic noise on every channel. */
function noisyGradient(size: number): Raster {
  const data = new Uint8ClampedArray(size * size * 4);
  let seed = 12345;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = ((seed >> 16) % 13) - 6;
      const p = (y * size + x) * 4;
      data[p] = 40 + (x * 180) / size + n;
      data[p + 1] = 60 + (y * 150) / size + n;
      data[p + 2] = 200 - (x * 100) / size + n;
      data[p + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

/** Five flat colours with anti-aliased edges, as a logo is drawn. */
const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96">' +
  '<rect width="96" height="96" fill="#f4f1e8"/><circle cx="30" cy="32" r="18" fill="#d0312d"/>' +
  '<rect x="52" y="14" width="30" height="36" fill="#1f5fa8"/><path d="M10 84L34 56L58 84Z" fill="#f2b400"/>' +
  '<rect x="64" y="60" width="22" height="22" rx="5" fill="#2e8b57"/></svg>';

describe('continuous-tone share', () => {
  it('counts the neighbour pairs that differ slightly (summed RGB difference 1-48)', () => {
    // Pairs: a-b differ by 10 (slight), b-c by 190 (an edge), c-c by 0 (flat).
    const r = asciiRaster(['abcc'], { a: [0, 0, 0], b: [10, 0, 0], c: [200, 0, 0] });
    expect(continuousToneShare(r)).toBeCloseTo(1 / 3, 12);
  });

  it('takes a difference of exactly 48 as slight and 49 as an edge', () => {
    const r = asciiRaster(['abac'], { a: [0, 0, 0], b: [16, 16, 16], c: [17, 16, 16] });
    expect(continuousToneShare(r)).toBeCloseTo(2 / 3, 12);
  });

  it('skips pairs with a transparent pixel, and is 0 with no opaque pair', () => {
    const r = asciiRaster(['ab.', '...'], { a: [0, 0, 0], b: [5, 5, 5], '.': [0, 0, 0, 0] });
    expect(continuousToneShare(r)).toBe(1);
    expect(continuousToneShare(asciiRaster(['..'], { '.': [9, 9, 9, 0] }))).toBe(0);
  });

  it('judges pairs 2 px apart from 1024 px on the shorter side, so an enlarged picture reads as it was', () => {
    // Red, then green, steps up by one every 3 px; the sample grid takes every 8th pixel
    // (x = 8k), whose right-hand partner differs for k % 3 == 1 at a gap of
    // 1 px and for k % 3 != 0 at a gap of 2 px: 43 and 85 of 128 columns.
    const ramp = (w: number, h: number): Raster => {
      const data = new Uint8ClampedArray(w * h * 4).fill(255);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const v = Math.floor(x / 3);
          data[(y * w + x) * 4] = Math.min(255, v);
          data[(y * w + x) * 4 + 1] = Math.max(0, v - 255);
        }
      }
      return { width: w, height: h, data };
    };
    expect(continuousToneShare(ramp(1023, 1023))).toBeCloseTo(43 / 128, 12);
    expect(continuousToneShare(ramp(1024, 1024))).toBeCloseTo(85 / 128, 12);
  });

  it('tells a noisy gradient from an anti-aliased flat logo', () => {
    expect(continuousToneShare(noisyGradient(96))).toBe(1);
    expect(continuousToneShare(renderToRaster(LOGO, 96))).toBeLessThan(0.05);
    expect(CONTINUOUS_TONE).toBeGreaterThan(0.05);
  });
});

describe('automatic palette on continuous tone', () => {
  const gradient = noisyGradient(96);
  const hist = buildHistogram(gradient);

  it('allows a larger mean error for continuous tone, shrinking with detail', () => {
    for (const d of [0, 0.5, 1]) expect(meanErrorTarget(d, true)).toBeGreaterThan(meanErrorTarget(d, false));
    expect(meanErrorTarget(1, true)).toBeLessThan(meanErrorTarget(0, true));
  });

  it('gives a noisy gradient at most 32 colours where the logo rules would take all 64', () => {
    const tone = choosePalette(hist, { colors: 'auto', detail: 0.5, continuousTone: true }).size;
    const logoRules = choosePalette(hist, { colors: 'auto', detail: 0.5, continuousTone: false }).size;
    expect(tone).toBeLessThanOrEqual(32);
    expect(tone).toBeGreaterThanOrEqual(8);
    expect(logoRules).toBe(64);
  });

  it('grows the palette with detail', () => {
    const size = (detail: number) =>
      choosePalette(hist, { colors: 'auto', detail, continuousTone: true }).size;
    expect(size(0)).toBeLessThan(size(0.5));
    expect(size(0.5)).toBeLessThan(size(1));
  });

  it('leaves an explicit number of colours alone', () => {
    expect(choosePalette(hist, { colors: 12, detail: 0.5, continuousTone: true }).size).toBe(12);
    expect(vectorize(gradient, { mode: 'color', colors: 12 }).stats.colors).toBe(12);
  });

  it('traces the gradient at default settings within measured fidelity bounds', () => {
    const { svg, stats } = vectorize(gradient, { mode: 'color' });
    expect(stats.colors).toBeLessThanOrEqual(32);
    const f = compareToOriginal(gradient, svg);
    expect(f.ssim).toBeGreaterThan(0.75);
    expect(f.deltaE).toBeLessThan(5);
  });

  it('still finds exactly the five colours of a flat anti-aliased logo', () => {
    const { svg, stats } = vectorize(renderToRaster(LOGO, 96), { mode: 'color' });
    expect(stats.colors).toBe(5);
    // Fills are the mean colour of their pixels, so blended edge pixels may move them a little.
    const fills = [...svg.matchAll(/fill="#([0-9a-f]{6})"/g)].map((m) => parseInt(m[1], 16));
    const want = [0xf4f1e8, 0xd0312d, 0x1f5fa8, 0xf2b400, 0x2e8b57];
    const off = (a: number, b: number) =>
      Math.max(...[16, 8, 0].map((s) => Math.abs(((a >> s) & 255) - ((b >> s) & 255))));
    for (const c of want) expect(Math.min(...fills.map((f) => off(f, c)))).toBeLessThanOrEqual(4);
  });
});
