/**
 * PDF, EPS and DXF open in real readers and look like the SVG: poppler's
 * pdftoppm rasterises the PDF, Ghostscript the EPS, and the DXF is parsed
 * here (group-code pairs to layers and polylines) and its polylines drawn
 * back as SVG; each raster is compared with resvg's raster of the SVG.
 * Bound: mean absolute difference under 3 levels (of 255) per channel, and
 * under 1% of pixels off by more than 96 levels (anti-aliased edges differ
 * between rasterisers by a fraction of a pixel; a misplaced, missing, flipped
 * or wrongly coloured shape moves both by far more).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { convertSvg, vectorize, type Raster } from '../../src/engine/index.js';
import { renderSvg } from '../../src/quality/index.js';

const dir = mkdtempSync(join(tmpdir(), 'image2svg-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A source picture rendered to pixels, then traced. */
function traced(svg: string, w: number, h: number, options: Parameters<typeof vectorize>[1]): string {
  const raster = renderSvg(svg, w, h, '#ffffff');
  return vectorize(raster, { ...options, units: 'in', dpi: 72 }).svg;
}

const W = 120;
const H = 80;
const SHAPES = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect x="8" y="8" width="40" height="30" fill="#000"/><circle cx="84" cy="40" r="28" fill="#000"/><circle cx="84" cy="40" r="12" fill="#fff"/><path d="M10 70 Q40 44 70 72" stroke="#000" stroke-width="5" fill="none"/></svg>`;
const COLOURS = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#f4f1e8"/><rect x="6" y="6" width="50" height="40" fill="#c8102e"/><circle cx="86" cy="36" r="26" fill="#0057b8"/><circle cx="86" cy="36" r="10" fill="#ffd100"/><path d="M8 74 L60 52 L112 74 Z" fill="#009a44"/></svg>`;
/** Hand-written, as the engine's neighbours may write it: strokes, even-odd, opacity, a group, a gradient, shapes. */
const DRAWING = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${(W / 72) * 25.4}mm" height="${(H / 72) * 25.4}mm"><defs><linearGradient id="g"><stop offset="0" stop-color="#408040"/><stop offset="1" stop-color="#408040"/></linearGradient></defs><path fill="#202060" fill-rule="evenodd" d="M4 4h40v40h-40zM14 14h20v20h-20z"/><g fill="#c03000" fill-opacity="0.5"><circle cx="74" cy="22" r="16"/></g><path fill="none" stroke="#000000" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" d="M8 60c20-20 40 20 60 0s30-10 44 4"/><rect x="96" y="40" width="18" height="14" fill="url(#g)"/><path fill="none" stroke="#8000a0" stroke-width="2" d="M60 50a10 8 0 1 0 20 0"/></svg>`;

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function png(path: string, w: number, h: number): Promise<Raster> {
  const { data, info } = await sharp(path)
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([w, h]);
  return { width: w, height: h, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}

async function rasterisePdf(pdf: string, name: string): Promise<Raster> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf, 'latin1');
  run('pdftoppm', ['-r', '72', '-png', '-singlefile', file, join(dir, `${name}-pdf`)]);
  return png(join(dir, `${name}-pdf.png`), W, H);
}

async function rasteriseEps(eps: string, name: string): Promise<Raster> {
  const file = join(dir, `${name}.eps`);
  writeFileSync(file, eps, 'latin1');
  const out = join(dir, `${name}-eps.png`);
  run('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-dEPSCrop',
    '-sDEVICE=png16m',
    '-r72',
    '-dGraphicsAlphaBits=4',
    `-sOutputFile=${out}`,
    file,
  ]);
  return png(out, W, H);
}

/** A small DXF reader: group-code/value pairs, the LAYER table and POLYLINE/VERTEX/SEQEND entities. */
export function parseDxf(text: string) {
  const lines = text.split(/\r?\n/);
  const pairs: [number, string][] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) pairs.push([Number(lines[i].trim()), lines[i + 1].trim()]);
  const header: Record<string, string[]> = {};
  const layers = new Map<string, number>();
  const polylines: { layer: string; closed: boolean; width: number; points: [number, number][] }[] = [];
  let section = '';
  let i = 0;
  while (i < pairs.length) {
    const [code, value] = pairs[i];
    if (code === 0 && value === 'SECTION') {
      section = pairs[++i][1];
      i++;
    } else if (section === 'HEADER' && code === 9) {
      const name = value;
      header[name] = [];
      i++;
      while (i < pairs.length && pairs[i][0] !== 9 && pairs[i][0] !== 0) header[name].push(pairs[i++][1]);
    } else if (code === 0 && value === 'LAYER' && section === 'TABLES') {
      let name = '';
      let colour = 7;
      i++;
      while (pairs[i][0] !== 0) {
        if (pairs[i][0] === 2) name = pairs[i][1];
        if (pairs[i][0] === 62) colour = Number(pairs[i][1]);
        i++;
      }
      layers.set(name, colour);
    } else if (code === 0 && value === 'POLYLINE') {
      const p = { layer: '', closed: false, width: 0, points: [] as [number, number][] };
      i++;
      for (; pairs[i][0] !== 0; i++) {
        if (pairs[i][0] === 8) p.layer = pairs[i][1];
        if (pairs[i][0] === 70) p.closed = (Number(pairs[i][1]) & 1) === 1;
        if (pairs[i][0] === 40) p.width = Number(pairs[i][1]);
      }
      while (pairs[i][1] === 'VERTEX') {
        let x = NaN;
        let y = NaN;
        for (i++; pairs[i][0] !== 0; i++) {
          if (pairs[i][0] === 10) x = Number(pairs[i][1]);
          if (pairs[i][0] === 20) y = Number(pairs[i][1]);
        }
        p.points.push([x, y]);
      }
      expect(pairs[i][1]).toBe('SEQEND');
      polylines.push(p);
      i++;
    } else i++;
  }
  return { header, layers, polylines };
}

