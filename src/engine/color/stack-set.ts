/**
 * The region set of one layer in `stacked` layering. It starts with the
 * regions of the layer's colour and adds
 *
 * 1. every neighbouring region of a colour painted later, so the layer runs
 *    under its upper neighbours (no seams, see layer-outline.ts), and
 * 2. every hole's content that is painted later anyway: a connected group
 *    of the other regions that never reaches the image border or a
 *    transparent pixel and holds no colour painted earlier. Filling such a
 *    hole drops its outline from this layer, where it would only be drawn
 *    again by the layers on top.
 *
 * Writes 1 into `inSet` for each member and returns the members.
 */
import type { Chains } from './boundary-graph.js';
import type { Incidence } from './layer-outline.js';

export interface StackContext {
  readonly chains: Chains;
  readonly incidence: Incidence;
  /** Paint rank of each region's colour. */
  readonly regionRank: Int32Array;
  /** 1 for regions that touch the image border or a transparent pixel. */
  readonly touchesOutside: Uint8Array;
  /** Scratch: last layer stamp that visited each region. */
  readonly seen: Int32Array;
}

/** Regions that share a boundary with the image border or with transparent pixels. */
export function outsideRegions(chains: Chains, regionCount: number): Uint8Array {
  const out = new Uint8Array(regionCount);
  for (let c = 0; c < chains.count; c++) {
    if (chains.left[c] < 0 && chains.right[c] >= 0) out[chains.right[c]] = 1;
    if (chains.right[c] < 0 && chains.left[c] >= 0) out[chains.left[c]] = 1;
  }
  return out;
}

function other(chains: Chains, c: number, r: number): number {
  return chains.left[c] === r ? chains.right[c] : chains.left[c];
}

export function stackedSet(
  ctx: StackContext,
  own: readonly number[],
  rank: number,
  inSet: Uint8Array,
): number[] {
  const { chains, incidence, regionRank, touchesOutside, seen } = ctx;
  const members = own.slice();
  for (const r of members) inSet[r] = 1;
  for (const r of own) {
    for (let k = incidence.from[r]; k < incidence.from[r + 1]; k++) {
      const o = other(chains, incidence.chains[k], r);
      if (o >= 0 && !inSet[o] && regionRank[o] > rank) {
        inSet[o] = 1;
        members.push(o);
      }
    }
  }
  const stamp = rank + 1;
  const group: number[] = [];
  const direct = members.length;
  for (let m = 0; m < direct; m++) {
    const r = members[m];
    for (let k = incidence.from[r]; k < incidence.from[r + 1]; k++) {
      const start = other(chains, incidence.chains[k], r);
      if (start < 0 || inSet[start] || seen[start] === stamp) continue;
      // Flood the group of non-members this one belongs to.
      group.length = 0;
      group.push(start);
      seen[start] = stamp;
      let fillable = true;
      for (let g = 0; g < group.length; g++) {
        const q = group[g];
        if (touchesOutside[q] || regionRank[q] < rank) fillable = false;
        for (let j = incidence.from[q]; j < incidence.from[q + 1]; j++) {
          const p = other(chains, incidence.chains[j], q);
          if (p >= 0 && !inSet[p] && seen[p] !== stamp) {
            seen[p] = stamp;
            group.push(p);
          }
        }
      }
      if (!fillable) continue;
      for (const q of group) {
        inSet[q] = 1;
        members.push(q);
      }
    }
  }
  return members;
}
