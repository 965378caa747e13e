/**
 * Renders SVG text back to an RGBA raster of an exact size with resvg
 * (anti-aliasing on, as browsers draw), so a traced SVG can be compared
 * pixel for pixel with the image it came from.
 */
import { Resvg } from '@resvg/resvg-js';
import type { Raster } from '../engine/types.js';

/**
 * Renders `svg` scaled to `width` pixels wide (its aspect ratio kept) onto
 * `background` (any CSS colour; default transparent) and returns a straight
 * RGBA raster of exactly `width` x `height`. When the SVG's aspect ratio
 * rounds to a different height, the extra rows are cut or the missing rows
 * left as background, so the result always lines up with the original.
 */
export function renderSvg(svg: string, width: number, height: number, background?: string): Raster {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`render size must be positive integers, got ${width}x${height}`);
  }
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
    logLevel: 'off',
    ...(background ? { background } : {}),
  }).render();
  const src = rendered.pixels;
  const rw = rendered.width;
  const rows = Math.min(rendered.height, height);
  const cols = Math.min(rw, width);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const s = (y * rw + x) * 4;
      const o = (y * width + x) * 4;
      const a = src[s + 3];
      // resvg hands out premultiplied alpha; the engine's Raster is straight.
      if (a === 255 || a === 0) {
        out[o] = src[s];
        out[o + 1] = src[s + 1];
        out[o + 2] = src[s + 2];
      } else {
        out[o] = (src[s] * 255) / a;
        out[o + 1] = (src[s + 1] * 255) / a;
        out[o + 2] = (src[s + 2] * 255) / a;
      }
      out[o + 3] = a;
    }
  }
  if (background && rows < height) {
    // Missing rows get the background too, from a 1x1 render of it.
    const fill = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', {
      background,
    }).render().pixels;
    for (let i = rows * width * 4; i < out.length; i += 4) out.set(fill.subarray(0, 4), i);
  }
  return { width, height, data: out };
}
