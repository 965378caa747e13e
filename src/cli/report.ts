/** What the CLI says about a batch: a line per failure, a summary line, or a JSON report. */
import { formatBytes, formatMs, plural } from './format.js';
import type { FileResult } from './run-batch.js';

export function failureLine(input: string, message: string): string {
  return `image2svg: ${input === '-' ? 'stdin' : input}: ${message}`;
}

export function successLine({ input, output, outcome }: FileResult): string {
  if (!outcome.ok) return failureLine(input, outcome.message);
  const { stats } = outcome;
  const where = output === '-' ? 'stdout' : output;
  return `${input === '-' ? 'stdin' : input} -> ${where}: ${plural(stats.paths, 'path')}, ${plural(stats.nodes, 'node')}, ${formatBytes(stats.bytes)}, ${formatMs(outcome.totalMs)}`;
}

export function resizeNote({ input, outcome }: FileResult): string | null {
  if (!outcome.ok || !outcome.resized) return null;
  return `image2svg: ${input}: downscaled from ${outcome.originalWidth}x${outcome.originalHeight} to ${outcome.stats.width}x${outcome.stats.height}`;
}

/** "3 files converted, 1 failed; 120.5 kB in, 34.2 kB out; 1.23 s" */
export function summaryLine(results: readonly FileResult[], unmatched: number, elapsedMs: number): string {
  let ok = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  for (const { outcome } of results) {
    bytesIn += outcome.bytesIn;
    if (outcome.ok) {
      ok++;
      bytesOut += outcome.stats.bytes;
    }
  }
  const failed = results.length - ok + unmatched;
  const counts = `${plural(ok, 'file')} converted${failed ? `, ${failed} failed` : ''}`;
  return `image2svg: ${counts}; ${formatBytes(bytesIn)} in, ${formatBytes(bytesOut)} out; ${formatMs(elapsedMs)}`;
}

/** One JSON record per input, for scripts (`--json`). */
export function jsonReport(
  results: readonly FileResult[],
  unmatched: readonly { input: string; message: string }[],
) {
  return [
    ...results.map(({ input, output, outcome }) =>
      outcome.ok
        ? {
            input,
            output,
            ok: true,
            format: outcome.format,
            width: outcome.stats.width,
            height: outcome.stats.height,
            originalWidth: outcome.originalWidth,
            originalHeight: outcome.originalHeight,
            resized: outcome.resized,
            bytesIn: outcome.bytesIn,
            bytesOut: outcome.stats.bytes,
            paths: outcome.stats.paths,
            nodes: outcome.stats.nodes,
            preset: outcome.stats.preset,
            ms: Math.round(outcome.totalMs * 10) / 10,
          }
        : { input, output, ok: false, error: { code: outcome.code, message: outcome.message } },
    ),
    ...unmatched.map(({ input, message }) => ({ input, ok: false, error: { code: 'NOT_FOUND', message } })),
  ];
}
