import { describe, expect, it } from 'vitest';
import { ChainBuilder, CurveBuilder, CUBIC, LINE, QUAD } from '../../src/engine/geometry/curves.js';
import { fitChain, fitClosedRing, fitCubics } from '../../src/engine/geometry/fit-cubic.js';
import { formatUnits, writePathData } from '../../src/engine/geometry/path-data.js';

function path(build: (b: CurveBuilder) => void, precision = 1): string {
  const b = new CurveBuilder();
  build(b);
  return writePathData(b.finish(), precision).d;
}

/** Largest distance from any of `pts` (x,y pairs) to `chain`, sampled densely. */
function maxDeviation(chain: { kinds: Uint8Array; pts: Float64Array }, pts: Float64Array): number {
  const curve: number[] = [chain.pts[0], chain.pts[1]];
  let p = 2;
  let x0 = chain.pts[0];
  let y0 = chain.pts[1];
  for (const k of chain.kinds) {
    if (k === LINE) {
      for (let i = 1; i <= 2000; i++) {
        curve.push(x0 + ((chain.pts[p] - x0) * i) / 2000, y0 + ((chain.pts[p + 1] - y0) * i) / 2000);
      }
      [x0, y0] = [chain.pts[p], chain.pts[p + 1]];
      p += 2;
      continue;
    }
    const [x1, y1, x2, y2, x3, y3] = chain.pts.subarray(p, p + 6);
    for (let i = 1; i <= 2000; i++) {
      const t = i / 2000;
      const s = 1 - t;
      curve.push(
        s * s * s * x0 + 3 * s * s * t * x1 + 3 * s * t * t * x2 + t * t * t * x3,
        s * s * s * y0 + 3 * s * s * t * y1 + 3 * s * t * t * y2 + t * t * t * y3,
      );
    }
    [x0, y0] = [x3, y3];
    p += 6;
  }
  let worst = 0;
  for (let i = 0; i < pts.length; i += 2) {
    let best = Infinity;
    for (let j = 0; j < curve.length; j += 2) {
      best = Math.min(best, Math.hypot(curve[j] - pts[i], curve[j + 1] - pts[i + 1]));
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

describe('formatUnits', () => {
  it('writes the shortest decimal of a count of 10^-precision units', () => {
    expect(formatUnits(15, 1)).toBe('1.5');
    expect(formatUnits(-15, 1)).toBe('-1.5');
    expect(formatUnits(5, 1)).toBe('.5');
    expect(formatUnits(-5, 1)).toBe('-.5');
    expect(formatUnits(20, 1)).toBe('2');
    expect(formatUnits(0, 2)).toBe('0');
    expect(formatUnits(1050, 3)).toBe('1.05');
    expect(formatUnits(7, 3)).toBe('.007');
    expect(formatUnits(-12, 0)).toBe('-12');
  });
});

describe('writePathData', () => {
  it('writes relative commands, h and v for axis lines, and leaves the closing line to z', () => {
    const d = path((b) => {
      b.moveTo(1, 1);
      b.lineTo(7, 1);
      b.lineTo(7, 7);
      b.lineTo(1, 7);
      b.lineTo(1, 1);
      b.close();
    });
    expect(d).toBe('m1 1h6v6h-6z');
  });

  it('continues after z from the subpath start', () => {
    const d = path((b) => {
      b.moveTo(1, 1);
      b.lineTo(3, 2);
      b.lineTo(1, 3);
      b.close();
      b.moveTo(4, 4);
      b.lineTo(5, 5);
      b.lineTo(4, 6);
      b.close();
    });
    expect(d).toBe('m1 1 2 1-2 1zm3 3 1 1-1 1z');
  });

  it('uses "-" and a second "." as separators and repeats no command letter', () => {
    const d = path((b) => {
      b.moveTo(0.5, 0.5);
      b.cubicTo(1, 0.5, 1.5, 1, 1.5, 1.5);
      b.cubicTo(1.5, 2, 1, 2.5, 0.5, 2.5);
      b.close();
    });
    expect(d).toBe('m.5.5c.5 0 1 .5 1 1 0 .5-.5 1-1 1z');
  });

  it('rounds absolute positions so relative steps do not drift', () => {
    const b = new CurveBuilder();
    b.moveTo(0, 0);
    for (let i = 1; i <= 30; i++) b.lineTo(i * 0.34, i * 0.34);
    b.close();
    const { d } = writePathData(b.finish(), 1);
    const steps = d
      .slice(1, -1)
      .match(/-?\d*\.?\d+/g)!
      .map(Number);
    const sum = steps.filter((_, i) => i % 2 === 0).reduce((a, c) => a + c, 0);
    expect(sum).toBeCloseTo(10.2, 9);
  });

  it('drops segments that round to nothing and counts nodes and subpaths', () => {
    const b = new CurveBuilder();
    b.moveTo(2, 2);
    b.lineTo(2.01, 2.01);
    b.lineTo(4, 2);
    b.lineTo(4, 4);
    b.close();
    const out = writePathData(b.finish(), 1);
    expect(out.d).toBe('m2 2h2v2z');
    expect(out.nodes).toBe(4);
    expect(out.subpaths).toBe(1);
  });

  it('writes quadratic curves as q, as t when the control mirrors the last one, as a line when it lies on an end', () => {
    const d = path((b) => {
      b.moveTo(0, 0);
      b.quadTo(1, 0, 1, 1);
      b.quadTo(1, 2, 2, 2);
      b.quadTo(3, 2, 3, 3);
      b.quadTo(3, 3, 3, 5);
      b.quadTo(4, 5, 4, 6);
      b.close();
    });
    expect(d).toBe('m0 0q1 0 1 1t1 1 1 1v2q1 0 1 1z');
  });

  it('writes integers at precision 0 and keeps more decimals when asked', () => {
    const build = (b: CurveBuilder): void => {
      b.moveTo(1.234, 5.678);
      b.lineTo(3.4567, 5.678);
      b.close();
    };
    expect(path(build, 0)).toBe('m1 6h2z');
    expect(path(build, 3)).toBe('m1.234 5.678h2.223z');
  });
});

describe('Chain', () => {
  it('appends forward and reversed with the same geometry', () => {
    const c = new ChainBuilder(0, 0);
    c.lineTo(2, 0);
    c.cubicTo(3, 0, 4, 1, 4, 2);
    const chain = c.finish();
    expect([...chain.kinds]).toEqual([LINE, CUBIC]);
    const fwd = new CurveBuilder();
    fwd.moveTo(0, 0);
    fwd.appendChain(chain);
    const rev = new CurveBuilder();
    rev.moveTo(4, 2);
    rev.appendChain(chain, true);
    expect([...rev.finish().pts]).toEqual([4, 2, 4, 1, 3, 0, 2, 0, 0, 0]);
    expect([...fwd.finish().pts]).toEqual([0, 0, 2, 0, 3, 0, 4, 1, 4, 2]);
  });

  it('reverses quadratic curves, keeping their control point', () => {
    const c = new ChainBuilder(0, 0);
    c.quadTo(1, 0, 1, 1);
    c.lineTo(1, 3);
    const chain = c.finish();
    expect([...chain.kinds]).toEqual([QUAD, LINE]);
    const rev = new CurveBuilder();
    rev.moveTo(1, 3);
    rev.appendChain(chain, true);
    const out = rev.finish();
    expect([...out.cmds.slice(1)]).toEqual([LINE, QUAD]);
    expect([...out.pts]).toEqual([1, 3, 1, 1, 1, 0, 0, 0]);
  });
});

describe('fitChain (Schneider)', () => {
  it('turns collinear points into one line with exact ends', () => {
    const pts = new Float64Array([0, 0, 1, 0.01, 2, -0.01, 3, 0, 4, 0]);
    const chain = fitChain(pts, 0.1);
    expect([...chain.kinds]).toEqual([LINE]);
    expect([...chain.pts]).toEqual([0, 0, 4, 0]);
  });

  it('fits a quarter circle with one cubic within the tolerance, ends exact', () => {
    const n = 40;
    const pts = new Float64Array(2 * (n + 1));
    for (let i = 0; i <= n; i++) {
      const a = (Math.PI / 2) * (i / n);
      pts[2 * i] = 20 * Math.cos(a);
      pts[2 * i + 1] = 20 * Math.sin(a);
    }
    const chain = fitChain(pts, 0.1, [0, 1, 1, 0]);
    expect([...chain.kinds]).toEqual([CUBIC]);
    expect(chain.pts[0]).toBe(20);
    expect(chain.pts[chain.pts.length - 1]).toBe(20);
    expect(maxDeviation(chain, pts)).toBeLessThan(0.1);
  });

  it('splits an S-curve it cannot fit with one cubic, staying within the tolerance', () => {
    const n = 120;
    const pts = new Float64Array(2 * (n + 1));
    for (let i = 0; i <= n; i++) {
      pts[2 * i] = i / 2;
      pts[2 * i + 1] = 10 * Math.sin((i / n) * 3 * Math.PI);
    }
    const chain = fitChain(pts, 0.2);
    expect(chain.kinds.length).toBeGreaterThan(1);
    expect(maxDeviation(chain, pts)).toBeLessThan(0.2);
  });

  it('fits a closed ring back to its first point', () => {
    const n = 64;
    const pts = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      pts[2 * i] = 30 + 25 * Math.cos((2 * Math.PI * i) / n);
      pts[2 * i + 1] = 30 + 25 * Math.sin((2 * Math.PI * i) / n);
    }
    const chain = fitClosedRing(pts, 0.1);
    const end = chain.pts.length;
    expect([chain.pts[end - 2], chain.pts[end - 1]]).toEqual([55, 30]);
    expect(chain.kinds.length).toBeGreaterThanOrEqual(4);
    expect(chain.kinds.length).toBeLessThanOrEqual(8);
    expect(maxDeviation(chain, pts)).toBeLessThan(0.1);
  });

  it('splits at the knot nearest the worst point, with the knot tangent', () => {
    // A half circle from (20, 0) through (0, 20) to (-20, 0): too much for one cubic at 0.05.
    const n = 90;
    const pts = new Float64Array(2 * (n + 1));
    for (let i = 0; i <= n; i++) {
      pts[2 * i] = 20 * Math.cos((Math.PI * i) / n);
      pts[2 * i + 1] = 20 * Math.sin((Math.PI * i) / n);
    }
    const out = new ChainBuilder(20, 0);
    const knots = {
      index: new Int32Array([40]),
      tangent: new Float64Array([-Math.sin((40 * Math.PI) / n), Math.cos((40 * Math.PI) / n)]),
    };
    fitCubics(pts, 0, n, 0.05, out, [0, 1, 0, 1], knots);
    const chain = out.finish();
    expect([...chain.kinds]).toEqual([CUBIC, CUBIC]);
    // The join is knot 40, and both pieces leave and enter it along its tangent.
    expect(chain.pts[6]).toBeCloseTo(pts[80], 12);
    expect(chain.pts[7]).toBeCloseTo(pts[81], 12);
    const inX = chain.pts[6] - chain.pts[4];
    const inY = chain.pts[7] - chain.pts[5];
    const outX = chain.pts[8] - chain.pts[6];
    const outY = chain.pts[9] - chain.pts[7];
    expect(Math.abs(inX * knots.tangent[1] - inY * knots.tangent[0])).toBeLessThan(1e-9);
    expect(Math.abs(outX * knots.tangent[1] - outY * knots.tangent[0])).toBeLessThan(1e-9);
    expect(maxDeviation(chain, pts)).toBeLessThan(0.05);
  });

  it('rejects chains too short to fit', () => {
    expect(() => fitChain(new Float64Array([1, 1]), 0.5)).toThrow(/at least 2 points/);
    expect(() => fitClosedRing(new Float64Array([0, 0, 1, 1]), 0.5)).toThrow(/at least 3 points/);
  });
});
