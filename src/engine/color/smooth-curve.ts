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
  const X = (i: number): number => v[((first + i) % n) * 2];
  const Y = (i: number): number => v[((first + i) % n) * 2 + 1];
  const q = (t: number): number => Math.round(t * scale);

  let cx = 0;
  let cy = 0;
  const lineTo = (x: number, y: number): void => {
    const ix = q(x);
    const iy = q(y);
    if (ix === cx && iy === cy) return;
    sink.types.push(SEG_LINE);
    sink.coords.push(0);
    sink.coords.push(0);
    sink.coords.push(ix);
    sink.coords.push(iy);
    cx = ix;
    cy = iy;
  };
  const quadTo = (kx: number, ky: number, x: number, y: number): void => {
    const ik = q(kx);
    const jk = q(ky);
    const ix = q(x);
    const iy = q(y);
    if (ix === cx && iy === cy) return;
    if ((ik === cx && jk === cy) || (ik === ix && jk === iy)) {
      lineTo(x, y);
      return;
    }
    sink.types.push(SEG_QUAD);
    sink.coords.push(ik);
    sink.coords.push(jk);
    sink.coords.push(ix);
    sink.coords.push(iy);
    cx = ix;
    cy = iy;
  };
  // Entry and exit points of the curve around smooth vertex i (relative to `first`).
  const around = (i: number, side: -1 | 1): [number, number] => {
    const j = i + side;
    const dx = X(j) - X(i);
    const dy = Y(j) - Y(i);
    const len = Math.hypot(dx, dy);
    const s = Math.min(len / 2, REACH) / (len || 1);
    return [X(i) + dx * s, Y(i) + dy * s];
  };
  const smoothFirst = closed && !isCorner[first];
  let start: [number, number];
  if (smoothFirst) start = around(0, 1);
  else start = [X(0), Y(0)];
  cx = q(start[0]);
  cy = q(start[1]);
  const startQ: [number, number] = [cx, cy];
  for (let i = 1; i <= count; i++) {
    const idx = (first + i) % n;
    const last = i === count;
    if (isCorner[idx] || (!closed && last)) {
      lineTo(X(i), Y(i));
      continue;
    }
    const [ax, ay] = around(i, -1);
    const [bx, by] = last ? start : around(i, 1);
    lineTo(ax, ay);
    quadTo(X(i), Y(i), bx, by);
  }
  return startQ;
}
