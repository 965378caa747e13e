/**
 * A chain's staircase of unit pixel edges as a polyline that follows the
 * edge it stands for. Each straight run of unit steps is represented by the
 * midpoints of its first and last step: midpoints of a diagonal staircase lie
 * on one straight line, so jaggies vanish before simplification. A turn
 * between two runs of at least two steps each is a real corner of the
 * pixels (a rectangle's corner, not a staircase), and the lattice vertex is
 * kept. A tiny chain (a closed one of at most 8 steps, an open one of at
 * most 4) is left as its exact pixel outline, lattice turns only: a speck of
 * a pixel or two stays a little square, not a diamond of half its area, and
 * the pixels of a one-pixel diagonal line (which meet at saddle junctions)
 * keep their area. Open chains keep their end vertices (junctions)
 * exactly; the points
 * of a closed chain are cyclic, with no repeated start.
 */
import type { Chains } from './boundary-graph.js';
import { DX, DY } from './boundary-graph.js';
import { keepShape } from '../keep-shapes.js';

/** Chains short enough to keep as their exact pixel outline, unsimplified. */
export function isTiny(closed: boolean, steps: number): boolean {
  return steps <= (closed ? 8 : 4);
}

/** A reusable, growing buffer of x, y pairs. */
export class PointBuffer {
  data = new Float64Array(256);
  length = 0;
  push(x: number, y: number): void {
    if (this.length + 2 > this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
    this.data[this.length++] = y;
  }
}

/** Step t of an n-step chain whose steps start at `from`, counted from step `rot`. */
function dirAt(dirs: Uint8Array, from: number, rot: number, n: number, t: number): number {
  return dirs[from + ((rot + t) % n)];
}

/**
 * Writes the polyline of chain `c` as x, y pairs into `out` (cleared first)
 * and returns the number of points. Walks the chain's steps run by run,
 * with no intermediate arrays.
 */
export function chainPolyline(chains: Chains, c: number, out: PointBuffer): number {
  const { dirs, stride } = chains;
  const from = chains.offset[c];
  const n = chains.offset[c + 1] - from;
  const closed = chains.closed[c] === 1;
  out.length = 0;
  let x = chains.start[c] % stride;
  let y = Math.floor(chains.start[c] / stride);
  // A closed chain that starts inside a run is rotated to start at a turn.
  let rot = 0;
  if (closed && dirs[from] === dirs[from + n - 1]) {
    const d = dirs[from];
    rot = n - 1;
    while (rot > 0 && dirs[from + rot - 1] === d) rot--;
    x -= (n - rot) * DX[d];
    y -= (n - rot) * DY[d];
  }
  const tiny = isTiny(closed, n);
  // Length of the last run, the one before the first for a closed chain.
  let prevLen = 0;
  if (closed) {
    const d = dirAt(dirs, from, rot, n, n - 1);
    while (prevLen < n && dirAt(dirs, from, rot, n, n - 1 - prevLen) === d) prevLen++;
  } else out.push(x, y);
  let first = true;
  for (let t = 0; t < n;) {
    const d = dirAt(dirs, from, rot, n, t);
    let len = 1;
    while (t + len < n && dirAt(dirs, from, rot, n, t + len) === d) len++;
    if ((!first || closed) && ((len >= 2 && prevLen >= 2) || tiny)) out.push(x, y);
    if (!tiny) {
      out.push(x + DX[d] * 0.5, y + DY[d] * 0.5);
      if (len > 1) out.push(x + DX[d] * (len - 0.5), y + DY[d] * (len - 0.5));
    }
    x += DX[d] * len;
    y += DY[d] * len;
    prevLen = len;
    first = false;
    t += len;
  }
  if (!closed) out.push(x, y);
  return out.length / 2;
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new PointBuffer());