/** The DXF drawn back as SVG at 72 dpi (mm to px, y down again), layers coloured by their names. */
function dxfAsSvg(dxf: string): string {
  const { header, layers, polylines } = parseDxf(dxf);
  expect(header.$ACADVER).toEqual(['AC1009']);
  const px = (mm: number) => (mm / 25.4) * 72;
  const paths = polylines.map((p) => {
    expect(layers.has(p.layer)).toBe(true);
    const [, kind, hex] = /^(FILL|STROKE)_([0-9A-F]{6})$/.exec(p.layer)!;
    const d =
      p.points.map(([x, y], k) => `${k ? 'L' : 'M'}${px(x)} ${H - px(y)}`).join('') + (p.closed ? 'Z' : '');
    return kind === 'FILL' ? { kind, hex, d } : { kind, hex, d, w: px(p.width) };
  });
  // One path per fill layer (its polylines even-odd, as outlines and holes alternate), strokes as drawn.
  const fills = new Map<string, string>();
  const body: string[] = [];
  for (const p of paths) {
    if (p.kind === 'FILL') fills.set(p.hex, (fills.get(p.hex) ?? '') + p.d);
    else
      body.push(
        `<path fill="none" stroke="#${p.hex}" stroke-width="${p.w}" stroke-linecap="round" stroke-linejoin="round" d="${p.d}"/>`,
      );
  }
  const fillPaths = [...fills].map(([hex, d]) => `<path fill="#${hex}" fill-rule="evenodd" d="${d}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}">${fillPaths.join('')}${body.join('')}</svg>`;
}

function difference(a: Raster, b: Raster): { mean: number; far: number } {
  let sum = 0;
  let far = 0;
  const n = a.width * a.height;
  for (let p = 0; p < n; p++) {
    let worst = 0;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[p * 4 + c] - b.data[p * 4 + c]);
      sum += d;
      worst = Math.max(worst, d);
    }
    if (worst > 96) far++;
  }
  return { mean: sum / (n * 3), far: far / n };
}

const CASES: [string, () => string][] = [
  ['binary shapes', () => traced(SHAPES, W, H, { mode: 'binary' })],
  ['colour regions', () => traced(COLOURS, W, H, { mode: 'color', colors: 6 })],
  ['strokes, even-odd, opacity, gradient, shapes', () => DRAWING],
];

describe('PDF, EPS and DXF in real readers', () => {
  it.each(CASES)(
    '%s: the PDF (pdftoppm) and the EPS (Ghostscript) rasterise like the SVG',
    async (name, make) => {
      const svg = make();
      const reference = renderSvg(svg, W, H, '#ffffff');
      const pdf = difference(
        await rasterisePdf(convertSvg(svg, 'pdf'), name.replace(/\W+/g, '-')),
        reference,
      );
      const eps = difference(
        await rasteriseEps(convertSvg(svg, 'eps'), name.replace(/\W+/g, '-')),
        reference,
      );
      if (process.env.FORMATS_REPORT) console.log(name, JSON.stringify({ pdf, eps }));
      expect(pdf.mean).toBeLessThan(3);
      expect(pdf.far).toBeLessThan(0.01);
      expect(eps.mean).toBeLessThan(3);
      expect(eps.far).toBeLessThan(0.01);
    },
  );

  it.each(CASES.slice(0, 2))(
    '%s: the DXF parses to layers and closed polylines in mm that draw like the SVG',
    (_name, make) => {
      const svg = make();
      const dxf = convertSvg(svg, 'dxf');
      const reference = renderSvg(svg, W, H, '#ffffff');
      const back = renderSvg(
        dxfAsSvg(dxf).replace('<svg ', '<svg style="background:#fff" '),
        W,
        H,
        '#ffffff',
      );
      const diff = difference(back, reference);
      if (process.env.FORMATS_REPORT) console.log(_name, JSON.stringify({ dxf: diff }));
      expect(diff.mean).toBeLessThan(3);
      expect(diff.far).toBeLessThan(0.01);
      const { header, polylines } = parseDxf(dxf);
      // 120 px at 72 dpi = 42.333 mm.
      expect(Number(header.$EXTMAX[0])).toBeCloseTo((W / 72) * 25.4, 3);
      expect(polylines.length).toBeGreaterThan(0);
      expect(polylines.every((p) => p.closed && p.layer.startsWith('FILL_'))).toBe(true);
    },
  );

  it('the drawing DXF has its strokes as open polylines with their width, on stroke layers', () => {
    const { polylines } = parseDxf(convertSvg(DRAWING, 'dxf'));
    const strokes = polylines.filter((p) => p.layer.startsWith('STROKE_'));
    expect(strokes.map((p) => [p.layer, p.closed, +((p.width / 25.4) * 72).toFixed(3)])).toEqual([
      ['STROKE_000000', false, 3],
      ['STROKE_8000A0', false, 2],
    ]);
    expect(new Set(polylines.filter((p) => p.layer.startsWith('FILL_')).map((p) => p.layer))).toEqual(
      new Set(['FILL_202060', 'FILL_C03000', 'FILL_408040']),
    );
  });
});
