/**
 * Ink coverage 0-1 per pixel from the ink-oriented luma and the ink and
 * paper levels, and measurements across and along a stroke from it: the
 * width (coverage summed along the normal, sub-pixel) and how far the ink
 * goes on past a line end (so an end can be extended to the true end).
 */

export interface CoverageField {
  readonly width: number;
  readonly height: number;
  readonly ink: Float32Array;
}

export function coverageField(
  luma: Uint8Array,
  width: number,
  height: number,
  inkLevel: number,
  paperLevel: number,
): CoverageField {
  const ink = new Float32Array(width * height);
  const span = Math.max(1, paperLevel - inkLevel);
  for (let i = 0; i < ink.length; i++) ink[i] = Math.min(1, Math.max(0, (paperLevel - luma[i]) / span));
  return { width, height, ink };
}

/** Bilinear coverage at (x, y) in pixel coordinates (pixel centres at +0.5); 0 outside. */
export function sample(f: CoverageField, x: number, y: number): number {
  const fx = x - 0.5;
  const fy = y - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const tx = fx - x0;
  const ty = fy - y0;
  const at = (xx: number, yy: number) =>
    xx < 0 || yy < 0 || xx >= f.width || yy >= f.height ? 0 : f.ink[yy * f.width + xx];
  return (
    (1 - ty) * ((1 - tx) * at(x0, y0) + tx * at(x0 + 1, y0)) +
    ty * ((1 - tx) * at(x0, y0 + 1) + tx * at(x0 + 1, y0 + 1))
  );
}

const STEP = 0.25;

/**
 * The stroke's width at (x, y) across the unit direction (nx, ny): coverage
 * summed along the normal both ways until it falls under 0.05 (or `limit`
 * px), times the step.
 */
export function widthAcross(
  f: CoverageField,
  x: number,
  y: number,
  nx: number,
  ny: number,
  limit: number,
): number {
  let sum = sample(f, x, y) * STEP;
  for (const dir of [1, -1]) {
    for (let t = STEP; t <= limit; t += STEP) {
      const c = sample(f, x + dir * nx * t, y + dir * ny * t);
      if (c < 0.05) break;
      sum += c * STEP;
    }
  }
  return sum;
}

/**
 * Where the middle of the ink lies across the unit direction (nx, ny) from
 * (x, y): the coverage-weighted mean offset along the normal, in px.
 */
export function offsetAcross(
  f: CoverageField,
  x: number,
  y: number,
  nx: number,
  ny: number,
  limit: number,
): number {
  let sum = sample(f, x, y);
  let moment = 0;
  for (const dir of [1, -1]) {
    for (let t = STEP; t <= limit; t += STEP) {
      const c = sample(f, x + dir * nx * t, y + dir * ny * t);
      if (c < 0.05) break;
      sum += c;
      moment += dir * t * c;
    }
  }
  return sum > 0 ? moment / sum : 0;
}

/** How far (px) the ink goes on from (x, y) along the unit direction (dx, dy): where coverage falls under a half. */
export function reach(f: CoverageField, x: number, y: number, dx: number, dy: number, limit: number): number {
  let prev = sample(f, x, y);
  if (prev < 0.5) return 0;
  for (let t = STEP; t <= limit; t += STEP) {
    const c = sample(f, x + dx * t, y + dy * t);
    if (c < 0.5) return t - STEP + (STEP * (prev - 0.5)) / Math.max(1e-6, prev - c);
    prev = c;
  }
  return limit;
}
