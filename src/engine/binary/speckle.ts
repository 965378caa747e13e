/**
 * Stage 2: speckle removal on the rings, as potrace's "turdsize": a ring
 * enclosing less than `minArea` pixels is dropped. An outer ring dropped is
 * an ink speck removed; a hole dropped is a hole filled. Anything nested in a
 * dropped ring encloses even less, so it goes too.
 */
import type { Rings } from './rings.js';

export function removeSpeckles(rings: Rings, minArea: number): Rings {
  const n = rings.start.length - 1;
  if (minArea <= 0) return rings;
  let keptRings = 0;
  let keptPoints = 0;
  for (let r = 0; r < n; r++) {
    if (Math.abs(rings.area[r]) >= minArea) {
      keptRings++;
      keptPoints += rings.start[r + 1] - rings.start[r];
    }
  }
  const points = new Int32Array(2 * keptPoints);
  const start = new Int32Array(keptRings + 1);
  const area = new Float64Array(keptRings);
  let k = 0;
  let p = 0;
  for (let r = 0; r < n; r++) {
    if (Math.abs(rings.area[r]) < minArea) continue;
    const a = rings.start[r];
    const b = rings.start[r + 1];
    points.set(rings.points.subarray(2 * a, 2 * b), 2 * p);
    p += b - a;
    area[k] = rings.area[r];
    start[++k] = p;
  }
  return { points, start, area };
}
