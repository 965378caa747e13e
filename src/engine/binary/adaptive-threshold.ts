/**
 * Stage 1c: adaptive (local) threshold for unevenly lit scans and photographed
 * pages, after D. Bradley and G. Roth, "Adaptive Thresholding Using the
 * Integral Image" (J. Graphics Tools, 2007): a pixel is ink when it is more
 * than `DARKER` darker than the mean of the window around it. The window mean
 * comes from two running box sums (rows, then columns), O(1) per pixel, with
 * the window clipped at the image border.
 *
 * Bradley-Roth alone hollows out solid ink wider than the window (inside it
 * the local mean is the ink itself), so pixels darker than `solidInk` (a
 * global level close to the ink's) are ink too.
 */

const DARKER = 0.15;

/** Window side in pixels: about 1/8 of the smaller image side, odd, at least 3. */
export function adaptiveWindow(width: number, height: number): number {
  return Math.max(3, Math.round(Math.min(width, height) / 8)) | 1;
}

export function adaptiveInkMask(
  luma: Uint8Array,
  width: number,
  height: number,
  solidInk: number,
): Uint8Array {
  const r = adaptiveWindow(width, height) >> 1;
  // Row pass: the mean of each pixel's horizontal window, kept as a byte.
  const rowMean = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    let lo = 0;
    let hi = -1;
    for (let x = 0; x < width; x++) {
      const want = Math.min(width - 1, x + r);
      while (hi < want) sum += luma[row + ++hi];
      while (lo < x - r) sum -= luma[row + lo++];
      rowMean[row + x] = Math.round(sum / (hi - lo + 1));
    }
  }
  // Column pass over the row means, one running sum per column.
  const mask = new Uint8Array(width * height);
  const col = new Uint32Array(width);
  let top = 0;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const want = Math.min(height - 1, y + r);
    while (bottom < want) {
      const row = ++bottom * width;
      for (let x = 0; x < width; x++) col[x] += rowMean[row + x];
    }
    while (top < y - r) {
      const row = top++ * width;
      for (let x = 0; x < width; x++) col[x] -= rowMean[row + x];
    }
    const limit = (1 - DARKER) / (bottom - top + 1);
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = luma[row + x];
      mask[row + x] = l < col[x] * limit || l < solidInk ? 1 : 0;
    }
  }
  return mask;
}
