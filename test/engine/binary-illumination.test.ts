import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/engine/color/kmeans.js';
import { estimateIllumination, flattenIllumination } from '../../src/engine/binary/illumination.js';
import { inkMask } from '../../src/engine/binary/ink-mask.js';
import { paperFlattened } from '../../src/engine/binary/trace-binary.js';
import { vectorize } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';

const W = 240;
const H = 160;

/**
 * A page of "glyphs" on a 20 x 20 px grid: rings (an O, 12 x 14 px, 3 px
 * strokes: one outline and one hole each) and bars (an I, 3 x 14 px),
 * alternating; `glyphs` counts them and `holes` the rings.
 */
function page(): { text: Uint8Array; glyphs: number; holes: number } {
  const text = new Uint8Array(W * H);
  let glyphs = 0;
  let holes = 0;
  for (let gy = 10, row = 0; gy + 14 < H - 6; gy += 20, row++) {
    for (let gx = 10, col = 0; gx + 12 < W - 6; gx += 20, col++) {
      const ring = (row + col) % 2 === 0;
      glyphs++;
      if (ring) holes++;
      for (let y = 0; y < 14; y++) {
        for (let x = 0; x < (ring ? 12 : 3); x++) {
          const inside = ring && x >= 3 && x < 9 && y >= 3 && y < 11;
          if (!inside) text[(gy + y) * W + gx + x] = 1;
        }
      }
    }
  }
  return { text, glyphs, holes };
}

/** The page under light falling from 1 at the left to `far` at the right, ink 12% of the paper, seeded noise. */
function litPage(text: Uint8Array, far: number, noise: number): Raster {
  const rand = mulberry32(7);
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const light = 1 - ((1 - far) * x) / (W - 1);
      const p = y * W + x;
      const v = (text[p] ? 28 : 235) * light + (rand() * 2 - 1) * noise;
      data.set([v, v, v, 255], p * 4);
    }
  }
  return { width: W, height: H, data };
}

function lumaOf(r: Raster): Uint8Array {
  const out = new Uint8Array(r.width * r.height);
  for (let i = 0; i < out.length; i++) out[i] = r.data[i * 4];
  return out;
}

/** Pixels where the masks differ. */
function differ(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Subpaths of every path in the SVG (each starts with a moveto). */
function subpaths(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/\sd="([^"]*)"/g)) n += m[1].match(/[mM]/g)?.length ?? 0;
  return n;
}

describe("threshold 'auto' under uneven light", () => {
  const { text, glyphs, holes } = page();

  it('finds every glyph on a page lit from 100% down to 30%, with no wedge', () => {
    const raster = litPage(text, 0.3, 6);
    const luma = lumaOf(raster);
    const light = estimateIllumination(luma, W, H);
    expect(light.varies).toBe(true);
    const flat = paperFlattened(luma, W, H, { threshold: 'auto' });
    const mask = inkMask(flat.luma, W, H, flat.threshold, false).mask;
    // Exactly the glyphs: no pixel of paper is ink, no pixel of a glyph is lost.
    expect(differ(mask, text)).toBe(0);
    // The SVG: one outline per glyph and one hole per ring, nothing else.
    expect(subpaths(vectorize(raster, { mode: 'binary' }).svg)).toBe(glyphs + holes);
  });

  it('is a case the global threshold alone gets wrong (the dim side turns into a wedge)', () => {
    const raster = litPage(text, 0.3, 6);
    const otsu = inkMask(lumaOf(raster), W, H, 'auto', false).mask;
    let wedge = 0;
    for (let y = 0; y < H; y++)
      for (let x = (W * 3) >> 2; x < W; x++) wedge += otsu[y * W + x] && !text[y * W + x] ? 1 : 0;
    // Most of the paper in the dimmest quarter is ink for a global threshold.
    expect(wedge).toBeGreaterThan(0.5 * (W / 4) * H * 0.8);
  });

  it('stays global on an evenly lit image: solid shapes stay solid, the output is unchanged', () => {
    // A solid disk filling most of the image, anti-aliased edges; the inside of the disk is not paper.
    const data = new Uint8ClampedArray(W * H * 4);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = Math.hypot(x + 0.5 - W / 2, y + 0.5 - H / 2) - 70;
        const v = 255 * Math.min(1, Math.max(0, d + 0.5));
        data.set([v, v, v, 255], (y * W + x) * 4);
      }
    }
    const disk: Raster = { width: W, height: H, data };
    const luma = lumaOf(disk);
    expect(estimateIllumination(luma, W, H).varies).toBe(false);
    const flat = paperFlattened(luma, W, H, { threshold: 'auto' });
    expect(flat.luma).toBe(luma);
    expect(flat.threshold).toBe('auto');
    // The solid disk is one outline with no hole.
    expect(subpaths(vectorize(disk, { mode: 'binary' }).svg)).toBe(1);
  });

  it('leaves adaptive and fixed thresholds as they were', () => {
    const luma = lumaOf(litPage(text, 0.3, 0));
    for (const threshold of ['adaptive', 100] as const) {
      const flat = paperFlattened(luma, W, H, { threshold });
      expect(flat.luma).toBe(luma);
      expect(flat.threshold).toBe(threshold);
    }
  });

  it('flattens the light: paper under a ramp comes out one level', () => {
    const blank = new Uint8Array(W * H);
    const raster = litPage(blank, 0.4, 0);
    const luma = lumaOf(raster);
    const light = estimateIllumination(luma, W, H);
    expect(light.varies).toBe(true);
    const flat = flattenIllumination(luma, W, H, light);
    let lo = 255;
    for (const v of flat) lo = Math.min(lo, v);
    // Paper from 235 down to 94 is within 10% of white everywhere (the grid is smoothed, so the edges lag).
    expect(lo).toBeGreaterThanOrEqual(230);
  });
});
