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
import { CurveBuilder, type Curves } from '../geometry/curves.js';
import type { FittedChains } from './fit-chains.js';
import type { Ring } from './layer-outline.js';
import { keepShape } from '../keep-shapes.js';

/**
 * geometry's CurveBuilder (growing arrays, chains appended forward or
 * reversed), with lines joined or dropped as the writer will round them, and
 * rings with no area taken back.
 */
class RingBuilder extends CurveBuilder {
  /** Current point, and the start of the last segment when it is a line (`lastIsLine`), in output units. */
  private cx = 0;
  private cy = 0;
  private lx = 0;
  private ly = 0;
  private lastIsLine = false;
  private segments = 0;
  private ringCmd = 0;
  private ringPt = 0;

  constructor(private readonly scale: number) {
    super();
  }

  override moveTo(x: number, y: number): void {
    this.ringCmd = this.nc;
    this.ringPt = this.np;
    super.moveTo(x, y);
    this.cx = Math.round(x * this.scale);
    this.cy = Math.round(y * this.scale);
    this.lastIsLine = false;
    this.segments = 0;
  }

  override lineTo(x: number, y: number): void {
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
    super.lineTo(x, y);
    this.lx = this.cx;
    this.ly = this.cy;
    this.cx = ix;
    this.cy = iy;
    this.lastIsLine = true;
    this.segments++;
  }

  override quadTo(kx: number, ky: number, x: number, y: number): void {
    super.quadTo(kx, ky, x, y);
    this.curveEndsAt(x, y);
  }

  override cubicTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    super.cubicTo(x1, y1, x2, y2, x, y);
    this.curveEndsAt(x, y);
  }

  private curveEndsAt(x: number, y: number): void {
    this.cx = Math.round(x * this.scale);
    this.cy = Math.round(y * this.scale);
    this.lastIsLine = false;
    this.segments++;
  }

  /** Closes the ring, or takes it back when it has no area (no segment, or one line). */
  override close(): void {
    if (this.segments === 0 || (this.segments === 1 && this.lastIsLine)) {
      this.nc = this.ringCmd;
      this.np = this.ringPt;
      return;
    }
    super.close();
  }

  /** Appends chain c's segments after its start point, or from its end back to its start. */
  chain(fit: FittedChains, c: number, reversed: boolean): void {
    this.appendSegments(fit.kinds, fit.pts, fit.from[c], fit.from[c + 1], fit.at[c], fit.at[c + 1], reversed);
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

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new RingBuilder(10));
