/**
 * Stage 4a: the optimal polygon of a ring, after P. Selinger, "Potrace: a
 * polygon-based tracing algorithm" (2003), section 2.2: the polygon with the
 * fewest segments such that each segment follows a "straight" part of the
 * boundary, and among those the smallest total penalty, by dynamic
 * programming.
 *
 * Our variant works on the ring's corners only (where the lattice path
 * turns), which is exact for the straightness test: a line that passes
 * within distance d (L-infinity) of both ends of a straight run passes within
 * d of every lattice point between them, the boxes being convex. A segment
 * i -> j is straight when the boundary between them does not use all four
 * directions and the line from corner i to corner j passes within `slack`
 * of every corner between; the allowed directions from corner i form a cone
 * that each corner narrows (cross products, no trigonometry). The slack is
 * potrace's 1, or 1/2 on a bilevel image (see bilevel.ts), where the
 * staircase is all there is to know about the edge and following it more
 * closely is what fidelity to the image asks. The penalty of a
 * segment is its length times the RMS distance of the lattice points it
 * replaces from it; those sums come from closed-form prefix sums per run.
 *
 * The polygon's first vertex is fixed at the corner farthest from the ring's
 * centre (a true corner of any ring), which makes the cyclic problem a linear
 * one.
 */

/**
 * Longest span (in corners) of one segment. It bounds the work on long
 * staircases (linear time instead of quadratic), and the extra vertices on
 * long gentle curves let the curve stage follow them more closely; the curve
 * fit merges collinear pieces back into one line. Measured on 93 icons:
 * 32 gave the best fidelity per byte among 16 to 512.
 */
const MAX_SPAN = 32;

/** Potrace's slack: a segment passes within 1 (L-infinity) of the corners it replaces. */
export const DEFAULT_SLACK = 1;

/** Direction bit (1, 2, 4, 8 for +x, +y, -x, -y) of an axis-aligned step. */
function dirBit(dx: number, dy: number): number {
  return dx > 0 ? 1 : dy > 0 ? 2 : dx < 0 ? 4 : 8;
}

/**
 * For each corner i, the furthest corner index j (i < j <= m, j counted
 * without wrapping past m = corner 0) such that i -> j is straight; made
 * non-decreasing in i as the dynamic programme needs.
 */
export function straightReach(
  x: Int32Array,
  y: Int32Array,
  m: number,
  maxSpan: number,
  slack = DEFAULT_SLACK,
): Int32Array {
  const reach = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const ox = x[i];
    const oy = y[i];
    let dirs = 0;
    let constrained = false;
    let c0x = 0;
    let c0y = 0;
    let c1x = 0;
    let c1y = 0;
    const limit = Math.min(m, i + maxSpan);
    let best = i + 1;
    for (let k = i + 1; k <= limit; k++) {
      const km = k % m;
      const prev = (k - 1) % m;
      dirs |= dirBit(x[km] - x[prev], y[km] - y[prev]);
      if (dirs === 15) break;
      const vx = x[km] - ox;
      const vy = y[km] - oy;
      if (constrained && (c0x * vy - c0y * vx < 0 || vx * c1y - vy * c1x < 0)) break;
      best = k;
      if (Math.max(Math.abs(vx), Math.abs(vy)) <= slack) continue;
      // The cone of directions from corner i through the box of radius `slack` around corner k.
      let b0x = 0;
      let b0y = 0;
      let b1x = 0;
      let b1y = 0;
      for (let c = 0; c < 4; c++) {
        const bx = vx + (c & 1 ? slack : -slack);
        const by = vy + (c & 2 ? slack : -slack);
        if (c === 0 || b0x * by - b0y * bx < 0) [b0x, b0y] = [bx, by];
        if (c === 0 || bx * b1y - by * b1x < 0) [b1x, b1y] = [bx, by];
      }
      if (!constrained) {
        [c0x, c0y, c1x, c1y] = [b0x, b0y, b1x, b1y];
        constrained = true;
      } else {
        if (c0x * b0y - c0y * b0x > 0) [c0x, c0y] = [b0x, b0y];
        if (b1x * c1y - b1y * c1x > 0) [c1x, c1y] = [b1x, b1y];
        if (c0x * c1y - c0y * c1x < 0) break;
      }
    }
    reach[i] = best;
  }
  for (let i = m - 2; i >= 0; i--) if (reach[i] > reach[i + 1]) reach[i] = reach[i + 1];
  return reach;
}

/**
 * Prefix sums over the lattice points of the ring from corner 0: entry k
 * covers every lattice point before corner k, coordinates relative to
 * corner 0. Layout: 6 doubles per entry (count, x, y, xx, xy, yy).
 */
