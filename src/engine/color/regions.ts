/**
 * Connected regions of equal palette index, 4-connected (two pixels touching
 * only at a corner are not connected, which keeps every region's outline a
 * set of simple rings). Two-pass labelling with union-find over provisional
 * labels (Rosenfeld and Pfaltz, "Sequential Operations in Digital Picture
 * Processing", 1966); final labels are numbered in scan order of each
 * region's first pixel, so they are deterministic.
 */
import { TRANSPARENT, type IndexMap } from './index-pixels.js';

export interface Regions {
  readonly count: number;
  /**
   * Region per pixel, -1 for transparent pixels, in a frame one pixel wide of
   * -2 so that neighbour look-ups need no bounds checks: pixel (x, y) is at
   * `(y + 1) * (width + 2) + x + 1`. The frame differs from transparency so
   * that where a shape's outline leaves the image border for a transparent
   * area there is a junction, and the straight border is never smoothed
   * together with the curve beyond it.
   */
  readonly labels: Int32Array;
  /** Palette index per region. */
  readonly color: Int32Array;
  /** Pixels per region. */
  readonly area: Int32Array;
  /** Bounding box per region, inclusive pixel coordinates. */
  readonly minX: Int32Array;
  readonly minY: Int32Array;
  readonly maxX: Int32Array;
  readonly maxY: Int32Array;
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

export function labelRegions(index: IndexMap, width: number, height: number): Regions {
  const s = width + 2;
  const labels = new Int32Array(s * (height + 2)).fill(-2);
  let parent = new Int32Array(Math.max(16, (width * height) >> 6));
  let next = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const k = index[i];
      const j = (y + 1) * s + x + 1;
      if (k === TRANSPARENT) {
        labels[j] = -1;
        continue;
      }
      let l = -1;
      if (x > 0 && index[i - 1] === k) l = labels[j - 1];
      if (y > 0 && index[i - width] === k) {
        const u = labels[j - s];
        if (l < 0) l = u;
        else if (u !== l) {
          const ra = find(parent, l);
          const rb = find(parent, u);
          if (ra < rb) parent[rb] = ra;
          else if (rb < ra) parent[ra] = rb;
        }
      }
      if (l < 0) {
        if (next === parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        l = next++;
      }
      labels[j] = l;
    }
  }
  // Provisional -> final labels. A set's root is its smallest provisional
  // label, which was handed out at the set's first pixel, so numbering roots
  // in order numbers regions in scan order.
  const final = new Int32Array(next);
  let count = 0;
  for (let p = 0; p < next; p++) {
    const r = find(parent, p);
    final[p] = r === p ? count++ : final[r];
  }
  const color = new Int32Array(count);
  const area = new Int32Array(count);
  const minX = new Int32Array(count).fill(width);
  const minY = new Int32Array(count).fill(height);
  const maxX = new Int32Array(count).fill(-1);
  const maxY = new Int32Array(count).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0, j = (y + 1) * s + 1; x < width; x++, i++, j++) {
      let l = labels[j];
      if (l < 0) continue;
      l = final[l];
      labels[j] = l;
      color[l] = index[i];
      area[l]++;
      if (x < minX[l]) minX[l] = x;
      if (x > maxX[l]) maxX[l] = x;
      if (y < minY[l]) minY[l] = y;
      if (y > maxY[l]) maxY[l] = y;
    }
  }
  return { count, labels, color, area, minX, minY, maxX, maxY };
}
