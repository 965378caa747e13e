import { describe, expect, it } from 'vitest';
import { vectorize } from '../../src/engine/index.js';
import { resolveOptions } from '../../src/engine/options.js';
import { detectGrid, estimateGrid } from '../../src/engine/pixelart/grid.js';
import type { Raster } from '../../src/engine/types.js';

/** A 6x6 sprite: '.' transparent, letters are colours. */
const SPRITE = ['..RR..', '.RYYR.', 'RYKKYR', 'RYKKYR', '.RYYR.', '..RG.G'];
const COLOURS: Record<string, [number, number, number]> = {
  R: [200, 30, 40],
  Y: [250, 210, 60],
  K: [20, 20, 30],
  G: [30, 160, 70],
};
const HEX: Record<string, string> = { R: '#c81e28', Y: '#fad23c', K: '#14141e', G: '#1ea046' };

/** The sprite upscaled `scale` times with nearest neighbour, then `crop` pixels cut from the left and top. */
function upscale(scale: number, crop = 0, noise = 0): Raster {
  const side = 6 * scale - crop;
  const data = new Uint8ClampedArray(side * side * 4);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const c = SPRITE[Math.floor((y + crop) / scale)][Math.floor((x + crop) / scale)];
      const j = (y * side + x) * 4;
      if (c === '.') continue;
      const [r, g, b] = COLOURS[c];
      data.set([r + rand() * noise, g + rand() * noise, b + rand() * noise, 255], j);
    }
  }
  return { width: side, height: side, data };
}

/** Polygons of a path's `d` (m, l, h, v, z commands only; anything else fails the test). */
function polygons(d: string): [number, number][][] {
  const tokens = d.match(/[a-zA-Z]|-?(\d+\.?\d*|\.\d+)/g) ?? [];
  const out: [number, number][][] = [];
  let x = 0;
  let y = 0;
  let cmd = '';
  let ring: [number, number][] = [];
  for (let i = 0; i < tokens.length;) {
    if (/[a-zA-Z]/.test(tokens[i])) cmd = tokens[i++];
    const n = () => Number(tokens[i++]);
    if (cmd === 'm') {
      if (ring.length) out.push(ring);
      x += n();
      y += n();
      ring = [[x, y]];
      cmd = 'l';
    } else if (cmd === 'l') {
      x += n();
      y += n();
      ring.push([x, y]);
    } else if (cmd === 'h') {
      x += n();
      ring.push([x, y]);
    } else if (cmd === 'v') {
      y += n();
      ring.push([x, y]);
    } else if (cmd === 'z') {
      out.push(ring);
      [x, y] = ring[0];
      ring = [];
    } else throw new Error(`unexpected command ${cmd} in ${d}`);
  }
  if (ring.length) out.push(ring);
  return out;
}

/** Nonzero winding number of the point around the polygons. */
function winding(polys: [number, number][][], px: number, py: number): number {
  let w = 0;
  for (const p of polys) {
    for (let i = 0; i < p.length; i++) {
      const [x0, y0] = p[i];
      const [x1, y1] = p[(i + 1) % p.length];
      if (y0 <= py && y1 > py && (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0) > 0) w++;
      else if (y0 > py && y1 <= py && (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0) < 0) w--;
    }
  }
  return w;
}

function paths(svg: string): { fill: string; d: string }[] {
  return [...svg.matchAll(/<path fill="(#[0-9a-f]{6})"[^>]* d="([^"]*)"/g)].map((m) => ({
    fill: m[1],
    d: m[2],
  }));
}

/** The fill painted at each pixel centre (null: none), failing when two paths overlap. */
function painted(svg: string, width: number, height: number): (string | null)[][] {
  const layers = paths(svg).map((p) => ({ fill: p.fill, polys: polygons(p.d) }));
  return Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => {
      const hits = layers.filter((l) => winding(l.polys, x + 0.5, y + 0.5) !== 0);
      expect(hits.length).toBeLessThanOrEqual(1);
      return hits[0]?.fill ?? null;
    }),
  );
}

const expected = (scale: number, crop: number, size: number) =>
  Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => {
      const c = SPRITE[Math.floor((y + crop) / scale)][Math.floor((x + crop) / scale)];
      return c === '.' ? null : HEX[c];
    }),
  );

