/**
 * The colour of each block of a pixel-art grid, as an index into a palette.
 *
 * On an exact grid every pixel of a block has the block's colour, so the
 * block's first pixel is read. On an estimated grid (forced mode) the block
 * takes the mean of its inner pixels (a quarter of the block's side in from
 * each edge, where blur and ringing reach least), and blocks whose colours
 * are within `MERGE` (largest channel difference) of a palette colour seen
 * more often share that colour, so JPEG noise does not make a colour per
 * block.
 */
import type { Raster } from '../types.js';
import { pixelKey } from './grid.js';

export interface Cells {
  readonly cols: number;
  readonly rows: number;
  /** Palette index per block, row-major. */
  readonly index: Int32Array;
  /** Palette as RGBA keys (see `pixelKey`); 0 is fully transparent. */
  readonly palette: Uint32Array;
}

const MERGE = 24;

export function cellColours(raster: Raster, xs: Int32Array, ys: Int32Array, exact: boolean): Cells {
  const cols = xs.length - 1;
  const rows = ys.length - 1;
  const keys = new Uint32Array(cols * rows);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      keys[by * cols + bx] = exact
        ? pixelKey(raster.data, ys[by] * raster.width + xs[bx])
        : meanKey(raster, xs[bx], xs[bx + 1], ys[by], ys[by + 1]);
    }
  }
  // Palette in order of first appearance; forced mode merges close colours into more frequent ones.
  const count = new Map<number, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  const map = new Map<number, number>();
  const palette: number[] = [];
  const byFrequency = [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || a - b);
  for (const k of byFrequency) {
    let to = -1;
    if (!exact) to = palette.findIndex((c) => close(c, k));
    if (to < 0) {
      to = palette.length;
      palette.push(k);
    }
    map.set(k, to);
  }
  const index = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) index[i] = map.get(keys[i])!;
  return { cols, rows, index, palette: Uint32Array.from(palette) };
}

function close(a: number, b: number): boolean {
  if ((a === 0) !== (b === 0)) return false;
  for (let s = 0; s < 32; s += 8) if (Math.abs(((a >>> s) & 255) - ((b >>> s) & 255)) > MERGE) return false;
  return true;
}

function meanKey(raster: Raster, x0: number, x1: number, y0: number, y1: number): number {
  const ix = (x1 - x0) >> 2;
  const iy = (y1 - y0) >> 2;
  const sum = [0, 0, 0, 0];
  let n = 0;
  for (let y = y0 + iy; y < y1 - iy; y++) {
    for (let x = x0 + ix; x < x1 - ix; x++) {
      const j = (y * raster.width + x) * 4;
      for (let c = 0; c < 4; c++) sum[c] += raster.data[j + c];
      n++;
    }
  }
  const [r, g, b, a] = sum.map((v) => Math.round(v / n));
  return a === 0 ? 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}
