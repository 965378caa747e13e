/**
 * Which chains outline one output layer, and how they join into rings.
 *
 * A layer is a set of regions painted in one colour. In `cutout` layering it
 * is exactly the regions of that colour. In `stacked` layering it also holds
 * every neighbouring region whose colour is painted later: the lower layer
 * then runs under the upper one across their whole shared boundary, so an
 * anti-aliased renderer never lets the background through there (the upper
 * layer's soft edge mixes with the lower colour, not with the page). Every
 * region is still painted last by its own colour, so the picture is exact.
 *
 * The outline of a set is the chains with the set on exactly one side. Each
 * is oriented with the set on its left; at a vertex where the set touches
 * itself only diagonally, the ring turns left, which keeps 4-connected
 * regions apart. With that orientation outer rings and holes wind opposite
 * ways, so the nonzero fill rule paints them right.
 */
import type { Chains } from './boundary-graph.js';

/** Region -> incident chains, as compressed rows. */
export interface Incidence {
  readonly from: Int32Array;
  readonly chains: Int32Array;
}

export function chainIncidence(chains: Chains, regionCount: number): Incidence {
  const from = new Int32Array(regionCount + 1);
  for (let c = 0; c < chains.count; c++) {
    if (chains.left[c] >= 0) from[chains.left[c] + 1]++;
    if (chains.right[c] >= 0) from[chains.right[c] + 1]++;
  }
  for (let r = 0; r < regionCount; r++) from[r + 1] += from[r];
  const fill = from.slice(0, regionCount);
  const list = new Int32Array(from[regionCount]);
  for (let c = 0; c < chains.count; c++) {
    if (chains.left[c] >= 0) list[fill[chains.left[c]]++] = c;
    if (chains.right[c] >= 0) list[fill[chains.right[c]]++] = c;
  }
  return { from, chains: list };
}

/** A ring: chain indices, each with a flag for whether it runs in reverse. */
export interface Ring {
  readonly chains: number[];
  readonly reversed: boolean[];
}

/**
 * The rings outlining the region set `members` (`inSet[r]` is 1 for each
 * member). Rings come in the order their first chain was met.
 */
export function outlineRings(
  chains: Chains,
  incidence: Incidence,
  members: readonly number[],
  inSet: Uint8Array,
): Ring[] {
  const ids: number[] = [];
  const rev: boolean[] = [];
  for (const m of members) {
    for (let k = incidence.from[m]; k < incidence.from[m + 1]; k++) {
      const c = incidence.chains[k];
      const other = chains.left[c] === m ? chains.right[c] : chains.left[c];
      if (other >= 0 && inSet[other]) continue;
      ids.push(c);
      rev.push(chains.left[c] !== m);
    }
  }
  const { start, end, offset, dirs, closed } = chains;
  const startOf = (i: number): number => (rev[i] ? end[ids[i]] : start[ids[i]]);
  const endOf = (i: number): number => (rev[i] ? start[ids[i]] : end[ids[i]]);
  const firstDir = (i: number): number =>
    rev[i] ? (dirs[offset[ids[i] + 1] - 1] + 2) & 3 : dirs[offset[ids[i]]];
  const lastDir = (i: number): number =>
    rev[i] ? (dirs[offset[ids[i]]] + 2) & 3 : dirs[offset[ids[i] + 1] - 1];

  const byStart = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    if (closed[ids[i]]) continue;
    const v = startOf(i);
    const list = byStart.get(v);
    if (list) list.push(i);
    else byStart.set(v, [i]);
  }
  const used = new Uint8Array(ids.length);
  const rings: Ring[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    const ring: Ring = { chains: [ids[i]], reversed: [rev[i]] };
    rings.push(ring);
    if (closed[ids[i]]) continue;
    let cur = i;
    for (;;) {
      const options = byStart.get(endOf(cur))!;
      let next = options[0];
      if (options.length > 1) {
        const leftTurn = (lastDir(cur) + 3) & 3;
        next = options.find((o) => firstDir(o) === leftTurn) ?? options[0];
      }
      if (next === i || used[next]) break;
      used[next] = 1;
      ring.chains.push(ids[next]);
      ring.reversed.push(rev[next]);
      cur = next;
    }
  }
  return rings;
}
