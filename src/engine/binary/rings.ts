/**
 * Rings: closed boundaries on the pixel-corner lattice, as corner points.
 *
 * Layout:
 * - `points: Int32Array`, x,y pairs of lattice points where the boundary
 *   turns (pixel (x, y) spans [x, x+1] x [y, y+1]); between two consecutive
 *   corners the boundary runs straight along the lattice.
 * - `start: Int32Array` of length rings + 1: ring r's corners are points
 *   `start[r] .. start[r + 1] - 1` (point indices, not array indices).
 * - `area: Float64Array`: signed enclosed area in pixels, > 0 for an outer
 *   boundary, < 0 for a hole.
 *
 * Orientation: walking a ring, ink is on the right (on screen, y down), so
 * outer rings run clockwise and holes counter-clockwise, and the nonzero fill
 * rule paints them right. Corner 0 is the ring's top-most, then left-most
 * point, always a convex corner.
 */
export interface Rings {
  readonly points: Int32Array;
  readonly start: Int32Array;
  readonly area: Float64Array;
}
