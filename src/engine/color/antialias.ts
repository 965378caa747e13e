/**
 * Anti-aliased edge pixels into their neighbours. Where two colour areas meet,
 * a renderer leaves a one-pixel band of blends; indexed on their own, those
 * pixels become slivers: thin regions with a colour between their two
 * neighbours. A pixel whose two opposite neighbours (across a row, column or
 * diagonal) have two other palette colours, and whose own colour (as in the
 * image, not its palette entry, which may be a third colour altogether)
 * lies on the OKLab segment between them, joins the side it is closer to. A thin stroke of a
 * colour that is not between its neighbours (dark text on white) is not a
 * blend and stays. Reads the input only, so the result does not depend on
 * scan order.
 */
import { segmentDist2 } from './blend.js';
import { TRANSPARENT, type IndexMap } from './index-pixels.js';
import type { Palette } from './palette.js';
import { dist2, srgbToOklab } from './oklab.js';
import type { Raster } from '../types.js';

/** How far (as a fraction of the two colours' distance) a blend may sit from the segment between them. */
const OFF_SEGMENT = 0.15;

export function reassignBlends(index: IndexMap, raster: Raster, palette: Palette): IndexMap {
  const { width, height, data } = raster;
  const out = index.slice();
  const px = new Float64Array(3);
  const lab = palette.lab;
  const t = new Float64Array(1);
  const w = width;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * w + x;
      const k = index[i];
      if (k === TRANSPARENT) continue;
      let converted = false;
      for (let axis = 0; axis < 4; axis++) {
        const off = axis === 0 ? 1 : axis === 1 ? w : axis === 2 ? w + 1 : w - 1;
        const a = index[i - off];
        const b = index[i + off];
        if (a === k || b === k || a === b || a === TRANSPARENT || b === TRANSPARENT) continue;
        if (!converted) {
          srgbToOklab(data[i * 4], data[i * 4 + 1], data[i * 4 + 2], px, 0);
          converted = true;
        }
        const d = segmentDist2(px, 0, lab, a, b, t);
        const tol = OFF_SEGMENT * OFF_SEGMENT * dist2(lab, a, lab, b);
        if (t[0] > 0.05 && t[0] < 0.95 && d <= tol) {
          out[i] = t[0] < 0.5 ? a : b;
          break;
        }
      }
    }
  }
  return out;
}
