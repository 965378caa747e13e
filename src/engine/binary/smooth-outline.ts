/**
 * Stage 6: corners, curves and curve merging for one polygon.
 *
 * Corners and smoothing follow P. Selinger, "Potrace: a polygon-based tracing
 * algorithm" (2003), section 2.3: the outline crosses each polygon edge once
 * (potrace: at its midpoint; here where the boundary data says, see
 * adjust-vertices.ts); at vertex b between crossings a and c, a cubic with
 * control points a + alpha (b - a) and c + alpha (b - c) has its middle at
 * 3 alpha / 4 of the way from the chord ac to b. Alpha is chosen so that the
 * curve's middle touches the boundary of the unit square around b; a vertex
 * whose alpha exceeds `alphamax` stays a sharp corner (two straight lines),
 * others get alpha clamped to [0.55, 1].
 *
 * Merging replaces potrace's curve optimisation: the smooth outline between
 * two corners (or the whole ring when it has none) is sampled densely and
 * refitted by Schneider's least-squares fitter within `tolerance` pixels
 * (geometry/fit-cubic.ts), with the exact edge directions as end tangents.
 * The edge crossings are the fitter's preferred split points (knots): there
 * the outline's tangent is the edge's direction, so pieces join smoothly and
 * symmetric shapes stay symmetric.
 */
import type { CurveBuilder } from '../geometry/curves.js';
import { fitCubics, type Knots } from '../geometry/fit-cubic.js';
import { keepShape } from '../keep-shapes.js';

/** Longest gap between samples along the outline, in pixels. */
const SAMPLE_STEP = 1.5;
const MAX_SAMPLES_PER_PIECE = 24;

/** Potrace's alpha per vertex (4/3 for a degenerate vertex); `vertices` are x,y pairs of a closed polygon. */
export function vertexAlphas(vertices: Float64Array): Float64Array {
  const n = vertices.length / 2;
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n;
    const q = (i + 1) % n;
    const bx = vertices[2 * i];
    const by = vertices[2 * i + 1];
    const ax = (vertices[2 * p] + bx) / 2;
    const ay = (vertices[2 * p + 1] + by) / 2;
    const cx = (vertices[2 * q] + bx) / 2;
    const cy = (vertices[2 * q + 1] + by) / 2;
    const len = Math.hypot(cx - ax, cy - ay);
    if (len === 0) {
      alpha[i] = 4 / 3;
      continue;
    }
    const nx = -(cy - ay) / len;
    const ny = (cx - ax) / len;
    const d = Math.abs(nx * (bx - ax) + ny * (by - ay));
    // Half-width of the unit square around b measured along the chord's normal.
    const h = 0.5 * (Math.abs(nx) + Math.abs(ny));
    alpha[i] = d > h ? (4 / 3) * (1 - h / d) : 0;
  }
  return alpha;
}