describe('pixel art', () => {
  it('finds the grid of a 4x nearest-neighbour upscale, with its offset when cropped', () => {
    expect(detectGrid(upscale(4))).toEqual({ x: { scale: 4, offset: 0 }, y: { scale: 4, offset: 0 } });
    expect(detectGrid(upscale(4, 2))).toEqual({ x: { scale: 4, offset: 2 }, y: { scale: 4, offset: 2 } });
    // One pixel off the grid (an anti-aliased edge, noise): not an exact upscale.
    const r = upscale(4);
    r.data[(5 * 24 + 9) * 4] ^= 1;
    expect(detectGrid(r)).toBeNull();
  });

  it('traces a 4x upscale of a 6x6 sprite as exactly its blocks: one path per colour, axis-aligned, merged', () => {
    const { svg } = vectorize(upscale(4), { mode: 'color' });
    const layers = paths(svg);
    expect(layers.map((l) => l.fill).sort()).toEqual(Object.values(HEX).sort());
    // Every pixel centre is painted by exactly the sprite's colour (transparent blocks by none).
    expect(painted(svg, 24, 24)).toEqual(expected(4, 0, 24));
    // Rectilinear on the block grid, and merged: each path has only its outline's corners.
    for (const { d } of layers) {
      for (const ring of polygons(d)) {
        for (const [x, y] of ring) {
          expect(x % 4).toBe(0);
          expect(y % 4).toBe(0);
        }
        for (let i = 0; i < ring.length; i++) {
          const [a, b, c] = [ring[i], ring[(i + 1) % ring.length], ring[(i + 2) % ring.length]];
          // No collinear vertex (a run of blocks is one edge).
          expect((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])).not.toBe(0);
        }
      }
    }
    // The dark 2x2 centre is one square; the two green blocks are two squares.
    expect(polygons(layers.find((l) => l.fill === HEX.K)!.d)).toEqual([
      [
        [8, 8],
        [16, 8],
        [16, 16],
        [8, 16],
      ],
    ]);
    expect(polygons(layers.find((l) => l.fill === HEX.G)!.d)).toHaveLength(2);
  });

  it('keeps blocks cut by the border when the upscale is cropped', () => {
    const { svg } = vectorize(upscale(4, 2), { mode: 'color' });
    expect(painted(svg, 22, 22)).toEqual(expected(4, 2, 22));
  });

  it("preset 'pixelart' forces blocks on a noisy upscale (estimated grid, close colours merged)", () => {
    expect(resolveOptions({ preset: 'pixelart' })).toMatchObject({ mode: 'color', pixelArt: 'blocks' });
    const noisy = upscale(4, 0, 6);
    expect(detectGrid(noisy)).toBeNull();
    expect(estimateGrid(noisy)).toEqual({ x: { scale: 4, offset: 0 }, y: { scale: 4, offset: 0 } });
    const { svg } = vectorize(noisy, { preset: 'pixelart' });
    const layers = paths(svg);
    expect(layers).toHaveLength(4);
    // Same block layout as the clean sprite, each colour within the noise of the true one.
    const got = painted(svg, 24, 24);
    const want = expected(4, 0, 24);
    const colourOf = new Map<string, string>();
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 24; x++) {
        expect(got[y][x] === null).toBe(want[y][x] === null);
        if (want[y][x] === null) continue;
        const seen = colourOf.get(want[y][x]!);
        if (seen) expect(got[y][x]).toBe(seen);
        else colourOf.set(want[y][x]!, got[y][x]!);
      }
    }
    for (const [truth, fill] of colourOf) {
      for (let k = 1; k < 7; k += 2) {
        expect(
          Math.abs(parseInt(truth.slice(k, k + 2), 16) - parseInt(fill.slice(k, k + 2), 16)),
        ).toBeLessThanOrEqual(6);
      }
    }
  });

  it("pixelArt 'smooth' writes curves; 'off' and binary mode leave the image to the usual tracers", () => {
    const raster = upscale(8);
    const smooth = vectorize(raster, { mode: 'color', pixelArt: 'smooth' }).svg;
    expect(paths(smooth).some((p) => /[cq]/.test(p.d))).toBe(true);
    const blocks = vectorize(raster, { mode: 'color' }).svg;
    expect(vectorize(raster, { mode: 'color', pixelArt: 'off' }).svg).not.toBe(blocks);
    expect(vectorize(raster, { mode: 'color', pixelArt: 'blocks' }).svg).toBe(blocks);
    expect(() => resolveOptions({ pixelArt: 'yes' as never })).toThrow(/pixelArt/);
  });
});
