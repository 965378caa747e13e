/**
 * Fits every chain of the boundary graph once: staircase -> polyline ->
 * Douglas-Peucker -> lines and quadratic curves in integer output units.
 * The simplification tolerance comes per chain (chain-tolerance.ts).
 * Regions on both sides of a chain use this one result (one of them in
 * reverse), which is what makes shared edges identical.
 *
 * Layout: chain c starts at (startX[c], startY[c]) and its segments are
 * `from[c] .. from[c+1]` in `types` (SEG_LINE / SEG_QUAD) and `coords`
 * (4 per segment: control x, y, end x, y), all in units of 10^-precision px.
 */
import type { Chains } from './boundary-graph.js';
import { Int32List, Uint8List } from './buffers.js';
import { chainPolyline, isTiny, PointBuffer } from './chain-polyline.js';
import { simplifyPolyline } from './simplify.js';
import { smoothPolygon } from './smooth-curve.js';

export interface FittedChains {
  readonly count: number;
  readonly startX: Int32Array;
  readonly startY: Int32Array;
  readonly from: Int32Array;
  readonly types: Uint8Array;
  readonly coords: Int32Array;
}

export interface FitSettings {
  /** Corner threshold in degrees. */
  readonly cornerDeg: number;
  /** Decimal places of the output. */
  readonly precision: number;
}

/** Kept point indices of a closed polyline, never fewer than three (a ring needs an area). */
function closedKeep(pts: Float64Array, keep: Int32Array): Int32Array {
  const n = pts.length / 2;
  if (keep.length >= 3) return keep;
  if (n <= 8) return Int32Array.from({ length: n }, (_, i) => i);
  return Int32Array.of(0, Math.round(n / 3), Math.round((2 * n) / 3));
}

export function fitChains(chains: Chains, tolerance: Float64Array, settings: FitSettings): FittedChains {
  const scale = Math.pow(10, settings.precision);
  const startX = new Int32Array(chains.count);
  const startY = new Int32Array(chains.count);
  const from = new Int32Array(chains.count + 1);
  const sink = { types: new Uint8List(chains.count * 4), coords: new Int32List(chains.count * 16) };
  const buffer = new PointBuffer();
  for (let c = 0; c < chains.count; c++) {
    from[c] = sink.types.length;
    const closed = chains.closed[c] === 1;
    const count = chainPolyline(chains, c, buffer);
    const pts = buffer.data.subarray(0, count * 2);
    const tiny = isTiny(closed, chains.offset[c + 1] - chains.offset[c]);
    let keep = tiny
      ? Int32Array.from({ length: pts.length / 2 }, (_, i) => i)
      : simplifyPolyline(pts, closed, tolerance[c]);
    if (closed) keep = closedKeep(pts, keep);
    const v = new Float64Array(keep.length * 2);
    for (let i = 0; i < keep.length; i++) {
      v[i * 2] = pts[keep[i] * 2];
      v[i * 2 + 1] = pts[keep[i] * 2 + 1];
    }
    const [sx, sy] = smoothPolygon(v, closed, settings.cornerDeg, scale, sink);
    startX[c] = sx;
    startY[c] = sy;
  }
  from[chains.count] = sink.types.length;
  return {
    count: chains.count,
    startX,
    startY,
    from,
    types: sink.types.toArray(),
    coords: sink.coords.toArray(),
  };
}
