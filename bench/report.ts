/** Markdown tables of the summaries (printed, and written into docs/BENCHMARKS.md). */
import type { MemoryResult } from './memory.js';
import type { SetSpec } from './sets.js';
import type { Summary } from './summary.js';

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

export function setTable(spec: SetSpec, summaries: readonly Summary[]): string {
  const color = spec.kind === 'color';
  const cold = summaries.some((s) => s.set === spec.name && s.medianColdMs !== undefined);
  const header = [
    'tool',
    'images ok',
    'SSIM mean',
    'SSIM median',
    'PSNR dB',
    'ΔE00 mean',
    'bytes (median)',
    'gzip',
    'paths',
    'nodes',
    'ms (median)',
    ...(cold ? ['cold ms ²'] : []),
    ...(color ? ['seams %'] : []),
    ...(spec.onBlack ? ['SSIM on black', 'ΔE00 on black'] : []),
  ];
  const rows = summaries
    .filter((s) => s.set === spec.name)
    .map((s) => [
      s.tool + (s.tool === 'potrace' ? ' ¹' : ''),
      `${s.images - s.failed}/${s.images}`,
      fixed(s.meanSsim, 4),
      fixed(s.medianSsim, 4),
      fixed(s.meanPsnr, 2),
      fixed(s.meanDeltaE, 2),
      int(s.medianBytes),
      int(s.medianGzipBytes),
      int(s.medianPaths),
      int(s.medianNodes),
      fixed(s.medianMs, 1),
      ...(cold ? [fixed(s.medianColdMs ?? NaN, 1)] : []),
      ...(color ? [s.seamPercent === undefined ? '–' : fixed(s.seamPercent, 3)] : []),
      ...(spec.onBlack ? [fixed(s.meanSsimBlack ?? NaN, 4), fixed(s.meanDeltaEBlack ?? NaN, 2)] : []),
    ]);
  return table(header, rows);
}

export function failureNotes(summaries: readonly Summary[]): string[] {
  return summaries
    .filter((s) => s.failed > 0)
    .map(
      (s) => `- ${s.set} / ${s.tool}: ${s.failed} of ${s.images} failed; first error: \`${s.firstError}\``,
    );
}

export function memoryTable(results: readonly MemoryResult[]): string {
  return table(
    ['input (image2svg)', 'result', 'peak RSS MB', 'time s', 'SVG bytes'],
    results.map((r) => [
      r.label,
      r.ok ? 'ok' : `failed: ${r.error ?? ''}`.replace(/\|/g, '/'),
      fixed(r.maxRssMB ?? NaN, 0),
      fixed((r.ms ?? NaN) / 1000, 1),
      int(r.bytes ?? NaN),
    ]),
  );
}
