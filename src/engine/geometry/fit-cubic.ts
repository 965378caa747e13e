/**
 * Least-squares fitting of cubic Béziers to a chain of points with a maximum
 * error: P. J. Schneider, "An Algorithm for Automatically Fitting Digitized
 * Curves", Graphics Gems (1990). Each piece is fitted with fixed end
 * tangents; where the error exceeds the tolerance, Newton-Raphson
 * reparameterisation is tried, then the chain is split at the worst point
 * with a shared tangent there, so the pieces join smoothly (G1). Runs of
 * points that stay within the tolerance of their chord become lines.
 *
 * Points are x,y pairs in a `Float64Array`; `first`/`last` are point indices.
 */
import { ChainBuilder, type Chain } from './curves.js';

/**
 * Preferred split points: point indices (into the same array as the chain)
 * and the unit tangent there along the chain, x,y pairs. A split lands on the
 * knot nearest to the worst point, so pieces join where the tangent is known.
 */
export interface Knots {
  readonly index: Int32Array;
  readonly tangent: Float64Array;
}

/** Where fitted segments go: `CurveBuilder` and `ChainBuilder` both are sinks. */
export interface SegmentSink {
  lineTo(x: number, y: number): void;
  cubicTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void;
}

const MAX_REPARAMETERIZE = 4;

const NO_SINK: SegmentSink = { lineTo() {}, cubicTo() {} };

/**
 * Fits points `first..last` (inclusive, at least 2) and writes the segments
 * after the start point to `sink`. The chain's end points are kept exactly.
 * `tangents` = [sx, sy, ex, ey]: unit tangent at the start pointing along the
 * chain and at the end pointing back into it; estimated from the neighbours
 * when omitted.
 */
export function fitCubics(
  points: Float64Array,
  first: number,
  last: number,
  tolerance: number,
  sink: SegmentSink,
  tangents: ArrayLike<number> | null = null,
  knots: Knots | null = null,
): void {
  if (last - first < 1) throw new RangeError(`fitCubics needs at least 2 points, got ${last - first + 1}`);
  let sx: number, sy: number, ex: number, ey: number;
  if (tangents) {
    [sx, sy, ex, ey] = [tangents[0], tangents[1], tangents[2], tangents[3]];
  } else {
    [sx, sy] = unit(points[2 * first + 2] - points[2 * first], points[2 * first + 3] - points[2 * first + 1]);
    [ex, ey] = unit(points[2 * last - 2] - points[2 * last], points[2 * last - 1] - points[2 * last + 1]);
  }
  // A view of just this chain, so indices start at 0 (the fitter never reads past `last`).
  const view = first === 0 ? points : points.subarray(2 * first, 2 * last + 2);
  const fitter = FITTER.reset(view, last - first + 1, tolerance, sink);
  if (knots) {
    for (let k = 0; k < knots.index.length; k++) {
      const i = knots.index[k] - first;
      if (i > 0 && i < last - first) {
        fitter.knot[i] = 1;
        fitter.knotTangent[2 * i] = knots.tangent[2 * k];
        fitter.knotTangent[2 * i + 1] = knots.tangent[2 * k + 1];
      }
    }
  }
  fitter.fit(0, last - first, sx, sy, ex, ey);
}

/** Fits an open chain of points (x,y pairs) and returns it as a `Chain`. */
export function fitChain(
  points: Float64Array,
  tolerance: number,
  tangents: ArrayLike<number> | null = null,
): Chain {
  const out = new ChainBuilder(points[0], points[1]);
  fitCubics(points, 0, points.length / 2 - 1, tolerance, out, tangents);
  return out.finish();
}

/**
 * Fits a closed ring of points (x,y pairs, first point not repeated) as a
 * chain that starts and ends at point 0 and joins smoothly there.
 */
export function fitClosedRing(points: Float64Array, tolerance: number): Chain {
  const n = points.length / 2;
  if (n < 3) throw new RangeError(`fitClosedRing needs at least 3 points, got ${n}`);
  const closed = new Float64Array(points.length + 2);
  closed.set(points);
  closed[2 * n] = points[0];
  closed[2 * n + 1] = points[1];
  const [tx, ty] = unit(points[2] - points[2 * n - 2], points[3] - points[2 * n - 1]);
  const out = new ChainBuilder(points[0], points[1]);
  fitCubics(closed, 0, n, tolerance, out, [tx, ty, -tx, -ty]);
  return out.finish();
}

function unit(x: number, y: number): [number, number] {
  const len = Math.hypot(x, y);
  return len > 0 ? [x / len, y / len] : [0, 0];
}

