/**
 * The palette panel's layers read from the SVG the engine writes: plain
 * paths, true shapes (`<circle>`, `<ellipse>`) on their own, and groups that
 * carry one paint for several elements (src/engine/svg-document.ts).
 */
import { describe, expect, it } from 'vitest';
import { vectorize } from '../../src/engine/index.js';
import { applyEdits, colourLayers } from '../../web/src/palette/layers.js';

/** A white canvas with a red disc and a blue square: the disc comes out as a true shape. */
function discAndSquare(): { width: number; height: number; data: Uint8ClampedArray } {
  const width = 64;
  const height = 64;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if ((x - 20.5) ** 2 + (y - 20.5) ** 2 <= 12 ** 2) data.set([220, 20, 20, 255], i);
      else if (x >= 40 && x < 58 && y >= 36 && y < 58) data.set([20, 40, 220, 255], i);
    }
  }
  return { width, height, data };
}

describe('palette layers', () => {
  const svg = [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">',
    '<path fill="#ffffff" d="M0 0h10v10h-10z"/>',
    '<circle cx="3" cy="3" r="2" fill="#FF0000"/>',
    '<g fill="#0000ff"><ellipse cx="7" cy="7" rx="2" ry="1"/><path d="M1 8l1 0l0 1z"/></g>',
    '<path fill="none" stroke="#000000" stroke-width="1" d="M0 0L10 10"/>',
    '</svg>',
  ].join('');

  it('counts paths, shapes and grouped elements per fill colour', () => {
    expect(colourLayers(svg)).toEqual([
      { colour: '#ffffff', paths: 1, nodes: 4 },
      { colour: '#ff0000', paths: 1, nodes: 1 },
      { colour: '#0000ff', paths: 2, nodes: 4 },
    ]);
  });

  it('hides and recolours shapes and groups as well as paths', () => {
    const edited = applyEdits(svg, { hidden: ['#ff0000'], recolour: { '#0000ff': '#00ff00' } });
    expect(edited).not.toContain('<circle');
    expect(edited).toContain('<g fill="#00ff00"><ellipse');
    expect(colourLayers(edited).map((l) => l.colour)).toEqual(['#ffffff', '#00ff00']);
    expect(edited).toContain('stroke="#000000"');
  });

  it('lists every fill colour of a real conversion that writes a true shape', () => {
    const { svg: traced } = vectorize(discAndSquare(), { mode: 'color' });
    const fills = new Set([...traced.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1].toLowerCase()));
    expect(traced).toMatch(/<circle|<ellipse/);
    expect(
      colourLayers(traced)
        .map((l) => l.colour)
        .sort(),
    ).toEqual([...fills].sort());
  });
});
