/**
 * SVG path data from `Curves`: relative commands (m, l, h, v, c, z), numbers
 * at a fixed number of decimals, no redundant separators or repeated command
 * letters. Every point is rounded in absolute coordinates first and the
 * relative offsets are differences of rounded positions, so rounding errors
 * never accumulate along a path.
 */
import { CLOSE, CUBIC, LINE, MOVE, type Curves } from './curves.js';

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

class PathWriter {
  d = '';
  nodes = 0;
  private letter = '';
  private fresh = true;
  private lastHasDot = false;

  constructor(private readonly precision: number) {}

  command(letter: string): void {
    this.nodes++;
    // A repeated command letter may be left out; after "m" the implicit command is "l".
    if (letter !== 'm' && (letter === this.letter || (letter === 'l' && this.letter === 'm'))) return;
    this.d += letter;
    this.letter = letter;
    this.fresh = true;
  }

  number(units: number): void {
    const s = formatUnits(units, this.precision);
    const c = s.charCodeAt(0);
    // "-" always separates; "." separates when the previous number already has a dot.
    if (!this.fresh && !(c === 45 || (c === 46 && this.lastHasDot))) this.d += ' ';
    this.d += s;
    this.lastHasDot = s.includes('.');
    this.fresh = false;
  }

  close(): void {
    this.nodes++;
    this.d += 'z';
    this.letter = 'z';
    this.fresh = true;
  }
}

/** Writes `curves` as compact relative path data with `precision` decimals (0-4). */
export function writePathData(curves: Curves, precision: number): PathData {
  const { cmds, pts } = curves;
  const scale = 10 ** precision;
  const w = new PathWriter(precision);
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  let subpaths = 0;
  let p = 0;
  for (let i = 0; i < cmds.length; i++) {
    const cmd = cmds[i];
    if (cmd === MOVE) {
      const x = Math.round(pts[p] * scale);
      const y = Math.round(pts[p + 1] * scale);
      p += 2;
      w.command('m');
      w.number(x - cx);
      w.number(y - cy);
      cx = sx = x;
      cy = sy = y;
      subpaths++;
    } else if (cmd === LINE) {
      const x = Math.round(pts[p] * scale);
      const y = Math.round(pts[p + 1] * scale);
      p += 2;
      const closesNext = i + 1 < cmds.length && cmds[i + 1] === CLOSE && x === sx && y === sy;
      if ((x === cx && y === cy) || closesNext) continue;
      if (y === cy) {
        w.command('h');
        w.number(x - cx);
      } else if (x === cx) {
        w.command('v');
        w.number(y - cy);
      } else {
        w.command('l');
        w.number(x - cx);
        w.number(y - cy);
      }
      cx = x;
      cy = y;
    } else if (cmd === CUBIC) {
      const x1 = Math.round(pts[p] * scale);
      const y1 = Math.round(pts[p + 1] * scale);
      const x2 = Math.round(pts[p + 2] * scale);
      const y2 = Math.round(pts[p + 3] * scale);
      const x = Math.round(pts[p + 4] * scale);
      const y = Math.round(pts[p + 5] * scale);
      p += 6;
      if (x1 === cx && y1 === cy && x2 === cx && y2 === cy && x === cx && y === cy) continue;
      w.command('c');
      w.number(x1 - cx);
      w.number(y1 - cy);
      w.number(x2 - cx);
      w.number(y2 - cy);
      w.number(x - cx);
      w.number(y - cy);
      cx = x;
      cy = y;
    } else if (cmd === CLOSE) {
      w.close();
      cx = sx;
      cy = sy;
    }
  }
  return { d: w.d, nodes: w.nodes, subpaths };
}