/**
 * One fit over one point array. A single instance is reused by every call
 * (fitting is synchronous and never nested), so its scratch arrays grow to
 * the longest chain seen instead of being allocated per call: the colour
 * tracer fits one piece per boundary between corners, thousands per picture.
 */
class Fitter {
  private u = new Float64Array(64);
  knot = new Uint8Array(64);
  knotTangent = new Float64Array(128);
  private p: Float64Array = this.u;
  private tol2 = 0;
  private sink: SegmentSink = NO_SINK;
  // The current cubic's control points.
  private x1 = 0;
  private y1 = 0;
  private x2 = 0;
  private y2 = 0;
  // The last maxError: largest squared distance and where.
  private err = 0;
  private split = 0;

  /** Prepares for `count` points of `p` (knots cleared). */
  reset(p: Float64Array, count: number, tol: number, sink: SegmentSink): this {
    if (this.u.length < count) {
      const size = Math.max(count, this.u.length * 2);
      this.u = new Float64Array(size);
      this.knot = new Uint8Array(size);
      this.knotTangent = new Float64Array(2 * size);
    } else this.knot.fill(0, 0, count);
    this.p = p;
    this.tol2 = tol * tol;
    this.sink = sink;
    return this;
  }

  fit(a: number, b: number, sx: number, sy: number, ex: number, ey: number): void {
    const p = this.p;
    const bx = p[2 * b];
    const by = p[2 * b + 1];
    if (b - a < 2 || this.withinChord(a, b)) {
      this.sink.lineTo(bx, by);
      return;
    }
    this.chordParameters(a, b);
    this.solve(a, b, sx, sy, ex, ey);
    this.maxError(a, b);
    if (this.err > this.tol2 && this.err < 16 * this.tol2) {
      for (let i = 0; i < MAX_REPARAMETERIZE && this.err > this.tol2; i++) {
        this.reparameterize(a, b);
        this.solve(a, b, sx, sy, ex, ey);
        this.maxError(a, b);
      }
    }
    const split = this.split;
    if (this.err <= this.tol2) {
      this.sink.cubicTo(this.x1, this.y1, this.x2, this.y2, bx, by);
      return;
    }
    // Split at the knot nearest the worst point, else at the worst point with its neighbours' chord as tangent.
    let at = -1;
    for (let d = 0; at < 0 && (split - d > a || split + d < b); d++) {
      if (split - d > a && this.knot[split - d]) at = split - d;
      else if (split + d < b && this.knot[split + d]) at = split + d;
    }
    if (at >= 0) {
      const tx = this.knotTangent[2 * at];
      const ty = this.knotTangent[2 * at + 1];
      this.fit(a, at, sx, sy, -tx, -ty);
      this.fit(at, b, tx, ty, ex, ey);
      return;
    }
    const [cx, cy] = unit(p[2 * split - 2] - p[2 * split + 2], p[2 * split - 1] - p[2 * split + 3]);
    this.fit(a, split, sx, sy, cx, cy);
    this.fit(split, b, -cx, -cy, ex, ey);
  }

  /** True when every point lies within the tolerance of the chord a-b. */
  private withinChord(a: number, b: number): boolean {
    const p = this.p;
    const ax = p[2 * a];
    const ay = p[2 * a + 1];
    const dx = p[2 * b] - ax;
    const dy = p[2 * b + 1] - ay;
    const len2 = dx * dx + dy * dy;
    for (let i = a + 1; i < b; i++) {
      const px = p[2 * i] - ax;
      const py = p[2 * i + 1] - ay;
      let t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const qx = px - t * dx;
      const qy = py - t * dy;
      if (qx * qx + qy * qy > this.tol2) return false;
    }
    return true;
  }

  private chordParameters(a: number, b: number): void {
    const p = this.p;
    const u = this.u;
    u[a] = 0;
    for (let i = a + 1; i <= b; i++) {
      // Math.sqrt, not Math.hypot: this is the fitter's hottest loop, and hypot is several times slower.
      const dx = p[2 * i] - p[2 * i - 2];
      const dy = p[2 * i + 1] - p[2 * i - 1];
      u[i] = u[i - 1] + Math.sqrt(dx * dx + dy * dy);
    }
    const total = u[b];
    for (let i = a + 1; i <= b; i++) u[i] /= total;
  }

