import { describe, expect, it } from 'vitest';
import { adaptiveWindow } from '../../src/engine/binary/adaptive-threshold.js';
import { adjustVertices } from '../../src/engine/binary/adjust-vertices.js';
import { boundaryLength, isBilevel } from '../../src/engine/binary/bilevel.js';
import { decompose, inkIsMinority } from '../../src/engine/binary/decompose.js';
import { edgeOffset } from '../../src/engine/binary/edge-offset.js';
import { inkPaperLevels, lumaHistogram, otsuThreshold } from '../../src/engine/binary/histogram.js';
import { inkMask } from '../../src/engine/binary/ink-mask.js';
import { inkLuma } from '../../src/engine/binary/luminance.js';
import { optimalPolygon } from '../../src/engine/binary/optimal-polygon.js';
import { removeSpeckles } from '../../src/engine/binary/speckle.js';
import type { Rings } from '../../src/engine/binary/rings.js';
import { antialiased, ascii, asciiMask } from '../fixtures/engine/bitmaps.js';

function rings(rows: string[]): Rings {
  const { mask, width, height } = asciiMask(rows);
  return decompose(mask, width, height);
}

function ringList(r: Rings): { corners: number[]; area: number }[] {
  const out = [];
  for (let i = 0; i + 1 < r.start.length; i++) {
    out.push({ corners: [...r.points.subarray(2 * r.start[i], 2 * r.start[i + 1])], area: r.area[i] });
  }
  return out;
}

function pixel(r: number, g: number, b: number, a = 255): Uint8ClampedArray {
  return new Uint8ClampedArray([r, g, b, a]);
}

describe('inkLuma', () => {
  it('weights red, green and blue by Rec. 709', () => {
    const l = (c: Uint8ClampedArray): number => inkLuma({ width: 1, height: 1, data: c }, true, false)[0];
    expect(l(pixel(255, 0, 0))).toBe(54);
    expect(l(pixel(0, 255, 0))).toBe(182);
    expect(l(pixel(0, 0, 255))).toBe(19);
    expect(l(pixel(255, 255, 255))).toBe(255);
  });

  it('composites alpha over the paper, and flips for invert', () => {
    const black = {
      width: 3,
      height: 1,
      data: new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 128, 0, 0, 0, 255]),
    };
    expect([...inkLuma(black, true, false)]).toEqual([255, 127, 0]);
    expect([...inkLuma(black, false, false)]).toEqual([0, 0, 0]);
    const white = {
      width: 2,
      height: 1,
      data: new Uint8ClampedArray([255, 255, 255, 0, 255, 255, 255, 255]),
    };
    // Inverted, transparent pixels are still paper (255 after the flip) and white is ink.
    expect([...inkLuma(white, true, true)]).toEqual([255, 0]);
  });
});

describe('Otsu threshold', () => {
  it('splits a two-level histogram halfway between the levels', () => {
    const h = new Uint32Array(256);
    h[20] = 100;
    h[200] = 300;
    // Every level from 21 to 200 separates the classes equally well: the middle is taken.
    expect(otsuThreshold(h)).toBe(111);
  });

  it('picks the split with the largest between-class variance', () => {
    const h = new Uint32Array(256);
    h[0] = 50;
    h[100] = 50;
    h[255] = 100;
    // {0} | {100, 255}: 50 * 150 * 203.3^2; {0, 100} | {255}: 100 * 100 * 205^2, larger.
    expect(otsuThreshold(h)).toBe(178);
  });

  it('gives 128 for a one-level image', () => {
    const h = new Uint32Array(256);
    h[40] = 10;
    expect(otsuThreshold(h)).toBe(128);
  });

  it('reads ink and paper levels as the modes on each side', () => {
    const h = lumaHistogram(new Uint8Array([10, 10, 12, 90, 130, 250, 250, 251]));
    expect(inkPaperLevels(h, 128)).toEqual({ ink: 10, paper: 250 });
    expect(inkPaperLevels(new Uint32Array(256), 128)).toEqual({ ink: 0, paper: 255 });
  });
});

