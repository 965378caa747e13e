/**
 * Thinning of the ink mask to a one-pixel, 8-connected skeleton: Zhang and
 * Suen's two-subiteration parallel thinning ("A fast parallel algorithm for
 * thinning digital patterns", CACM 1984), then a pass that takes out the
 * pixels the skeleton does not need for its connectivity (the staircase
 * corners Zhang-Suen leaves), so every pixel of a line has exactly two
 * neighbours and junctions and ends are the pixels with other counts.
 */

// Neighbour order: N, NE, E, SE, S, SW, W, NW.
const DX = [0, 1, 1, 1, 0, -1, -1, -1];
const DY = [-1, -1, 0, 1, 1, 1, 0, -1];

/** Number of 8-connected groups among the set neighbours of a pixel, by its 8-bit neighbour pattern. */
const GROUPS = (() => {
  const t = new Uint8Array(256);
  for (let m = 0; m < 256; m++) {
    const parent = [0, 1, 2, 3, 4, 5, 6, 7];
    const find = (a: number): number => (parent[a] === a ? a : (parent[a] = find(parent[a])));
    for (let i = 0; i < 8; i++) {
      if (!(m & (1 << i))) continue;
      for (let j = i + 1; j < 8; j++) {
        if (!(m & (1 << j))) continue;
        if (Math.max(Math.abs(DX[i] - DX[j]), Math.abs(DY[i] - DY[j])) === 1) parent[find(i)] = find(j);
      }
    }
    const roots = new Set<number>();
    for (let i = 0; i < 8; i++) if (m & (1 << i)) roots.add(find(i));
    t[m] = roots.size;
  }
  return t;
})();

export function neighbourBits(s: Uint8Array, w: number, h: number, x: number, y: number): number {
  let m = 0;
  for (let k = 0; k < 8; k++) {
    const nx = x + DX[k];
    const ny = y + DY[k];
    if (nx >= 0 && ny >= 0 && nx < w && ny < h && s[ny * w + nx]) m |= 1 << k;
  }
  return m;
}

function popcount(m: number): number {
  let c = 0;
  for (; m; m &= m - 1) c++;
  return c;
}

/** Zhang-Suen thinning of a copy of `mask` (1 = ink). */
export function thin(mask: Uint8Array, w: number, h: number): Uint8Array {
  // Work on a copy with a one-pixel border of paper, so neighbour reads need no bounds checks, and visit
  // only the pixels still ink (a list that shrinks with every pass).
  const W = w + 2;
  const p = new Uint8Array(W * (h + 2));
  let active: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      const i = (y + 1) * W + x + 1;
      p[i] = 1;
      active.push(i);
    }
  }
  // Ring offsets in the padded image: N, NE, E, SE, S, SW, W, NW.
  const off = [-W, -W + 1, 1, W + 1, W, W - 1, -1, -W - 1];
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (const i of active) {
        let m = 0;
        for (let k = 0; k < 8; k++) if (p[i + off[k]]) m |= 1 << k;
        const b = popcount(m);
        if (b < 2 || b > 6) continue;
        // A(p): 0 -> 1 transitions around the ring.
        let a = 0;
        for (let k = 0; k < 8; k++) if (!(m & (1 << k)) && m & (1 << ((k + 1) & 7))) a++;
        if (a !== 1) continue;
        const n = m & 1;
        const e = (m >> 2) & 1;
        const so = (m >> 4) & 1;
        const we = (m >> 6) & 1;
        if (pass === 0 ? n & e & so || e & so & we : n & e & we || n & so & we) continue;
        remove.push(i);
      }
      for (const i of remove) p[i] = 0;
      if (remove.length) {
        changed = true;
        active = active.filter((i) => p[i] === 1);
      }
    }
  }
  const s = new Uint8Array(w * h);
  for (const i of active) {
    const y = Math.floor(i / W) - 1;
    const x = (i % W) - 1;
    s[y * w + x] = 1;
  }
  // Staircase pixels: two or more neighbours, all in one 8-connected group, and the pixel not a line end.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!s[i]) continue;
      const m = neighbourBits(s, w, h, x, y);
      if (popcount(m) >= 2 && GROUPS[m] === 1 && !isLineEnd(m)) s[i] = 0;
    }
  }
  return s;
}

/** Two neighbours side by side (a 4- and an 8-neighbour at a corner of the end): the pixel ends a line. */
function isLineEnd(m: number): boolean {
  if (popcount(m) !== 2) return false;
  for (let k = 0; k < 8; k++) if (m === ((1 << k) | (1 << ((k + 1) & 7)))) return true;
  return false;
}

export { DX, DY, popcount };
