/**
 * Physical units: width/height in mm or in at the image's own resolution
 * (PNG pHYs, JPEG JFIF, BMP pixels per metre) or an explicit dpi; the
 * viewBox stays in pixels.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resolveOptions, vectorize, EngineOptionError } from '../../src/engine/index.js';
import { convertBuffer } from '../../src/node/index.js';
import { PNG_FAST_MAX_PIXELS } from '../../src/node/decode/png-fast.js';
import { buildBmp } from './bmp-builder.js';
import { buildPng, chunk } from './png-builder.js';

function size(svg: string): { w: string; h: string; viewBox: string } {
  const m = /<svg [^>]*viewBox="([^"]+)" width="([^"]+)" height="([^"]+)"/.exec(svg);
  if (!m) throw new Error(`no size in ${svg.slice(0, 120)}`);
  return { viewBox: m[1], w: m[2], h: m[3] };
}

function mm(length: string): number {
  const m = /^([\d.]+)mm$/.exec(length);
  if (!m) throw new Error(`not in mm: ${length}`);
  return Number(m[1]);
}

async function image(width: number, height: number, format: 'png' | 'jpeg', density?: number) {
  let img = sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite([
    {
      input: { create: { width: width >> 1, height: height >> 1, channels: 3, background: '#000000' } },
      left: width >> 2,
      top: height >> 2,
    },
  ]);
  if (density) img = img.withMetadata({ density });
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
}

describe('units and dpi', () => {
  it('an image with 300 dpi metadata gives its real width in mm, to 0.1 mm (PNG fast path, sharp path, JPEG)', async () => {
    const small = await image(600, 300, 'png', 300);
    expect(600 * 300).toBeLessThan(PNG_FAST_MAX_PIXELS);
    const large = await image(1200, 600, 'png', 300);
    expect(1200 * 600).toBeGreaterThan(PNG_FAST_MAX_PIXELS);
    const jpeg = await image(900, 450, 'jpeg', 300);
    for (const [bytes, w, h] of [
      [small, 600, 300],
      [large, 1200, 600],
      [jpeg, 900, 450],
    ] as const) {
      const r = await convertBuffer(bytes, { units: 'mm' });
      expect(r.image.density).toBeCloseTo(300, 0);
      const s = size(r.data);
      expect(s.viewBox).toBe(`0 0 ${w} ${h}`);
      expect(Math.abs(mm(s.w) - (w / 300) * 25.4)).toBeLessThan(0.1);
      expect(Math.abs(mm(s.h) - (h / 300) * 25.4)).toBeLessThan(0.1);
    }
  });

  it('falls back to 96 dpi without metadata; an explicit dpi wins over the metadata; inches and px', async () => {
    // Grey 8-bit rows; no pHYs chunk. (libvips itself writes pHYs = 1000 px/m, 25.4 ppi, when told nothing.)
    const rows = Array.from({ length: 96 }, (_, y) => new Uint8Array(192).fill(y < 48 ? 0 : 255));
    const plain = buildPng({ width: 192, height: 96, depth: 8, colorType: 0, rows });
    expect(size((await convertBuffer(plain, { units: 'in' })).data)).toMatchObject({ w: '2in', h: '1in' });
    const dense = await image(600, 300, 'png', 300);
    expect(size((await convertBuffer(dense, { units: 'in', dpi: 150 })).data)).toMatchObject({
      w: '4in',
      h: '2in',
    });
    expect(size((await convertBuffer(dense)).data)).toMatchObject({ w: '600', h: '300' });
    // pHYs in unit 0 is an aspect ratio only: no physical size, so 96.
    const phys = Buffer.alloc(9);
    phys.writeUInt32BE(11811, 0);
    phys.writeUInt32BE(11811, 4);
    const aspect = buildPng({
      width: 192,
      height: 96,
      depth: 8,
      colorType: 0,
      rows,
      before: [chunk('pHYs', phys)],
    });
    expect(size((await convertBuffer(aspect, { units: 'in' })).data)).toMatchObject({ w: '2in' });
    phys[8] = 1;
    const metric = buildPng({
      width: 192,
      height: 96,
      depth: 8,
      colorType: 0,
      rows,
      before: [chunk('pHYs', phys)],
    });
    expect(size((await convertBuffer(metric, { units: 'in' })).data).w).toMatch(/^0\.64\d*in$/);
  });

  it('reads BMP pixels per metre, and scales the density down with a resize', async () => {
    const bmp = buildBmp({ width: 2, height: 1, bpp: 24, rows: [[0, 0, 0, 255, 255, 255]] });
    new DataView(bmp.buffer).setInt32(38, 11811, true); // biXPelsPerMeter: 300 ppi
    const r = await convertBuffer(bmp, { units: 'mm' });
    expect(r.image.density).toBeCloseTo(300, 0);
    const big = await image(800, 400, 'png', 400);
    const shrunk = await convertBuffer(big, { units: 'mm', limits: { maxSide: 400, resize: true } });
    expect(shrunk.image.width).toBe(400);
    expect(shrunk.image.density).toBeCloseTo(200, 3);
    // The same paper size: 800 px at 400 dpi = 400 px at 200 dpi = 50.8 mm.
    expect(mm(size(shrunk.data).w)).toBeCloseTo(50.8, 1);
  });

  it('the engine validates units and dpi, and writes them only into width and height', () => {
    expect(() => resolveOptions({ units: 'cm' as 'mm' })).toThrow(EngineOptionError);
    expect(() => resolveOptions({ dpi: 0 })).toThrow(/dpi/);
    const raster = { width: 10, height: 5, data: new Uint8ClampedArray(200) };
    const svg = vectorize(raster, { units: 'mm', dpi: 25.4 }).svg;
    expect(size(svg)).toEqual({ viewBox: '0 0 10 5', w: '10mm', h: '5mm' });
  });
});
