/**
 * Stage 1a': the paper's illumination, for `threshold: 'auto'`.
 *
 * A scanned or photographed page is lit unevenly (a lighting ramp, a
 * vignette, a shadow at the fold), so one global threshold turns its dim
 * part into a black wedge. A clean logo is lit evenly, and a local threshold
 * would hollow out its large solid shapes. This stage estimates the paper's
 * level across the image and says whether it varies materially; when it
 * does, the tracer divides the luma by it (a flat-field correction: paper
 * and ink both reflect the light that falls on them, so the ratio is the
 * same everywhere) and thresholds the flattened image globally.
 *
 * The estimate, on a coarse grid of square blocks:
 * 1. each block's paper level is a high percentile of its luma (ink covers
 *    less than that share of a block of text or line art);
 * 2. paper blocks are found by flooding from the brightest blocks to
 *    neighbours whose level differs by a small ratio: light varies gradually
 *    from block to block, while the edge of a solid shape is a step, so the
 *    inside of a logo is never reached;
 * 3. blocks not reached (inside solid ink) take the mean of their reached
 *    neighbours, ring by ring, and the grid is smoothed by two 3x3 box passes;
 * 4. the field is the bilinear interpolation of the grid between block
 *    centres.
 * The field varies materially when its range is more than `VARIES` of its
 * brightest level. Pure function, integer-exact on the same input.
 */

import { inkPaperLevels } from './histogram.js';

/** Blocks per smaller image side (the block side is at least `MIN_BLOCK` px). */
const BLOCKS_PER_SIDE = 24;
const MIN_BLOCK = 8;
/** Images with a side under this many pixels are never flattened (too few blocks to see light). */
const MIN_SIDE = 64;
/** The block's paper level: this share of its pixels are at most that level. */
const PAPER_PERCENTILE = 0.9;
/** Neighbouring paper blocks differ by at most this ratio of levels. */
const STEP_RATIO = 0.88;
/** Seeds: blocks within this ratio of the brightest block's level. */
const SEED_RATIO = 0.94;
/** The field varies materially when (max - min) / max exceeds this. */
const VARIES = 0.12;
/** The field never goes below this level (a black page stays black, no division by ~0). */
const MIN_LEVEL = 24;

export interface Illumination {
  /** Whether the paper's level varies materially across the image. */
  readonly varies: boolean;
  /** Blocks across and down, the block side in pixels, and the grid of paper levels (row-major). */
  readonly cols: number;
  readonly rows: number;
  readonly block: number;
  readonly grid: Float32Array;
  /** Lowest and highest level of the smoothed grid. */
  readonly min: number;
  readonly max: number;
}

/** Estimates the paper's level on a coarse grid; `luma` is ink-oriented (ink dark). */
export function estimateIllumination(luma: Uint8Array, width: number, height: number): Illumination {
  const block = Math.max(MIN_BLOCK, Math.round(Math.min(width, height) / BLOCKS_PER_SIDE));
  const cols = Math.max(1, Math.round(width / block));
  const rows = Math.max(1, Math.round(height / block));
  const levels = blockLevels(luma, width, height, cols, rows);
  const flat: Illumination = { varies: false, cols, rows, block, grid: levels, min: 0, max: 0 };
  if (Math.min(width, height) < MIN_SIDE) return flat;

  const paper = floodPaper(levels, cols, rows);
  const filled = fillFromNeighbours(levels, paper, cols, rows);
  let grid = boxSmooth(filled, cols, rows);
  grid = boxSmooth(grid, cols, rows);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < grid.length; i++) {
    if (grid[i] < min) min = grid[i];
    if (grid[i] > max) max = grid[i];
  }
  const varies = max > 0 && (max - min) / max > VARIES;
  return { varies, cols, rows, block, grid, min, max };
}

/** Block `b`'s pixel range along one axis when `size` pixels are cut into `n` blocks. */
function span(b: number, n: number, size: number): [number, number] {
  return [Math.floor((b * size) / n), Math.floor(((b + 1) * size) / n)];
}

/** The `PAPER_PERCENTILE` level of each block, from a histogram per block. */
function blockLevels(
  luma: Uint8Array,
  width: number,
  height: number,
  cols: number,
  rows: number,
): Float32Array {
  const out = new Float32Array(cols * rows);
  const hist = new Uint32Array(256);
  for (let by = 0; by < rows; by++) {
    const [y0, y1] = span(by, rows, height);
    for (let bx = 0; bx < cols; bx++) {
      const [x0, x1] = span(bx, cols, width);
      hist.fill(0);
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let x = x0; x < x1; x++) hist[luma[row + x]]++;
      }
      const want = Math.ceil((x1 - x0) * (y1 - y0) * PAPER_PERCENTILE);
      let seen = 0;
      let v = 0;
      while (v < 255 && seen + hist[v] < want) seen += hist[v++];
      out[by * cols + bx] = v;
    }
  }
  return out;
}

