/**
 * True shapes: does a closed outline (one subpath of `Curves`) match a
 * circle, an ellipse or a rectangle within a tolerance? The outline is
 * sampled (segment ends and points along each curve) and its area moments
 * taken: for a uniform disc, ellipse or rectangle the centroid is the
 * centre and the second moments give the radii (variance r^2/4 along each
 * axis of an ellipse) or the side lengths (w^2/12), and their principal
 * axes the rotation. The candidate is kept when every sample lies within
 * the tolerance of its outline; a circle is preferred to an ellipse (an
 * ellipse whose radii differ by less than the tolerance is a circle) and
 * an ellipse to a rectangle when both fit.
 */
import { CLOSE, CUBIC, LINE, MOVE, QUAD, type Curves } from './curves.js';

export type ShapeKind = 'circle' | 'ellipse' | 'rect';

/** A shape in pixel coordinates: centre, half-sizes along its axes, rotation (degrees, clockwise in y-down coordinates). */
export interface Shape {
  readonly kind: ShapeKind;
  readonly cx: number;
  readonly cy: number;
  /** Radius along the shape's x axis (a rectangle: half its width). */
  readonly rx: number;
  /** Radius along the shape's y axis (a rectangle: half its height). */
  readonly ry: number;
  readonly angle: number;
}

/** Points sampled per curve segment (besides its end). */
const PER_CURVE = 6;
/** Least samples for a shape. */
const MIN_SAMPLES = 8;

/** Samples of subpath `k`'s outline as x,y pairs; `from` are the starting command and point of each subpath. */
export interface Subpath {
  readonly cmdFrom: number;
  readonly cmdTo: number;
  readonly ptFrom: number;
  readonly ptTo: number;
}

/** The subpaths of `curves`, with where their commands and points start and end. */
export function subpaths(curves: Curves): Subpath[] {
  const out: Subpath[] = [];
  const { cmds } = curves;
  let p = 0;
  let start = -1;
  let ptStart = 0;
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    if (c === MOVE) {
      start = i;
      ptStart = p;
      p += 2;
    } else if (c === LINE) p += 2;
    else if (c === CUBIC) p += 6;
    else if (c === QUAD) p += 4;
    else if (c === CLOSE && start >= 0) {
      out.push({ cmdFrom: start, cmdTo: i + 1, ptFrom: ptStart, ptTo: p });
      start = -1;
    }
  }
  return out;
}

/** Sample points of one subpath (closed), as x,y pairs. */
export function sampleSubpath(curves: Curves, s: Subpath): Float64Array {
  const { cmds, pts } = curves;
  const out: number[] = [];
  let p = s.ptFrom;
  let x = 0;
  let y = 0;
  for (let i = s.cmdFrom; i < s.cmdTo; i++) {
    const c = cmds[i];
    if (c === MOVE || c === LINE) {
      if (c === LINE) {
        out.push((x + pts[p]) / 2, (y + pts[p + 1]) / 2);
      }
      x = pts[p];
      y = pts[p + 1];
      out.push(x, y);
      p += 2;
    } else if (c === CUBIC) {
      const [x1, y1, x2, y2, x3, y3] = [pts[p], pts[p + 1], pts[p + 2], pts[p + 3], pts[p + 4], pts[p + 5]];
      for (let k = 1; k <= PER_CURVE; k++) {
        const t = k / (PER_CURVE + 1);
        const u = 1 - t;
        const a = u * u * u;
        const b = 3 * u * u * t;
        const cc = 3 * u * t * t;
        const d = t * t * t;
        out.push(a * x + b * x1 + cc * x2 + d * x3, a * y + b * y1 + cc * y2 + d * y3);
      }
      x = x3;
      y = y3;
      out.push(x, y);
      p += 6;
    } else if (c === QUAD) {
      const [x1, y1, x2, y2] = [pts[p], pts[p + 1], pts[p + 2], pts[p + 3]];
      for (let k = 1; k <= PER_CURVE; k++) {
        const t = k / (PER_CURVE + 1);
        const u = 1 - t;
        out.push(u * u * x + 2 * u * t * x1 + t * t * x2, u * u * y + 2 * u * t * y1 + t * t * y2);
      }
      x = x2;
      y = y2;
      out.push(x, y);
      p += 4;
    }
  }
  // The closing line back to the start.
  if (out.length >= 4) out.push((x + out[0]) / 2, (y + out[1]) / 2);
  return Float64Array.from(out);
}

/** Signed area of a closed polygon (x,y pairs), positive when clockwise on screen (y down). */
export function polygonArea(p: Float64Array): number {
  let a = 0;
  const n = p.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) a += p[j * 2] * p[i * 2 + 1] - p[i * 2] * p[j * 2 + 1];
  return a / 2;
}

interface Moments {
  readonly area: number;
  readonly cx: number;
  readonly cy: number;
  /** Central second moments per unit area. */
  readonly xx: number;
  readonly yy: number;
  readonly xy: number;
}

