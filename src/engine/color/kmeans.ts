/**
 * Weighted k-means over histogram bins in OKLab: k-means++ seeding (Arthur
 * and Vassilvitskii, "k-means++: The Advantages of Careful Seeding", 2007)
 * with a fixed-seed generator so the same image always gets the same
 * palette, then Lloyd iterations.
 */
import { dist2 } from './oklab.js';
import { keepShape } from '../keep-shapes.js';

/** Mulberry32: a small, fast, seedable generator; output in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Incremental k-means++ seeding: `add()` picks the next centre with
 * probability proportional to weight x squared distance to the nearest centre
 * so far, and keeps `d2` (per point) current, so growing k costs one pass
 * over the points per centre.
 */
export class Seeder {
  readonly centres: number[] = [];
  readonly d2: Float64Array;
  private readonly random: () => number;

  constructor(
    private readonly lab: Float64Array,
    private readonly weight: Float64Array,
    seed = 0x9e3779b9,
  ) {
    this.d2 = new Float64Array(weight.length).fill(Infinity);
    this.random = mulberry32(seed);
  }

  /** Adds one centre (a point index); returns false when every point is already a centre. */
  add(): boolean {
    const n = this.weight.length;
    let total = 0;
    const first = this.centres.length === 0;
    for (let i = 0; i < n; i++) total += first ? this.weight[i] : this.weight[i] * this.d2[i];
    if (!(total > 0)) return false;
    let r = this.random() * total;
    let pick = -1;
    for (let i = 0; i < n; i++) {
      const s = first ? this.weight[i] : this.weight[i] * this.d2[i];
      if (s <= 0) continue;
      pick = i;
      r -= s;
      if (r < 0) break;
    }
    this.addPoint(pick);
    return true;
  }

  /** Adds a given point as a centre. */
  addPoint(i: number): void {
    this.centres.push(i);
    const d2 = this.d2;
    for (let j = 0; j < d2.length; j++) {
      const d = dist2(this.lab, j, this.lab, i);
      if (d < d2[j]) d2[j] = d;
    }
  }
}

/**
 * Index of the centre nearest to point `p`. The squared distance is summed
 * one axis at a time and a centre is dropped as soon as the partial sum
 * reaches the best so far (partial distance search): the sums only grow, in
 * the same order as dist2 adds them, so the answer is exactly dist2's.
 */
export function nearest(lab: Float64Array, p: number, centres: Float64Array, k: number): number {
  const l = lab[p * 3];
  const a = lab[p * 3 + 1];
  const b = lab[p * 3 + 2];
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const dl = l - centres[c * 3];
    let d = dl * dl;
    if (d >= bestD) continue;
    const da = a - centres[c * 3 + 1];
    d += da * da;
    if (d >= bestD) continue;
    const db = b - centres[c * 3 + 2];
    d += db * db;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * Weighted Lloyd iterations from the given centres (3 per centre, modified in
 * place). Stops when no assignment changes. Returns the assignment of each
 * point; a centre that loses all its points keeps its position.
 */
export function lloyd(
  lab: Float64Array,
  weight: Float64Array,
  centres: Float64Array,
  k: number,
  maxIterations: number,
): Int32Array {
  const n = weight.length;
  const assign = new Int32Array(n).fill(-1);
  const sum = new Float64Array(k * 3);
  const wsum = new Float64Array(k);
  for (let it = 0; it < maxIterations; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const c = nearest(lab, i, centres, k);
      if (c !== assign[i]) {
        assign[i] = c;
        changed++;
      }
    }
    if (changed === 0) break;
    sum.fill(0);
    wsum.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      const w = weight[i];
      wsum[c] += w;
      sum[c * 3] += w * lab[i * 3];
      sum[c * 3 + 1] += w * lab[i * 3 + 1];
      sum[c * 3 + 2] += w * lab[i * 3 + 2];
    }
    for (let c = 0; c < k; c++) {
      if (wsum[c] === 0) continue;
      centres[c * 3] = sum[c * 3] / wsum[c];
      centres[c * 3 + 1] = sum[c * 3 + 1] / wsum[c];
      centres[c * 3 + 2] = sum[c * 3 + 2] / wsum[c];
    }
  }
  return assign;
}

// A template instance keeps the class's hidden class alive between calls (see keep-shapes.ts).
keepShape(new Seeder(new Float64Array(3), new Float64Array(1)));
