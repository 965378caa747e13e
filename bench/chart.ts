/**
 * Fidelity against size, one small panel per image set: each tool is a dot at
 * (median SVG bytes, log scale; mean SSIM). Up and to the left is better.
 * Hand-written SVG, so the chart needs no plotting library.
 */
import type { SetSpec } from './sets.js';
import type { Summary } from './summary.js';

const PANEL_W = 300;
const PANEL_H = 220;
const PAD = { left: 48, right: 12, top: 26, bottom: 34 };
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
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const r1 = (v: number) => Math.round(v * 10) / 10;

function panel(spec: SetSpec, rows: readonly Summary[], colorOf: (tool: string) => string): string {
  const pts = rows.filter((s) => Number.isFinite(s.meanSsim) && s.medianBytes > 0);
  const out: string[] = [
    `<text x="${PANEL_W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(spec.name)}</text>`,
  ];
  const pw = PANEL_W - PAD.left - PAD.right;
  const ph = PANEL_H - PAD.top - PAD.bottom;
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" stroke="#bbb"/>`);
  if (pts.length === 0) {
    out.push(
      `<text x="${PANEL_W / 2}" y="${PANEL_H / 2}" text-anchor="middle" fill="#888">no results</text>`,
    );
    return out.join('');
  }
  const lx = pts.map((s) => Math.log10(s.medianBytes));
  const x0 = Math.floor(Math.min(...lx) * 2) / 2;
  const x1 = Math.max(Math.ceil(Math.max(...lx) * 2) / 2, x0 + 0.5);
  const ys = pts.map((s) => s.meanSsim);
  const y0 = Math.max(-1, Math.floor(Math.min(...ys) * 20) / 20);
  const y1 = Math.min(1, Math.max(Math.ceil(Math.max(...ys) * 20) / 20, y0 + 0.05));
  const sx = (v: number) => PAD.left + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number) => PAD.top + ph - ((v - y0) / (y1 - y0)) * ph;
  for (let e = Math.ceil(x0); e <= x1; e++) {
    out.push(
      `<line x1="${r1(sx(e))}" y1="${PAD.top + ph}" x2="${r1(sx(e))}" y2="${PAD.top + ph + 4}" stroke="#666"/>`,
    );
    const label = e >= 6 ? `${10 ** (e - 6)} MB` : e >= 3 ? `${10 ** (e - 3)} kB` : `${10 ** e} B`;
    out.push(`<text x="${r1(sx(e))}" y="${PAD.top + ph + 16}" text-anchor="middle">${label}</text>`);
  }
  const step = (y1 - y0) / 4;
  for (let i = 0; i <= 4; i++) {
    const v = y0 + i * step;
    out.push(`<text x="${PAD.left - 4}" y="${r1(sy(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  out.push(
    `<text x="${PAD.left + pw / 2}" y="${PANEL_H - 4}" text-anchor="middle" fill="#555">median bytes</text>`,
  );
  for (const s of pts) {
    out.push(
      `<circle cx="${r1(sx(Math.log10(s.medianBytes)))}" cy="${r1(sy(s.meanSsim))}" r="5" fill="${colorOf(s.tool)}" fill-opacity="0.85"><title>${esc(
        `${s.tool}: SSIM ${s.meanSsim.toFixed(4)}, ${Math.round(s.medianBytes)} bytes`,
      )}</title></circle>`,
    );
  }
  return out.join('');
}

export function fidelityChart(
  specs: readonly SetSpec[],
  summaries: readonly Summary[],
  date: string,
): string {
  const tools = [...new Set(summaries.map((s) => s.tool))];
  const colorOf = (tool: string) => PALETTE[tools.indexOf(tool) % PALETTE.length];
  const cells = specs.length + 1;
  const rows = Math.ceil(cells / COLS);
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
    parts.push(
      `<g transform="translate(${x} ${y})">${panel(
        spec,
        summaries.filter((s) => s.set === spec.name),
        colorOf,
      )}</g>`,
    );
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
