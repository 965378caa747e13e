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
 * Both rules also look at the region's diagonal group: same-colour regions
 * that touch at pixel corners. A one-pixel diagonal line is a staircase of
 * single pixels, each its own 4-connected region, and only as a group is it
 * seen to be a stroke.
 *
 * Merged pixels take the colour of the region they joined. The result is a
 * new set of regions (labels rewritten, stats combined), or null when
 * nothing merged.
 */
import { dist2 } from './oklab.js';
import type { Palette } from './palette.js';
import type { Regions } from './regions.js';
import { findRoot, smallRegionGraph } from './small-region-graph.js';

/** OKLab distance above which a small region is a feature, not noise. */
const HIGH_CONTRAST = 0.25;
/** OKLab distance above which a thin, long region is a stroke, not noise. */
const STROKE_CONTRAST = 0.1;

/** True when the small region `r`, whose most similar neighbour is `d2` away, is a feature to keep. */
export function isFeature(regions: Regions, r: number, d2: number): boolean {
  const area = regions.area[r];
  const len = Math.max(regions.maxX[r] - regions.minX[r], regions.maxY[r] - regions.minY[r]) + 1;
  if (area >= 2 && d2 >= HIGH_CONTRAST * HIGH_CONTRAST) return true;
  return len >= 3 && area <= 2 * len && d2 >= STROKE_CONTRAST * STROKE_CONTRAST;
}

/** Combined area and bounding box of each diagonal group, at the group's root. */
function groupStats(regions: Regions, group: Int32Array): Regions {
  const area = new Int32Array(regions.count);
  const minX = regions.minX.slice();
  const minY = regions.minY.slice();
  const maxX = regions.maxX.slice();
  const maxY = regions.maxY.slice();
  for (let r = 0; r < regions.count; r++) {
    const g = group[r];
    area[g] += regions.area[r];
    minX[g] = Math.min(minX[g], regions.minX[r]);
    minY[g] = Math.min(minY[g], regions.minY[r]);
    maxX[g] = Math.max(maxX[g], regions.maxX[r]);
    maxY[g] = Math.max(maxY[g], regions.maxY[r]);
  }
  return { ...regions, area, minX, minY, maxX, maxY };
}

/**
 * Merges every small region that is not a feature into its most similar
 * neighbour, smallest regions first, on the region graph (union-find, so a
 * speck that joined another speck is judged with their combined size), and
 * returns the new regions, or null when nothing merged.
 */
export function mergeSpeckles(
  regions: Regions,
  width: number,
  height: number,
  palette: Palette,
  speckle: number,
): Regions | null {
  const { count, area, color } = regions;
  const small: number[] = [];
  for (let r = 0; r < count; r++) if (area[r] < speckle) small.push(r);
  if (small.length === 0) return null;
  small.sort((a, b) => area[a] - area[b] || a - b);
  const { from, list, group } = smallRegionGraph(regions, width, height, speckle);
  const diagonal = groupStats(regions, group);

  const parent = Int32Array.from(regions.color, (_, i) => i);
  const size = Int32Array.from(area);
  const minX = regions.minX.slice();
  const minY = regions.minY.slice();
  const maxX = regions.maxX.slice();
  const maxY = regions.maxY.slice();
  const merged: Regions = { ...regions, area: size, minX, minY, maxX, maxY };
  const union = (a: number, b: number): void => {
    const [big, sm] = size[a] > size[b] || (size[a] === size[b] && a < b) ? [a, b] : [b, a];
    parent[sm] = big;
    size[big] += size[sm];
    minX[big] = Math.min(minX[big], minX[sm]);
    minY[big] = Math.min(minY[big], minY[sm]);
    maxX[big] = Math.max(maxX[big], maxX[sm]);
    maxY[big] = Math.max(maxY[big], maxY[sm]);
  };
  let changes = 0;
  for (const r of small) {
    const root = findRoot(parent, r);
    if (size[root] >= speckle) continue;
    let best = -1;
    let bestD = Infinity;
    for (let k = from[r]; k < from[r + 1]; k++) {
      const o = findRoot(parent, list[k]);
      if (o === root) continue;
      const d = dist2(palette.lab, color[root], palette.lab, color[o]);
      if (
        best < 0 ||
        d < bestD ||
        (d === bestD && (size[o] > size[best] || (size[o] === size[best] && o < best)))
      ) {
        best = o;
        bestD = d;
      }
    }
    if (best < 0 || isFeature(merged, root, bestD) || isFeature(diagonal, group[r], bestD)) continue;
    union(root, best);
    changes++;
  }
  if (changes === 0) return null;
  // A speck that took a new colour may now touch another region of that colour: join them.
  for (const r of small) {
    const root = findRoot(parent, r);
    if (color[root] === color[r]) continue;
    for (let k = from[r]; k < from[r + 1]; k++) {
      const o = findRoot(parent, list[k]);
      const now = findRoot(parent, r);
      if (o !== now && color[o] === color[now]) union(now, o);
    }
  }
  return relabel(regions, parent, size, minX, minY, maxX, maxY);
}

/**
 * The regions after merging: sets of old regions numbered in scan order
 * (a set's first pixel is that of its lowest old label), with their
 * combined stats, and the label image rewritten.
 */
function relabel(
  regions: Regions,
  parent: Int32Array,
  size: Int32Array,
  minX: Int32Array,
  minY: Int32Array,
  maxX: Int32Array,
  maxY: Int32Array,
): Regions {
  const map = new Int32Array(regions.count).fill(-1);
  const final = new Int32Array(regions.count).fill(-1);
  let count = 0;
  for (let r = 0; r < regions.count; r++) {
    const root = findRoot(parent, r);
    if (final[root] < 0) final[root] = count++;
    map[r] = final[root];
  }
  const out = {
    count,
    labels: new Int32Array(regions.labels.length),
    color: new Int32Array(count),
    area: new Int32Array(count),
    minX: new Int32Array(count),
    minY: new Int32Array(count),
    maxX: new Int32Array(count),
    maxY: new Int32Array(count),
  };
  for (let r = 0; r < regions.count; r++) {
    if (parent[r] !== r) continue;
    const n = final[r];
    out.color[n] = regions.color[r];
    out.area[n] = size[r];
    out.minX[n] = minX[r];
    out.minY[n] = minY[r];
    out.maxX[n] = maxX[r];
    out.maxY[n] = maxY[r];
  }
  const labels = out.labels;
  const from = regions.labels;
  for (let j = 0; j < labels.length; j++) {
    const l = from[j];
    labels[j] = l >= 0 ? map[l] : l;
  }
  return out;
}
