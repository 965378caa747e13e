/**
 * Polyline simplification by Douglas and Peucker ("Algorithms for the
 * reduction of the number of points required to represent a digitized line
 * or its caricature", 1973): keep the point farthest from the chord while it
 * is farther than `epsilon`, recursively (here with an explicit stack).
 */

function simplifyRange(pts: Float64Array, first: number, last: number, eps2: number, keep: Uint8Array): void {
  const n = pts.length / 2;
  const stack = [first, last];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    // Distance of each point between a and b from the segment a-b.
    const ax = pts[(a % n) * 2];
    const ay = pts[(a % n) * 2 + 1];
    const ux = pts[(b % n) * 2] - ax;
    const uy = pts[(b % n) * 2 + 1] - ay;
    const uu = ux * ux + uy * uy;
    let worst = -1;
    let worstD = eps2;
    // Points strictly between a and b never wrap (only b may be n, meaning point 0).
    for (let i = a + 1; i < b; i++) {
      const vx = pts[i * 2] - ax;
      const vy = pts[i * 2 + 1] - ay;
      let t = uu > 0 ? (vx * ux + vy * uy) / uu : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const dx = vx - t * ux;
      const dy = vy - t * uy;
      const d = dx * dx + dy * dy;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst < 0) continue;
    keep[worst % n] = 1;
    stack.push(a, worst, worst, b);
  }
}

/**
 * Indices of the points kept. An open polyline keeps both ends; a closed one
 * (cyclic, no repeated start) keeps point 0 and the point farthest from it.
 */
export function simplifyPolyline(pts: Float64Array, closed: boolean, epsilon: number): Int32Array {
  const n = pts.length / 2;
  const keep = new Uint8Array(n);
  const eps2 = epsilon * epsilon;
  if (n <= 2) keep.fill(1);
  else if (!closed) {
    keep[0] = keep[n - 1] = 1;
    simplifyRange(pts, 0, n - 1, eps2, keep);
  } else {
    let far = 1;
    let farD = -1;
    for (let i = 1; i < n; i++) {
      const dx = pts[i * 2] - pts[0];
      const dy = pts[i * 2 + 1] - pts[1];
      if (dx * dx + dy * dy > farD) {
        farD = dx * dx + dy * dy;
        far = i;
      }
    }
    keep[0] = keep[far] = 1;
    simplifyRange(pts, 0, far, eps2, keep);
    simplifyRange(pts, far, n, eps2, keep);
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i];
  const out = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (keep[i]) out[j++] = i;
  return out;
}
