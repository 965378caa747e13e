/**
 * Stage 5a: the sub-pixel position of a boundary edge, from grey levels.
 *
 * An anti-aliased renderer paints each pixel with the fraction of it the
 * shape covers (area sampling). Across a lattice edge between an ink pixel P
 * and a paper pixel Q, with coverages cP and cQ read from the luma between
 * the image's ink and paper levels, the ink that fills both pixels from P's
 * far side reaches cP + cQ pixels: the true edge lies cP + cQ - 1 pixels
 * beyond the lattice edge (towards Q when positive). Crisp (binary) input
 * gives cP = 1, cQ = 0 and the edge stays on the lattice, as in potrace.
 *
 * Near a corner, P is partly empty because of the other edge, not this one;
 * the pixel R behind P (further into the ink) is then just as partly empty,
 * so when R is at least as covered as P both coverages are read relative to
 * R's. A thin stroke, where R is paper again, keeps the plain reading.
 */

export interface EdgeModel {
  readonly luma: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly inkLevel: number;
  readonly paperLevel: number;
}

function coverage(m: EdgeModel, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= m.width || y >= m.height) return 0;
  const c = (m.paperLevel - m.luma[y * m.width + x]) / (m.paperLevel - m.inkLevel);
  return c < 0 ? 0 : c > 1 ? 1 : c;
}

/**
 * Offset (pixels, -0.5 to 0.5) of the edge between ink pixel (ix, iy) and
 * paper pixel (px, py) towards the paper pixel.
 */
export function edgeOffset(m: EdgeModel, ix: number, iy: number, px: number, py: number): number {
  const cp = coverage(m, ix, iy);
  const cr = coverage(m, 2 * ix - px, 2 * iy - py);
  const ref = cr >= cp && cr > 0 ? cr : 1;
  const o = (cp + coverage(m, px, py)) / ref - 1;
  return o < -0.5 ? -0.5 : o > 0.5 ? 0.5 : o;
}
