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
  // First pass, one run of equal index at a time: a run joins the labels of
  // the same-coloured pixels above it (once per change of label), or starts
  // a new label.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const jRow = (y + 1) * s + 1;
    let x = 0;
    while (x < width) {
      const k = index[row + x];
      let end = x + 1;
      while (end < width && index[row + end] === k) end++;
      if (k === TRANSPARENT) {
        labels.fill(-1, jRow + x, jRow + end);
        x = end;
        continue;
      }
      let l = -1;
      if (y > 0) {
        let u = -1;
        for (let t = x; t < end; t++) {
          if (index[row - width + t] !== k) continue;
          const above = labels[jRow - s + t];
          if (above === u) continue;
          u = above;
          if (l < 0) l = find(parent, above);
          else {
            const ra = find(parent, l);
            const rb = find(parent, above);
            if (ra < rb) parent[rb] = ra;
            else if (rb < ra) parent[ra] = rb;
          }
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
      labels.fill(l, jRow + x, jRow + end);
      x = end;
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
  // Second pass, again by runs of one provisional label (not kept from the
  // first pass: on a noisy picture they would cost more memory than the labels).
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const jRow = (y + 1) * s + 1;
    let x = 0;
    while (x < width) {
      const p = labels[jRow + x];
      let end = x + 1;
      while (end < width && labels[jRow + end] === p) end++;
      if (p >= 0) {
        const l = final[p];
        if (l !== p) labels.fill(l, jRow + x, jRow + end);
        color[l] = index[row + x];
        area[l] += end - x;
        if (x < minX[l]) minX[l] = x;
        if (end - 1 > maxX[l]) maxX[l] = end - 1;
        if (y < minY[l]) minY[l] = y;
        if (y > maxY[l]) maxY[l] = y;
      }
      x = end;
    }
  }
  return { count, labels, color, area, minX, minY, maxX, maxY };
}
