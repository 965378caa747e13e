/**
 * Speckle removal: regions smaller than `speckle` pixels join their most
 * similar neighbour (nearest in OKLab; ties to the larger, then the lower
 * label). Area alone would also delete the dots and stems of small text and
 * 1-2 px hatching, so a small region stays when it stands out:
 *
 * - at least 2 pixels and far from every neighbour's colour (high contrast), or
 * - thin and long (average thickness at most 2 px, at least 3 px long) and
 *   clearly different from its neighbours.
 *
 * Returns the new index map (merged pixels take the colour of the region
 * they joined), or null when nothing merged.
 */
import type { IndexMap } from './index-pixels.js';
import { dist2 } from './oklab.js';
import type { Palette } from './palette.js';
import type { Regions } from './regions.js';

/** OKLab distance above which a small region is a feature, not noise. */
const HIGH_CONTRAST = 0.25;
/** OKLab distance above which a thin, long region is a stroke, not noise. */
const STROKE_CONTRAST = 0.1;

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/** True when the small region `r`, whose most similar neighbour is `d2` away, is a feature to keep. */
export function isFeature(regions: Regions, r: number, d2: number): boolean {
  const area = regions.area[r];
  const len = Math.max(regions.maxX[r] - regions.minX[r], regions.maxY[r] - regions.minY[r]) + 1;
  if (area >= 2 && d2 >= HIGH_CONTRAST * HIGH_CONTRAST) return true;
  return len >= 3 && area <= 2 * len && d2 >= STROKE_CONTRAST * STROKE_CONTRAST;
}

export function mergeSpeckles(
  index: IndexMap,
  regions: Regions,
  width: number,
  height: number,
  palette: Palette,
  speckle: number,
): IndexMap | null {
  const { count, labels, area, color } = regions;
  const bestD = new Float64Array(count).fill(Infinity);
  const best = new Int32Array(count).fill(-1);
  let anySmall = false;
  for (let r = 0; r < count; r++) if (area[r] < speckle) anySmall = true;
  if (!anySmall) return null;

  const consider = (r: number, o: number): void => {
    if (area[r] >= speckle) return;
    const d = dist2(palette.lab, color[r], palette.lab, color[o]);
    const b = best[r];
    if (b < 0 || d < bestD[r] || (d === bestD[r] && (area[o] > area[b] || (area[o] === area[b] && o < b)))) {
      bestD[r] = d;
      best[r] = o;
    }
  };
  const s = width + 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0, j = (y + 1) * s + 1; x < width; x++, j++) {
      const l = labels[j];
      if (l < 0) continue;
      const right = labels[j + 1];
      if (right >= 0 && right !== l) {
        consider(l, right);
        consider(right, l);
      }
      const down = labels[j + s];
      if (down >= 0 && down !== l) {
        consider(l, down);
        consider(down, l);
      }
    }
  }

  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const size = Float64Array.from(area);
  let merged = 0;
  for (let r = 0; r < count; r++) {
    const b = best[r];
    if (b < 0 || isFeature(regions, r, bestD[r])) continue;
    const ra = find(parent, r);
    const rb = find(parent, b);
    if (ra === rb) continue;
    const [big, small] = size[ra] > size[rb] || (size[ra] === size[rb] && ra < rb) ? [ra, rb] : [rb, ra];
    parent[small] = big;
    size[big] += size[small];
    merged++;
  }
  if (merged === 0) return null;
  const out = index.slice();
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0, j = (y + 1) * s + 1; x < width; x++, i++, j++) {
      const l = labels[j];
      if (l >= 0) out[i] = color[find(parent, l)];
    }
  }
  return out;
}
