/**
 * Writes rings of fitted chains as compact SVG path data: relative commands,
 * `h`/`v` for axis-parallel lines, `t` where a curve's control point is the
 * mirror of the previous one, repeated command letters left out, no
 * separator before a minus sign or a second decimal point, and `z` in place
 * of a final straight line. Coordinates are already integers in output
 * units, so relative steps are exact and a chain reads the same from either
 * side.
 */
import type { FittedChains } from './fit-chains.js';
import type { Ring } from './layer-outline.js';
import { Int32List } from './buffers.js';
import { SEG_QUAD } from './smooth-curve.js';

export interface PathData {
  readonly d: string;
  readonly nodes: number;
  readonly subpaths: number;
}

/** Formats an integer count of 10^-precision units as a short decimal ("-.5", "12", "3.25"). */
export function formatUnits(v: number, precision: number): string {
  if (precision === 0 || v === 0) return String(v);
  const neg = v < 0;
  const a = neg ? -v : v;
  const scale = 10 ** precision;
  const int = Math.floor(a / scale);
  let f = a - int * scale;
  let body: string;
  if (f === 0) body = String(int);
  else {
    // Trailing zeros of the fraction dropped by integer division, not by editing strings.
    let digits = precision;
    while (f % 10 === 0) {
      f /= 10;
      digits--;
    }
    const frac = digits === 1 ? String(f) : String(f).padStart(digits, '0');
    body = int === 0 ? `.${frac}` : `${int}.${frac}`;
  }
  return neg ? `-${body}` : body;
}

/**
 * Path data as ASCII bytes in one growing buffer, turned into a string once:
 * appending hundreds of thousands of short strings (a photograph's path data)
 * would build a deep rope for the collector to trace and the final join to
 * flatten.
 */
class PathBuilder {
  private buf = new Uint8Array(4096);
  private len = 0;
  private lastCmd = '';
  private lastNumHasDot = false;
  private afterCmd = false;

  constructor(private readonly precision: number) {}

  cmd(c: string): void {
    if (c === this.lastCmd && c !== 'm' && c !== 'z') {
      this.afterCmd = false;
      return;
    }
    this.append(c);
    this.lastCmd = c;
    this.afterCmd = true;
  }

  num(v: number): void {
    const s = formatUnits(v, this.precision);
    if (!this.afterCmd && s[0] !== '-' && !(s[0] === '.' && this.lastNumHasDot)) this.append(' ');
    this.append(s);
    this.lastNumHasDot = s.includes('.');
    this.afterCmd = false;
  }

  private append(s: string): void {
    if (this.len + s.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + s.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  toString(): string {
    const parts: string[] = [];
    // In slices, since a function call takes a limited number of arguments.
    for (let o = 0; o < this.len; o += 8192) {
      parts.push(
        String.fromCharCode.apply(null, Array.from(this.buf.subarray(o, Math.min(o + 8192, this.len)))),
      );
    }
    return parts.join('');
  }
}

/**
 * Joins consecutive straight segments that continue in the same direction
 * (chains meeting at a junction on a straight edge) in place; returns the
 * number of segments left. Records are [type, cx, cy, ex, ey].
 */
function mergeCollinearLines(seg: Int32Array, length: number, sx: number, sy: number): number {
  let n = 0;
  let x0 = sx;
  let y0 = sy;
  // Start of the last kept segment, for the direction test.
  let lx = sx;
  let ly = sy;
  for (let k = 0; k < length / 5; k++) {
    const t = seg[k * 5];
    const ex = seg[k * 5 + 3];
    const ey = seg[k * 5 + 4];
    if (t !== SEG_QUAD && n > 0 && seg[(n - 1) * 5] !== SEG_QUAD) {
      const ax = x0 - lx;
      const ay = y0 - ly;
      const bx = ex - x0;
      const by = ey - y0;
      if (ax * by - ay * bx === 0 && ax * bx + ay * by > 0) {
        seg[(n - 1) * 5 + 3] = ex;
        seg[(n - 1) * 5 + 4] = ey;
        x0 = ex;
        y0 = ey;
        continue;
      }
    }
    for (let j = 0; j < 5; j++) seg[n * 5 + j] = seg[k * 5 + j];
    n++;
    lx = x0;
    ly = y0;
    x0 = ex;
    y0 = ey;
  }
  return n;
}

export function writeRings(fit: FittedChains, rings: readonly Ring[], precision: number): PathData {
  const b = new PathBuilder(precision);
  const { startX, startY, from, types, coords } = fit;
  let nodes = 0;
  let subpaths = 0;
  let px = 0;
  let py = 0;
  // The ring's segments, oriented, as flat [type, cx, cy, ex, ey] records; one buffer for all rings.
  const list = new Int32List(256);
  for (const ring of rings) {
    list.length = 0;
    let sx = 0;
    let sy = 0;
    for (let r = 0; r < ring.chains.length; r++) {
      const c = ring.chains[r];
      const lo = from[c];
      const hi = from[c + 1];
      if (!ring.reversed[r]) {
        if (r === 0) [sx, sy] = [startX[c], startY[c]];
        for (let k = lo; k < hi; k++) {
          list.push(types[k]);
          list.push(coords[k * 4]);
          list.push(coords[k * 4 + 1]);
          list.push(coords[k * 4 + 2]);
          list.push(coords[k * 4 + 3]);
        }
      } else {
        if (r === 0)
          [sx, sy] = hi > lo ? [coords[(hi - 1) * 4 + 2], coords[(hi - 1) * 4 + 3]] : [startX[c], startY[c]];
        for (let k = hi - 1; k >= lo; k--) {
          const ex = k > lo ? coords[(k - 1) * 4 + 2] : startX[c];
          const ey = k > lo ? coords[(k - 1) * 4 + 3] : startY[c];
          list.push(types[k]);
          list.push(coords[k * 4]);
          list.push(coords[k * 4 + 1]);
          list.push(ex);
          list.push(ey);
        }
      }
    }
    const seg = list.data;
    const count = mergeCollinearLines(seg, list.length, sx, sy);
    if (count < 2) continue;
    subpaths++;
    b.cmd('m');
    b.num(sx - px);
    b.num(sy - py);
    nodes++;
    let cx = sx;
    let cy = sy;
    let prevQuad = false;
    let pcx = 0;
    let pcy = 0;
    for (let k = 0; k < count; k++) {
      const t = seg[k * 5];
      const kx = seg[k * 5 + 1];
      const ky = seg[k * 5 + 2];
      const ex = seg[k * 5 + 3];
      const ey = seg[k * 5 + 4];
      nodes++;
      if (t === SEG_QUAD) {
        if (prevQuad && kx === 2 * cx - pcx && ky === 2 * cy - pcy) b.cmd('t');
        else {
          b.cmd('q');
          b.num(kx - cx);
          b.num(ky - cy);
        }
        b.num(ex - cx);
        b.num(ey - cy);
        prevQuad = true;
        pcx = kx;
        pcy = ky;
      } else if (k === count - 1) {
        break;
      } else {
        if (ex === cx) {
          b.cmd('v');
          b.num(ey - cy);
        } else if (ey === cy) {
          b.cmd('h');
          b.num(ex - cx);
        } else {
          b.cmd('l');
          b.num(ex - cx);
          b.num(ey - cy);
        }
        prevQuad = false;
      }
      cx = ex;
      cy = ey;
    }
    b.cmd('z');
    px = sx;
    py = sy;
  }
  return { d: b.toString(), nodes, subpaths };
}
