import { describe, expect, it } from 'vitest';
import {
  convertSvg,
  readSvgDocument,
  vectorize,
  flattenSubpath,
  type Raster,
} from '../../src/engine/index.js';
import { distanceTo } from '../../src/engine/centerline/distance.js';
import { thin } from '../../src/engine/centerline/thinning.js';
import { buildGraph } from '../../src/engine/centerline/skeleton-graph.js';
import { renderSvg } from '../../src/quality/index.js';

const W = 80;
const H = 60;
/** A drawing of strokes rendered (anti-aliased) on white. */
function drawing(body: string): Raster {
  return renderSvg(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${body}</svg>`,
    W,
    H,
    '#ffffff',
  );
}

function strokes(svg: string) {
  return readSvgDocument(svg).items.filter((i) => i.stroke);
}

function inkAt(r: Raster, x: number, y: number): number {
  const i = (Math.floor(y) * r.width + Math.floor(x)) * 4;
  return 1 - r.data[i] / 255;
}

describe('centerline stages', () => {
  it('distance transform: exact Euclidean distances to the nearest feature pixel', () => {
    const f = new Uint8Array(25);
    f[12] = 1; // centre of 5x5
    const d = distanceTo(f, 5, 5, 1);
    expect(d[12]).toBe(0);
    expect(d[13]).toBe(1);
    expect(d[0]).toBeCloseTo(Math.hypot(2, 2), 6);
    expect(d[4 * 5 + 3]).toBeCloseTo(Math.hypot(1, 2), 6);
  });

  it('thinning a T of 5 px wide bars gives one pixel wide lines meeting in one junction node', () => {
    const w = 40;
    const h = 30;
    const mask = new Uint8Array(w * h);
    for (let y = 5; y < 10; y++) for (let x = 5; x < 35; x++) mask[y * w + x] = 1;
    for (let y = 10; y < 26; y++) for (let x = 18; x < 23; x++) mask[y * w + x] = 1;
    const g = buildGraph(thin(mask, w, h), w, h);
    const junctions = g.nodes.filter((n) => n.degree >= 3);
    expect(junctions).toHaveLength(1);
    expect(g.nodes.filter((n) => n.degree === 1).length).toBeGreaterThanOrEqual(3);
    // Every edge ends exactly at its nodes' positions.
    for (const e of g.edges) {
      const p = e.points;
      expect([p[0], p[1]]).toEqual([g.nodes[e.from].x, g.nodes[e.from].y]);
      expect([p[p.length - 2], p[p.length - 1]]).toEqual([g.nodes[e.to].x, g.nodes[e.to].y]);
    }
  });
});

describe('centerline mode', () => {
  it('traces strokes to their middle with their width, joined at a junction without a gap', () => {
    const raster = drawing(
      '<path d="M10 15H70M40 15V50" stroke="#000" stroke-width="4" fill="none" stroke-linecap="round"/>',
    );
    const { svg, stats } = vectorize(raster, { mode: 'centerline' });
    expect(stats.mode).toBe('centerline');
    const items = strokes(svg);
    expect(items.length).toBeGreaterThanOrEqual(1);
    for (const item of items) {
      expect(item.fill).toBeNull();
      expect(Math.abs(item.strokeWidth - 4)).toBeLessThanOrEqual(0.5);
      for (const sp of item.subpaths) {
        const pts = flattenSubpath(sp, 0.05);
        for (let i = 0; i < pts.length; i += 2) {
          const [x, y] = [pts[i], pts[i + 1]];
          // Distance to the source centre lines (y = 15 for x in 10..70, x = 40 for y in 15..50).
          const d = Math.min(
            Math.abs(y - 15) + Math.max(0, 10 - x, x - 70),
            Math.abs(x - 40) + Math.max(0, 15 - y, y - 50),
          );
          expect(d).toBeLessThan(1);
        }
      }
    }
    // Rendered back, the junction and the whole cross are painted: no gap.
    const back = renderSvg(svg, W, H, '#ffffff');
    for (const [x, y] of [
      [40, 15],
      [39, 17],
      [41, 17],
      [25, 15],
      [55, 15],
      [40, 35],
      [40, 48],
      [12, 15],
      [68, 15],
    ]) {
      expect(inkAt(back, x, y)).toBeGreaterThan(0.5);
    }
    expect(inkAt(back, 40, 56)).toBeLessThan(0.1);
  });

  it('keeps thick areas filled in the same document, and dots as dots', () => {
    const raster = drawing(
      '<rect x="5" y="5" width="30" height="30" fill="#000"/><path d="M35 20H75" stroke="#000" stroke-width="3"/><circle cx="60" cy="48" r="2.5" fill="#000"/>',
    );
    const { svg } = vectorize(raster, { mode: 'centerline' });
    const doc = readSvgDocument(svg);
    const fills = doc.items.filter((i) => i.fill && !i.stroke);
    expect(fills).toHaveLength(1);
    expect(strokes(svg).length).toBeGreaterThanOrEqual(1);
    const back = renderSvg(svg, W, H, '#ffffff');
    expect(inkAt(back, 20, 20)).toBeGreaterThan(0.9); // the filled square
    expect(inkAt(back, 55, 20)).toBeGreaterThan(0.8); // the stroke
    expect(inkAt(back, 60, 48)).toBeGreaterThan(0.5); // the dot
    expect(inkAt(back, 60, 35)).toBeLessThan(0.1);
  });

  it('keeps a corner sharp', () => {
    const raster = drawing(
      '<path d="M10 50L40 10L70 50" stroke="#000" stroke-width="3" fill="none" stroke-linejoin="miter"/>',
    );
    const back = renderSvg(vectorize(raster, { mode: 'centerline' }).svg, W, H, '#ffffff');
    // Just under the apex of the inverted V the stroke is still there (a rounded-off corner would cut it).
    expect(inkAt(back, 40, 12.5)).toBeGreaterThan(0.5);
  });

  it('is deterministic and goes through the PDF and DXF writers as strokes', () => {
    const raster = drawing('<circle cx="40" cy="30" r="18" stroke="#000" stroke-width="3" fill="none"/>');
    const a = vectorize(raster, { mode: 'centerline' }).svg;
    expect(vectorize(raster, { mode: 'centerline' }).svg).toBe(a);
    const items = strokes(a);
    expect(items.some((i) => i.subpaths.some((sp) => sp.closed))).toBe(true);
    expect(convertSvg(a, 'pdf')).toMatch(/ w 1 J 1 j\n[\s\S]*\nS\nQ/);
    expect(convertSvg(a, 'dxf')).toContain('\n8\nSTROKE_000000\n');
  });
  it('measures short dashes of an 8 px pen at 8 px and draws the whole drawing with one width', () => {
    // Dashes shorter than 1.5 x their width, apart and at different places: the distance transform alone
    // says 7.5 px (whole pixels) for each.
    const raster = drawing(
      '<path d="M12 15h6M30 15h6M48.5 15h6M12 40v6M40 40h20" stroke="#000" stroke-width="8" fill="none" stroke-linecap="round"/>',
    );
    const items = strokes(vectorize(raster, { mode: 'centerline' }).svg);
    expect(items).toHaveLength(1);
    expect(Math.abs(items[0].strokeWidth - 8)).toBeLessThanOrEqual(0.2);
  });

  it('keeps a clearly different width as its own stroke class', () => {
    const raster = drawing(
      '<path d="M10 15H70" stroke="#000" stroke-width="3" fill="none"/><path d="M10 40H70" stroke="#000" stroke-width="7" fill="none"/>',
    );
    const widths = strokes(vectorize(raster, { mode: 'centerline' }).svg)
      .map((i) => i.strokeWidth)
      .sort((a, b) => a - b);
    expect(widths).toHaveLength(2);
    expect(Math.abs(widths[0] - 3)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(widths[1] - 7)).toBeLessThanOrEqual(0.5);
  });
  it('centres a short even-width dash on the ink, not on the pixel skeleton half a pixel off', () => {
    const raster = drawing(
      '<path d="M30 16h6M12 30v6" stroke="#000" stroke-width="8" fill="none" stroke-linecap="round"/>',
    );
    const [item] = strokes(vectorize(raster, { mode: 'centerline' }).svg);
    const pts = item.subpaths.flatMap((sp) => [...flattenSubpath(sp, 0.05)]);
    for (let i = 0; i < pts.length; i += 2) {
      const [x, y] = [pts[i], pts[i + 1]];
      // Either on the horizontal dash's line y = 16 or on the vertical one's x = 12.
      expect(Math.min(Math.abs(y - 16), Math.abs(x - 12))).toBeLessThanOrEqual(0.25);
    }
  });
  it('follows a curved stroke closely (the fit tolerance is the curve tolerance, light smoothing)', () => {
    const raster = drawing(
      '<path d="M12 50A26 26 0 0 1 64 50" stroke="#000" stroke-width="6" fill="none" stroke-linecap="round"/>',
    );
    let sum = 0;
    let count = 0;
    for (const item of strokes(vectorize(raster, { mode: 'centerline' }).svg)) {
      for (const sp of item.subpaths) {
        const pts = flattenSubpath(sp, 0.02);
        for (let i = 0; i < pts.length; i += 2) {
          if (pts[i + 1] > 47) continue; // the ends and their caps
          sum += Math.abs(Math.hypot(pts[i] - 38, pts[i + 1] - 50) - 26);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(sum / count).toBeLessThanOrEqual(0.2);
  });
});
