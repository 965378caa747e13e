/**
 * Alpha compositing of a straight (not premultiplied) RGBA raster onto an
 * opaque colour. Metrics compare what a viewer sees, so both the original and
 * the rendered SVG are composed onto the same page colour (white) first.
 */
import type { Raster } from '../engine/types.js';

/** An opaque colour as three 0-255 channels. */
export type Rgb = readonly [number, number, number];

export const WHITE: Rgb = [255, 255, 255];

/** Returns a new opaque raster: `raster` composed over `background` (default white). */
export function composeOn(raster: Raster, background: Rgb = WHITE): Raster {
  const src = raster.data;
  const out = new Uint8ClampedArray(src.length);
  const [br, bg, bb] = background;
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3];
    if (a === 255) {
      out[i] = src[i];
      out[i + 1] = src[i + 1];
      out[i + 2] = src[i + 2];
    } else {
      const t = a / 255;
      out[i] = src[i] * t + br * (1 - t);
      out[i + 1] = src[i + 1] * t + bg * (1 - t);
      out[i + 2] = src[i + 2] * t + bb * (1 - t);
    }
    out[i + 3] = 255;
  }
  return { width: raster.width, height: raster.height, data: out };
}

/** Throws unless `a` and `b` are rasters of the same size: every metric compares pixel to pixel. */
export function assertSameSize(a: Raster, b: Raster): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(
      `rasters differ in size: expecting ${a.width}x${a.height}. Got ${b.width}x${b.height}`,
    );
  }
  const n = a.width * a.height * 4;
  if (a.data.length !== n || b.data.length !== n) {
    throw new RangeError(`raster data length: expecting ${n}. Got ${a.data.length} and ${b.data.length}`);
  }
}
