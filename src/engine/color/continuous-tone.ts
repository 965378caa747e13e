/**
 * How much of a picture is continuous tone: the share of horizontal opaque
 * pixel pairs that differ slightly (summed RGB difference 1-48), sampled on a regular grid of at most about 16,000 pairs so the
 * measure costs the same for any size (about 0.05 ms; a standard error
 * under 0.004, far below the gap between the two kinds of picture). It is
 * the auto preset's `smooth` statistic (auto-preset.ts) on a coarser grid.
 *
 * The two pixels of a pair are `gap` apart: 1 up to 1023 px on the shorter
 * side, then one more per 512 px, so the pair is judged at the scale of a
 * picture about 512 px across. An enlarged photograph's adjacent pixels are
 * interpolated and nearly equal (the benchmark's 8192 px photograph scores
 * 0.26 at gap 1 and 0.96 at gap 16), which would otherwise read as flat
 * colour; a drawing stays flat at any gap (0.001 for the 8192 px logos).
 *
 * Drawn pictures (logos, emoji, flags, text) are flat colours with sharp,
 * anti-aliased edges: nearly every pair is equal or differs a lot, and the
 * share stays under 0.1 (at most 0.06 on the benchmark's emoji and flags).
 * Photographs are gradients and texture: most pairs differ a little (0.71
 * to 0.98 on the benchmark's photographs).
 */
import type { Raster } from '../types.js';
import { ALPHA_OPAQUE } from './histogram.js';

/** Share from which a picture counts as continuous tone (the auto preset's photo test). */
export const CONTINUOUS_TONE = 0.35;

const TARGET_SAMPLES = 1 << 14;
const SLIGHT = 48;
const SCALE = 512;

/** Share (0-1) of sampled opaque neighbour pairs that differ slightly; 0 when none is opaque. */
export function continuousToneShare(raster: Raster): number {
  const { width: w, height: h, data: d } = raster;
  const step = Math.max(1, Math.ceil(Math.sqrt((w * h) / TARGET_SAMPLES)));
  const gap = Math.max(1, Math.floor(Math.min(w, h) / SCALE));
  const q = gap * 4;
  let samples = 0;
  let slight = 0;
  for (let y = 0; y < h; y += step) {
    for (let x = 0; x + gap < w; x += step) {
      const p = (y * w + x) * 4;
      if (d[p + 3] < ALPHA_OPAQUE || d[p + q + 3] < ALPHA_OPAQUE) continue;
      samples++;
      const diff =
        Math.abs(d[p] - d[p + q]) + Math.abs(d[p + 1] - d[p + q + 1]) + Math.abs(d[p + 2] - d[p + q + 2]);
      if (diff > 0 && diff <= SLIGHT) slight++;
    }
  }
  return samples ? slight / samples : 0;
}
