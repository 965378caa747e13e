/**
 * What speckle merging needs to know about the small regions (area below
 * `speckle`), gathered from the pixels of their bounding boxes (or, when
 * those cover much of the picture, in one pass over the label image):
 *
 * - their neighbours, as compressed rows (`from`, `list`; other regions get
 *   empty rows; a neighbour may repeat, which is harmless);
 * - their diagonal groups: small same-colour regions that touch only at a
 *   pixel corner, joined by union-find (`group[r]` is the group's root).
 */
import { Int32List } from './buffers.js';
import type { Regions } from './regions.js';
import { keepShape } from '../keep-shapes.js';

export interface SmallRegionGraph {
  readonly from: Int32Array;
  readonly list: Int32Array;
  readonly group: Int32Array;
}

export function findRoot(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/** Collects contacts and diagonal groups; methods rather than per-call closures, so the JIT compiles them once. */
class ContactCollector {
  readonly pairs = new Int32List(1024);
  readonly group: Int32Array;
  private readonly last: Int32Array;

  constructor(
    private readonly area: Int32Array,
    private readonly color: Int32Array,
    private readonly speckle: number,
  ) {
    const count = area.length;
    this.last = new Int32Array(count).fill(-1);
    this.group = new Int32Array(count);
    for (let r = 0; r < count; r++) this.group[r] = r;
  }

  /** Region b touches region a (recorded when a is small; b may be anything painted). */
  note(a: number, b: number): void {
    if (this.area[a] >= this.speckle || this.last[a] === b) return;
    this.last[a] = b;
    this.pairs.push(a);
    this.pairs.push(b);
  }

  /** Region l is next to region r, unless it is r itself or unpainted. */
  touch(r: number, l: number): void {
    if (l >= 0 && l !== r) this.note(r, l);
  }

  /** Regions a and b meet at a pixel corner: join them when both are small and of one colour. */
  joinDiagonal(a: number, b: number): void {
    const { area, color, speckle, group } = this;
    if (a < 0 || b < 0 || a === b || area[a] >= speckle || area[b] >= speckle || color[a] !== color[b])
      return;
    const ra = findRoot(group, a);
    const rb = findRoot(group, b);
    if (ra !== rb) group[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export function smallRegionGraph(
  regions: Regions,
  width: number,
  height: number,
  speckle: number,
): SmallRegionGraph {
  const { count, labels, area } = regions;
  const s = width + 2;
  const k = new ContactCollector(area, regions.color, speckle);
  // Small regions have small boxes: visiting the pixels of each box (and
  // each pixel's eight neighbours) finds the same contacts as a pass over the
  // whole image, for a fraction of the pixels, unless the boxes are many or
  // long and thin (diagonal strokes).
  let boxes = 0;
  for (let r = 0; r < count; r++) {
    if (area[r] < speckle)
      boxes += (regions.maxX[r] - regions.minX[r] + 1) * (regions.maxY[r] - regions.minY[r] + 1);
  }
  if (boxes * 4 < width * height) {
    for (let r = 0; r < count; r++) {
      if (area[r] >= speckle) continue;
      for (let y = regions.minY[r]; y <= regions.maxY[r]; y++) {
        for (let x = regions.minX[r], j = (y + 1) * s + x + 1; x <= regions.maxX[r]; x++, j++) {
          if (labels[j] !== r) continue;
          k.touch(r, labels[j - 1]);
          k.touch(r, labels[j + 1]);
          k.touch(r, labels[j - s]);
          k.touch(r, labels[j + s]);
          k.joinDiagonal(r, labels[j - s - 1]);
          k.joinDiagonal(r, labels[j - s + 1]);
          k.joinDiagonal(r, labels[j + s - 1]);
          k.joinDiagonal(r, labels[j + s + 1]);
        }
      }
    }
  } else {
    for (let y = 0; y < height; y++) {
      for (let x = 0, j = (y + 1) * s + 1; x < width; x++, j++) {
        const l = labels[j];
        const right = labels[j + 1];
        const down = labels[j + s];
        // Inside a region (most pixels) there is no neighbour and no diagonal contact.
        if (right === l && down === l && labels[j + s + 1] === l) continue;
        if (l >= 0) {
          if (right >= 0 && right !== l) {
            k.note(l, right);
            k.note(right, l);
          }
          if (down >= 0 && down !== l) {
            k.note(l, down);
            k.note(down, l);
          }
        }
        k.joinDiagonal(l, labels[j + s + 1]);
        k.joinDiagonal(right, down);
      }
    }
  }
  const { pairs, group } = k;
  const from = new Int32Array(count + 1);
  const p = pairs.data;
  const n = pairs.length;
  for (let q = 0; q < n; q += 2) from[p[q] + 1]++;
  for (let r = 0; r < count; r++) from[r + 1] += from[r];
  const cursor = from.slice(0, count);
  const list = new Int32Array(n >> 1);
  for (let q = 0; q < n; q += 2) list[cursor[p[q]]++] = p[q + 1];
  for (let r = 0; r < count; r++) group[r] = findRoot(group, r);
  return { from, list, group };
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new ContactCollector(new Int32Array(1), new Int32Array(1), 2));
