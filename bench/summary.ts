/** Per set and tool: the figures of the tables, from the per-image results. */
import { median, type ImageResult } from './measure.js';

export interface Summary {
  readonly set: string;
  readonly tool: string;
  readonly images: number;
  readonly failed: number;
  /** First error message, when some images failed. */
  readonly firstError?: string;
  readonly meanSsim: number;
  readonly medianSsim: number;
  /** Mean PSNR in dB, each image capped at 100 dB (identical pixels give infinity). */
  readonly meanPsnr: number;
  readonly meanDeltaE: number;
  readonly medianBytes: number;
  readonly medianGzipBytes: number;
  readonly medianPaths: number;
  readonly medianNodes: number;
  readonly medianMs: number;
  /** `--cold`: median time of one run right after a forced full collection. */
  readonly medianColdMs?: number;
  /** Colour sets: mean seam fraction in percent of inside pixels. */
  readonly seamPercent?: number;
  /** Sets scored on black too: mean SSIM and ΔE00 composed on black. */
  readonly meanSsimBlack?: number;
  readonly meanDeltaEBlack?: number;
}

const PSNR_CAP = 100;

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export function summarize(results: readonly ImageResult[]): Summary[] {
  const groups = new Map<string, ImageResult[]>();
  for (const r of results) {
    const key = `${r.set}\u0000${r.tool}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((g) => {
    const ok = g.filter((r) => r.ok);
    const pick = (k: keyof ImageResult) => ok.map((r) => r[k] as number);
    const cold = ok.filter((r) => r.coldMs !== undefined).map((r) => r.coldMs!);
    const seams = ok.filter((r) => r.seams !== undefined).map((r) => r.seams!);
    const black = ok.filter((r) => r.ssimBlack !== undefined);
    const firstError = g.find((r) => !r.ok)?.error;
    return {
      set: g[0].set,
      tool: g[0].tool,
      images: g.length,
      failed: g.length - ok.length,
      ...(firstError ? { firstError } : {}),
      meanSsim: mean(pick('ssim')),
      medianSsim: median(pick('ssim')),
      meanPsnr: mean(pick('psnr').map((v) => Math.min(v, PSNR_CAP))),
      meanDeltaE: mean(pick('deltaE')),
      medianBytes: median(pick('bytes')),
      medianGzipBytes: median(pick('gzipBytes')),
      medianPaths: median(pick('paths')),
      medianNodes: median(pick('nodes')),
      medianMs: median(pick('ms')),
      ...(cold.length ? { medianColdMs: median(cold) } : {}),
      ...(seams.length ? { seamPercent: mean(seams) * 100 } : {}),
      ...(black.length
        ? {
            meanSsimBlack: mean(black.map((r) => r.ssimBlack!)),
            meanDeltaEBlack: mean(black.map((r) => r.deltaEBlack!)),
          }
        : {}),
    };
  });
}
