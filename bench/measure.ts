/**
 * Runs one tool on one image: time (median of repeated runs for fast tools),
 * output size and structure, and fidelity against the original. A tool that
 * throws, or whose SVG cannot be rendered, is recorded as failed for that
 * image and the run goes on.
 */
import { gzipSync } from 'node:zlib';
import { compareRasters, countSeams, renderSvg } from '../src/quality/index.js';
import type { BenchImage } from './sets.js';
import type { Tool } from './tools.js';

export interface ImageResult {
  readonly set: string;
  readonly id: string;
  readonly tool: string;
  readonly width: number;
  readonly height: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly ms?: number;
  /** `--cold`: one run right after a forced full garbage collection (in-process tools only). */
  readonly coldMs?: number;
  readonly runs?: number;
  readonly bytes?: number;
  readonly gzipBytes?: number;
  readonly paths?: number;
  readonly nodes?: number;
  readonly ssim?: number;
  readonly psnr?: number;
  readonly deltaE?: number;
  /** Colour sets: fraction of the inside pixels where the background shows through. */
  readonly seams?: number;
  /** Sets scored on black too: the figures with both composed on black. */
  readonly ssimBlack?: number;
  readonly psnrBlack?: number;
  readonly deltaEBlack?: number;
}

/** Runs shorter than REPEAT_BELOW_MS are repeated REPEATS times (FAST_REPEATS under FAST_MS), and the median taken. */
const REPEAT_BELOW_MS = 500;
const REPEATS = 3;
const FAST_MS = 100;
const FAST_REPEATS = 5;

export interface SvgStructure {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly paths: number;
  readonly nodes: number;
}

/** Size and structure of SVG text: `<path>` elements and path commands (every command letter in `d`). */
export function svgStructure(svg: string): SvgStructure {
  let nodes = 0;
  for (const m of svg.matchAll(/\sd="([^"]*)"/g)) nodes += m[1].match(/[MLHVCSQTAZ]/gi)?.length ?? 0;
  return {
    bytes: Buffer.byteLength(svg),
    gzipBytes: gzipSync(svg).length,
    paths: svg.match(/<path\b/g)?.length ?? 0,
    nodes,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.split('\n')[0].slice(0, 200);
}

/** One untimed call, so the first timed image does not pay for JIT and lazy loading. */
export async function warmUp(tool: Tool, image: BenchImage): Promise<void> {
  try {
    await tool.run(image);
  } catch {
    // The failure is recorded when the image is measured.
  }
}

/** The forced collection of `node --expose-gc`, if the process has it. */
export function forcedGc(): (() => void) | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  return typeof gc === 'function' ? gc : null;
}

export async function measure(
  tool: Tool,
  image: BenchImage,
  seams: boolean,
  cold = false,
): Promise<ImageResult> {
  const base = {
    set: image.set,
    id: image.id,
    tool: tool.name,
    width: image.original.width,
    height: image.original.height,
  };
  let svg: string;
  const times: number[] = [];
  try {
    let t0 = performance.now();
    svg = await tool.run(image);
    times.push(performance.now() - t0);
    const repeats = times[0] < FAST_MS ? FAST_REPEATS : times[0] < REPEAT_BELOW_MS ? REPEATS : 1;
    while (times.length < repeats) {
      t0 = performance.now();
      await tool.run(image);
      times.push(performance.now() - t0);
    }
  } catch (e) {
    return { ...base, ok: false, error: firstLine(e) };
  }
  let coldMs: number | undefined;
  const gc = cold && tool.inProcess ? forcedGc() : null;
  if (gc) {
    // After the warm runs: collect everything, then time one call on the emptied heap.
    gc();
    const t0 = performance.now();
    await tool.run(image);
    coldMs = performance.now() - t0;
  }
  try {
    const rendered = renderSvg(svg, image.original.width, image.original.height);
    const fidelity = compareRasters(image.original, rendered);
    const black = image.onBlack ? compareRasters(image.original, rendered, [0, 0, 0]) : null;
    const seamFraction = seams ? countSeams(image.original, svg).fraction : undefined;
    return {
      ...base,
      ok: true,
      ms: median(times),
      ...(coldMs === undefined ? {} : { coldMs }),
      runs: times.length,
      ...svgStructure(svg),
      ...fidelity,
      ...(seamFraction === undefined ? {} : { seams: seamFraction }),
      ...(black ? { ssimBlack: black.ssim, psnrBlack: black.psnr, deltaEBlack: black.deltaE } : {}),
    };
  } catch (e) {
    return { ...base, ok: false, error: `render: ${firstLine(e)}` };
  }
}