/** Area moments of a closed polygon (Green's theorem), signs normalised to positive area. */
function moments(p: Float64Array): Moments | null {
  const n = p.length / 2;
  let a = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const x0 = p[j * 2];
    const y0 = p[j * 2 + 1];
    const x1 = p[i * 2];
    const y1 = p[i * 2 + 1];
    const c = x0 * y1 - x1 * y0;
    a += c;
    sx += (x0 + x1) * c;
    sy += (y0 + y1) * c;
    sxx += (x0 * x0 + x0 * x1 + x1 * x1) * c;
    syy += (y0 * y0 + y0 * y1 + y1 * y1) * c;
    sxy += (x0 * y1 + 2 * x0 * y0 + 2 * x1 * y1 + x1 * y0) * c;
  }
  a /= 2;
  if (Math.abs(a) < 1e-9) return null;
  const cx = sx / (6 * a);
  const cy = sy / (6 * a);
  return {
    area: Math.abs(a),
    cx,
    cy,
    xx: sxx / (12 * a) - cx * cx,
    yy: syy / (12 * a) - cy * cy,
    xy: sxy / (24 * a) - cx * cy,
  };
}

/** Principal axes of the moments: variances along them and the angle (radians) of the first. */
function principal(m: Moments): { l1: number; l2: number; theta: number } {
  const t = (m.xx + m.yy) / 2;
  const d = Math.sqrt(((m.xx - m.yy) / 2) ** 2 + m.xy * m.xy);
  return { l1: t + d, l2: Math.max(0, t - d), theta: 0.5 * Math.atan2(2 * m.xy, m.xx - m.yy) };
}

/** Largest distance of the samples from the ellipse (approximate: radial offset scaled to the local radius). */
function ellipseError(
  p: Float64Array,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  theta: number,
): number {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  let worst = 0;
  for (let i = 0; i < p.length; i += 2) {
    const dx = p[i] - cx;
    const dy = p[i + 1] - cy;
    const u = dx * c + dy * s;
    const v = -dx * s + dy * c;
    const rho = Math.hypot(u / rx, v / ry);
    if (rho === 0) return Infinity;
    // The boundary point on the same ray, and the distance along the ray.
    const e = Math.hypot(u, v) * Math.abs(1 - 1 / rho);
    if (e > worst) worst = e;
  }
  return worst;
}

/** Largest distance of the samples from the rectangle's outline. */
function rectError(p: Float64Array, cx: number, cy: number, hw: number, hh: number, theta: number): number {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  let worst = 0;
  for (let i = 0; i < p.length; i += 2) {
    const dx = p[i] - cx;
    const dy = p[i + 1] - cy;
    const u = Math.abs(dx * c + dy * s);
    const v = Math.abs(-dx * s + dy * c);
    const ou = u - hw;
    const ov = v - hh;
    // Distance to the outline: outside, to the box; inside, to the nearest side.
    const e = ou > 0 || ov > 0 ? Math.hypot(Math.max(ou, 0), Math.max(ov, 0)) : Math.min(-ou, -ov);
    if (e > worst) worst = e;
  }
  return worst;
}

/** Angle in degrees in (-90, 90], snapped to 0 when within a hundredth of a degree. */
function degrees(theta: number): number {
  let a = (theta * 180) / Math.PI;
  while (a > 90) a -= 180;
  while (a <= -90) a += 180;
  return Math.abs(a) < 0.01 ? 0 : a;
}

/**
 * The shape the outline samples `p` match within `tolerance` (pixels), or
 * null. Outlines smaller than `minRadius` on their short axis are left as
 * they are.
 */
export function fitShape(p: Float64Array, tolerance: number, minRadius = 1.5): Shape | null {
  if (p.length / 2 < MIN_SAMPLES) return null;
  const m = moments(p);
  if (!m) return null;
  const { l1, l2, theta } = principal(m);
  // Ellipse (and circle): variance r^2 / 4 along each axis.
  const a = 2 * Math.sqrt(l1);
  const b = 2 * Math.sqrt(l2);
  if (b >= minRadius) {
    const r = Math.sqrt(m.area / Math.PI);
    if (ellipseError(p, m.cx, m.cy, r, r, 0) <= tolerance) {
      return { kind: 'circle', cx: m.cx, cy: m.cy, rx: r, ry: r, angle: 0 };
    }
    if (ellipseError(p, m.cx, m.cy, a, b, theta) <= tolerance) {
      // An ellipse whose radii differ by less than the tolerance is a circle.
      if (a - b <= tolerance) return { kind: 'circle', cx: m.cx, cy: m.cy, rx: r, ry: r, angle: 0 };
      return { kind: 'ellipse', cx: m.cx, cy: m.cy, rx: a, ry: b, angle: degrees(theta) };
    }
  }
  // Rectangle: variance w^2 / 12 along each axis.
  const hw = Math.sqrt(3 * l1);
  const hh = Math.sqrt(3 * l2);
  if (hh >= minRadius / 2 && rectError(p, m.cx, m.cy, hw, hh, theta) <= tolerance) {
    return { kind: 'rect', cx: m.cx, cy: m.cy, rx: hw, ry: hh, angle: degrees(theta) };
  }
  return null;
}

/** True when point (x, y) lies inside the shape. */
export function insideShape(s: Shape, x: number, y: number): boolean {
  const t = (s.angle * Math.PI) / 180;
  const dx = x - s.cx;
  const dy = y - s.cy;
  const u = dx * Math.cos(t) + dy * Math.sin(t);
  const v = -dx * Math.sin(t) + dy * Math.cos(t);
  if (s.kind === 'rect') return Math.abs(u) <= s.rx && Math.abs(v) <= s.ry;
  return (u / s.rx) ** 2 + (v / s.ry) ** 2 <= 1;
}
