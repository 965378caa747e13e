/**
 * Resolution metadata (pixels per inch) read from the bytes for the formats
 * this folder decodes itself; sharp's `metadata().density` gives it for the
 * others (JPEG JFIF/EXIF, TIFF, WebP).
 */

const INCH_PER_METRE = 0.0254;

/** A density worth reporting: finite, positive and not absurd (1 to 100 000 ppi). */
export function plausibleDensity(ppi: number | undefined): number | undefined {
  if (ppi === undefined || !Number.isFinite(ppi) || ppi < 1 || ppi > 100_000) return undefined;
  return Math.round(ppi * 1000) / 1000;
}

/**
 * PNG: the pHYs chunk (pixels per unit on x, on y, unit 1 = metre). Only a
 * metre unit gives a physical size; unit 0 is an aspect ratio. The chunk
 * must come before IDAT, so the walk stops there.
 */
export function pngDensity(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  while (o + 12 <= bytes.length) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7]);
    if (type === 'IDAT' || type === 'IEND') return undefined;
    if (type === 'pHYs' && length === 9 && o + 17 <= bytes.length) {
      if (bytes[o + 16] !== 1) return undefined;
      return plausibleDensity(view.getUint32(o + 8) * INCH_PER_METRE);
    }
    o += 12 + length;
  }
  return undefined;
}

/** BMP: biXPelsPerMeter of a BITMAPINFOHEADER (or later) header; 0 means unknown. */
export function bmpDensity(bytes: Uint8Array): number | undefined {
  if (bytes.length < 46) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(14, true) < 40) return undefined;
  const ppm = view.getInt32(38, true);
  return ppm > 0 ? plausibleDensity(ppm * INCH_PER_METRE) : undefined;
}
