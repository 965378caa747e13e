/**
 * SVG path data to absolute segments: every subpath as a start point and
 * lines and cubic curves, in the path's own coordinates. All of the SVG path
 * grammar is read (M L H V C S Q T A Z, relative and absolute, implicit
 * repetitions, numbers like `1.5.5` or `-1e-2`): quadratics become the exact
 * cubic, arcs the usual cubic approximation (at most 90 degrees per curve).
 * The writers of other formats (PDF, EPS, DXF) draw from these.
 */

export type Segment =
  | { readonly kind: 'L'; readonly x: number; readonly y: number }
  | {
      readonly kind: 'C';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly x: number;
      readonly y: number;
    };

export interface Subpath {
  readonly x: number;
  readonly y: number;
  readonly segments: Segment[];
  readonly closed: boolean;
}

export class PathDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathDataError';
  }
}

const ARGS: Readonly<Record<string, number>> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;

/** Splits path data into command letters and numbers (arc flags may be written without separators). */
function tokens(d: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  let letter = '';
  let argIndex = 0;
  while (i < d.length) {
    const ch = d[i];
    if (ch === ' ' || ch === ',' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const lower = ch.toLowerCase();
    if (lower in ARGS && ch !== 'e' && ch !== 'E') {
      out.push(ch);
      letter = lower;
      argIndex = 0;
      i++;
      continue;
    }
    // Arc flags (4th and 5th arguments) are single digits 0 or 1.
    if (letter === 'a' && (argIndex % 7 === 3 || argIndex % 7 === 4) && (ch === '0' || ch === '1')) {
      out.push(ch === '1' ? 1 : 0);
      argIndex++;
      i++;
      continue;
    }
    const m = NUMBER.exec(d.slice(i, i + 40));
    if (!m) throw new PathDataError(`path data: unexpected "${ch}" at ${i}`);
    out.push(Number(m[0]));
    argIndex++;
    i += m[0].length;
  }
  return out;
}

/** Cubic curves approximating an SVG arc (endpoint parameterisation, SVG 1.1 appendix F.6). */
function arcToCubics(
  x0: number,
  y0: number,
  rxIn: number,
  ryIn: number,
  angle: number,
  large: boolean,
  sweep: boolean,
  x: number,
  y: number,
  out: Segment[],
): void {
  let rx = Math.abs(rxIn);
  let ry = Math.abs(ryIn);
  if (rx === 0 || ry === 0 || (x0 === x && y0 === y)) {
    if (x0 !== x || y0 !== y) out.push({ kind: 'L', x, y });
    return;
  }
  const phi = (angle * Math.PI) / 180;
  const cos = Math.cos(phi);
  const sin = Math.sin(phi);
  const dx = (x0 - x) / 2;
  const dy = (y0 - y) / 2;
  const x1p = cos * dx + sin * dy;
  const y1p = -sin * dx + cos * dy;
  const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
  const den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
  let coef = Math.sqrt(Math.max(0, num / den));
  if (large === sweep) coef = -coef;
  const cxp = (coef * rx * y1p) / ry;
  const cyp = (-coef * ry * x1p) / rx;
  const cx = cos * cxp - sin * cyp + (x0 + x) / 2;
  const cy = sin * cxp + cos * cyp + (y0 + y) / 2;
  const angleOf = (ux: number, uy: number, vx: number, vy: number): number => {
    const a = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    return a;
  };
  const theta1 = angleOf(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry);
  let delta = angleOf((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry);
  if (!sweep && delta > 0) delta -= 2 * Math.PI;
  if (sweep && delta < 0) delta += 2 * Math.PI;
  const n = Math.max(1, Math.ceil(Math.abs(delta) / (Math.PI / 2) - 1e-9));
  const step = delta / n;
  const k = (4 / 3) * Math.tan(step / 4);
  const point = (t: number): [number, number, number, number] => {
    const ct = Math.cos(t);
    const st = Math.sin(t);
    // Point and derivative direction on the ellipse, rotated by phi.
    return [
      cx + rx * ct * cos - ry * st * sin,
      cy + rx * ct * sin + ry * st * cos,
      -rx * st * cos - ry * ct * sin,
      -rx * st * sin + ry * ct * cos,
    ];
  };
  for (let i = 0; i < n; i++) {
    const [ax, ay, adx, ady] = point(theta1 + i * step);
    const [bx, by, bdx, bdy] = point(theta1 + (i + 1) * step);
    const last = i === n - 1;
    out.push({
      kind: 'C',
      x1: ax + k * adx,
      y1: ay + k * ady,
      x2: bx - k * bdx,
      y2: by - k * bdy,
      x: last ? x : bx,
      y: last ? y : by,
    });
  }
}

/** Parses SVG path data into absolute subpaths. Throws PathDataError on malformed data. */
export function parsePathData(d: string): Subpath[] {
  const toks = tokens(d);
  const subpaths: Subpath[] = [];
  let current: { x: number; y: number; segments: Segment[]; closed: boolean } | null = null;
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  // Reflection points for S and T.
  let lastCubic: [number, number] | null = null;
  let lastQuad: [number, number] | null = null;
  let i = 0;
  let cmd = '';
  const num = (): number => {
    const t = toks[i++];
    if (typeof t !== 'number') throw new PathDataError(`path data: command "${cmd}" is missing numbers`);
    return t;
  };
  const begin = (): void => {
    if (current === null) {
      current = { x, y, segments: [], closed: false };
      subpaths.push(current);
    }
  };
  while (i < toks.length) {
    const t = toks[i];
    if (typeof t === 'string') {
      cmd = t;
      i++;
    } else if (cmd === '') {
      throw new PathDataError('path data must start with a command');
    } else if (cmd === 'z' || cmd === 'Z') {
      throw new PathDataError('path data: numbers after "z"');
    }
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? x : 0;
    const oy = rel ? y : 0;
    const c = cmd.toLowerCase();
    let cubic: [number, number] | null = null;
    let quad: [number, number] | null = null;
    if (c === 'm') {
      x = ox + num();
      y = oy + num();
      startX = x;
      startY = y;
      current = null;
      begin();
      // Further pairs are implicit line-tos.
      cmd = rel ? 'l' : 'L';
    } else if (c === 'z') {
      if (current !== null) {
        (current as { closed: boolean }).closed = true;
        current = null;
      }
      x = startX;
      y = startY;
    } else {
      if (current === null) {
        // A drawing command right after z starts a new subpath at the start point.
        begin();
      }
      const segs = (current as unknown as { segments: Segment[] }).segments;
      if (c === 'l' || c === 'h' || c === 'v') {
        if (c === 'l') {
          x = ox + num();
          y = oy + num();
        } else if (c === 'h') x = ox + num();
        else y = oy + num();
        segs.push({ kind: 'L', x, y });
      } else if (c === 'c' || c === 's') {
        let x1: number;
        let y1: number;
        if (c === 'c') {
          x1 = ox + num();
          y1 = oy + num();
        } else {
          x1 = lastCubic ? 2 * x - lastCubic[0] : x;
          y1 = lastCubic ? 2 * y - lastCubic[1] : y;
        }
        const x2 = ox + num();
        const y2 = oy + num();
        x = ox + num();
        y = oy + num();
        segs.push({ kind: 'C', x1, y1, x2, y2, x, y });
        cubic = [x2, y2];
      } else if (c === 'q' || c === 't') {
        let qx: number;
        let qy: number;
        if (c === 'q') {
          qx = ox + num();
          qy = oy + num();
        } else {
          qx = lastQuad ? 2 * x - lastQuad[0] : x;
          qy = lastQuad ? 2 * y - lastQuad[1] : y;
        }
        const x0 = x;
        const y0 = y;
        x = ox + num();
        y = oy + num();
        segs.push({
          kind: 'C',
          x1: x0 + (2 / 3) * (qx - x0),
          y1: y0 + (2 / 3) * (qy - y0),
          x2: x + (2 / 3) * (qx - x),
          y2: y + (2 / 3) * (qy - y),
          x,
          y,
        });
        quad = [qx, qy];
      } else if (c === 'a') {
        const rx = num();
        const ry = num();
        const angle = num();
        const large = num() !== 0;
        const sweep = num() !== 0;
        const x0 = x;
        const y0 = y;
        x = ox + num();
        y = oy + num();
        arcToCubics(x0, y0, rx, ry, angle, large, sweep, x, y, segs);
      } else {
        throw new PathDataError(`path data: unknown command "${cmd}"`);
      }
    }
    lastCubic = cubic;
    lastQuad = quad;
  }
  return subpaths;
}

/**
 * The subpath as a polyline: curves flattened until no chord strays more
 * than `tolerance` from the curve (the curve's control polygon bounds it).
 * Returns x, y pairs, the start point first; a closed subpath does not
 * repeat its start at the end.
 */
export function flattenSubpath(sp: Subpath, tolerance: number): number[] {
  const out: number[] = [sp.x, sp.y];
  let x = sp.x;
  let y = sp.y;
  for (const s of sp.segments) {
    if (s.kind === 'L') out.push(s.x, s.y);
    else {
      // Flatness: the control points' distance from the chord, bounded by 3/4 of the max second difference.
      const ddx = Math.max(Math.abs(x - 2 * s.x1 + s.x2), Math.abs(s.x1 - 2 * s.x2 + s.x));
      const ddy = Math.max(Math.abs(y - 2 * s.y1 + s.y2), Math.abs(s.y1 - 2 * s.y2 + s.y));
      const dd = Math.hypot(ddx, ddy);
      const n = Math.max(1, Math.min(256, Math.ceil(Math.sqrt((0.75 * dd) / tolerance))));
      for (let k = 1; k <= n; k++) {
        const t = k / n;
        const u = 1 - t;
        const a = u * u * u;
        const b = 3 * u * u * t;
        const c = 3 * u * t * t;
        const e = t * t * t;
        out.push(a * x + b * s.x1 + c * s.x2 + e * s.x, a * y + b * s.y1 + c * s.y2 + e * s.y);
      }
    }
    x = s.x;
    y = s.y;
  }
  if (sp.closed && out.length > 2 && out[out.length - 2] === sp.x && out[out.length - 1] === sp.y) {
    out.length -= 2;
  }
  return out;
}