  /** Least-squares tangent lengths for fixed end points and tangents (Schneider's GenerateBezier). */
  private solve(a: number, b: number, sx: number, sy: number, ex: number, ey: number): void {
    const p = this.p;
    const u = this.u;
    const ax = p[2 * a];
    const ay = p[2 * a + 1];
    const bx = p[2 * b];
    const by = p[2 * b + 1];
    let c00 = 0;
    let c01 = 0;
    let c11 = 0;
    let r0 = 0;
    let r1 = 0;
    for (let i = a; i <= b; i++) {
      const t = u[i];
      const s = 1 - t;
      const b0 = s * s * s;
      const b1 = 3 * t * s * s;
      const b2 = 3 * t * t * s;
      const b3 = t * t * t;
      const a1x = sx * b1;
      const a1y = sy * b1;
      const a2x = ex * b2;
      const a2y = ey * b2;
      c00 += a1x * a1x + a1y * a1y;
      c01 += a1x * a2x + a1y * a2y;
      c11 += a2x * a2x + a2y * a2y;
      const tx = p[2 * i] - (ax * (b0 + b1) + bx * (b2 + b3));
      const ty = p[2 * i + 1] - (ay * (b0 + b1) + by * (b2 + b3));
      r0 += a1x * tx + a1y * ty;
      r1 += a2x * tx + a2y * ty;
    }
    const det = c00 * c11 - c01 * c01;
    const dist = Math.hypot(bx - ax, by - ay);
    let l1 = det !== 0 ? (r0 * c11 - r1 * c01) / det : 0;
    let l2 = det !== 0 ? (c00 * r1 - c01 * r0) / det : 0;
    // Degenerate or wild solutions: Schneider's fallback of a third of the chord.
    const eps = 1e-6 * dist;
    if (!(l1 > eps && l2 > eps && l1 < 3 * dist && l2 < 3 * dist)) {
      l1 = dist / 3;
      l2 = dist / 3;
    }
    this.x1 = ax + sx * l1;
    this.y1 = ay + sy * l1;
    this.x2 = bx + ex * l2;
    this.y2 = by + ey * l2;
  }

  /** Largest squared distance between a point and the curve at its parameter, and where: into `err`, `split`. */
  private maxError(a: number, b: number): void {
    const p = this.p;
    const u = this.u;
    const ax = p[2 * a];
    const ay = p[2 * a + 1];
    const bx = p[2 * b];
    const by = p[2 * b + 1];
    let worst = 0;
    let at = (a + b) >> 1;
    for (let i = a + 1; i < b; i++) {
      const t = u[i];
      const s = 1 - t;
      const b0 = s * s * s;
      const b1 = 3 * t * s * s;
      const b2 = 3 * t * t * s;
      const b3 = t * t * t;
      const dx = ax * b0 + this.x1 * b1 + this.x2 * b2 + bx * b3 - p[2 * i];
      const dy = ay * b0 + this.y1 * b1 + this.y2 * b2 + by * b3 - p[2 * i + 1];
      const d = dx * dx + dy * dy;
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    this.err = worst;
    this.split = at;
  }

  /** One Newton-Raphson step per point towards the closest curve parameter. */
  private reparameterize(a: number, b: number): void {
    const p = this.p;
    const u = this.u;
    const ax = p[2 * a];
    const ay = p[2 * a + 1];
    const bx = p[2 * b];
    const by = p[2 * b + 1];
    const { x1, y1, x2, y2 } = this;
    for (let i = a + 1; i < b; i++) {
      const t = u[i];
      const s = 1 - t;
      const qx = ax * s * s * s + 3 * x1 * t * s * s + 3 * x2 * t * t * s + bx * t * t * t - p[2 * i];
      const qy = ay * s * s * s + 3 * y1 * t * s * s + 3 * y2 * t * t * s + by * t * t * t - p[2 * i + 1];
      const d1x = 3 * ((x1 - ax) * s * s + 2 * (x2 - x1) * t * s + (bx - x2) * t * t);
      const d1y = 3 * ((y1 - ay) * s * s + 2 * (y2 - y1) * t * s + (by - y2) * t * t);
      const d2x = 6 * ((x2 - 2 * x1 + ax) * s + (bx - 2 * x2 + x1) * t);
      const d2y = 6 * ((y2 - 2 * y1 + ay) * s + (by - 2 * y2 + y1) * t);
      const num = qx * d1x + qy * d1y;
      const den = d1x * d1x + d1y * d1y + qx * d2x + qy * d2y;
      if (den !== 0) {
        const next = t - num / den;
        u[i] = next < 0 ? 0 : next > 1 ? 1 : next;
      }
    }
  }
}

const FITTER = new Fitter();
