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
import { keepShape } from '../keep-shapes.js';

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
 * The walker's state. Its helpers are methods rather than closures made per
 * call, so the JIT's optimised code (which inlines them) stays valid from
 * one image to the next.
 */
class ChainWalker {
  readonly s: number;
  readonly stride: number;
  /** Boundary edge leaving the vertex with base b in direction d: the pixels on either side are at b + EA[d] and b + EB[d]. */
  private readonly EA: Int32Array;
  private readonly EB: Int32Array;
  /** Left and right pixel of a step in direction d from the vertex with base b. */
  private readonly LEFT: Int32Array;
  private readonly RIGHT: Int32Array;
  /** Change of base per step in direction d. */
  private readonly DB: Int32Array;
  /** Bit 0: the edge east of vertex (x, y) was walked; bit 1: the edge south of it. */
  readonly visited: Uint8Array;
  readonly start = new Int32List();
  readonly end = new Int32List();
  readonly offset = new Int32List();
  readonly left = new Int32List();
  readonly right = new Int32List();
  readonly closed = new Uint8List();
  readonly dirs: Uint8List;

  constructor(
    readonly P: Int32Array,
    w: number,
    h: number,
  ) {
    const s = (this.s = w + 2);
    this.stride = w + 1;
    this.EA = Int32Array.of(1, s, 0, 0);
    this.EB = Int32Array.of(s + 1, s + 1, s, 1);
    this.LEFT = Int32Array.of(1, s + 1, s, 0);
    this.RIGHT = Int32Array.of(s + 1, s, 0, 1);
    this.DB = Int32Array.of(1, s, -1, -s);
    this.visited = new Uint8Array(this.stride * (h + 1));
    this.dirs = new Uint8List(4 * (w + h));
  }

  hasEdge(b: number, d: number): boolean {
    return this.P[b + this.EA[d]] !== this.P[b + this.EB[d]];
  }

  /** Boundary edges meeting at the vertex with base b. */
  degree(b: number): number {
    const { P, s } = this;
    const nw = P[b];
    const ne = P[b + 1];
    const sw = P[b + s];
    const se = P[b + s + 1];
    return +(ne !== se) + +(sw !== se) + +(nw !== sw) + +(nw !== ne);
  }

  /** Index into `visited` of the edge leaving (x, y) in direction d. */
  edgeVertex(x: number, y: number, d: number): number {
    const stride = this.stride;
    return d === 2 ? y * stride + x - 1 : d === 3 ? (y - 1) * stride + x : y * stride + x;
  }

  /** Walks one chain from (x0, y0) in direction d0 to the next junction (or, for a loop, back to its start). */
  walk(x0: number, y0: number, d0: number, loop: boolean): void {
    const { P, s, stride, visited, dirs, DB } = this;
    const b0 = y0 * s + x0;
    this.offset.push(dirs.length);
    this.start.push(y0 * stride + x0);
    this.left.push(P[b0 + this.LEFT[d0]]);
    this.right.push(P[b0 + this.RIGHT[d0]]);
    let x = x0;
    let y = y0;
    let b = b0;
    let d = d0;
    for (;;) {
      visited[this.edgeVertex(x, y, d)] |= d & 1 ? 2 : 1;
      dirs.push(d);
      x += DX[d];
      y += DY[d];
      b += DB[d];
      if (b === b0 || (!loop && this.degree(b) >= 3)) break;
      const back = (d + 2) & 3;
      let next = 0;
      while (next === back || !this.hasEdge(b, next)) next++;
      d = next;
    }
    this.end.push(y * stride + x);
    this.closed.push(loop ? 1 : 0);
  }
}

/**
 * Extracts the chains of `labels` (the framed layout of `Regions.labels`:
 * pixel (x, y) at `(y + 1) * (width + 2) + x + 1`, a frame of -2 around).
 * The four pixels around lattice vertex (x, y) are then at b, b + 1,
 * b + s and b + s + 1 with b = y * s + x and s = width + 2.
 */
export function extractChains(labels: Int32Array, width: number, height: number): Chains {
  const w = width;
  const h = height;
  const walker = new ChainWalker(labels, w, h);
  const { s, stride, visited } = walker;
  const P = labels;
  for (let y = 0; y <= h; y++) {
    // The pixels north-west and south-west of the vertex carry over from the previous one.
    let nw = P[y * s];
    let sw = P[y * s + s];
    for (let x = 0, b = y * s; x <= w; x++, b++) {
      const ne = P[b + 1];
      const se = P[b + s + 1];
      // Equal pixels on both rows leave at most two edges: no junction (most vertices).
      const flat = nw === ne && sw === se;
      nw = ne;
      sw = se;
      if (flat || walker.degree(b) < 3) continue;
      for (let d = 0; d < 4; d++) {
        if (walker.hasEdge(b, d) && !(visited[walker.edgeVertex(x, y, d)] & (d & 1 ? 2 : 1))) {
          walker.walk(x, y, d, false);
        }
      }
    }
  }
  // Closed chains: any edge not walked yet; a loop is found at its first east edge in scan order.
  for (let y = 0; y <= h; y++) {
    for (let x = 0, b = y * s; x < w; x++, b++) {
      if (P[b + 1] !== P[b + s + 1] && !(visited[y * stride + x] & 1)) walker.walk(x, y, 0, true);
    }
  }
  walker.offset.push(walker.dirs.length);
  return {
    count: walker.start.length,
    stride,
    start: walker.start.toArray(),
    end: walker.end.toArray(),
    offset: walker.offset.toArray(),
    dirs: walker.dirs.toArray(),
    left: walker.left.toArray(),
    right: walker.right.toArray(),
    closed: walker.closed.toArray(),
  };
}

// A template instance keeps the class's hidden class alive between calls (see keep-shapes.ts).
keepShape(new ChainWalker(new Int32Array(16), 2, 2));
