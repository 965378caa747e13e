/**
 * sRGB <-> OKLab (Björn Ottosson, "A perceptual color space for image
 * processing", 2020). Euclidean distance in OKLab tracks perceived colour
 * difference far better than in RGB, so palette choice, pixel indexing and
 * region similarity all measure there. The sRGB transfer function is a
 * 256-entry table built once at module load.
 */

/** sRGB byte -> linear light, 0-1. */
export const SRGB_TO_LINEAR: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  return t;
})();

/** Linear light 0-1 -> sRGB byte, rounded and clamped. */
export function linearToSrgbByte(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(Math.max(v, 0), 1 / 2.4) - 0.055;
  const b = Math.round(c * 255);
  return b < 0 ? 0 : b > 255 ? 255 : b;
}

/** Writes the OKLab coordinates of linear RGB into `out[o..o+2]`. */
export function linearToOklab(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  out[o] = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  out[o + 1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[o + 2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

/** Writes the OKLab coordinates of an sRGB colour (bytes) into `out[o..o+2]`. */
export function srgbToOklab(r: number, g: number, b: number, out: Float64Array, o: number): void {
  linearToOklab(SRGB_TO_LINEAR[r], SRGB_TO_LINEAR[g], SRGB_TO_LINEAR[b], out, o);
}

/**
 * Relative luminance (linear, Rec. 709 weights) of an sRGB colour. A grey
 * with this luminance has the same OKLab L as the colour has after its
 * chroma is dropped, since OKLab's first matrix maps r = g = b to l = m = s.
 */
export function luminance(r: number, g: number, b: number): number {
  return 0.2126 * SRGB_TO_LINEAR[r] + 0.7152 * SRGB_TO_LINEAR[g] + 0.0722 * SRGB_TO_LINEAR[b];
}

/** The grey sRGB byte with the luminance of the given colour. */
export function greyLevel(r: number, g: number, b: number): number {
  return linearToSrgbByte(luminance(r, g, b));
}

/** Squared OKLab distance between entries `i` and `j` of flat Lab arrays. */
export function dist2(a: Float64Array, i: number, b: Float64Array, j: number): number {
  const dl = a[i * 3] - b[j * 3];
  const da = a[i * 3 + 1] - b[j * 3 + 1];
  const db = a[i * 3 + 2] - b[j * 3 + 2];
  return dl * dl + da * da + db * db;
}
