/**
 * Fit tolerances per chain. The base tolerance suits broad shapes, but along
 * a thin region of clearly different colour (a stroke, a bar of a letter) it
 * would fold a one-pixel bar that leaves a junction into a spike. There the
 * Douglas-Peucker tolerance is at most 0.4 x the region's mean thickness
 * (2 x area / perimeter), and never below 0.25 px, and the smoothed outline
 * is kept as it is rather than refitted with cubics (fit tolerance 0): a
 * refit, even within a tenth of the stroke's width, lost the ink at the
 * ends of one-pixel stems. Thin regions of similar colour (OKLab
 * distance under 0.2; texture in a photograph) keep the base tolerance:
 * their exact shape is not worth the bytes.
 */
import type { Chains } from './boundary-graph.js';
import { dist2 } from './oklab.js';
import type { Palette } from './palette.js';
import type { Regions } from './regions.js';

/** OKLab distance from which two sides of a chain count as clearly different. */
const CONTRAST = 0.2;

export interface ChainTolerances {
  /** Douglas-Peucker tolerance, pixels. */
  readonly simplify: Float64Array;
  /** Cubic fit tolerance, pixels; 0 keeps the smoothed outline as it is. */
  readonly fit: Float64Array;
}

export function chainTolerances(
  chains: Chains,
  regions: Regions,
  palette: Palette,
  base: number,
): ChainTolerances {
  const perimeter = new Float64Array(regions.count);
  for (let c = 0; c < chains.count; c++) {
    const steps = chains.offset[c + 1] - chains.offset[c];
    if (chains.left[c] >= 0) perimeter[chains.left[c]] += steps;
    if (chains.right[c] >= 0) perimeter[chains.right[c]] += steps;
  }
  const simplify = new Float64Array(chains.count).fill(base);
  const fit = new Float64Array(chains.count).fill(base);
  for (let c = 0; c < chains.count; c++) {
    const a = chains.left[c];
    const b = chains.right[c];
    const contrast =
      a < 0 ||
      b < 0 ||
      dist2(palette.lab, regions.color[a], palette.lab, regions.color[b]) >= CONTRAST * CONTRAST;
    if (!contrast) continue;
    let t = Infinity;
    if (a >= 0) t = (2 * regions.area[a]) / perimeter[a];
    if (b >= 0) t = Math.min(t, (2 * regions.area[b]) / perimeter[b]);
    if (0.4 * t >= base) continue;
    simplify[c] = Math.min(base, Math.max(0.25, 0.4 * t));
    fit[c] = 0;
  }
  return { simplify, fit };
}
