/**
 * Seam counter. Where two traced shapes meet without overlapping, an
 * anti-aliased renderer covers the shared edge pixel partly from each side,
 * and the page behind shows through as a faint line. We render the SVG with
 * nothing behind it: a pixel's alpha then says exactly how much of any
 * background, however loud, would show through it (composing on magenta
 * gives magenta x (1 - alpha)), without guessing colours back out of a mix.
 */
import type { Raster } from '../engine/types.js';
import { renderSvg } from './render-svg.js';

export interface SeamOptions {
  /** A pixel counts as a seam when more than this fraction of the background shows. Default 0.05. */
  minShow?: number;
}

export interface SeamReport {
  /** Pixels inside the original's opaque area where the background shows through the SVG. */
  readonly seamPixels: number;
  /** Pixels tested: opaque in the original, with all 8 neighbours opaque too. */
  readonly insidePixels: number;
  /** `seamPixels / insidePixels` (0 when nothing is inside). */
  readonly fraction: number;
}

/**
 * Counts pixels where the background shows through `svg` rendered at the size
 * of `original`. Only pixels deep inside the original's opaque area are
 * tested (the pixel and its 8 neighbours fully opaque), so a traced outline
 * that sits a fraction of a pixel off the outer edge of the picture is not a
 * seam, while any line between two shapes inside it is.
 */
export function countSeams(original: Raster, svg: string, options: SeamOptions = {}): SeamReport {
  const minShow = options.minShow ?? 0.05;
  const { width: w, height: h } = original;
  const rendered = renderSvg(svg, w, h).data;
  const src = original.data;
  const maxAlpha = 255 * (1 - minShow);
  let inside = 0;
  let seams = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!opaqueAround(src, w, h, x, y)) continue;
      inside++;
      if (rendered[(y * w + x) * 4 + 3] < maxAlpha) seams++;
    }
  }
  return { seamPixels: seams, insidePixels: inside, fraction: inside ? seams / inside : 0 };
}

function opaqueAround(src: Uint8ClampedArray, w: number, h: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= w) continue;
      if (src[(yy * w + xx) * 4 + 3] !== 255) return false;
    }
  }
  return true;
}
