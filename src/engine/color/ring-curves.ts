/**
 * Rings of fitted chains as geometry `Curves`, for geometry's path-data
 * writer (geometry/path-data.ts). Each chain is appended forward or
 * reversed (a reversed cubic swaps its two control points), so both regions
 * along a chain get the same points and the writer, which rounds absolute
 * positions, writes the same numbers from either side.
 *
 * Straight lines that continue one another in the same direction (chains
 * meeting at a junction on a straight edge, such as the image border) are
 * joined, and lines that round to nothing are dropped, both judged in
 * output units (10^-precision px) as the writer will see them. A ring left
 * with no area (one straight line out and back) is not written.
 */
import { CLOSE, CUBIC, LINE, MOVE, POINTS_PER_COMMAND, QUAD, type Curves } from '../geometry/curves.js';
import type { FittedChains } from './fit-chains.js';
import type { Ring } from './layer-outline.js';

/** Curves of one layer, built in growing arrays. */
class RingBuilder {
  cmds = new Uint8Array(256);
  pts = new Float64Array(1024);
  nc = 0;
  np = 0;
  /** Current point, and the start of the last segment when it is a line (`lastIsLine`), in output units. */
  private cx = 0;
  private cy = 0;
  private lx = 0;
  private ly = 0;
  private lastIsLine = false;
  private segments = 0;
  private ringCmd = 0;
  private ringPt = 0;

  constructor(private readonly scale: number) {}

  private reserve(cmds: number, pts: number): void {
    if (this.nc + cmds > this.cmds.length) {
      const next = new Uint8Array(Math.max(this.cmds.length * 2, this.nc + cmds));
      next.set(this.cmds);
      this.cmds = next;
    }
    if (this.np + pts > this.pts.length) {
      const next = new Float64Array(Math.max(this.pts.length * 2, this.np + pts));
      next.set(this.pts);
      this.pts = next;
    }
  }

  moveTo(x: number, y: number): void {
    this.ringCmd = this.nc;
    this.ringPt = this.np;
    this.reserve(1, 2);
    this.cmds[this.nc++] = MOVE;
    this.pts[this.np++] = x;
    this.pts[this.np++] = y;
    this.cx = Math.round(x * this.scale);
    this.cy = Math.round(y * this.scale);
    this.lastIsLine = false;
    this.segments = 0;
  }

  lineTo(x: number, y: number): void {
    const ix = Math.round(x * this.scale);
    const iy = Math.round(y * this.scale);
    const bx = ix - this.cx;
    const by = iy - this.cy;
    if (bx === 0 && by === 0) return;
    if (this.lastIsLine) {
      const ax = this.cx - this.lx;
      const ay = this.cy - this.ly;
      if (ax * by - ay * bx === 0 && ax * bx + ay * by > 0) {
        // Same direction: move the last line's end.
        this.pts[this.np - 2] = x;
        this.pts[this.np - 1] = y;
        this.cx = ix;
        this.cy = iy;
        return;
      }
    }
    this.reserve(1, 2);
    this.cmds[this.nc++] = LINE;
    this.pts[this.np++] = x;
    this.pts[this.np++] = y;
    this.lx = this.cx;
    this.ly = this.cy;
    this.cx = ix;
    this.cy = iy;
    this.lastIsLine = true;
    this.segments++;
  }

  quadTo(kx: number, ky: number, x: number, y: number): void {
    this.reserve(1, 4);
    this.cmds[this.nc++] = QUAD;
    const p = this.pts;
    p[this.np++] = kx;
    p[this.np++] = ky;
    p[this.np++] = x;
    p[this.np++] = y;
    this.cx = Math.round(x * this.scale);
    this.cy = Math.round(y * this.scale);
    this.lastIsLine = false;
    this.segments++;
  }

  cubicTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    this.reserve(1, 6);
    this.cmds[this.nc++] = CUBIC;
    const p = this.pts;
    p[this.np++] = x1;
    p[this.np++] = y1;
    p[this.np++] = x2;
    p[this.np++] = y2;
    p[this.np++] = x;
    p[this.np++] = y;
    this.cx = Math.round(x * this.scale);
    this.cy = Math.round(y * this.scale);
    this.lastIsLine = false;
    this.segments++;
  }

  /** Closes the ring, or takes it back when it has no area (no segment, or one line). */
  close(): void {
    if (this.segments === 0 || (this.segments === 1 && this.lastIsLine)) {
      this.nc = this.ringCmd;
      this.np = this.ringPt;
      return;
    }
    this.reserve(1, 0);
    this.cmds[this.nc++] = CLOSE;
  }

  /** Appends chain c's segments after its start point, or from its end back to its start. */
  chain(fit: FittedChains, c: number, reversed: boolean): void {
    const { kinds, pts } = fit;
    const lo = fit.from[c];
    const hi = fit.from[c + 1];
    let p = fit.at[c] + 2;
    if (!reversed) {
      for (let k = lo; k < hi; k++) {
        if (kinds[k] === LINE) this.lineTo(pts[p], pts[p + 1]);
        else if (kinds[k] === QUAD) this.quadTo(pts[p], pts[p + 1], pts[p + 2], pts[p + 3]);
        else this.cubicTo(pts[p], pts[p + 1], pts[p + 2], pts[p + 3], pts[p + 4], pts[p + 5]);
        p += 2 * POINTS_PER_COMMAND[kinds[k]];
      }
      return;
    }
    // Backwards from the end: each segment's own points come just after its start point.
    p = fit.at[c + 1];
    for (let k = hi - 1; k >= lo; k--) {
      p -= 2 * POINTS_PER_COMMAND[kinds[k]];
      if (kinds[k] === LINE) this.lineTo(pts[p - 2], pts[p - 1]);
      else if (kinds[k] === QUAD) this.quadTo(pts[p], pts[p + 1], pts[p - 2], pts[p - 1]);
      else this.cubicTo(pts[p + 2], pts[p + 3], pts[p], pts[p + 1], pts[p - 2], pts[p - 1]);
    }
  }

  finish(): Curves {
    return { cmds: this.cmds.subarray(0, this.nc), pts: this.pts.subarray(0, this.np) };
  }
}

/** The rings as one `Curves` with one subpath per ring; `precision` is the writer's. */
export function ringCurves(fit: FittedChains, rings: readonly Ring[], precision: number): Curves {
  const b = new RingBuilder(10 ** precision);
  const { at, pts } = fit;
  for (const ring of rings) {
    const c = ring.chains[0];
    const s = ring.reversed[0] ? at[c + 1] - 2 : at[c];
    b.moveTo(pts[s], pts[s + 1]);
    for (let r = 0; r < ring.chains.length; r++) b.chain(fit, ring.chains[r], ring.reversed[r]);
    b.close();
  }
  return b.finish();
}
