/**
 * Fidelity against size, one small panel per image set: each tool is a dot at
 * (median SVG bytes, log scale; mean SSIM). Up and to the left is better.
 * Hand-written SVG, so the chart needs no plotting library.
 */
import type { SetSpec } from './sets.js';
import type { Summary } from './summary.js';

const PANEL_W = 300;
const PANEL_H = 220;
const PAD = { left: 48, right: 22, top: 26, bottom: 34 };
const COLS = 4;
const PALETTE = [
  '#d62728',
  '#1f77b4',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
  '#000000',
  '#ffbb78',
];
/** Candidate SSIM tick steps: the smallest that gives at most 5 intervals is used. */
const STEPS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const r1 = (v: number) => Math.round(v * 10) / 10;

function byteLabel(exponent: number): string {
  if (exponent >= 6) return `${10 ** (exponent - 6)} MB`;
  if (exponent >= 3) return `${10 ** (exponent - 3)} kB`;
  return `${10 ** exponent} B`;
}

function panel(spec: SetSpec, rows: readonly Summary[], colorOf: (tool: string) => string): string {
  const pts = rows.filter((s) => Number.isFinite(s.meanSsim) && s.medianBytes > 0);
  const pw = PANEL_W - PAD.left - PAD.right;
  const ph = PANEL_H - PAD.top - PAD.bottom;
  const out: string[] = [
    `<text x="${PANEL_W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(spec.name)}</text>`,
  ];
  if (pts.length === 0) {
    out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" stroke="#bbb"/>`);
    out.push(
      `<text x="${PANEL_W / 2}" y="${PANEL_H / 2}" text-anchor="middle" fill="#888">no results</text>`,
    );
    return out.join('\n');
  }
  const lx = pts.map((s) => Math.log10(s.medianBytes));
  const x0 = Math.floor((Math.min(...lx) - 0.1) * 2) / 2;
  const x1 = Math.max(Math.ceil((Math.max(...lx) + 0.1) * 2) / 2, x0 + 0.5);
  const ys = pts.map((s) => s.meanSsim);
  const span = Math.max(Math.max(...ys) - Math.min(...ys), 0.004);
  const step = STEPS.find((v) => span / v <= 4) ?? 1;
  const y0 = Math.floor((Math.min(...ys) - step / 4) / step) * step;
  // SSIM never exceeds 1, and every step divides 1, so the axis can stop there.
  const y1 = Math.min(
    Math.ceil((Math.max(...ys) + step / 4) / step) * step,
    Math.max(...ys) <= 1 ? 1 : Infinity,
  );
  const sx = (v: number) => PAD.left + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number) => PAD.top + ph - ((v - y0) / (y1 - y0)) * ph;

  for (let e = Math.ceil(x0); e <= x1; e++) {
    const x = r1(sx(e));
    out.push(`<line x1="${x}" y1="${PAD.top}" x2="${x}" y2="${PAD.top + ph + 4}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${PAD.top + ph + 16}" text-anchor="middle">${byteLabel(e)}</text>`);
  }
  const digits = step < 0.01 ? 3 : step < 0.1 ? 2 : 1;
  const ticks = Math.round((y1 - y0) / step);
  for (let i = 0; i <= ticks; i++) {
    const v = y0 + i * step;
    const y = r1(sy(v));
    out.push(`<line x1="${PAD.left - 3}" y1="${y}" x2="${PAD.left + pw}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${PAD.left - 5}" y="${r1(y + 4)}" text-anchor="end">${v.toFixed(digits)}</text>`);
  }
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" stroke="#bbb"/>`);
  out.push(
    `<text x="${PAD.left + pw / 2}" y="${PANEL_H - 4}" text-anchor="middle" fill="#555">median bytes</text>`,
  );
  for (const s of pts) {
    const title = esc(`${s.tool}: SSIM ${s.meanSsim.toFixed(4)}, ${Math.round(s.medianBytes)} bytes`);
    const cx = r1(sx(Math.log10(s.medianBytes)));
    const cy = r1(sy(s.meanSsim));
    out.push(
      `<circle cx="${cx}" cy="${cy}" r="5" fill="${colorOf(s.tool)}" fill-opacity="0.85"><title>${title}</title></circle>`,
    );
  }
  return out.join('\n');
}

export function fidelityChart(
  specs: readonly SetSpec[],
  summaries: readonly Summary[],
  date: string,
): string {
  const tools = [...new Set(summaries.map((s) => s.tool))];
  const colorOf = (tool: string) => PALETTE[tools.indexOf(tool) % PALETTE.length];
  const rows = Math.ceil((specs.length + 1) / COLS);
  const width = COLS * PANEL_W;
  const height = rows * PANEL_H + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">Mean SSIM against median SVG bytes (log scale), per image set: up and left is better. ${esc(date)}</text>`,
  ];
  specs.forEach((spec, i) => {
    const x = (i % COLS) * PANEL_W;
    const y = 30 + Math.floor(i / COLS) * PANEL_H;
    const body = panel(
      spec,
      summaries.filter((s) => s.set === spec.name),
      colorOf,
    );
    parts.push(`<g transform="translate(${x} ${y})">\n${body}\n</g>`);
  });
  const lx = (specs.length % COLS) * PANEL_W + 20;
  const ly = 30 + Math.floor(specs.length / COLS) * PANEL_H + 20;
  tools.forEach((tool, i) => {
    parts.push(`<circle cx="${lx}" cy="${ly + i * 17}" r="5" fill="${colorOf(tool)}"/>`);
    parts.push(`<text x="${lx + 10}" y="${ly + i * 17 + 4}">${esc(tool)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
