/**
 * Centerline benchmark: stroke drawings with known stroke widths (Tabler's
 * outline icons, which draw with strokes, rendered by resvg at 96 px with
 * stroke widths of 6 and 8 px), traced in binary and centerline mode.
 *
 *   npx tsx bench/centerline.ts [--count N]
 *
 * Per image: bytes, rendered SSIM and ΔE00 of both modes against the source
 * raster; for centerline also the mean distance (px) from the output's
 * centre lines to the source strokes' centre lines, the stroke-width error
 * (px, weighted by length) and the junction/coverage gaps (source pixels
 * fully inside a stroke that the output leaves unpainted).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { flattenSubpath, readSvgDocument, vectorize, type Raster } from '../src/engine/index.js';
import { meanDeltaE, renderSvg, ssim } from '../src/quality/index.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '16' } } });
const COUNT = Number(values.count);
const SIZE = 96;
const SCALE = SIZE / 24;
const DIR = join(import.meta.dirname, '../node_modules/@tabler/icons/icons/outline');

const all = readdirSync(DIR)
  .filter((f) => f.endsWith('.svg'))
  .sort();
const picked = Array.from({ length: COUNT }, (_, i) => all[Math.floor((i * all.length) / COUNT)]);

type Seg = [number, number, number, number];

/** Centre-line segments of a document's strokes (in px of the render), with their stroke widths. */
function strokeSegments(svg: string, scale: number): { segs: Seg[]; widths: { w: number; len: number }[] } {
  const doc = readSvgDocument(svg);
  const segs: Seg[] = [];
  const widths: { w: number; len: number }[] = [];
  for (const item of doc.items) {
    if (!item.stroke) continue;
    let len = 0;
    for (const sp of item.subpaths) {
      const p = flattenSubpath(sp, 0.01 / scale);
      if (sp.closed) p.push(p[0], p[1]);
      for (let i = 0; i + 3 < p.length; i += 2) {
        const s: Seg = [p[i] * scale, p[i + 1] * scale, p[i + 2] * scale, p[i + 3] * scale];
        segs.push(s);
        len += Math.hypot(s[2] - s[0], s[3] - s[1]);
      }
    }
    widths.push({ w: item.strokeWidth * scale, len });
  }
  return { segs, widths };
}

function distToSeg(x: number, y: number, [ax, ay, bx, by]: Seg): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

/** Mean distance from points every 0.5 px along `out` to the nearest segment of `ref`. */
function meanDistance(out: Seg[], ref: Seg[]): number {
  let sum = 0;
  let n = 0;
  for (const [ax, ay, bx, by] of out) {
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 0.5));
    for (let k = 0; k < steps; k++) {
      const x = ax + ((bx - ax) * k) / steps;
      const y = ay + ((by - ay) * k) / steps;
      let best = Infinity;
      for (const s of ref) best = Math.min(best, distToSeg(x, y, s));
      sum += best;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

function inkOf(r: Raster, i: number): number {
  return 1 - (r.data[4 * i] + r.data[4 * i + 1] + r.data[4 * i + 2]) / (3 * 255);
}

/** Source pixels fully inked with fully inked 8-neighbours that the output leaves (nearly) unpainted. */
function gaps(source: Raster, back: Raster): number {
  let count = 0;
  const w = source.width;
  for (let y = 1; y < source.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      let inside = true;
      for (let dy = -1; dy <= 1 && inside; dy++)
        for (let dx = -1; dx <= 1; dx++) if (inkOf(source, (y + dy) * w + x + dx) < 0.9) inside = false;
      if (inside && inkOf(back, y * w + x) < 0.25) count++;
    }
  }
  return count;
}

const median = (v: number[]) => {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

const rows: Record<string, number | string>[] = [];
for (const strokeWidth of [1.5, 2]) {
  for (const file of picked) {
    const source = readFileSync(join(DIR, file), 'utf8').replace(
      /stroke-width="2"/,
      `stroke-width="${strokeWidth}"`,
    );
    const raster = renderSvg(source, SIZE, SIZE, '#ffffff');
    const bin = vectorize(raster, { mode: 'binary' });
    const cl = vectorize(raster, { mode: 'centerline' });
    const binBack = renderSvg(bin.svg, SIZE, SIZE, '#ffffff');
    const clBack = renderSvg(cl.svg, SIZE, SIZE, '#ffffff');
    const ref = strokeSegments(source.replaceAll('currentColor', '#000000'), SCALE);
    const got = strokeSegments(cl.svg, 1);
    const trueWidth = strokeWidth * SCALE;
    const totalLen = got.widths.reduce((a, b) => a + b.len, 0);
    const widthError = totalLen
      ? got.widths.reduce((a, b) => a + Math.abs(b.w - trueWidth) * b.len, 0) / totalLen
      : NaN;
    rows.push({
      icon: file.replace('.svg', ''),
      stroke: trueWidth,
      binBytes: bin.stats.bytes,
      clBytes: cl.stats.bytes,
      binSsim: ssim(raster, binBack),
      clSsim: ssim(raster, clBack),
      binDe: meanDeltaE(raster, binBack),
      clDe: meanDeltaE(raster, clBack),
      distance: meanDistance(got.segs, ref.segs),
      widthError,
      gaps: gaps(raster, clBack),
    });
  }
}

const f = (v: unknown, d = 3) => (typeof v === 'number' ? v.toFixed(d) : String(v));
console.log(
  '| icon | stroke px | binary bytes | centerline bytes | binary SSIM | centerline SSIM | binary ΔE00 | centerline ΔE00 | mean distance px | width error px | gap px |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.icon} | ${r.stroke} | ${r.binBytes} | ${r.clBytes} | ${f(r.binSsim, 4)} | ${f(r.clSsim, 4)} | ${f(r.binDe, 2)} | ${f(r.clDe, 2)} | ${f(r.distance)} | ${f(r.widthError)} | ${r.gaps} |`,
  );
}
const col = (k: string) => rows.map((r) => r[k] as number);
console.log(
  `\nmedians over ${rows.length}: binary ${median(col('binBytes'))} B SSIM ${f(median(col('binSsim')), 4)} ΔE00 ${f(median(col('binDe')), 2)}; ` +
    `centerline ${median(col('clBytes'))} B SSIM ${f(median(col('clSsim')), 4)} ΔE00 ${f(median(col('clDe')), 2)}; ` +
    `mean distance ${f(median(col('distance')))} px (mean ${f(mean(col('distance').filter(Number.isFinite)))}), width error ${f(median(col('widthError')))} px, ` +
    `images with gap pixels ${rows.filter((r) => (r.gaps as number) > 0).length}, total gap px ${col('gaps').reduce((a, b) => a + b, 0)}`,
);
