/**
 * Fits every chain once: staircase to polyline (chain-polyline.ts),
 * Douglas-Peucker simplification (simplify.ts), then potrace-style smoothing
 * refitted with cubic Béziers (smooth-polygon.ts), with the chain's end
 * points (junctions) kept exactly. Both regions along a chain use this one
 * result, one forward and one reversed, so shared boundaries match exactly.
 *
 * The result is geometry's `Chain` layout (geometry/curves.ts) for all
 * chains in flat arrays: chain c has the segments `kinds[from[c] ..
 * from[c + 1])` (`LINE`, `CUBIC` or `QUAD`) and the points (x, y pairs, in
 * pixels) `pts[at[c] .. at[c + 1])`: its start point, then one point per
 * line, three per cubic and two per quadratic curve.
 */
import { CUBIC, LINE, QUAD } from '../geometry/curves.js';
import type { Chains } from './boundary-graph.js';
import type { ChainTolerances } from './chain-tolerance.js';
import { Uint8List } from './buffers.js';
import { chainPolyline, isTiny, PointBuffer } from './chain-polyline.js';
import { simplifyPolyline } from './simplify.js';
import { PolygonSmoother, type OutlineSink } from './smooth-polygon.js';
import { keepShape } from '../keep-shapes.js';

export interface FittedChains {
  readonly count: number;
  readonly from: Int32Array;
  readonly kinds: Uint8Array;
  readonly at: Int32Array;
  readonly pts: Float64Array;
}

/** Segments of all chains, appended in order. */
class ChainSink implements OutlineSink {
  readonly kinds = new Uint8List(1024);
  readonly pts = new PointBuffer();

  lineTo(x: number, y: number): void {
    this.kinds.push(LINE);
    this.pts.push(x, y);
  }

  cubicTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    this.kinds.push(CUBIC);
    this.pts.push(x1, y1);
    this.pts.push(x2, y2);
    this.pts.push(x, y);
  }

  quadTo(kx: number, ky: number, x: number, y: number): void {
    this.kinds.push(QUAD);
    this.pts.push(kx, ky);
    this.pts.push(x, y);
  }
}

/** Kept point indices of a closed polyline, never fewer than three (a ring needs an area). */
function closedKeep(pts: Float64Array, keep: Int32Array): Int32Array {
  const n = pts.length / 2;
  if (keep.length >= 3) return keep;
  if (n <= 8) return Int32Array.from({ length: n }, (_, i) => i);
  return Int32Array.of(0, Math.round(n / 3), Math.round((2 * n) / 3));
}

/** Fits each chain within its tolerances; vertices turning more than `cornerDeg` degrees stay corners. */
export function fitChains(chains: Chains, tolerance: ChainTolerances, cornerDeg: number): FittedChains {
  const from = new Int32Array(chains.count + 1);
  const at = new Int32Array(chains.count + 1);
  const sink = new ChainSink();
  const buffer = new PointBuffer();
  const smoother = new PolygonSmoother(cornerDeg);
  const start = new Float64Array(2);
  let v = new Float64Array(64);
  for (let c = 0; c < chains.count; c++) {
    from[c] = sink.kinds.length;
    at[c] = sink.pts.length;
    const closed = chains.closed[c] === 1;
    const count = chainPolyline(chains, c, buffer);
    const pts = buffer.data.subarray(0, count * 2);
    // A tiny chain keeps every point: its exact pixel outline.
    let n = count;
    if (v.length < count * 2) v = new Float64Array(count * 4);
    if (isTiny(closed, chains.offset[c + 1] - chains.offset[c])) v.set(pts);
    else {
      let keep = simplifyPolyline(pts, closed, tolerance.simplify[c]);
      if (closed) keep = closedKeep(pts, keep);
      n = keep.length;
      for (let i = 0; i < n; i++) {
        v[i * 2] = pts[keep[i] * 2];
        v[i * 2 + 1] = pts[keep[i] * 2 + 1];
      }
    }
    // The start point goes before the segments, which the smoother writes as it fits.
    const startAt = sink.pts.length;
    sink.pts.push(0, 0);
    smoother.fit(v, n, closed, tolerance.fit[c], start, sink);
    sink.pts.data[startAt] = start[0];
    sink.pts.data[startAt + 1] = start[1];
  }
  from[chains.count] = sink.kinds.length;
  at[chains.count] = sink.pts.length;
  return {
    count: chains.count,
    from,
    kinds: sink.kinds.toArray(),
    at,
    pts: sink.pts.data.slice(0, sink.pts.length),
  };
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new ChainSink());
