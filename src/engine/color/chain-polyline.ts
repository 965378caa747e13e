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

/** Chains short enough to keep as their exact pixel outline, unsimplified. */
export function isTiny(closed: boolean, steps: number): boolean {
  return steps <= (closed ? 8 : 4);
}

/** Writes the polyline of chain `c` as x, y pairs into a fresh array. */
export function chainPolyline(chains: Chains, c: number): Float64Array {
  const { dirs, stride } = chains;
  const from = chains.offset[c];
  const to = chains.offset[c + 1];
  const closed = chains.closed[c] === 1;
  // Runs of equal direction: [dir, length] pairs.
  const runDir: number[] = [];
  const runLen: number[] = [];
  for (let i = from; i < to; i++) {
    const d = dirs[i];
    if (runDir.length > 0 && runDir[runDir.length - 1] === d) runLen[runLen.length - 1]++;
    else {
      runDir.push(d);
      runLen.push(1);
    }
  }
  if (closed && runDir.length > 1 && runDir[0] === runDir[runDir.length - 1]) {
    // A closed chain that starts inside a run: rotate so it starts at a turn.
    const lastLen = runLen.pop()!;
    runDir.pop();
    runLen[0] += lastLen;
    return polylineOfRuns(
      (chains.start[c] % stride) - lastLen * DX[runDir[0]],
      Math.floor(chains.start[c] / stride) - lastLen * DY[runDir[0]],
      runDir,
      runLen,
      closed,
    );
  }
  return polylineOfRuns(
    chains.start[c] % stride,
    Math.floor(chains.start[c] / stride),
    runDir,
    runLen,
    closed,
  );
}

function polylineOfRuns(
  x0: number,
  y0: number,
  runDir: number[],
  runLen: number[],
  closed: boolean,
): Float64Array {
  const out: number[] = [];
  if (!closed) out.push(x0, y0);
  let steps = 0;
  for (const len of runLen) steps += len;
  const tiny = isTiny(closed, steps);
  let x = x0;
  let y = y0;
  const n = runDir.length;
  for (let r = 0; r < n; r++) {
    const d = runDir[r];
    const len = runLen[r];
    const prevLen = r > 0 ? runLen[r - 1] : closed ? runLen[n - 1] : 0;
    if ((r > 0 || closed) && ((len >= 2 && prevLen >= 2) || tiny)) out.push(x, y);
    if (!tiny) {
      out.push(x + DX[d] * 0.5, y + DY[d] * 0.5);
      if (len > 1) out.push(x + DX[d] * (len - 0.5), y + DY[d] * (len - 0.5));
    }
    x += DX[d] * len;
    y += DY[d] * len;
  }
  if (!closed) out.push(x, y);
  return Float64Array.from(out);
}
