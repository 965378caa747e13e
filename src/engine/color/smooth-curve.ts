/**
 * Turns a simplified polygon into lines and quadratic Bézier curves, in the
 * spirit of potrace's smoothing (Selinger, "Potrace: a polygon-based tracing
 * algorithm", 2003): a vertex whose turn is sharper than the corner
 * threshold stays a corner; at any other vertex the path leaves the incoming
 * edge at most `reach` pixels (and at most half the edge) before the vertex
 * and rejoins the outgoing edge as far after it, along a quadratic curve
 * whose control point is the vertex. Neighbouring smooth vertices then meet
 * at edge midpoints with matching tangents, so the result is smooth there.
 *
 * Output coordinates are integers in units of 10^-precision pixels, rounded
 * once here, so every user of a fitted chain sees identical numbers.
 */
import type { Int32List, Uint8List } from './buffers.js';

export const SEG_LINE = 0;
export const SEG_QUAD = 1;

/** Furthest a curve may start before a smooth vertex, in pixels. */
const REACH = 6;

export interface SegmentSink {
  readonly types: Uint8List;
  /** Four integers per segment: control x, y (0 for lines), end x, y. */
  readonly coords: Int32List;
}

/**
 * Writes segments in output units, skipping those that do not move. A class
 * rather than closures made per chain: its methods are compiled once.
 */
class SegmentWriter {
  cx = 0;
  cy = 0;

  constructor(
    private readonly sink: SegmentSink,
    private readonly scale: number,
  ) {}

  q(t: number): number {
    return Math.round(t * this.scale);
  }

  moveTo(x: number, y: number): void {
    this.cx = this.q(x);
    this.cy = this.q(y);
  }

  lineTo(x: number, y: number): void {
    const ix = this.q(x);
    const iy = this.q(y);
    if (ix === this.cx && iy === this.cy) return;
    this.emit(SEG_LINE, 0, 0, ix, iy);
  }

  quadTo(kx: number, ky: number, x: number, y: number): void {
    const ik = this.q(kx);
    const jk = this.q(ky);
    const ix = this.q(x);
    const iy = this.q(y);
    if (ix === this.cx && iy === this.cy) return;
    if ((ik === this.cx && jk === this.cy) || (ik === ix && jk === iy)) {
      this.lineTo(x, y);
      return;
    }
    this.emit(SEG_QUAD, ik, jk, ix, iy);
  }

  private emit(type: number, kx: number, ky: number, x: number, y: number): void {
    const { types, coords } = this.sink;
    types.push(type);
    coords.push(kx);
    coords.push(ky);
    coords.push(x);
    coords.push(y);
    this.cx = x;
    this.cy = y;
  }
}

/**
 * The polygon's vertices counted from vertex `first`, wrapping around; and
 * the entry and exit points of the curve around smooth vertex i, into `out`.
 */
class Rotated {
  constructor(
    private readonly v: Float64Array,
    private readonly first: number,
    private readonly n: number,
  ) {}

  X(i: number): number {
    return this.v[((this.first + i) % this.n) * 2];
  }

  Y(i: number): number {
    return this.v[((this.first + i) % this.n) * 2 + 1];
  }

  around(i: number, side: -1 | 1, out: Float64Array): void {
    const j = i + side;
    const dx = this.X(j) - this.X(i);
    const dy = this.Y(j) - this.Y(i);
    const len = Math.hypot(dx, dy);
    const s = Math.min(len / 2, REACH) / (len || 1);
    out[0] = this.X(i) + dx * s;
    out[1] = this.Y(i) + dy * s;
  }
}

/**
 * Emits the segments of the polygon `v` (x, y pairs; for a closed polygon
 * without a repeated start) into `sink`, and returns the start point [x, y]
 * in output units. An open polygon runs from its first to its last point.
 */
export function smoothPolygon(
  v: Float64Array,
  closed: boolean,
  cornerDeg: number,
  scale: number,
  sink: SegmentSink,
): [number, number] {
  const n = v.length / 2;
  const cosLimit = Math.cos((Math.min(cornerDeg, 180) * Math.PI) / 180);
  const isCorner = new Uint8Array(n);
  const count = closed ? n : n - 1;
  for (let i = 0; i < n; i++) {
    if (!closed && (i === 0 || i === n - 1)) {
      isCorner[i] = 1;
      continue;
    }
    const p = (i + n - 1) % n;
    const q = (i + 1) % n;
    const ax = v[i * 2] - v[p * 2];
    const ay = v[i * 2 + 1] - v[p * 2 + 1];
    const bx = v[q * 2] - v[i * 2];
    const by = v[q * 2 + 1] - v[i * 2 + 1];
    const la = Math.hypot(ax, ay);
    const lb = Math.hypot(bx, by);
    const cos = la > 0 && lb > 0 ? (ax * bx + ay * by) / (la * lb) : 1;
    isCorner[i] = cornerDeg <= 0 || cos < cosLimit ? 1 : 0;
  }
  let first = 0;
  if (closed) {
    first = isCorner.indexOf(1);
    if (first < 0) first = 0;
  }
  const p = new Rotated(v, first, n);
  const out = new SegmentWriter(sink, scale);
  const a = new Float64Array(2);
  const start = new Float64Array(2);
  const smoothFirst = closed && !isCorner[first];
  if (smoothFirst) p.around(0, 1, start);
  else {
    start[0] = p.X(0);
    start[1] = p.Y(0);
  }
  out.moveTo(start[0], start[1]);
  const startQ: [number, number] = [out.cx, out.cy];
  for (let i = 1; i <= count; i++) {
    const idx = (first + i) % n;
    const last = i === count;
    if (isCorner[idx] || (!closed && last)) {
      out.lineTo(p.X(i), p.Y(i));
      continue;
    }
    p.around(i, -1, a);
    out.lineTo(a[0], a[1]);
    if (last) out.quadTo(p.X(i), p.Y(i), start[0], start[1]);
    else {
      p.around(i, 1, a);
      out.quadTo(p.X(i), p.Y(i), a[0], a[1]);
    }
  }
  return startQ;
}
