import type { Raster } from '../../src/engine/types.js';

/** A raster from a per-pixel function returning [r, g, b, a]. */
export function makeRaster(
  width: number,
  height: number,
  pixel: (x: number, y: number) => readonly [number, number, number, number],
): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

/** A grey test card with structure at several scales: a ramp, a disc and a checkerboard. */
export function testCard(width: number, height: number): Raster {
  return makeRaster(width, height, (x, y) => {
    const ramp = (x / (width - 1)) * 200;
    const disc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width / 4) ** 2 ? 50 : 0;
    const check = ((x >> 2) + (y >> 2)) % 2 ? 5 : 0;
    const v = ramp + disc + check;
    return [v, v, v, 255];
  });
}

export function invert(r: Raster): Raster {
  const data = new Uint8ClampedArray(r.data);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 255 - data[i];
    data[i + 1] = 255 - data[i + 1];
    data[i + 2] = 255 - data[i + 2];
  }
  return { width: r.width, height: r.height, data };
}

/** The alpha channel of row `y` of `r`. */
export function alphaRow(r: Raster, y: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < r.width; x++) out.push(r.data[(y * r.width + x) * 4 + 3]);
  return out;
}
