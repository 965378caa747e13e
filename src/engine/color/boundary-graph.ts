/**
 * The boundary graph of a region map. Boundaries run along pixel edges
 * ("cracks") on the (W+1) x (H+1) lattice of pixel corners. A lattice vertex
 * where three or more boundary edges meet is a junction; every boundary is
 * cut at junctions into chains, each walked exactly once, so the two regions
 * on either side of a chain later share one fitted curve (one forward, one
 * reversed) and can never gap or overlap. Boundaries with no junction (an
 * island inside a single region) are closed chains.
 *
 * Layout: chain c starts at lattice vertex `start[c]` (y * (W+1) + x) and
 * takes the unit steps `dirs[offset[c] .. offset[c+1])` (0 east, 1 south,
 * 2 west, 3 north; y grows downwards). `left[c]` is the region on the left
 * of the walk and `right[c]` the one on the right: -1 for transparent
 * pixels, -2 for outside the image.
 */
import { Int32List, Uint8List } from './buffers.js';

export interface Chains {
  readonly count: number;
  /** Lattice row stride: image width + 1. */
  readonly stride: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly offset: Int32Array;
  readonly dirs: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** 1 for closed chains (start === end, no junction on them). */
  readonly closed: Uint8Array;
}

export const DX = [1, 0, -1, 0];
export const DY = [0, 1, 0, -1];

/**
 * Extracts the chains of `labels` (the framed layout of `Regions.labels`:
 * pixel (x, y) at `(y + 1) * (width + 2) + x + 1`, a frame of -2 around).
 * The four pixels around lattice vertex (x, y) are then at b, b + 1,
 * b + s and b + s + 1 with b = y * s + x and s = width + 2.
 */
export function extractChains(labels: Int32Array, width: number, height: number): Chains {
  const w = width;
  const h = height;
  const s = w + 2;
  const stride = w + 1;
  const P = labels;
  // Boundary edge leaving vertex (x, y) in direction d (`b` is y * s + x):
  // the two pixels on either side of it are at b + EA[d] and b + EB[d].
  const EA = Int32Array.of(1, s, 0, 0);
  const EB = Int32Array.of(s + 1, s + 1, s, 1);
  const hasEdge = (b: number, d: number): boolean => P[b + EA[d]] !== P[b + EB[d]];
  const degree = (b: number): number => {
    const nw = P[b];
    const ne = P[b + 1];
    const sw = P[b + s];
    const se = P[b + s + 1];
    return +(ne !== se) + +(sw !== se) + +(nw !== sw) + +(nw !== ne);
  };
  // Bit 0: the edge east of vertex (x, y); bit 1: the edge south of it.
  const visited = new Uint8Array(stride * (h + 1));
  const edgeVertex = (x: number, y: number, d: number): number =>
    d === 2 ? y * stride + x - 1 : d === 3 ? (y - 1) * stride + x : y * stride + x;

  const start = new Int32List();
  const end = new Int32List();
  const offset = new Int32List();
  const left = new Int32List();
  const right = new Int32List();
  const closed = new Uint8List();
  const dirs = new Uint8List(4 * (w + h));
  // Left and right pixel of a step in direction d from the vertex with base b.
  const LEFT = [1, s + 1, s, 0];
  const RIGHT = [s + 1, s, 0, 1];
  const DB = [1, s, -1, -s];

  const walk = (x0: number, y0: number, d0: number, loop: boolean): void => {
    const b0 = y0 * s + x0;
    offset.push(dirs.length);
    start.push(y0 * stride + x0);
    left.push(P[b0 + LEFT[d0]]);
    right.push(P[b0 + RIGHT[d0]]);
    let x = x0;
    let y = y0;
    let b = b0;
    let d = d0;
    for (;;) {
      visited[edgeVertex(x, y, d)] |= d & 1 ? 2 : 1;
      dirs.push(d);
      x += DX[d];
      y += DY[d];
      b += DB[d];
      if (b === b0 || (!loop && degree(b) >= 3)) break;
      const back = (d + 2) & 3;
      let next = 0;
      while (next === back || !hasEdge(b, next)) next++;
      d = next;
    }
    end.push(y * stride + x);
    closed.push(loop ? 1 : 0);
  };

  // Vertices (x, y) with a boundary edge to the east, in scan order: where closed chains may start.
  const east = new Int32List(4 * (w + h));
  for (let y = 0; y <= h; y++) {
    // The pixels north-west and south-west of the vertex carry over from the previous one.
    let nw = P[y * s];
    let sw = P[y * s + s];
    for (let x = 0, b = y * s; x <= w; x++, b++) {
      const ne = P[b + 1];
      const se = P[b + s + 1];
      if (ne !== se && x < w) {
        east.push(x);
        east.push(y);
      }
      // Equal pixels on both rows leave at most two edges: no junction (most vertices).
      const flat = nw === ne && sw === se;
      nw = ne;
      sw = se;
      if (flat || degree(b) < 3) continue;
      for (let d = 0; d < 4; d++) {
        if (hasEdge(b, d) && !(visited[edgeVertex(x, y, d)] & (d & 1 ? 2 : 1))) walk(x, y, d, false);
      }
    }
  }
  for (let k = 0; k < east.length; k += 2) {
    const x = east.data[k];
    const y = east.data[k + 1];
    if (!(visited[y * stride + x] & 1)) walk(x, y, 0, true);
  }
  offset.push(dirs.length);
  return {
    count: start.length,
    stride,
    start: start.toArray(),
    end: end.toArray(),
    offset: offset.toArray(),
    dirs: dirs.toArray(),
    left: left.toArray(),
    right: right.toArray(),
    closed: closed.toArray(),
  };
}
