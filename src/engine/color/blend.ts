/**
 * Blend geometry in OKLab. An anti-aliased edge pixel is a mix of the two
 * colours it separates, so it lies near the segment between them; a real
 * colour of its own usually does not.
 */

/**
 * Squared OKLab distance from point `p` (index into `pts`) to the segment
 * between centres `a` and `b` (indices into `c`), and the position `t` (0-1)
 * of the nearest point along it, written to `tOut[0]` when given.
 */
export function segmentDist2(
  pts: Float64Array,
  p: number,
  c: Float64Array,
  a: number,
  b: number,
  tOut?: Float64Array,
): number {
  const ax = c[a * 3];
  const ay = c[a * 3 + 1];
  const az = c[a * 3 + 2];
  const ux = c[b * 3] - ax;
  const uy = c[b * 3 + 1] - ay;
  const uz = c[b * 3 + 2] - az;
  const vx = pts[p * 3] - ax;
  const vy = pts[p * 3 + 1] - ay;
  const vz = pts[p * 3 + 2] - az;
  const uu = ux * ux + uy * uy + uz * uz;
  let t = uu > 0 ? (vx * ux + vy * uy + vz * uz) / uu : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  if (tOut) tOut[0] = t;
  const dx = vx - t * ux;
  const dy = vy - t * uy;
  const dz = vz - t * uz;
  return dx * dx + dy * dy + dz * dz;
}
