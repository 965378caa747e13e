import { describe, expect, it } from 'vitest';
import { compareToOriginal, countSeams, renderSvg } from '../../src/quality/index.js';
import { alphaRow, makeRaster } from './helpers.js';

const svg = (w: number, h: number, body: string, viewBox = `0 0 ${w} ${h}`) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${viewBox}">${body}</svg>`;

describe('renderSvg', () => {
  it('renders a rect exactly where it is, at the size asked', () => {
    const r = renderSvg(svg(8, 6, '<rect x="2" y="1" width="3" height="2" fill="#000"/>'), 8, 6);
    expect([r.width, r.height, r.data.length]).toEqual([8, 6, 8 * 6 * 4]);
    expect(alphaRow(r, 0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(alphaRow(r, 1)).toEqual([0, 0, 255, 255, 255, 0, 0, 0]);
    expect(alphaRow(r, 2)).toEqual([0, 0, 255, 255, 255, 0, 0, 0]);
    expect(alphaRow(r, 3)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('scales the viewBox to the size asked', () => {
    const r = renderSvg(svg(4, 3, '<rect x="1" y="1" width="1" height="1"/>'), 8, 6);
    expect(alphaRow(r, 1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(alphaRow(r, 2)).toEqual([0, 0, 255, 255, 0, 0, 0, 0]);
  });

  it('returns exactly the size asked even when the aspect ratio rounds differently', () => {
    const r = renderSvg(svg(7, 3, '<rect width="7" height="3"/>'), 10, 4);
    expect([r.width, r.height, r.data.length]).toEqual([10, 4, 160]);
    const r2 = renderSvg(svg(7, 3, '<rect width="7" height="3"/>'), 10, 6, '#ff00ff');
    expect([...r2.data.subarray(10 * 5 * 4, 10 * 5 * 4 + 4)]).toEqual([255, 0, 255, 255]);
  });

  it('returns straight (not premultiplied) colour', () => {
    const r = renderSvg(svg(1, 1, '<rect width="1" height="1" fill="#ff0000" fill-opacity="0.5"/>'), 1, 1);
    expect([...r.data]).toEqual([255, 0, 0, 128]);
  });

  it('paints the background asked for', () => {
    const r = renderSvg(svg(2, 1, '<rect width="1" height="1" fill="#0000ff"/>'), 2, 1, '#ff00ff');
    expect([...r.data]).toEqual([0, 0, 255, 255, 255, 0, 255, 255]);
  });

  it('refuses a bad size', () => {
    expect(() => renderSvg(svg(2, 2, ''), 0, 2)).toThrow(RangeError);
  });
});

describe('countSeams', () => {
  const opaque = makeRaster(10, 10, () => [200, 50, 50, 255]);

  it('finds the line where two shapes abut on a half pixel', () => {
    const abutting = svg(
      10,
      10,
      '<path fill="#c83232" d="M0 0h5.5v10H0z"/><path fill="#32c832" d="M5.5 0H10v10H5.5z"/>',
    );
    expect(countSeams(opaque, abutting)).toEqual({ seamPixels: 10, insidePixels: 100, fraction: 0.1 });
  });

  it('finds no seam in a filled square, nor where the lower shape runs under its neighbour', () => {
    expect(countSeams(opaque, svg(10, 10, '<rect width="10" height="10"/>')).seamPixels).toBe(0);
    const stacked = svg(
      10,
      10,
      '<rect width="10" height="10" fill="#c83232"/><path fill="#32c832" d="M5.5 0H10v10H5.5z"/>',
    );
    expect(countSeams(opaque, stacked).seamPixels).toBe(0);
  });

  it('tests only pixels deep inside the opaque part of the original', () => {
    const disc = makeRaster(10, 10, (x) => (x < 4 ? [0, 0, 0, 0] : [0, 0, 0, 255]));
    // Columns 5-9 are inside (column 4 touches a transparent neighbour); the SVG leaves 0-5.5 empty.
    const r = countSeams(disc, svg(10, 10, '<path d="M5.5 0H10v10H5.5z"/>'));
    expect([r.seamPixels, r.insidePixels]).toEqual([10, 50]);
  });
});

describe('compareToOriginal', () => {
  it('gives perfect figures for the SVG an image was rendered from, and worse for another', () => {
    const picture = svg(24, 24, '<circle cx="12" cy="12" r="8" fill="#1e90ff"/>');
    const original = renderSvg(picture, 24, 24);
    expect(compareToOriginal(original, picture)).toEqual({ ssim: 1, psnr: Infinity, deltaE: 0 });
    const off = compareToOriginal(original, svg(24, 24, '<circle cx="13" cy="12" r="8" fill="#1e90ff"/>'));
    expect(off.ssim).toBeLessThan(0.95);
    expect(off.psnr).toBeLessThan(25);
    expect(off.deltaE).toBeGreaterThan(1);
  });
});
