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
 * The flood of a group stops as soon as the group proves unfillable (it
 * reaches the outside, an earlier colour, a region an abandoned flood has
 * seen, or more than `HOLE_REGIONS` regions), so each region is visited at
 * most once per layer and the picture's big open background is never
 * walked in full: work per layer stays near the size of the layer.
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
  /** Scratch: id of the last flood that visited each region (ids only grow). */
  readonly seen: Int32Array;
  /** The last flood id handed out. */
  readonly floods: { last: number };
  /**
   * 1 for regions of a translucent colour: no layer runs under them, since
   * it would show through.
   */
  readonly translucent?: Uint8Array;
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

/** Largest hole content, in regions, that a layer fills. */
const HOLE_REGIONS = 4096;

function other(chains: Chains, c: number, r: number): number {
  return chains.left[c] === r ? chains.right[c] : chains.left[c];
}

export function stackedSet(
  ctx: StackContext,
  own: readonly number[],
  rank: number,
  inSet: Uint8Array,
): number[] {
  const { chains, incidence, regionRank, touchesOutside, seen, translucent } = ctx;
  const members = own.slice();
  for (const r of members) inSet[r] = 1;
  for (const r of own) {
    for (let k = incidence.from[r]; k < incidence.from[r + 1]; k++) {
      const o = other(chains, incidence.chains[k], r);
      if (o >= 0 && !inSet[o] && regionRank[o] > rank && !translucent?.[o]) {
        inSet[o] = 1;
        members.push(o);
      }
    }
  }
  // Flood ids above `layerBase` belong to this layer.
  const layerBase = ctx.floods.last;
  const group: number[] = [];
  const direct = members.length;
  for (let m = 0; m < direct; m++) {
    const r = members[m];
    for (let k = incidence.from[r]; k < incidence.from[r + 1]; k++) {
      const start = other(chains, incidence.chains[k], r);
      if (start < 0 || inSet[start] || seen[start] > layerBase) continue;
      // Flood the group of non-members this one belongs to.
      const flood = ++ctx.floods.last;
      group.length = 0;
      group.push(start);
      seen[start] = flood;
      let fillable = true;
      for (let g = 0; g < group.length && fillable; g++) {
        const q = group[g];
        if (touchesOutside[q] || regionRank[q] < rank || translucent?.[q] || group.length > HOLE_REGIONS) {
          fillable = false;
          break;
        }
        for (let j = incidence.from[q]; j < incidence.from[q + 1]; j++) {
          const p = other(chains, incidence.chains[j], q);
          if (p < 0 || inSet[p]) continue;
          if (seen[p] <= layerBase) {
            seen[p] = flood;
            group.push(p);
          } else if (seen[p] !== flood) {
            // Seen by an earlier flood that gave up: the same unfillable group.
            fillable = false;
            break;
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
