/**
 * SVG path data from `Curves`: relative commands (m, l, h, v, c, q, t, z),
 * numbers at a fixed number of decimals, no redundant separators or repeated
 * command letters; `t` where a quadratic curve's control point mirrors the
 * previous one's. Every point is rounded in absolute coordinates first and the
 * relative offsets are differences of rounded positions, so rounding errors
 * never accumulate along a path.
 */
import { CLOSE, CUBIC, LINE, MOVE, QUAD, type Curves } from './curves.js';
import { keepShape } from '../keep-shapes.js';

// Command letters as character codes.
const C = 99;
const H = 104;
const L = 108;
const M = 109;
const Q = 113;
const T = 116;
const V = 118;
const Z = 122;

export interface PathData {
  readonly d: string;
  /** Commands written, implicit repetitions included. */
  readonly nodes: number;
  readonly subpaths: number;
}

/** Formats an integer count of 10^-precision units as the shortest decimal. */
export function formatUnits(units: number, precision: number): string {
  if (precision === 0) return units === 0 ? '0' : String(units);
  const neg = units < 0;
  const abs = neg ? -units : units;
  const scale = 10 ** precision;
  const whole = Math.floor(abs / scale);
  let frac = String(abs - whole * scale).padStart(precision, '0');
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  const body = frac === '' ? String(whole) : (whole === 0 ? '' : String(whole)) + '.' + frac;
  return neg ? '-' + body : body;
}

/**
 * Path data as ASCII bytes in one growing buffer, made a string once:
 * appending hundreds of thousands of short strings (a photograph's path
 * data) would build a deep rope for the collector to trace and the final
 * join to flatten.
 */
class PathWriter {
  nodes = 0;
  private buf = new Uint8Array(4096);
  private len = 0;
  private letter = 0;
  private fresh = true;
  private lastHasDot = false;

  constructor(private readonly precision: number) {}

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** A command letter, as its character code. */
  command(letter: number): void {
    this.nodes++;
    // A repeated command letter may be left out; after "m" the implicit command is "l".
    if (letter !== M && (letter === this.letter || (letter === L && this.letter === M))) return;
    this.reserve(1);
    this.buf[this.len++] = letter;
    this.letter = letter;
    this.fresh = true;
  }

  number(units: number): void {
    const s = formatUnits(units, this.precision);
    const c = s.charCodeAt(0);
    this.reserve(s.length + 1);
    // "-" always separates; "." separates when the previous number already has a dot.
    if (!this.fresh && !(c === 45 || (c === 46 && this.lastHasDot))) this.buf[this.len++] = 32;
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
    this.lastHasDot = s.includes('.');
    this.fresh = false;
  }

  close(): void {
    this.nodes++;
    this.reserve(1);
    this.buf[this.len++] = Z;
    this.letter = Z;
    this.fresh = true;
  }

  toString(): string {
    let d = '';
    // In slices, since a function call takes a limited number of arguments.
    for (let o = 0; o < this.len; o += 8192) {
      const slice = this.buf.subarray(o, Math.min(o + 8192, this.len));
      d += String.fromCharCode.apply(null, slice as unknown as number[]);
    }
    return d;
  }
}

/**
 * The commands of one path in output units (integers: positions rounded
 * once, in absolute coordinates), written relative to the current point.
 */
class RelativeWriter extends PathWriter {
  private cx = 0;
  private cy = 0;
  private sx = 0;
  private sy = 0;
  /** Control point of the last segment when it was a quadratic one ("q" or "t"). */
  private quad = false;
  private qx = 0;
  private qy = 0;

  moveTo(x: number, y: number): void {
    this.command(M);
    this.number(x - this.cx);
    this.number(y - this.cy);
    this.cx = this.sx = x;
    this.cy = this.sy = y;
    this.quad = false;
  }

  /** A line, left out when it does not move or when `closes` (z draws it). */
  lineTo(x: number, y: number, closes: boolean): void {
    if ((x === this.cx && y === this.cy) || (closes && x === this.sx && y === this.sy)) return;
    if (y === this.cy) {
      this.command(H);
      this.number(x - this.cx);
    } else if (x === this.cx) {
      this.command(V);
      this.number(y - this.cy);
    } else {
      this.command(L);
      this.number(x - this.cx);
      this.number(y - this.cy);
    }
    this.cx = x;
    this.cy = y;
    this.quad = false;
  }

  cubicTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    const { cx, cy } = this;
    if (x1 === cx && y1 === cy && x2 === cx && y2 === cy && x === cx && y === cy) return;
    this.command(C);
    this.number(x1 - cx);
    this.number(y1 - cy);
    this.number(x2 - cx);
    this.number(y2 - cy);
    this.number(x - cx);
    this.number(y - cy);
    this.cx = x;
    this.cy = y;
    this.quad = false;
  }

  /** A quadratic curve: "t" when its control mirrors the previous one's, a line when the control lies on an end. */
  quadTo(kx: number, ky: number, x: number, y: number, closes: boolean): void {
    const { cx, cy } = this;
    if ((kx === cx && ky === cy) || (kx === x && ky === y)) {
      this.lineTo(x, y, closes);
      return;
    }
    if (this.quad && kx === 2 * cx - this.qx && ky === 2 * cy - this.qy) this.command(T);
    else {
      this.command(Q);
      this.number(kx - cx);
      this.number(ky - cy);
    }
    this.number(x - cx);
    this.number(y - cy);
    this.cx = x;
    this.cy = y;
    this.quad = true;
    this.qx = kx;
    this.qy = ky;
  }

  override close(): void {
    super.close();
    this.cx = this.sx;
    this.cy = this.sy;
    this.quad = false;
  }
}

/** Writes `curves` as compact relative path data with `precision` decimals (0-4). */
export function writePathData(curves: Curves, precision: number): PathData {
  const { cmds, pts } = curves;
  const scale = 10 ** precision;
  const w = new RelativeWriter(precision);
  let subpaths = 0;
  let p = 0;
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i];
    // A segment just before CLOSE that ends at the start leaves its last line to "z".
    const closes = i + 1 < cmds.length && cmds[i + 1] === CLOSE;
    if (cmd === MOVE) {
      w.moveTo(Math.round(pts[p] * scale), Math.round(pts[p + 1] * scale));
      p += 2;
      subpaths++;
    } else if (cmd === LINE) {
      w.lineTo(Math.round(pts[p] * scale), Math.round(pts[p + 1] * scale), closes);
      p += 2;
    } else if (cmd === CUBIC) {
      w.cubicTo(
        Math.round(pts[p] * scale),
        Math.round(pts[p + 1] * scale),
        Math.round(pts[p + 2] * scale),
        Math.round(pts[p + 3] * scale),
        Math.round(pts[p + 4] * scale),
        Math.round(pts[p + 5] * scale),
      );
      p += 6;
    } else if (cmd === QUAD) {
      w.quadTo(
        Math.round(pts[p] * scale),
        Math.round(pts[p + 1] * scale),
        Math.round(pts[p + 2] * scale),
        Math.round(pts[p + 3] * scale),
        closes,
      );
      p += 4;
    } else if (cmd === CLOSE) {
      w.close();
    }
  }
  return { d: w.toString(), nodes: w.nodes, subpaths };
}

// A template instance keeps the class's hidden class alive between calls (see keep-shapes.ts).
keepShape(new RelativeWriter(1));
