/**
 * True shapes (issue 12): outlines that a circle or an ellipse fits are
 * written as that element with its centre, radii and rotation; rectangles
 * become exact four-line subpaths; holes and cutout layering keep paths.
 */
import { describe, expect, it } from 'vitest';
import { vectorize } from '../../src/engine/index.js';
import { fitShape } from '../../src/engine/geometry/shape-fit.js';
import { compareToOriginal, countSeams } from '../../src/quality/index.js';
import { renderToRaster } from '../fixtures/color/rasters.js';

const svg64 = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="#ffffff"/>${body}</svg>`;

function circles(svg: string): { cx: number; cy: number; r: number }[] {
  return [...svg.matchAll(/<circle cx="([^"]+)" cy="([^"]+)" r="([^"]+)"/g)].map((m) => ({
    cx: Number(m[1]),
    cy: Number(m[2]),
    r: Number(m[3]),
  }));
}

describe('shape fitting', () => {
  it('recovers a circle, an ellipse and a rotated rectangle from their outline points', () => {
    const ring = (f: (t: number) => [number, number], n = 64) =>
      Float64Array.from(Array.from({ length: n }, (_, i) => f((2 * Math.PI * i) / n)).flat());
    const c = fitShape(
      ring((t) => [20 + 7 * Math.cos(t), 30 + 7 * Math.sin(t)]),
      0.1,
    )!;
    expect(c.kind).toBe('circle');
    expect(c.cx).toBeCloseTo(20, 1);
    expect(c.cy).toBeCloseTo(30, 1);
    expect(c.rx).toBeCloseTo(7, 1);
    const a = (25 * Math.PI) / 180;
    const e = fitShape(
      ring((t) => {
        const u = 12 * Math.cos(t);
        const v = 5 * Math.sin(t);
        return [40 + u * Math.cos(a) - v * Math.sin(a), 20 + u * Math.sin(a) + v * Math.cos(a)];
      }, 128),
      0.1,
    )!;
    expect(e.kind).toBe('ellipse');
    expect(e.rx).toBeCloseTo(12, 1);
    expect(e.ry).toBeCloseTo(5, 1);
    expect(e.angle).toBeCloseTo(25, 0);
    // An 8 x 4 rectangle's corners and edge midpoints, turned 10 degrees.
    const b = (10 * Math.PI) / 180;
    const pts: number[] = [];
    for (const [u, v] of [
      [-4, -2],
      [0, -2],
      [4, -2],
      [4, 0],
      [4, 2],
      [0, 2],
      [-4, 2],
      [-4, 0],
    ])
      pts.push(10 + u * Math.cos(b) - v * Math.sin(b), 10 + u * Math.sin(b) + v * Math.cos(b));
    const r = fitShape(Float64Array.from(pts), 0.05)!;
    expect(r.kind).toBe('rect');
    expect(r.rx).toBeCloseTo(4, 2);
    expect(r.ry).toBeCloseTo(2, 2);
    expect(r.angle).toBeCloseTo(10, 1);
  });
});

describe('true shapes in colour mode', () => {
  const disc = renderToRaster(svg64('<circle cx="30.5" cy="33" r="21" fill="#2f6fd0"/>'), 64);

  it('writes a disc as one <circle> with the right centre and radius', () => {
    const { svg, stats } = vectorize(disc, { mode: 'color' });
    const found = circles(svg);
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0].cx - 30.5)).toBeLessThanOrEqual(0.15);
    expect(Math.abs(found[0].cy - 33)).toBeLessThanOrEqual(0.15);
    expect(Math.abs(found[0].r - 21)).toBeLessThanOrEqual(0.15);
    expect(svg).toContain('fill="#2f6fd0"');
    expect(stats.shapes).toBe(1);
    expect(compareToOriginal(disc, svg).ssim).toBeGreaterThan(0.99);
    expect(countSeams(disc, svg).seamPixels).toBe(0);
  });

  it('writes a rotated ellipse with its rotation, and a rectangle as an exact path', () => {
    const raster = renderToRaster(
      svg64(
        '<ellipse cx="30" cy="26" rx="22" ry="12" transform="rotate(30 30 26)" fill="#d03a2f"/>' +
          '<rect x="6" y="46" width="24" height="12" fill="#2f6fd0"/>',
      ),
      128,
    );
    const { svg } = vectorize(raster, { mode: 'color' });
    const m = /<ellipse cx="([^"]+)" cy="([^"]+)" rx="([^"]+)" ry="([^"]+)" transform="rotate\(([^ ]+) /.exec(
      svg,
    );
    expect(m).not.toBeNull();
    const [cx, cy, rx, ry, angle] = m!.slice(1).map(Number);
    // Rendered at 128 px: twice the SVG's units.
    expect(Math.abs(cx - 60)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(cy - 52)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(rx - 44)).toBeLessThanOrEqual(0.4);
    expect(Math.abs(ry - 24)).toBeLessThanOrEqual(0.4);
    expect(Math.abs(angle - 30)).toBeLessThanOrEqual(1);
    expect(svg).toMatch(/<path fill="#2f6fd0" d="m12 (92v24h48v-24|116h48v-24h-48)z"\/>/);
  });

  it('keeps paths with shapes: off, with cutout layering, and around holes', () => {
    expect(vectorize(disc, { mode: 'color', shapes: 'off' }).svg).not.toContain('<circle');
    expect(vectorize(disc, { mode: 'color', layering: 'cutout' }).svg).not.toContain('<circle');
    // A ring: its outer circle holds a hole, so it stays one path with the hole.
    const ring = renderToRaster(
      svg64('<circle cx="32" cy="32" r="24" fill="none" stroke="#2f6fd0" stroke-width="10"/>'),
      64,
    );
    const { svg } = vectorize(ring, { mode: 'color' });
    expect(compareToOriginal(ring, svg).ssim).toBeGreaterThan(0.98);
    expect(countSeams(ring, svg).seamPixels).toBeLessThanOrEqual(2);
  });

  it('rejects an unknown shapes setting', () => {
    expect(() => vectorize(disc, { mode: 'color', shapes: 'yes' as never })).toThrow(/shapes/);
  });
});
