/**
 * A chain's simplified polygon, smoothed and refitted with cubic Béziers.
 *
 * Smoothing follows potrace (Selinger, "Potrace: a polygon-based tracing
 * algorithm", 2003): a vertex whose turn is sharper than the corner
 * threshold stays a corner; at any other vertex the outline leaves the
 * incoming edge at most `REACH` pixels (and at most half the edge) before
 * the vertex and rejoins the outgoing edge as far after it, along a
 * quadratic curve whose control point is the vertex. Neighbouring smooth
 * vertices meet on the edge between them with the edge's direction as
 * tangent.
 *
 * That outline is cut into pieces at corners and at straight stretches of
 * at least `MIN_STRAIGHT` pixels between two curves, which stay lines (a
 * refit would tilt a long straight edge by up to the tolerance, and the eye
 * sees that on axis-parallel edges). Each piece is sampled (every
 * `SAMPLE_STEP` pixels at most) and refitted by Schneider's least-squares
 * cubic fitter (geometry/fit-cubic.ts) within the chain's tolerance, with
 * the edge directions at its ends as end tangents and the points where the
 * outline leaves an edge as preferred split points (knots): there the
 * tangent is known, so pieces join smoothly. Several quadratic pieces
 * usually merge into one cubic, as in the binary tracer's curve stage. A
 * smooth loop with neither corner nor straight stretch is fitted in two
 * halves. With tolerance 0 (along thin features, chain-tolerance.ts) the
 * smoothed outline is written as it is, lines and quadratic curves.
 *
 * A class rather than closures made per chain: its methods are compiled once
 * and its buffers reused from one chain to the next.
 */
import { fitCubics, type SegmentSink } from '../geometry/fit-cubic.js';
import { PointBuffer } from './chain-polyline.js';
import { keepShape } from '../keep-shapes.js';

/** Furthest a curve may start before a smooth vertex, in pixels. */
const REACH = 6;
/** Longest gap between samples along the outline, in pixels. */
const SAMPLE_STEP = 2.5;
/** Shortest straight stretch between two curves that stays a line of its own, in pixels. */
const MIN_STRAIGHT = 6;
/** Most samples per straight piece or per curve. */
const MAX_SAMPLES_PER_PIECE = 24;