class Samples {
  buf: Float64Array;
  n = 0;
  knotIndex: number[] = [];
  knotTangent: number[] = [];
  knotAt(tx: number, ty: number): void {
    this.knotIndex.push(this.n - 1);
    this.knotTangent.push(tx, ty);
  }
  /** The knots recorded since knot number `from`. */
  knots(from = 0): Knots {
    return {
      index: Int32Array.from(this.knotIndex.slice(from)),
      tangent: Float64Array.from(this.knotTangent.slice(2 * from)),
    };
  }
  constructor(capacity: number) {
    this.buf = new Float64Array(2 * capacity);
  }
  push(x: number, y: number): void {
    if (2 * this.n + 2 > this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[2 * this.n] = x;
    this.buf[2 * this.n + 1] = y;
    this.n++;
  }
  /** Points after (ax, ay) up to (bx, by) inclusive along a straight piece. */
  line(ax: number, ay: number, bx: number, by: number): void {
    const k = Math.min(MAX_SAMPLES_PER_PIECE, Math.ceil(Math.hypot(bx - ax, by - ay) / SAMPLE_STEP));
    for (let i = 1; i < k; i++) this.push(ax + ((bx - ax) * i) / k, ay + ((by - ay) * i) / k);
    this.push(bx, by);
  }
  /** Points after (ax, ay) up to (cx, cy) inclusive along the cubic through corner (bx, by). */
  curve(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, alpha: number): void {
    const x1 = ax + alpha * (bx - ax);
    const y1 = ay + alpha * (by - ay);
    const x2 = cx + alpha * (bx - cx);
    const y2 = cy + alpha * (by - cy);
    const approx = Math.hypot(bx - ax, by - ay) + Math.hypot(cx - bx, cy - by);
    const k = Math.max(2, Math.min(MAX_SAMPLES_PER_PIECE, Math.ceil(approx / SAMPLE_STEP)));
    for (let i = 1; i < k; i++) {
      const t = i / k;
      const s = 1 - t;
      const b0 = s * s * s;
      const b1 = 3 * s * s * t;
      const b2 = 3 * s * t * t;
      const b3 = t * t * t;
      this.push(b0 * ax + b1 * x1 + b2 * x2 + b3 * cx, b0 * ay + b1 * y1 + b2 * y2 + b3 * cy);
    }
    this.push(cx, cy);
  }
}

/**
 * Appends one closed subpath for the polygon `vertices` (x,y pairs) to `out`;
 * `through` holds, per edge, where the outline should cross it.
 * `alphamax` 0 makes every vertex a corner; 4/3 or more makes none.
 */
export function smoothOutline(
  vertices: Float64Array,
  through: Float64Array,
  alphamax: number,
  tolerance: number,
  out: CurveBuilder,
): void {
  const n = vertices.length / 2;
  const alpha = vertexAlphas(vertices);
  const corner = new Uint8Array(n);
  let first = -1;
  for (let i = 0; i < n; i++) {
    corner[i] = alphamax <= 0 || alpha[i] > alphamax ? 1 : 0;
    if (corner[i] && first < 0) first = i;
  }
  const vx = (i: number): number => vertices[2 * (i % n)];
  const vy = (i: number): number => vertices[2 * (i % n) + 1];
  const mid = crossings(vertices, through, corner);
  const mx = (i: number): number => mid[2 * (i % n)];
  const my = (i: number): number => mid[2 * (i % n) + 1];
  const smooth = (i: number): number => Math.min(1, Math.max(0.55, alpha[i % n]));
  const s = new Samples(8 * n + 8);

  if (first < 0) {
    // No corners: one closed smooth loop from the crossing of edge 0, where the tangent is the edge.
    s.push(mx(0), my(0));
    for (let i = 1; i <= n; i++) {
      s.curve(mx(i - 1), my(i - 1), vx(i), vy(i), mx(i), my(i), smooth(i));
      s.knotAt(...unit(vx(i + 1) - vx(i), vy(i + 1) - vy(i)));
    }
    const [tx, ty] = unit(vx(1) - vx(0), vy(1) - vy(0));
    out.moveTo(s.buf[0], s.buf[1]);
    fitCubics(s.buf, 0, s.n - 1, tolerance, out, [tx, ty, -tx, -ty], s.knots());
    out.close();
    return;
  }

  // Chains from corner to corner: corner -> crossing, smooth pieces, crossing -> next corner.
  out.moveTo(vx(first), vy(first));
  let chainStart = 0;
  let chainKnots = 0;
  let startVertex = first;
  s.push(vx(first), vy(first));
  s.line(vx(first), vy(first), mx(first), my(first));
  for (let i = first + 1; i <= first + n; i++) {
    if (corner[i % n]) {
      s.line(mx(i - 1), my(i - 1), vx(i), vy(i));
      const [sx, sy] = unit(vx(startVertex + 1) - vx(startVertex), vy(startVertex + 1) - vy(startVertex));
      const [ex, ey] = unit(vx(i - 1) - vx(i), vy(i - 1) - vy(i));
      fitCubics(s.buf, chainStart, s.n - 1, tolerance, out, [sx, sy, ex, ey], s.knots(chainKnots));
      if (i === first + n) break;
      chainStart = s.n - 1;
      chainKnots = s.knotIndex.length;
      startVertex = i;
      s.line(vx(i), vy(i), mx(i), my(i));
    } else {
      s.curve(mx(i - 1), my(i - 1), vx(i), vy(i), mx(i), my(i), smooth(i));
      if (!corner[(i + 1) % n]) s.knotAt(...unit(vx(i + 1) - vx(i), vy(i + 1) - vy(i)));
    }
  }
  out.close();
}

/**
 * Where the outline crosses each polygon edge: `through` (from the vertex
 * adjustment) where both ends of the edge are smooth, else the midpoint, so
 * the straight pieces at corners stay on the edges.
 */
function crossings(vertices: Float64Array, through: Float64Array, corner: Uint8Array): Float64Array {
  const n = vertices.length / 2;
  const mid = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const q = (i + 1) % n;
    if (!corner[i] && !corner[q]) {
      mid[2 * i] = through[2 * i];
      mid[2 * i + 1] = through[2 * i + 1];
    } else {
      mid[2 * i] = (vertices[2 * i] + vertices[2 * q]) / 2;
      mid[2 * i + 1] = (vertices[2 * i + 1] + vertices[2 * q + 1]) / 2;
    }
  }
  return mid;
}

function unit(x: number, y: number): [number, number] {
  const len = Math.hypot(x, y);
  return len > 0 ? [x / len, y / len] : [0, 0];
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new Samples(4));
