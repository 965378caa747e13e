/**
 * The `quality` dial: its written-down mapping (monotone, exact table
 * points), how it combines with presets and explicit options, its
 * validation, and its effect on a small photo-like raster.
 */
import { describe, expect, it } from 'vitest';
import { EngineOptionError, qualitySettings, resolveOptions, vectorize } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';
import { compareToOriginal } from '../../src/quality/index.js';

/** A photo stand-in: two crossing gradients, a soft disc and +-8 of deterministic noise. */
function photoLike(size: number): Raster {
  const data = new Uint8ClampedArray(size * size * 4);
  let seed = 4242;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = ((seed >> 16) % 17) - 8;
      const d = Math.hypot(x - size * 0.6, y - size * 0.4) / size;
      const disc = Math.max(0, Math.min(1, (0.3 - d) * 12));
      const p = (y * size + x) * 4;
      data[p] = 30 + (x * 160) / size + 60 * disc + n;
      data[p + 1] = 90 + (y * 120) / size - 50 * disc + n;
      data[p + 2] = 180 - (x * 90) / size + 40 * Math.sin(y / 6) + n;
      data[p + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

describe('qualitySettings', () => {
  it('follows the table in quality-dial.ts at its points', () => {
    expect(qualitySettings(0)).toEqual({ colors: 4, detail: 0.1, speckle: 32, curveTolerance: 0.5 });
    expect(qualitySettings(0.5)).toEqual({ colors: 16, detail: 0.5, speckle: 8, curveTolerance: 0.25 });
    expect(qualitySettings(0.25)).toEqual({ colors: 8, detail: 0.3, speckle: 16, curveTolerance: 0.354 });
    expect(qualitySettings(1)).toEqual({ colors: 64, detail: 0.9, speckle: 2, curveTolerance: 0.25 });
  });

  it('is monotone: a higher quality never gives fewer colours, less detail, more speckle merging or a looser fit', () => {
    let prev = qualitySettings(0);
    for (let i = 1; i <= 100; i++) {
      const s = qualitySettings(i / 100);
      expect(s.colors).toBeGreaterThanOrEqual(prev.colors);
      expect(s.detail).toBeGreaterThan(prev.detail);
      expect(s.speckle).toBeLessThanOrEqual(prev.speckle);
      expect(s.curveTolerance).toBeLessThanOrEqual(prev.curveTolerance);
      prev = s;
    }
    // Strictly more faithful across the dial as a whole.
    expect(qualitySettings(1).colors).toBeGreaterThan(qualitySettings(0).colors);
    expect(qualitySettings(1).speckle).toBeLessThan(qualitySettings(0).speckle);
  });
});

describe('resolveOptions with quality', () => {
  it('unset leaves every resolved option as it was', () => {
    for (const preset of [undefined, 'photo', 'logo', 'auto'] as const) {
      expect(resolveOptions({ mode: 'color', preset, quality: undefined })).toEqual(
        resolveOptions({ mode: 'color', preset }),
      );
    }
  });

  it('derives colors, detail, speckle and curve tolerance, over the preset', () => {
    const r = resolveOptions({ preset: 'photo', quality: 1 });
    expect(r).toMatchObject({ mode: 'color', colors: 64, detail: 0.9, speckle: 2, curveTolerance: 0.25 });
    // Everything else is the preset's or the default.
    expect(r.layering).toBe('stacked');
    expect(r.cornerThreshold).toBe(60);
  });

  it('explicit options win over the dial', () => {
    const r = resolveOptions({ mode: 'color', quality: 0, colors: 'auto', detail: 0.7, speckle: 5 });
    expect(r).toMatchObject({ colors: 'auto', detail: 0.7, speckle: 5, curveTolerance: 0.5 });
    expect(resolveOptions({ quality: 0.5, curveTolerance: 2 }).curveTolerance).toBe(2);
  });

  it('rejects a value outside 0-1 or not a number, naming the option', () => {
    for (const bad of [-0.1, 1.5, Number.NaN, '0.5', null]) {
      let err: unknown;
      try {
        resolveOptions({ quality: bad as number });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EngineOptionError);
      expect((err as EngineOptionError).option).toBe('quality');
      expect((err as Error).message).toBe(
        `Invalid option "quality": expected a number from 0 to 1, got ${JSON.stringify(bad)}`,
      );
    }
  });
});

describe('quality on a photo-like raster', () => {
  it('a higher quality gives SSIM and bytes at least those of a lower one', () => {
    const raster = photoLike(64);
    const points = [0, 0.3, 0.6, 1].map((quality) => {
      const { svg, stats } = vectorize(raster, { mode: 'color', quality });
      return { quality, ssim: compareToOriginal(raster, svg).ssim, bytes: stats.bytes };
    });
    for (let i = 1; i < points.length; i++) {
      expect(points[i].ssim).toBeGreaterThanOrEqual(points[i - 1].ssim);
      expect(points[i].bytes).toBeGreaterThanOrEqual(points[i - 1].bytes);
    }
    // The dial spans a real range, not a flat line.
    expect(points[3].ssim - points[0].ssim).toBeGreaterThan(0.05);
    expect(points[3].bytes).toBeGreaterThan(2 * points[0].bytes);
  });

  it('under preset auto the picked preset applies and the dial still moves along it', () => {
    const raster = photoLike(64);
    const low = vectorize(raster, { preset: 'auto', quality: 0 });
    const high = vectorize(raster, { preset: 'auto', quality: 1 });
    expect(low.stats.preset).toBe(high.stats.preset);
    expect(high.stats.bytes).toBeGreaterThan(low.stats.bytes);
    // Unset: exactly today's output.
    expect(vectorize(raster, { preset: 'auto', quality: undefined }).svg).toBe(
      vectorize(raster, { preset: 'auto' }).svg,
    );
  });
});