describe('inkMask', () => {
  it('applies a fixed threshold to the original luma, mirrored when inverted', () => {
    const luma = new Uint8Array([0, 99, 100, 101, 255]);
    expect([...inkMask(luma, 5, 1, 100, false).mask]).toEqual([1, 1, 0, 0, 0]);
    // Inverted: the luma is already flipped (255 - original), and original > 100 is ink.
    const flipped = luma.map((l) => 255 - l);
    expect([...inkMask(flipped, 5, 1, 100, true).mask]).toEqual([0, 0, 0, 1, 1]);
  });

  it('keeps text on an unevenly lit page with the adaptive threshold, where Otsu fails', () => {
    const width = 240;
    const height = 120;
    const luma = new Uint8Array(width * height);
    const text = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const light = 250 - (170 * x) / width; // paper from 250 down to 80
        // "Glyphs": 2-pixel strokes in a grid of 12 x 16 cells.
        const stroke = y > 10 && y < 110 && (x % 12 < 2 || (y % 16 < 2 && x % 12 < 8));
        text[y * width + x] = stroke ? 1 : 0;
        luma[y * width + x] = Math.round(stroke ? light * 0.35 : light);
      }
    }
    const score = (mask: Uint8Array): { kept: number; falseInk: number } => {
      let kept = 0;
      let strokes = 0;
      let falseInk = 0;
      let paper = 0;
      for (let i = 0; i < mask.length; i++) {
        if (text[i]) {
          strokes++;
          kept += mask[i];
        } else {
          paper++;
          falseInk += mask[i];
        }
      }
      return { kept: kept / strokes, falseInk: falseInk / paper };
    };
    const adaptive = score(inkMask(luma, width, height, 'adaptive', false).mask);
    expect(adaptive.kept).toBeGreaterThan(0.97);
    expect(adaptive.falseInk).toBeLessThan(0.01);
    const global = score(inkMask(luma, width, height, 'auto', false).mask);
    expect(global.falseInk).toBeGreaterThan(0.1);
  });

  it('sizes the adaptive window at an eighth of the smaller side, odd', () => {
    expect(adaptiveWindow(800, 600)).toBe(75);
    expect(adaptiveWindow(10, 10)).toBe(3);
  });

  it('keeps solid ink wider than the adaptive window', () => {
    const width = 64;
    const luma = new Uint8Array(width * width).fill(255);
    for (let y = 8; y < 56; y++) luma.fill(0, y * width + 8, y * width + 56);
    const { mask } = inkMask(luma, width, width, 'adaptive', false);
    expect(mask[32 * width + 32]).toBe(1);
    expect(mask[2 * width + 2]).toBe(0);
  });
});

describe('decompose', () => {
  it('traces a square clockwise from its top-left corner', () => {
    expect(ringList(rings(['....', '.##.', '.##.', '....']))).toEqual([
      { corners: [1, 1, 3, 1, 3, 3, 1, 3], area: 4 },
    ]);
  });

  it('traces a hole counter-clockwise with negative area', () => {
    expect(ringList(rings(['######', '######', '##..##', '##..##', '######', '######']))).toEqual([
      { corners: [0, 0, 6, 0, 6, 6, 0, 6], area: 36 },
      { corners: [2, 2, 2, 4, 4, 4, 4, 2], area: -4 },
    ]);
  });

  it('traces an L shape', () => {
    expect(ringList(rings(['#...', '#...', '#...', '####']))).toEqual([
      { corners: [0, 0, 1, 0, 1, 3, 4, 3, 4, 4, 0, 4], area: 7 },
    ]);
  });

  it('joins diagonal ink pixels when ink is the minority around the touching corner', () => {
    expect(ringList(rings(['#.', '.#']))).toEqual([
      { corners: [0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 0, 1], area: 2 },
    ]);
  });

  it('joins diagonal paper pixels instead when paper is the minority', () => {
    const r = ringList(rings(['####', '#.##', '##.#', '####']));
    expect(r).toEqual([
      { corners: [0, 0, 4, 0, 4, 4, 0, 4], area: 16 },
      { corners: [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 1], area: -2 },
    ]);
  });

  it('decides the minority over growing squares around the point', () => {
    const { mask, width, height } = asciiMask(['#.', '.#']);
    expect(inkIsMinority(mask, width, height, 1, 1)).toBe(true);
    const full = asciiMask(['####', '#.##', '##.#', '####']);
    expect(inkIsMinority(full.mask, full.width, full.height, 2, 2)).toBe(false);
  });

  it('finds nothing in an empty mask and one ring for a full one', () => {
    expect(ringList(rings(['...', '...']))).toEqual([]);
    expect(ringList(rings(['###', '###']))).toEqual([{ corners: [0, 0, 3, 0, 3, 2, 0, 2], area: 6 }]);
  });
});

