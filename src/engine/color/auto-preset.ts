/**
 * The `auto` preset: picks a named preset from a few statistics of a sample
 * of the image (at most about 65,000 pixels, taken on a regular grid, so the
 * choice costs the same for any size):
 *
 * - `flat`: share of sampled pixels equal to their right-hand neighbour;
 * - `smooth`: share differing from it slightly (summed RGB difference 1-48),
 *   the mark of photographic gradients and texture;
 * - `dominant`: how many distinct colours each cover at least 1% of the
 *   sample (anti-aliasing adds many colours, but each covers little).
 *
 * | picked      | when                                              |
 * |-------------|---------------------------------------------------|
 * | `logo`      | flat >= 0.7 and dominant <= 8                     |
 * | `clipart`   | flat >= 0.45                                      |
 * | `photo`     | smooth >= 0.35                                    |
 * | `posterize` | otherwise (busy, contrasty pictures: few flat colours read best) |
 * | `default`   | fewer than 64 opaque pixels to judge from         |
 */
import type { PresetName } from '../options.js';
import type { Raster } from '../types.js';
import { ALPHA_OPAQUE } from './histogram.js';

export interface ImageStatistics {
  readonly samples: number;
  readonly flat: number;
  readonly smooth: number;
  readonly dominant: number;
}

const TARGET_SAMPLES = 1 << 16;

export function imageStatistics(raster: Raster): ImageStatistics {
  const { width: w, height: h, data: d } = raster;
  const step = Math.max(1, Math.ceil(Math.sqrt((w * h) / TARGET_SAMPLES)));
  let samples = 0;
  let flat = 0;
  let smooth = 0;
  const counts = new Map<number, number>();
  for (let y = 0; y < h; y += step) {
    for (let x = 0; x + 1 < w; x += step) {
      const p = (y * w + x) * 4;
      if (d[p + 3] < ALPHA_OPAQUE || d[p + 7] < ALPHA_OPAQUE) continue;
      samples++;
      const diff = Math.abs(d[p] - d[p + 4]) + Math.abs(d[p + 1] - d[p + 5]) + Math.abs(d[p + 2] - d[p + 6]);
      if (diff === 0) flat++;
      else if (diff <= 48) smooth++;
      const key = (d[p] << 16) | (d[p + 1] << 8) | d[p + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let dominant = 0;
  for (const n of counts.values()) if (n >= 0.01 * samples) dominant++;
  return {
    samples,
    flat: samples ? flat / samples : 0,
    smooth: samples ? smooth / samples : 0,
    dominant,
  };
}

/** Picks a concrete preset for the `auto` preset; see the table above. */
export function choosePreset(raster: Raster): Exclude<PresetName, 'auto'> {
  const s = imageStatistics(raster);
  if (s.samples < 64) return 'default';
  if (s.flat >= 0.7 && s.dominant <= 8) return 'logo';
  if (s.flat >= 0.45) return 'clipart';
  if (s.smooth >= 0.35) return 'photo';
  return 'posterize';
}
