/**
 * Curves: the vector form both tracers hand to the path-data writer.
 *
 * Layout (one flat command stream, earcut/flatbush style):
 * - `cmds: Uint8Array`, one byte per command: `MOVE`, `LINE`, `CUBIC`, `CLOSE`,
 *   `QUAD`.
 * - `pts: Float64Array`, x,y pairs in absolute pixel coordinates, consumed in
 *   command order: `MOVE` 1 point, `LINE` 1 point (the end), `CUBIC` 3 points
 *   (first control, second control, end), `CLOSE` none, `QUAD` 2 points
 *   (control, end).
 *
 * A subpath is `MOVE (LINE | CUBIC | QUAD)* CLOSE`; `CLOSE` returns to the
 * `MOVE` point, so a last segment that ends there may be left out.
 *
 * A `Chain` is an open fitted curve with fixed ends, the unit the colour
 * tracer shares between two regions (once forward, once reversed):
 * - `kinds: Uint8Array`, `LINE`, `CUBIC` or `QUAD` per segment;
 * - `pts: Float64Array`, the start point, then each segment's points as above.
 */
import { keepShape } from '../keep-shapes.js';

export const MOVE = 0;
export const LINE = 1;
export const CUBIC = 2;
export const CLOSE = 3;
export const QUAD = 4;

/** Points (x,y pairs) each command consumes, indexed by command byte. */
export const POINTS_PER_COMMAND: readonly number[] = [1, 1, 3, 0, 2];

export interface Curves {
  readonly cmds: Uint8Array;
  readonly pts: Float64Array;
}

export interface Chain {
  readonly kinds: Uint8Array;
  readonly pts: Float64Array;
}

/**
 * Grows typed arrays by doubling so that building a path allocates O(log n)
 * times; segments are written the same way in curves and chains.
 */
class SegmentWriter {
  cmds = new Uint8Array(64);
  pts = new Float64Array(256);
  nc = 0;
  np = 0;

  protected cmd(c: number): void {
    if (this.nc === this.cmds.length) {
      const next = new Uint8Array(this.cmds.length * 2);
      next.set(this.cmds);
      this.cmds = next;
    }
    this.cmds[this.nc++] = c;
  }

  protected pt(x: number, y: number): void {
    if (this.np + 2 > this.pts.length) {
      const next = new Float64Array(this.pts.length * 2);
      next.set(this.pts);
      this.pts = next;
    }
    this.pts[this.np++] = x;
    this.pts[this.np++] = y;
  }

  lineTo(x: number, y: number): void {
    this.cmd(LINE);
    this.pt(x, y);
  }

  cubicTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void {
    this.cmd(CUBIC);
    this.pt(x1, y1);
    this.pt(x2, y2);
    this.pt(x, y);
  }

  quadTo(kx: number, ky: number, x: number, y: number): void {
    this.cmd(QUAD);
    this.pt(kx, ky);
    this.pt(x, y);
  }
}

/** Builds a `Curves` command stream. */
export class CurveBuilder extends SegmentWriter {
  moveTo(x: number, y: number): void {
    this.cmd(MOVE);
    this.pt(x, y);
  }

  close(): void {
    this.cmd(CLOSE);
  }

  /**
   * Appends the segments of `chain` (not its start point: the current point
   * must already be there). `reversed` walks it from its end to its start.
   */
  appendChain(chain: Chain, reversed = false): void {
    this.appendSegments(chain.kinds, chain.pts, 0, chain.kinds.length, 0, chain.pts.length, reversed);
  }

  /**
   * `appendChain` for a chain stored in larger arrays (several chains laid
   * end to end): its segments are `kinds[k0 .. k1)`, its points (start point
   * first) `pts[p0 .. p1)`.
   */
  appendSegments(
    kinds: Uint8Array,
    pts: Float64Array,
    k0: number,
    k1: number,
    p0: number,
    p1: number,
    reversed: boolean,
  ): void {
    if (!reversed) {
      let p = p0 + 2;
      for (let k = k0; k < k1; k++) {
        if (kinds[k] === LINE) this.lineTo(pts[p], pts[p + 1]);
        else if (kinds[k] === QUAD) this.quadTo(pts[p], pts[p + 1], pts[p + 2], pts[p + 3]);
        else this.cubicTo(pts[p], pts[p + 1], pts[p + 2], pts[p + 3], pts[p + 4], pts[p + 5]);
        p += 2 * POINTS_PER_COMMAND[kinds[k]];
      }
      return;
    }
    // Walk backwards from the end: each segment's own points come just after its start point.
    let p = p1;
    for (let k = k1 - 1; k >= k0; k--) {
      p -= 2 * POINTS_PER_COMMAND[kinds[k]];
      if (kinds[k] === LINE) this.lineTo(pts[p - 2], pts[p - 1]);
      else if (kinds[k] === QUAD) this.quadTo(pts[p], pts[p + 1], pts[p - 2], pts[p - 1]);
      else this.cubicTo(pts[p + 2], pts[p + 3], pts[p], pts[p + 1], pts[p - 2], pts[p - 1]);
    }
  }

  finish(): Curves {
    return { cmds: this.cmds.slice(0, this.nc), pts: this.pts.slice(0, this.np) };
  }
}

/** Builds a `Chain`: the start point first, then segments. */
export class ChainBuilder extends SegmentWriter {
  constructor(x: number, y: number) {
    super();
    this.pt(x, y);
  }

  finish(): Chain {
    return { kinds: this.cmds.slice(0, this.nc), pts: this.pts.slice(0, this.np) };
  }
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new CurveBuilder());
keepShape(new ChainBuilder(0, 0));
