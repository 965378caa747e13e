/**
 * The skeleton as a graph: nodes are line ends (one neighbour) and junctions
 * (three or more; touching junction pixels are one node, at their mean
 * position); edges are the pixel chains between nodes, each found once;
 * closed loops with no node are edges of their own. Every edge starts and
 * ends exactly at its nodes' positions, so strokes drawn along the edges meet
 * at junctions with no gap, and no pixel is in two edges (no doubled
 * segment).
 */
import { DX, DY, neighbourBits, popcount } from './thinning.js';

export interface SkeletonEdge {
  /** x, y pairs in pixel coordinates (pixel centres at +0.5): node position, chain pixels, node position. */
  readonly points: Float64Array;
  /** Pixel indices of the chain (without the node pixels). */
  readonly pixels: Int32Array;
  /** Node ids at the ends (-1 for a closed loop). */
  readonly from: number;
  readonly to: number;
  readonly closed: boolean;
}

export interface SkeletonNode {
  readonly x: number;
  readonly y: number;
  /** Pixels of the node. */
  readonly pixels: readonly number[];
  /** 1: a line end; 3+: a junction; 0: a lone dot. */
  degree: number;
}

export interface SkeletonGraph {
  readonly nodes: SkeletonNode[];
  readonly edges: SkeletonEdge[];
}

export function buildGraph(s: Uint8Array, w: number, h: number): SkeletonGraph {
  const n = w * h;
  const count = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (s[i]) count[i] = popcount(neighbourBits(s, w, h, x, y));
    }
  }
  // Node ids per pixel (-1: not a node).
  const nodeOf = new Int32Array(n).fill(-1);
  const nodes: SkeletonNode[] = [];
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!s[i] || count[i] === 2 || nodeOf[i] >= 0) continue;
    const id = nodes.length;
    const pixels: number[] = [];
    nodeOf[i] = id;
    stack.push(i);
    // Junction pixels that touch form one node; a line end is a node alone.
    while (stack.length) {
      const p = stack.pop()!;
      pixels.push(p);
      if (count[p] < 3) continue;
      const px = p % w;
      const py = (p - px) / w;
      for (let k = 0; k < 8; k++) {
        const nx = px + DX[k];
        const ny = py + DY[k];
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (s[q] && count[q] >= 3 && nodeOf[q] < 0) {
          nodeOf[q] = id;
          stack.push(q);
        }
      }
    }
    let sx = 0;
    let sy = 0;
    for (const p of pixels) {
      sx += (p % w) + 0.5;
      sy += Math.floor(p / w) + 0.5;
    }
    nodes.push({ x: sx / pixels.length, y: sy / pixels.length, pixels, degree: 0 });
  }

  const used = new Uint8Array(n);
  const edges: SkeletonEdge[] = [];
  const pairSeen = new Set<string>();
  const neighbours = (p: number): number[] => {
    const px = p % w;
    const py = (p - px) / w;
    const out: number[] = [];
    for (let k = 0; k < 8; k++) {
      const nx = px + DX[k];
      const ny = py + DY[k];
      if (nx >= 0 && ny >= 0 && nx < w && ny < h && s[ny * w + nx]) out.push(ny * w + nx);
    }
    return out;
  };
  const centre = (p: number): [number, number] => [(p % w) + 0.5, Math.floor(p / w) + 0.5];
  const emit = (from: number, to: number, chain: number[], closed: boolean): void => {
    const pts: number[] = [];
    if (from >= 0) pts.push(nodes[from].x, nodes[from].y);
    for (const p of chain) pts.push(...centre(p));
    if (to >= 0) pts.push(nodes[to].x, nodes[to].y);
    else if (closed && chain.length) pts.push(...centre(chain[0]));
    edges.push({ points: Float64Array.from(pts), pixels: Int32Array.from(chain), from, to, closed });
    if (from >= 0) nodes[from].degree++;
    if (to >= 0) nodes[to].degree++;
  };

  for (let id = 0; id < nodes.length; id++) {
    for (const start of nodes[id].pixels) {
      for (const first of neighbours(start)) {
        if (nodeOf[first] === id) continue;
        if (nodeOf[first] >= 0) {
          // Two nodes side by side: one edge between them, once.
          const other = nodeOf[first];
          const key = id < other ? `${id}:${other}` : `${other}:${id}`;
          if (pairSeen.has(key)) continue;
          pairSeen.add(key);
          emit(id, other, [], false);
          continue;
        }
        if (used[first]) continue;
        const chain: number[] = [];
        let prev = start;
        let cur = first;
        let end = -1;
        for (;;) {
          used[cur] = 1;
          chain.push(cur);
          let next = -1;
          for (const q of neighbours(cur)) {
            if (q === prev || (nodeOf[q] === id && chain.length === 1)) continue;
            if (nodeOf[q] >= 0) {
              end = nodeOf[q];
              next = -2;
              break;
            }
            if (!used[q]) next = q;
          }
          if (next === -2 || next === -1) break;
          prev = cur;
          cur = next;
        }
        if (end < 0) end = id; // a chain that ran into its own used pixels: close on the start node
        emit(id, end, chain, false);
      }
    }
  }
  // Loops with no node at all.
  for (let i = 0; i < n; i++) {
    if (!s[i] || used[i] || nodeOf[i] >= 0) continue;
    const chain: number[] = [];
    let prev = -1;
    let cur = i;
    for (;;) {
      used[cur] = 1;
      chain.push(cur);
      const next = neighbours(cur).find((q) => q !== prev && !used[q]);
      if (next === undefined) break;
      prev = cur;
      cur = next;
    }
    if (chain.length >= 3) emit(-1, -1, chain, true);
  }
  return { nodes, edges };
}
