/**
 * Stage 1a: luma per pixel, oriented so that ink is dark.
 *
 * Luma uses the Rec. 709 weights on the encoded RGB values, in 8-bit fixed
 * point (54, 183, 19 of 256), so red artwork stays dark and yellow stays
 * light. With `transparentAsBackground`, alpha is composited over the paper
 * (white, or black when inverted) so transparent pixels are never ink and
 * soft alpha edges keep their sub-pixel information. `invert` flips the
 * result, so later stages always look for dark ink on light paper.
 */
import type { Raster } from '../types.js';

export function inkLuma(raster: Raster, transparentAsBackground: boolean, invert: boolean): Uint8Array {
  const { data, width, height } = raster;
  const n = width * height;
  const out = new Uint8Array(n);
  const paper = invert ? 0 : 255;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    let l = (54 * data[j] + 183 * data[j + 1] + 19 * data[j + 2] + 128) >> 8;
    if (transparentAsBackground) {
      const a = data[j + 3];
      if (a !== 255) l = ((l * a + paper * (255 - a) + 127) / 255) | 0;
    }
    out[i] = invert ? 255 - l : l;
  }
  return out;
}
