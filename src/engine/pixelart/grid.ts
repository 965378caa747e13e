/**
 * Pixel-art grid: the integer scale and offset of a nearest-neighbour
 * upscale of a small grid of colours.
 *
 * `detectGrid` (exact): every position where a pixel differs from its left
 * neighbour (in any row) lies on a vertical grid line, and every position
 * where it differs from the pixel above lies on a horizontal one. The scale
 * along an axis is the greatest common divisor of the distances between
 * those positions, the offset the first position modulo the scale. When
 * both scales are at least 2, every block between grid lines is one colour
 * (constant along rows between vertical lines, along columns between
 * horizontal ones), so the image is exactly that grid upscaled. One
 * anti-aliased or noisy pixel makes the divisor 1 within a few rows, so the
 * test is fast on ordinary images.
 *
 * `estimateGrid` (forced, `pixelArt: 'blocks'`, for pixel art that was
 * blurred or re-encoded): only strong changes count (a channel differing by
 * more than `STRONG`); the scale is the largest one from 2 to `MAX_SCALE`
 * with an offset that puts at least `ON_GRID` of the strong changes on grid
 * lines, along each axis; 1 (every pixel a block) when none does.
 */
import type { Raster } from '../types.js';

/** Grid lines along one axis: the scale and the first line's position (0 <= offset < scale). */
export interface AxisGrid {
  readonly scale: number;
  readonly offset: number;
}

export interface PixelGrid {
  readonly x: AxisGrid;
  readonly y: AxisGrid;
}

/** The colour of pixel `p` as one number; fully transparent pixels are all one colour. */
export function pixelKey(data: Uint8ClampedArray, p: number): number {
  const j = p * 4;
  const a = data[j + 3];
  return a === 0 ? 0 : ((data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | a) >>> 0;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The exact grid of a nearest-neighbour upscale (scale at least 2 on both axes), or null. */
export function detectGrid(raster: Raster): PixelGrid | null {
  const { width, height, data } = raster;
  let gx = 0;
  let rx = -1;
  let gy = 0;
  let ry = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let left = pixelKey(data, row);
    for (let x = 0; x < width; x++) {
      const k = pixelKey(data, row + x);
      if (x > 0 && k !== left) {
        if (rx < 0) rx = x;
        else if ((gx = gcd(gx, Math.abs(x - rx))) === 1) return null;
      }
      if (y > 0 && k !== pixelKey(data, row - width + x)) {
        if (ry < 0) ry = y;
        else if ((gy = gcd(gy, Math.abs(y - ry))) === 1) return null;
      }
      left = k;
    }
  }
  // An axis with one change position at most: lines at it and at the border.
  if (rx < 0 || ry < 0) return null;
  if (gx === 0) gx = gcd(rx, width - rx);
  if (gy === 0) gy = gcd(ry, height - ry);
  if (gx < 2 || gy < 2) return null;
  return { x: { scale: gx, offset: rx % gx }, y: { scale: gy, offset: ry % gy } };
}

/** A change stronger than this on some channel is an edge of the grid. */
const STRONG = 48;
const MAX_SCALE = 64;
const ON_GRID = 0.9;

/** A tolerant grid for forced pixel-art mode (see the module comment); never null. */
export function estimateGrid(raster: Raster): PixelGrid {
  const { width, height, data } = raster;
  const cols = new Float64Array(width);
  const rows = new Float64Array(height);
  const differs = (p: number, q: number) =>
    Math.abs(data[p * 4] - data[q * 4]) > STRONG ||
    Math.abs(data[p * 4 + 1] - data[q * 4 + 1]) > STRONG ||
    Math.abs(data[p * 4 + 2] - data[q * 4 + 2]) > STRONG ||
    Math.abs(data[p * 4 + 3] - data[q * 4 + 3]) > STRONG;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (x > 0 && differs(p, p - 1)) cols[x]++;
      if (y > 0 && differs(p, p - width)) rows[y]++;
    }
  }
  return { x: bestAxis(cols), y: bestAxis(rows) };
}

function bestAxis(changes: Float64Array): AxisGrid {
  let total = 0;
  for (const c of changes) total += c;
  if (total === 0) return { scale: 1, offset: 0 };
  for (let s = Math.min(MAX_SCALE, changes.length >> 1); s >= 2; s--) {
    for (let o = 0; o < s; o++) {
      let on = 0;
      for (let x = o; x < changes.length; x += s) on += changes[x];
      if (on >= ON_GRID * total) return { scale: s, offset: o };
    }
  }
  return { scale: 1, offset: 0 };
}

/** Grid line positions from 0 to `size` (the first and last blocks may be cut by the border). */
export function gridLines(axis: AxisGrid, size: number): Int32Array {
  const lines: number[] = [0];
  for (let p = axis.offset > 0 ? axis.offset : axis.scale; p < size; p += axis.scale) lines.push(p);
  lines.push(size);
  return Int32Array.from(lines);
}