function latticeSums(x: Int32Array, y: Int32Array, m: number): Float64Array {
  const s = new Float64Array(6 * (m + 1));
  for (let k = 0; k < m; k++) {
    const ax = x[k] - x[0];
    const ay = y[k] - y[0];
    const bx = x[(k + 1) % m] - x[0];
    const by = y[(k + 1) % m] - y[0];
    const len = Math.abs(bx - ax) + Math.abs(by - ay);
    const dx = Math.sign(bx - ax);
    const dy = Math.sign(by - ay);
    const t1 = (len * (len - 1)) / 2;
    const t2 = ((len - 1) * len * (2 * len - 1)) / 6;
    const o = 6 * k;
    s[o + 6] = s[o] + len;
    s[o + 7] = s[o + 1] + len * ax + dx * t1;
    s[o + 8] = s[o + 2] + len * ay + dy * t1;
    s[o + 9] = s[o + 3] + len * ax * ax + 2 * ax * dx * t1 + dx * dx * t2;
    s[o + 10] = s[o + 4] + len * ax * ay + (ax * dy + ay * dx) * t1;
    s[o + 11] = s[o + 5] + len * ay * ay + 2 * ay * dy * t1 + dy * dy * t2;
  }
  return s;
}

/** Penalty of segment i -> j: its length times the RMS distance of the lattice points from corner i to j. */
function penalty(s: Float64Array, x: Int32Array, y: Int32Array, m: number, i: number, j: number): number {
  const ax = x[i] - x[0];
  const ay = y[i] - y[0];
  const bx = x[j % m] - x[0];
  const by = y[j % m] - y[0];
  const oi = 6 * i;
  const oj = 6 * j;
  // Lattice points i..j inclusive: the prefix difference plus corner j itself.
  const n = s[oj] - s[oi] + 1;
  const sx = s[oj + 1] - s[oi + 1] + bx;
  const sy = s[oj + 2] - s[oi + 2] + by;
  const sxx = s[oj + 3] - s[oi + 3] + bx * bx;
  const sxy = s[oj + 4] - s[oi + 4] + bx * by;
  const syy = s[oj + 5] - s[oi + 5] + by * by;
  const len = Math.hypot(bx - ax, by - ay);
  const nx = -(by - ay) / len;
  const ny = (bx - ax) / len;
  const qxx = sxx - 2 * ax * sx + n * ax * ax;
  const qxy = sxy - ax * sy - ay * sx + n * ax * ay;
  const qyy = syy - 2 * ay * sy + n * ay * ay;
  const sq = nx * nx * qxx + 2 * nx * ny * qxy + ny * ny * qyy;
  return len * Math.sqrt(Math.max(0, sq) / n);
}

/**
 * The optimal polygon of one ring given by `m` corners at `points[2 * from ..]`,
 * its segments within `slack` pixels (L-infinity) of the corners they replace.
 * Returns the corner indices of its vertices in ring order: the first is
 * the fixed vertex, the others follow it, counted past `m` where they wrap.
 */
export function optimalPolygon(
  points: Int32Array,
  from: number,
  m: number,
  slack = DEFAULT_SLACK,
): Int32Array {
  const first = farthestCorner(points, from, m);
  const x = new Int32Array(m);
  const y = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const c = from + ((first + k) % m);
    x[k] = points[2 * c];
    y[k] = points[2 * c + 1];
  }
  const sums = latticeSums(x, y, m);
  let polygon = bestPolygon(x, y, m, sums, Math.min(MAX_SPAN, Math.max(1, m - 2)), slack);
  // A two-vertex "polygon" (a tiny blob): again with segments spanning less than half the ring.
  if (polygon.length < 3) polygon = bestPolygon(x, y, m, sums, Math.max(1, ((m + 1) >> 1) - 1), slack);
  for (let k = 0; k < polygon.length; k++) polygon[k] += first;
  return polygon;
}

/**
 * The corner farthest from the corners' mean: a convex corner, so a vertex of
 * any good polygon, and the same physical corner when the image is rotated or
 * mirrored, which keeps the fixed first vertex from depending on orientation.
 */
function farthestCorner(points: Int32Array, from: number, m: number): number {
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < m; k++) {
    sx += points[2 * (from + k)];
    sy += points[2 * (from + k) + 1];
  }
  let best = 0;
  let far = -1;
  for (let k = 0; k < m; k++) {
    const dx = m * points[2 * (from + k)] - sx;
    const dy = m * points[2 * (from + k) + 1] - sy;
    const d = dx * dx + dy * dy;
    if (d > far) {
      far = d;
      best = k;
    }
  }
  return best;
}

function bestPolygon(
  x: Int32Array,
  y: Int32Array,
  m: number,
  sums: Float64Array,
  maxSpan: number,
  slack: number,
): Int32Array {
  const reach = straightReach(x, y, m, maxSpan, slack);
  const segs = new Int32Array(m + 1);
  const cost = new Float64Array(m + 1);
  const prev = new Int32Array(m + 1);
  let lo = 0;
  for (let j = 1; j <= m; j++) {
    while (reach[lo] < j) lo++;
    // Segment counts never decrease along the ring, so the fewest come from `lo` and its equals.
    const want = segs[lo];
    let best = Infinity;
    let arg = lo;
    for (let i = lo; i < j && segs[i] === want; i++) {
      const c = cost[i] + penalty(sums, x, y, m, i, j);
      if (c < best) {
        best = c;
        arg = i;
      }
    }
    segs[j] = want + 1;
    cost[j] = best;
    prev[j] = arg;
  }
  const out = new Int32Array(segs[m]);
  for (let j = m, k = segs[m] - 1; k >= 0; k--) {
    j = prev[j];
    out[k] = j;
  }
  return out;
}