describe('removeSpeckles', () => {
  it('drops ink specks and fills holes smaller than the speckle area', () => {
    const r = rings(['#.......', '........', '..####..', '..#.##..', '..####..', '........']);
    expect(ringList(r).map((x) => x.area)).toEqual([1, 12, -1]);
    expect(ringList(removeSpeckles(r, 2))).toEqual([{ corners: [2, 2, 6, 2, 6, 5, 2, 5], area: 12 }]);
    expect(ringList(removeSpeckles(r, 0)).length).toBe(3);
    expect(ringList(removeSpeckles(r, 13))).toEqual([]);
  });
});

describe('optimalPolygon', () => {
  it('keeps the four corners of a rectangle', () => {
    const r = rings(['.....', '.###.', '.###.', '.....']);
    expect([...optimalPolygon(r.points, 0, 4)]).toEqual([0, 1, 2, 3]);
  });

  it('replaces a staircase hypotenuse with one segment', () => {
    const rows = Array.from({ length: 14 }, (_, y) => '#'.repeat(y + 1) + '.'.repeat(13 - y));
    const r = rings(rows);
    const m = r.start[1];
    const poly = [...optimalPolygon(r.points, 0, m)];
    const corners = poly.map((k) => [r.points[2 * (k % m)], r.points[2 * (k % m) + 1]]);
    expect(corners.sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual([
      [0, 0],
      [0, 14],
      [14, 14],
    ]);
  });

  it('keeps at least three vertices for a tiny blob', () => {
    const r = rings(['##', '##']);
    expect(optimalPolygon(r.points, 0, 4).length).toBe(4);
  });
});

describe('bilevel input', () => {
  const ringsOf = (raster: ReturnType<typeof ascii>) => {
    const luma = inkLuma(raster, true, false);
    const ink = inkMask(luma, raster.width, raster.height, 'auto', false);
    return { ink, rings: decompose(ink.mask, raster.width, raster.height) };
  };

  it('measures the boundary in pixel edges, holes included', () => {
    expect(boundaryLength(rings(['.....', '.###.', '.###.', '.....']))).toBe(10);
    expect(boundaryLength(rings(['#####', '#...#', '#####']))).toBe(16 + 8);
  });

  it('tells a bilevel image from an anti-aliased one', () => {
    const crisp = ringsOf(ascii(['......', '.####.', '.##...', '......']));
    expect(crisp.ink.greyPixels).toBe(0);
    expect(isBilevel(crisp.ink.greyPixels, crisp.rings)).toBe(true);
    const soft = ringsOf(antialiased(40, 40, (x, y) => (x - 20) ** 2 + (y - 19.5) ** 2 < 12.3 ** 2));
    expect(soft.ink.greyPixels).toBeGreaterThan(0);
    expect(isBilevel(soft.ink.greyPixels, soft.rings)).toBe(false);
    // One stray grey pixel per hundred boundary steps is noise, not anti-aliasing.
    expect(isBilevel(1, soft.rings)).toBe(true);
  });

  it('gives the polygon more vertices with half a pixel of slack', () => {
    // A gentle staircase: one segment within 1 pixel, several within 1/2.
    const rows = Array.from({ length: 4 }, (_, y) => '#'.repeat(4 * (y + 1)) + '.'.repeat(16 - 4 * y));
    const r = rings([...rows, '#'.repeat(20)]);
    const m = r.start[1];
    expect(optimalPolygon(r.points, 0, m, 0.5).length).toBeGreaterThan(optimalPolygon(r.points, 0, m).length);
  });
});

describe('sub-pixel edges', () => {
  const model = (luma: number[], width: number, height: number) => ({
    luma: new Uint8Array(luma),
    width,
    height,
    inkLevel: 0,
    paperLevel: 255,
  });

  it('leaves crisp edges on the lattice and moves grey ones by the coverage', () => {
    const m = model([0, 255, 0, 128, 102, 0], 6, 1);
    expect(edgeOffset(m, 0, 0, 1, 0)).toBe(0);
    // Ink pixel fully covered, paper pixel half covered: the edge is half a pixel out.
    expect(edgeOffset(m, 2, 0, 3, 0)).toBeCloseTo(127 / 255, 9);
    // Ink pixel 60% covered, paper beyond the image: 0.4 pixel in.
    expect(edgeOffset(m, 4, 0, 6, 0)).toBeCloseTo(-0.4, 9);
  });

  it('moves the vertices of an anti-aliased rectangle onto its true edges', () => {
    // Ink covers x in [1, 4.5] and y in [1, 3.25] of a 6 x 5 image.
    const width = 6;
    const height = 5;
    const cover = (a: number, b: number, lo: number, hi: number): number =>
      Math.max(0, Math.min(b, hi) - Math.max(a, lo));
    const luma: number[] = [];
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const c = cover(x, x + 1, 1, 4.5) * cover(y, y + 1, 1, 3.25);
        luma.push(Math.round(255 * (1 - c)));
        mask[y * width + x] = c >= 0.5 ? 1 : 0;
      }
    }
    const r = decompose(mask, width, height);
    const onLattice = adjustVertices(r.points, 0, 4, new Int32Array([0, 1, 2, 3]), null).vertices;
    [1, 1, 5, 1, 5, 3, 1, 3].forEach((v, i) => expect(onLattice[i]).toBeCloseTo(v, 9));
    const adjusted = adjustVertices(r.points, 0, 4, new Int32Array([0, 1, 2, 3]), model(luma, width, height));
    const expected = [1, 1, 4.5, 1, 4.5, 3.25, 1, 3.25];
    expected.forEach((v, i) => expect(adjusted.vertices[i]).toBeCloseTo(v, 2));
    // Straight edges are crossed at their midpoints.
    const middles = [2.75, 1, 4.5, 2.125, 2.75, 3.25, 1, 2.125];
    middles.forEach((v, i) => expect(adjusted.through[i]).toBeCloseTo(v, 2));
  });
});

