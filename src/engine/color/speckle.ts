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
 * Merged pixels take the colour of the region they joined.
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

/**
 * Neighbours of the small regions (area < speckle), as compressed rows;
 * other regions get empty rows. Consecutive repeats are skipped while
 * scanning; the few left over are harmless to the callers.
 */
function smallNeighbours(
  regions: Regions,
  width: number,
  height: number,
  speckle: number,
): [Int32Array, Int32Array] {
  const { count, labels, area } = regions;
  const s = width + 2;
  const from = new Int32Array(count + 1);
  const last = new Int32Array(count);
  const cursor = new Int32Array(count);
  const visit = (fill: Int32Array | null): void => {
    last.fill(-1);
    const note = (a: number, b: number): void => {
      if (area[a] >= speckle || last[a] === b) return;
      last[a] = b;
      if (fill) fill[from[a] + cursor[a]++] = b;
      else from[a + 1]++;
    };
    for (let y = 0; y < height; y++) {
      for (let x = 0, j = (y + 1) * s + 1; x < width; x++, j++) {
        const l = labels[j];
        if (l < 0) continue;
        const right = labels[j + 1];
        if (right >= 0 && right !== l) {
          note(l, right);
          note(right, l);
        }
        const down = labels[j + s];
        if (down >= 0 && down !== l) {
          note(l, down);
          note(down, l);
        }
      }
    }
  };
  visit(null);
  for (let r = 0; r < count; r++) from[r + 1] += from[r];
  const list = new Int32Array(from[count]);
  visit(list);
  return [from, list];
}

/** Same-colour regions joined through pixel corners, with their combined area and bounding box. */
function diagonalGroups(
  regions: Regions,
  width: number,
  height: number,
): { group: Int32Array; stats: Regions } {
  const { count, labels, color } = regions;
  const group = Int32Array.from({ length: count }, (_, i) => i);
  const s = width + 2;
  const join = (a: number, b: number): void => {
    if (a < 0 || b < 0 || a === b || color[a] !== color[b]) return;
    const ra = find(group, a);
    const rb = find(group, b);
    if (ra !== rb) group[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y + 1 < height; y++) {
    for (let x = 0, j = (y + 1) * s + 1; x + 1 < width; x++, j++) {
      join(labels[j], labels[j + s + 1]);
      join(labels[j + 1], labels[j + s]);
    }
  }
  const area = new Int32Array(count);
  const minX = regions.minX.slice();
  const minY = regions.minY.slice();
  const maxX = regions.maxX.slice();
  const maxY = regions.maxY.slice();
  for (let r = 0; r < count; r++) {
    const g = find(group, r);
    group[r] = g;
    area[g] += regions.area[r];
    minX[g] = Math.min(minX[g], regions.minX[r]);
    minY[g] = Math.min(minY[g], regions.minY[r]);
    maxX[g] = Math.max(maxX[g], regions.maxX[r]);
    maxY[g] = Math.max(maxY[g], regions.maxY[r]);
  }
  return { group, stats: { ...regions, area, minX, minY, maxX, maxY } };
}

/**
 * Merges every small region that is not a feature into its most similar
 * neighbour, smallest regions first, on the region graph (union-find, so a
 * speck that joined another speck is judged with their combined size), and
 * returns the new index map, or null when nothing merged.
 */
export function mergeSpeckles(
  index: IndexMap,
  regions: Regions,
  width: number,
  height: number,
  palette: Palette,
  speckle: number,
): IndexMap | null {
  const { count, labels, area, color } = regions;
  const small: number[] = [];
  for (let r = 0; r < count; r++) if (area[r] < speckle) small.push(r);
  if (small.length === 0) return null;
  small.sort((a, b) => area[a] - area[b] || a - b);
  const [from, list] = smallNeighbours(regions, width, height, speckle);
  const diagonal = diagonalGroups(regions, width, height);

  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const size = Int32Array.from(area);
  const minX = regions.minX.slice();
  const minY = regions.minY.slice();
  const maxX = regions.maxX.slice();
  const maxY = regions.maxY.slice();
  const merged: Regions = { ...regions, area: size, minX, minY, maxX, maxY };
  let changes = 0;
  for (const r of small) {
    const root = find(parent, r);
    if (size[root] >= speckle) continue;
    let best = -1;
    let bestD = Infinity;
    for (let k = from[r]; k < from[r + 1]; k++) {
      const o = find(parent, list[k]);
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
    if (best < 0 || isFeature(merged, root, bestD) || isFeature(diagonal.stats, diagonal.group[r], bestD))
      continue;
    const [big, sm] =
      size[root] > size[best] || (size[root] === size[best] && root < best) ? [root, best] : [best, root];
    parent[sm] = big;
    size[big] += size[sm];
    minX[big] = Math.min(minX[big], minX[sm]);
    minY[big] = Math.min(minY[big], minY[sm]);
    maxX[big] = Math.max(maxX[big], maxX[sm]);
    maxY[big] = Math.max(maxY[big], maxY[sm]);
    changes++;
  }
  if (changes === 0) return null;
  const out = index.slice();
  const s = width + 2;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0, j = (y + 1) * s + 1; x < width; x++, i++, j++) {
      const l = labels[j];
      if (l >= 0) out[i] = color[find(parent, l)];
    }
  }
  return out;
}
