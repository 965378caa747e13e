/**
 * The `enhance=true` pre-filter: a contrast stretch. Luminance (Rec. 709
 * weights) is measured over opaque pixels; the 1st and 99th percentiles are
 * mapped to 0 and 255 and every colour channel is stretched by the same
 * linear map, so hues are kept. A washed-out scan or photo of a drawing then
 * gives its ink and paper clearly separated levels for the threshold and the
 * quantiser. Images that already span the range are left unchanged.
 */
import type { Raster } from '../../engine/index.js';

const CLIP = 0.01;

export function stretchContrast(raster: Raster): Raster {
  const { data } = raster;
  const histogram = new Uint32Array(256);
  let counted = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    const y = Math.round(0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]);
    histogram[y]++;
    counted++;
  }
  if (counted === 0) return raster;
  const clip = Math.floor(counted * CLIP);
  let low = 0;
  for (let seen = histogram[0]; seen <= clip && low < 255; seen += histogram[++low]);
  let high = 255;
  for (let seen = histogram[255]; seen <= clip && high > 0; seen += histogram[--high]);
  if (high - low < 8 || (low === 0 && high === 255)) return raster;

  const lut = new Uint8ClampedArray(256);
  const scale = 255 / (high - low);
  for (let v = 0; v < 256; v++) lut[v] = Math.round((v - low) * scale);
  const out = new Uint8ClampedArray(data.length);
  for (let i = 0; i < data.length; i += 4) {
    out[i] = lut[data[i]];
    out[i + 1] = lut[data[i + 1]];
    out[i + 2] = lut[data[i + 2]];
    out[i + 3] = data[i + 3];
  }
  return { width: raster.width, height: raster.height, data: out };
}