describe('outline crossings', () => {
  it('crosses an arc-shaped edge at the arc, not inside it', () => {
    // A disk of radius 20: the polygon edges are chords-like lines; the outline must cross them near radius 20.
    const size = 48;
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++)
        mask[y * size + x] = (x + 0.5 - 24) ** 2 + (y + 0.5 - 24) ** 2 < 400 ? 1 : 0;
    }
    const r = decompose(mask, size, size);
    const m = r.start[1];
    const poly = adjustVertices(r.points, 0, m, optimalPolygon(r.points, 0, m), null);
    let plain = 0;
    let lifted = 0;
    const n = poly.vertices.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const mx = (poly.vertices[2 * i] + poly.vertices[2 * j]) / 2;
      const my = (poly.vertices[2 * i + 1] + poly.vertices[2 * j + 1]) / 2;
      plain += Math.hypot(mx - 24, my - 24) - 20;
      lifted += Math.hypot(poly.through[2 * i] - 24, poly.through[2 * i + 1] - 24) - 20;
    }
    expect(plain / n).toBeLessThan(-0.1);
    expect(Math.abs(lifted / n)).toBeLessThan(Math.abs(plain / n) / 2);
  });
});

describe('optimalPolygon on long staircases', () => {
  it('splits a staircase longer than the span limit into collinear segments', () => {
    const rows = Array.from({ length: 40 }, (_, y) => '#'.repeat(y + 1) + '.'.repeat(39 - y));
    const r = rings(rows);
    const m = r.start[1];
    const poly = [...optimalPolygon(r.points, 0, m)];
    expect(poly.length).toBeGreaterThan(3);
    // Every vertex lies within a pixel of the ideal triangle's sides.
    for (const k of poly) {
      const x = r.points[2 * (k % m)];
      const y = r.points[2 * (k % m) + 1];
      const distance = Math.min(Math.abs(x), Math.abs(y - 40), Math.abs(x - y) / Math.SQRT2);
      expect(distance).toBeLessThanOrEqual(1);
    }
  });
});
