import { describe, expect, it } from 'vitest';
import {
  convertSvg,
  DocumentError,
  flattenSubpath,
  parsePathData,
  PathDataError,
  readSvgDocument,
  vectorize,
} from '../../src/engine/index.js';
import { nearestAci } from '../../src/engine/formats/dxf.js';

describe('path data to absolute segments', () => {
  it('reads relative and absolute commands, implicit repeats and packed numbers', () => {
    const [a, b] = parsePathData('m1 2 3 4h5v-6L1.5.5c1 1 2 2 3 3zM10 10l1-1-1-1Z');
    expect(a).toEqual({
      x: 1,
      y: 2,
      closed: true,
      segments: [
        { kind: 'L', x: 4, y: 6 },
        { kind: 'L', x: 9, y: 6 },
        { kind: 'L', x: 9, y: 0 },
        { kind: 'L', x: 1.5, y: 0.5 },
        { kind: 'C', x1: 2.5, y1: 1.5, x2: 3.5, y2: 2.5, x: 4.5, y: 3.5 },
      ],
    });
    expect(b.segments).toEqual([
      { kind: 'L', x: 11, y: 9 },
      { kind: 'L', x: 10, y: 8 },
    ]);
  });

  it('mirrors control points for s and t, and turns quadratics into the exact cubic', () => {
    const [sp] = parsePathData('M0 0C0 10 10 10 10 0s10-10 10 0');
    expect(sp.segments[1]).toMatchObject({ x1: 10, y1: -10, x2: 20, y2: -10, x: 20, y: 0 });
    const [q] = parsePathData('M0 0q3 6 6 0t6 0');
    expect(q.segments[0]).toMatchObject({ x1: 2, y1: 4, x2: 4, y2: 4, x: 6, y: 0 });
    expect(q.segments[1]).toMatchObject({ x1: 8, y1: -4, x2: 10, y2: -4, x: 12, y: 0 });
  });

  it('approximates arcs with cubics that end on the arc and stay on the circle', () => {
    const [sp] = parsePathData('M0 10A10 10 0 1 0 20 10A10 10 0 1 0 0 10Z');
    expect(sp.segments.every((s) => s.kind === 'C')).toBe(true);
    const pts = flattenSubpath(sp, 0.01);
    for (let i = 0; i < pts.length; i += 2) {
      expect(Math.hypot(pts[i] - 10, pts[i + 1] - 10)).toBeCloseTo(10, 1);
    }
    // Arc flags written without separators.
    expect(parsePathData('M0 0a5 5 0 105 5')[0].segments.at(-1)).toMatchObject({ x: 5, y: 5 });
  });

  it('refuses malformed data', () => {
    expect(() => parsePathData('10 10')).toThrow(PathDataError);
    expect(() => parsePathData('M1')).toThrow(/missing numbers/);
    expect(() => parsePathData('M1 1 x')).toThrow(PathDataError);
  });
});

describe('reading the engine SVG back', () => {
  it('reads size, units, paints, opacity and fill rules', () => {
    const doc = readSvgDocument(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300" width="50.8mm" height="25.4mm"><path fill="#ff0000" fill-opacity="0.5" fill-rule="evenodd" d="M0 0h1v1z"/><g stroke="#00f" stroke-width="2" fill="none"><path d="M0 0L5 5"/></g></svg>',
    );
    expect([doc.width, doc.height, doc.units, doc.dpi]).toEqual([600, 300, 'mm', 300]);
    expect(doc.items[0]).toMatchObject({
      fill: { rgb: 0xff0000, opacity: 0.5 },
      fillRule: 'evenodd',
      stroke: null,
    });
    expect(doc.items[1]).toMatchObject({ fill: null, stroke: { rgb: 0x0000ff, opacity: 1 }, strokeWidth: 2 });
  });

  it('refuses what it would draw wrongly', () => {
    expect(() =>
      readSvgDocument('<svg viewBox="0 0 1 1"><path transform="scale(2)" d="M0 0h1"/></svg>'),
    ).toThrow(DocumentError);
    expect(() => readSvgDocument('<svg viewBox="0 0 1 1"><text>hi</text></svg>')).toThrow(/text/);
    expect(() => readSvgDocument('<svg><path d="M0 0h1"/></svg>')).toThrow(/viewBox/);
    expect(() => readSvgDocument('<svg viewBox="0 0 1 1"><path fill="url(#x)" d="M0 0h1"/></svg>')).toThrow(
      /gradient/,
    );
  });
});

describe('writers', () => {
  const raster = { width: 4, height: 4, data: new Uint8ClampedArray(64) };
  for (let i = 0; i < 16; i++) raster.data.set(i % 4 < 2 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
  const svg = vectorize(raster, { units: 'mm', dpi: 25.4 }).svg;

  it('PDF: page in points from the units, offsets in the xref table point at their objects', () => {
    const pdf = convertSvg(svg, 'pdf');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    // 4 px at 25.4 dpi = 4 mm = 11.3386 pt.
    expect(pdf).toContain('/MediaBox [0 0 11.3386 11.3386]');
    const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...pdf.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((o, i) => expect(pdf.slice(o).startsWith(`${i + 1} 0 obj`)).toBe(true));
    expect(/[^\x20-\x7e\n]/.test(pdf)).toBe(false);
  });

  it('PDF opacity goes through ExtGState; EPS pre-blends it over white', () => {
    const half =
      '<svg viewBox="0 0 2 2" width="2" height="2"><path fill="#000000" fill-opacity="0.5" d="M0 0h2v2h-2z"/></svg>';
    const pdf = convertSvg(half, 'pdf');
    expect(pdf).toContain('/GS0 << /Type /ExtGState /ca 0.5 /CA 1 >>');
    expect(pdf).toContain('/GS0 gs');
    const eps = convertSvg(half, 'eps');
    expect(eps).toContain('0.502 0.502 0.502 rgb fill');
    expect(eps).toMatch(/^%!PS-Adobe-3\.0 EPSF-3\.0\n%%BoundingBox: 0 0 2 2\n/);
  });

  it('DXF: R12 sections, a layer per colour with the nearest colour index, y up in mm', () => {
    const dxf = convertSvg(svg, 'dxf');
    expect(dxf).toMatch(/^0\nSECTION\n2\nHEADER\n9\n\$ACADVER\n1\nAC1009\n/);
    expect(dxf).toContain('0\nLAYER\n2\nFILL_000000\n70\n0\n62\n7\n');
    expect(dxf.trimEnd().endsWith('0\nEOF')).toBe(true);
    expect([nearestAci(0xff0000), nearestAci(0x0000ff), nearestAci(0x000000)]).toEqual([1, 5, 7]);
  });
});
