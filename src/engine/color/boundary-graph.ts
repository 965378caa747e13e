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
 * of the walk and `right[c]` the one on the right, -1 for transparent or
 * outside the image.
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

export function extractChains(labels: Int32Array, width: number, height: number): Chains {
  const w = width;
  const h = height;
  const stride = w + 1;
  const lab = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? -1 : labels[y * w + x]);
  const hasEdge = (x: number, y: number, d: number): boolean => {
    switch (d) {
      case 0:
        return x < w && lab(x, y - 1) !== lab(x, y);
      case 1:
        return y < h && lab(x - 1, y) !== lab(x, y);
      case 2:
        return x > 0 && lab(x - 1, y - 1) !== lab(x - 1, y);
      default:
        return y > 0 && lab(x - 1, y - 1) !== lab(x, y - 1);
    }
  };
  const degree = (x: number, y: number): number =>
    +hasEdge(x, y, 0) + +hasEdge(x, y, 1) + +hasEdge(x, y, 2) + +hasEdge(x, y, 3);
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

  const walk = (x0: number, y0: number, d0: number, loop: boolean): void => {
    offset.push(dirs.length);
    start.push(y0 * stride + x0);
    switch (d0) {
      case 0:
        left.push(lab(x0, y0 - 1));
        right.push(lab(x0, y0));
        break;
      case 1:
        left.push(lab(x0, y0));
        right.push(lab(x0 - 1, y0));
        break;
      case 2:
        left.push(lab(x0 - 1, y0));
        right.push(lab(x0 - 1, y0 - 1));
        break;
      default:
        left.push(lab(x0 - 1, y0 - 1));
        right.push(lab(x0, y0 - 1));
    }
    let x = x0;
    let y = y0;
    let d = d0;
    for (;;) {
      visited[edgeVertex(x, y, d)] |= d & 1 ? 2 : 1;
      dirs.push(d);
      x += DX[d];
      y += DY[d];
      if ((x === x0 && y === y0) || (!loop && degree(x, y) >= 3)) break;
      const back = (d + 2) & 3;
      let next = -1;
      for (let k = 0; k < 4; k++) {
        if (k !== back && hasEdge(x, y, k)) {
          next = k;
          break;
        }
      }
      d = next;
    }
    end.push(y * stride + x);
    closed.push(loop ? 1 : 0);
  };

  for (let y = 0; y <= h; y++) {
    for (let x = 0; x <= w; x++) {
      if (degree(x, y) < 3) continue;
      for (let d = 0; d < 4; d++) {
        if (!hasEdge(x, y, d)) continue;
        if (!(visited[edgeVertex(x, y, d)] & (d & 1 ? 2 : 1))) walk(x, y, d, false);
      }
    }
  }
  for (let y = 0; y <= h; y++) {
    for (let x = 0; x < w; x++) {
      if (!(visited[y * stride + x] & 1) && hasEdge(x, y, 0)) walk(x, y, 0, true);
    }
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