/** Length of (x, y); `Math.hypot` is several times slower. */
function len(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

/** Where the outline goes: fitted lines and cubics, and the exact outline's quadratic curves. */
export interface OutlineSink extends SegmentSink {
  quadTo(kx: number, ky: number, x: number, y: number): void;
}

const NO_SINK: OutlineSink = { lineTo() {}, cubicTo() {}, quadTo() {} };

export class PolygonSmoother {
  /** The polygon: x, y pairs, `n` vertices; a closed one has no repeated start. */
  private v: Float64Array = new Float64Array(0);
  private n = 0;
  private closed = false;
  private corner = new Uint8Array(64);
  private readonly samples = new PointBuffer();
  private readonly knotTangent = new PointBuffer();
  private knotIndex = new Int32Array(64);
  private knots = 0;
  /** Scratch for entry and exit points and unit vectors. */
  private readonly a = new Float64Array(2);
  private readonly b = new Float64Array(2);
  private readonly t = new Float64Array(4);
  private readonly cosLimit: number;
  private tolerance = 0;
  /** Tolerance 0: the smoothed outline is written as it is. */
  private exact = false;
  private sink: OutlineSink = NO_SINK;
  /** Start tangent of the current piece. */
  private startX = 0;
  private startY = 0;

  constructor(private readonly cornerDeg: number) {
    this.cosLimit = Math.cos((Math.min(cornerDeg, 180) * Math.PI) / 180);
  }

  /**
   * Fits the polygon `v` (`n` vertices; an open one runs from its first to
   * its last vertex, which are kept exactly) and writes its start point to
   * `start` and its segments to `sink`.
   */
  fit(
    v: Float64Array,
    n: number,
    closed: boolean,
    tolerance: number,
    start: Float64Array,
    sink: OutlineSink,
  ): void {
    this.v = v;
    this.n = n;
    this.closed = closed;
    this.tolerance = tolerance;
    this.exact = tolerance <= 0;
    this.sink = sink;
    const first = this.findCorners();
    if (first >= 0) {
      start[0] = this.X(first);
      start[1] = this.Y(first);
      this.direction(first, first + 1, 0);
      this.begin(start[0], start[1]);
      const last = first + (closed ? n : n - 1);
      for (let i = first + 1; i <= last; i++) this.step(i);
      return;
    }
    // A closed polygon with no corner: from the end of its longest straight stretch, if any, round to it.
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < n; i++) {
      const length = this.stretch(i);
      if (length >= MIN_STRAIGHT && length > bestLen) {
        best = i;
        bestLen = length;
      }
    }
    if (best >= 0) {
      this.around(best + 1, -1, start);
      this.direction(best, best + 1, 0);
      this.begin(start[0], start[1]);
      for (let i = best + 1; i <= best + n; i++) this.step(i);
      return;
    }
    // No straight stretch either: a smooth loop from where the outline leaves edge 0, fitted in
    // two halves (one cubic cannot close a loop; the fitter would only find that out at length).
    this.around(0, 1, start);
    this.direction(0, 1, 0);
    this.begin(start[0], start[1]);
    const half = n >> 1;
    for (let i = 1; i < n; i++) {
      this.step(i);
      if (i === half && !this.exact) {
        const last = this.samples.length;
        const x = this.samples.data[last - 2];
        const y = this.samples.data[last - 1];
        this.direction(i + 1, i, 2);
        this.end();
        this.direction(i, i + 1, 0);
        this.begin(x, y);
      }
    }
    this.around(n, -1, this.a);
    this.line(this.a[0], this.a[1]);
    this.curve(n, start[0], start[1]);
    this.direction(1, 0, 2);
    this.end();
  }

  /** Length of the straight stretch after smooth vertex i, up to the next vertex's curve (or to it, if a corner). */
  private stretch(i: number): number {
    this.around(i, 1, this.b);
    const j = i + 1;
    if (this.isCorner(j)) return len(this.X(j) - this.b[0], this.Y(j) - this.b[1]);
    this.around(j, -1, this.a);
    return len(this.a[0] - this.b[0], this.a[1] - this.b[1]);
  }

  /**
   * Vertex i of the walk: a corner ends the current piece and starts the
   * next; a smooth vertex adds its curve, and a long straight stretch after
   * it is written as a line of its own between two pieces.
   */
  private step(i: number): void {
    if (this.isCorner(i)) {
      this.line(this.X(i), this.Y(i));
      this.direction(i, i - 1, 2);
      this.end();
      this.direction(i, i + 1, 0);
      this.begin(this.X(i), this.Y(i));
      return;
    }
    this.around(i, -1, this.a);
    this.line(this.a[0], this.a[1]);
    this.around(i, 1, this.b);
    this.curve(i, this.b[0], this.b[1]);
    const j = i + 1;
    if (this.isCorner(j)) {
      this.a[0] = this.X(j);
      this.a[1] = this.Y(j);
    } else this.around(j, -1, this.a);
    if (len(this.a[0] - this.b[0], this.a[1] - this.b[1]) >= MIN_STRAIGHT) {
      this.direction(j, i, 2);
      this.end();
      this.sink.lineTo(this.a[0], this.a[1]);
      this.direction(i, j, 0);
      this.begin(this.a[0], this.a[1]);
    } else if (!this.isCorner(j)) this.knotOnEdge(i);
  }

  /** Marks corners; returns the first, or -1 for a closed polygon with none. */
  private findCorners(): number {
    const { n, v } = this;
    if (this.corner.length < n) this.corner = new Uint8Array(n * 2);
    const corner = this.corner;
    let first = -1;
    for (let i = 0; i < n; i++) {
      let c = 1;
      if (this.closed || (i > 0 && i < n - 1)) {
        const p = (i + n - 1) % n;
        const q = (i + 1) % n;
        const ax = v[i * 2] - v[p * 2];
        const ay = v[i * 2 + 1] - v[p * 2 + 1];
        const bx = v[q * 2] - v[i * 2];
        const by = v[q * 2 + 1] - v[i * 2 + 1];
        const la = len(ax, ay);
        const lb = len(bx, by);
        const cos = la > 0 && lb > 0 ? (ax * bx + ay * by) / (la * lb) : 1;
        c = this.cornerDeg <= 0 || cos < this.cosLimit ? 1 : 0;
      }
      corner[i] = c;
      if (c && first < 0) first = i;
    }
    return first;
  }

  private X(i: number): number {
    return this.v[(i % this.n) * 2];
  }

  private Y(i: number): number {
    return this.v[(i % this.n) * 2 + 1];
  }

  private isCorner(i: number): boolean {
    return this.corner[i % this.n] === 1;
  }

  /** Unit direction of the edge from vertex i to vertex j, into t[k], t[k + 1]. */
  private direction(i: number, j: number, k: number): void {
    const dx = this.X(j) - this.X(i);
    const dy = this.Y(j) - this.Y(i);
    const d = len(dx, dy);
    this.t[k] = d > 0 ? dx / d : 0;
    this.t[k + 1] = d > 0 ? dy / d : 0;
  }

  /** Where the outline leaves (side 1) or joins (side -1) the edge at smooth vertex i, into `out`. */
  private around(i: number, side: number, out: Float64Array): void {
    const j = i + side;
    const dx = this.X(j) - this.X(i);
    const dy = this.Y(j) - this.Y(i);
    const d = len(dx, dy);
    const s = Math.min(d / 2, REACH) / (d || 1);
    out[0] = this.X(i) + dx * s;
    out[1] = this.Y(i) + dy * s;
  }

  /** Samples after the last one up to (x, y), along a straight line. */
  private line(x: number, y: number): void {
    const s = this.samples;
    const x0 = s.data[s.length - 2];
    const y0 = s.data[s.length - 1];
    if (x === x0 && y === y0) return;
    if (this.exact) {
      this.sink.lineTo(x, y);
      s.push(x, y);
      return;
    }
    const k = Math.min(MAX_SAMPLES_PER_PIECE, Math.ceil(len(x - x0, y - y0) / SAMPLE_STEP));
    for (let j = 1; j < k; j++) s.push(x0 + ((x - x0) * j) / k, y0 + ((y - y0) * j) / k);
    s.push(x, y);
  }

  /** Samples of the quadratic curve from the last sample round vertex i to (x, y). */
  private curve(i: number, x: number, y: number): void {
    const s = this.samples;
    const x0 = s.data[s.length - 2];
    const y0 = s.data[s.length - 1];
    const kx = this.X(i);
    const ky = this.Y(i);
    if (this.exact) {
      this.sink.quadTo(kx, ky, x, y);
      s.push(x, y);
      return;
    }
    const approx = len(kx - x0, ky - y0) + len(x - kx, y - ky);
    const k = Math.max(2, Math.min(MAX_SAMPLES_PER_PIECE, Math.ceil(approx / SAMPLE_STEP)));
    for (let j = 1; j < k; j++) {
      const t = j / k;
      const u = 1 - t;
      s.push(u * u * x0 + 2 * t * u * kx + t * t * x, u * u * y0 + 2 * t * u * ky + t * t * y);
    }
    s.push(x, y);
  }

  /** Records the last sample as a knot whose tangent is the direction of edge i -> i + 1. */
  private knotOnEdge(i: number): void {
    if (this.knots === this.knotIndex.length) {
      const k = new Int32Array(this.knots * 2);
      k.set(this.knotIndex);
      this.knotIndex = k;
    }
    this.knotIndex[this.knots++] = this.samples.length / 2 - 1;
    this.direction(i, i + 1, 0);
    this.knotTangent.push(this.t[0], this.t[1]);
  }

  /** Starts a piece at (x, y); its start tangent must be in t[0], t[1]. */
  private begin(x: number, y: number): void {
    this.samples.length = 0;
    this.knotTangent.length = 0;
    this.knots = 0;
    this.samples.push(x, y);
    this.startX = this.t[0];
    this.startY = this.t[1];
  }

  /** Fits the current piece (end tangent in t[2], t[3], pointing back into it), if it has any length. */
  private end(): void {
    if (this.exact) return;
    const count = this.samples.length / 2;
    if (count < 2) return;
    const pts = this.samples.data;
    if (count === 2) {
      this.sink.lineTo(pts[2], pts[3]);
      return;
    }
    const knots =
      this.knots > 0
        ? {
            index: this.knotIndex.subarray(0, this.knots),
            tangent: this.knotTangent.data.subarray(0, this.knotTangent.length),
          }
        : null;
    this.t[0] = this.startX;
    this.t[1] = this.startY;
    fitCubics(pts, 0, count - 1, this.tolerance, this.sink, this.t, knots);
  }
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
// Both kinds of outline once (with corners, and smooth), so the template's
// fields reach the representations real calls give them (doubles, not small integers).
const template = keepShape(new PolygonSmoother(60));
template.fit(
  Float64Array.of(0, 0, 10.5, 0, 10.5, 7.25, 0, 7.25),
  4,
  true,
  0.65,
  new Float64Array(2),
  NO_SINK,
);
template.fit(
  Float64Array.of(3.5, 0, 7.5, 0, 10.5, 3.5, 10.5, 7.5, 7.5, 10.5, 3.5, 10.5, 0, 7.5, 0, 3.5),
  8,
  true,
  0.65,
  new Float64Array(2),
  NO_SINK,
);
template.fit(Float64Array.of(0, 0, 5.5, 1.25, 11, 0), 3, false, 0.65, new Float64Array(2), NO_SINK);