/** Paper blocks: flooded (8-connected) from the brightest blocks through gradual changes of level. */
function floodPaper(levels: Float32Array, cols: number, rows: number): Uint8Array {
  const n = levels.length;
  let top = 0;
  for (let i = 0; i < n; i++) if (levels[i] > top) top = levels[i];
  const paper = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (levels[i] >= top * SEED_RATIO) {
      paper[i] = 1;
      queue[tail++] = i;
    }
  }
  while (head < tail) {
    const i = queue[head++];
    const x = i % cols;
    const y = (i - x) / cols;
    const v = levels[i];
    for (let dy = -1; dy <= 1; dy++) {
      const ny = y + dy;
      if (ny < 0 || ny >= rows) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        if ((dx === 0 && dy === 0) || nx < 0 || nx >= cols) continue;
        const j = ny * cols + nx;
        if (paper[j]) continue;
        const w = levels[j];
        const lo = Math.min(v, w);
        const hi = Math.max(v, w);
        if (lo >= hi * STEP_RATIO) {
          paper[j] = 1;
          queue[tail++] = j;
        }
      }
    }
  }
  return paper;
}

/** Levels where `known`; the others take the mean of their known 8-neighbours, ring by ring inwards. */
function fillFromNeighbours(
  levels: Float32Array,
  known: Uint8Array,
  cols: number,
  rows: number,
): Float32Array {
  const out = Float32Array.from(levels);
  let have = Uint8Array.from(known);
  for (;;) {
    const next = Uint8Array.from(have);
    let changed = false;
    let missing = false;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const i = y * cols + x;
        if (have[i]) continue;
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const ny = y + dy;
          if (ny < 0 || ny >= rows) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            if (nx < 0 || nx >= cols) continue;
            const j = ny * cols + nx;
            if (have[j]) {
              sum += out[j];
              count++;
            }
          }
        }
        if (count > 0) {
          out[i] = sum / count;
          next[i] = 1;
          changed = true;
        } else missing = true;
      }
    }
    have = next;
    if (!missing || !changed) return out;
  }
}

/** One 3x3 box-mean pass, the window clipped at the grid's border. */
function boxSmooth(grid: Float32Array, cols: number, rows: number): Float32Array {
  const out = new Float32Array(grid.length);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let sum = 0;
      let count = 0;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(rows - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(cols - 1, x + 1); nx++) {
          sum += grid[ny * cols + nx];
          count++;
        }
      }
      out[y * cols + x] = sum / count;
    }
  }
  return out;
}

/**
 * The luma divided by the illumination field (bilinear between block
 * centres), scaled so the brightest paper is 255: `min(255, luma * 255 / field)`.
 */
export function flattenIllumination(
  luma: Uint8Array,
  width: number,
  height: number,
  light: Illumination,
): Uint8Array {
  const { cols, rows, grid } = light;
  const out = new Uint8Array(luma.length);
  // Block centres along each axis, in pixels, and the interpolation weights per column.
  const cx = new Float64Array(cols);
  for (let b = 0; b < cols; b++) {
    const [a, z] = span(b, cols, width);
    cx[b] = (a + z - 1) / 2;
  }
  const col0 = new Int32Array(width);
  const colT = new Float64Array(width);
  for (let x = 0, b = 0; x < width; x++) {
    while (b + 1 < cols - 1 && cx[b + 1] <= x) b++;
    const b1 = Math.min(cols - 1, b + 1);
    col0[x] = b;
    colT[x] = b1 === b ? 0 : Math.min(1, Math.max(0, (x - cx[b]) / (cx[b1] - cx[b])));
  }
  const rowField = new Float64Array(cols);
  for (let y = 0, b = 0; y < height; y++) {
    const cy0 = span(b, rows, height);
    let c0 = (cy0[0] + cy0[1] - 1) / 2;
    for (;;) {
      if (b + 1 >= rows - 1) break;
      const s = span(b + 1, rows, height);
      const c1 = (s[0] + s[1] - 1) / 2;
      if (c1 > y) break;
      b++;
      c0 = c1;
    }
    const b1 = Math.min(rows - 1, b + 1);
    const s1 = span(b1, rows, height);
    const c1 = (s1[0] + s1[1] - 1) / 2;
    const t = b1 === b ? 0 : Math.min(1, Math.max(0, (y - c0) / (c1 - c0)));
    for (let k = 0; k < cols; k++) rowField[k] = grid[b * cols + k] * (1 - t) + grid[b1 * cols + k] * t;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const k = col0[x];
      const k1 = Math.min(cols - 1, k + 1);
      const f = Math.max(MIN_LEVEL, rowField[k] * (1 - colT[x]) + rowField[k1] * colT[x]);
      const v = Math.round((luma[row + x] * 255) / f);
      out[row + x] = v > 255 ? 255 : v;
    }
  }
  return out;
}

/** Share of the pixels darker than the ink level read from a flattened page. */
const INK_PERCENTILE = 0.001;

/**
 * The threshold for a flattened page: halfway between the paper (the
 * histogram's mode above Otsu's level) and the ink (the level that
 * `INK_PERCENTILE` of the pixels are darker than). Halfway is where an edge
 * blurred by the optics or anti-aliasing crosses, so strokes keep their
 * width; Otsu's level sits too close to the paper when the ink is a thin
 * minority of grey, blurred pixels, and fattens every glyph.
 */
export function flattenedThreshold(hist: Uint32Array, otsu: number): number {
  let total = 0;
  for (let v = 0; v < 256; v++) total += hist[v];
  const { paper } = inkPaperLevels(hist, otsu);
  const want = total * INK_PERCENTILE;
  let seen = 0;
  let ink = 0;
  while (ink < 255 && seen + hist[ink] < want) seen += hist[ink++];
  return Math.max(1, Math.round((ink + paper) / 2));
}
