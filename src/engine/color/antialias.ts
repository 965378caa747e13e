/**
 * Anti-aliased edge pixels into their neighbours. Where two colour areas meet,
 * a renderer leaves a one-pixel band of blends; indexed on their own, those
 * pixels become slivers: thin regions with a colour between their two
 * neighbours. A pixel whose two opposite neighbours (across a row, column or
 * diagonal) have two other palette colours, and whose own colour (as in the
 * image, not its palette entry, which may be a third colour altogether)
 * lies on the segment between them, joins the side it is closer to. The
 * segment is taken in sRGB, where renderers mix edge pixels, not in OKLab. A thin stroke of a
 * colour that is not between its neighbours (dark text on white) is not a
 * blend and stays. Reads the input only, so the result does not depend on
 * scan order.
 */
import { segmentDist2 } from './blend.js';
import { TRANSPARENT, type IndexMap } from './index-pixels.js';
import type { Palette } from './palette.js';
import type { Raster } from '../types.js';

/** How far a blend may sit from the segment between its two colours: this fraction of their distance, plus a little noise (sRGB units). */
const OFF_SEGMENT = 0.15;
const NOISE = 6;

export function reassignBlends(index: IndexMap, raster: Raster, palette: Palette): IndexMap {
  const { width, height, data } = raster;
  const out = index.slice();
  const px = new Float64Array(3);
  // Palette colours as sRGB triples, so segmentDist2 can measure in sRGB.
  const rgb = new Float64Array(palette.size * 3);
  for (let c = 0; c < palette.size; c++) {
    rgb[c * 3] = palette.rgb[c] >>> 16;
    rgb[c * 3 + 1] = (palette.rgb[c] >>> 8) & 255;
    rgb[c * 3 + 2] = palette.rgb[c] & 255;
  }
  const t = new Float64Array(1);
  const w = width;
  // Joins pixel i to a or b when its colour lies between theirs; true when it did.
  const join = (i: number, a: number, b: number): boolean => {
    px[0] = data[i * 4];
    px[1] = data[i * 4 + 1];
    px[2] = data[i * 4 + 2];
    const d = segmentDist2(px, 0, rgb, a, b, t);
    const ab = Math.sqrt(segmentDist2(rgb, a, rgb, b, b));
    const tol = (OFF_SEGMENT * ab + NOISE) ** 2;
    if (t[0] > 0.05 && t[0] < 0.95 && d <= tol) {
      out[i] = t[0] < 0.5 ? a : b;
      return true;
    }
    return false;
  };
  // Two opposite neighbours qualify when both differ from the pixel, from each other, and are painted.
  const T = TRANSPARENT;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * w + 1; x < width - 1; x++, i++) {
      const k = index[i];
      if (k === T) continue;
      let a = index[i - 1];
      let b = index[i + 1];
      if (a !== k && b !== k && a !== b && a !== T && b !== T && join(i, a, b)) continue;
      a = index[i - w];
      b = index[i + w];
      if (a !== k && b !== k && a !== b && a !== T && b !== T && join(i, a, b)) continue;
      a = index[i - w - 1];
      b = index[i + w + 1];
      if (a !== k && b !== k && a !== b && a !== T && b !== T && join(i, a, b)) continue;
      a = index[i - w + 1];
      b = index[i + w - 1];
      if (a !== k && b !== k && a !== b && a !== T && b !== T) join(i, a, b);
    }
  }
  return out;
}
