/**
 * Stage 3b: is the image bilevel? A bilevel image (a scan thresholded at
 * the source, a bitmap font, a PBM) has no grey levels: the pixel staircase
 * is all there is to know about its edges, so the polygon follows it more
 * closely (see optimal-polygon.ts) and the curve fit may deviate further
 * from the smoothed polygon (see trace-binary.ts). An anti-aliased edge has
 * a grey pixel at nearly every boundary step (only edges on the pixel grid
 * have none), so the test is relative to the boundary length: a handful of
 * grey pixels (noise, a stray soft mark) leaves a bitmap bilevel.
 */
import type { Rings } from './rings.js';

/** Bilevel: fewer grey pixels than this fraction of the boundary steps. */
const GREY_PER_STEP = 0.02;

/** Total length (pixel edges) of the rings' boundaries. */
export function boundaryLength(rings: Rings): number {
  const n = rings.start.length - 1;
  let steps = 0;
  for (let r = 0; r < n; r++) {
    const a = rings.start[r];
    const b = rings.start[r + 1];
    for (let k = a; k < b; k++) {
      const q = k + 1 < b ? k + 1 : a;
      steps +=
        Math.abs(rings.points[2 * q] - rings.points[2 * k]) +
        Math.abs(rings.points[2 * q + 1] - rings.points[2 * k + 1]);
    }
  }
  return steps;
}

/** Whether an image with `greyPixels` (see `InkMask`) and these rings is bilevel. */
export function isBilevel(greyPixels: number, rings: Rings): boolean {
  return greyPixels === 0 || greyPixels < GREY_PER_STEP * boundaryLength(rings);
}
