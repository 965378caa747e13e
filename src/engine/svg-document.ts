import type { Layer } from './types.js';
import type { Units } from './options.js';

/** Physical size of `px` pixels in `units` at `dpi` pixels per inch (px: unchanged). */
export function toUnits(px: number, units: Units, dpi: number): number {
  if (units === 'px') return px;
  const inches = px / dpi;
  return units === 'in' ? inches : inches * 25.4;
}

/** A length with its unit, to 4 decimals (0.0001 mm is far below any printer's dot). */
export function lengthAttr(px: number, units: Units, dpi: number): string {
  if (units === 'px') return String(px);
  return `${+toUnits(px, units, dpi).toFixed(4)}${units}`;
}

/**
 * The opening `<svg>` tag: a viewBox in pixels, and the size as width and
 * height, in pixels or in a physical unit at `dpi`.
 */
export function svgHeader(width: number, height: number, units: Units = 'px', dpi = 96): string {
  const w = lengthAttr(width, units, dpi);
  const h = lengthAttr(height, units, dpi);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${w}" height="${h}">`;
}

export const SVG_FOOTER = '</svg>';

/** One layer as a `<path>` element, with only the attributes that change the picture. */
export function svgPath(layer: Layer): string {
  if (layer.stroke !== undefined) {
    const width = +(layer.strokeWidth ?? 1).toFixed(3);
    return `<path fill="none" stroke="${layer.stroke}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round" d="${layer.d}"/>`;
  }
  let attrs = `fill="${layer.fill}"`;
  if (layer.opacity !== undefined && layer.opacity < 1)
    attrs += ` fill-opacity="${+layer.opacity.toFixed(3)}"`;
  if (layer.fillRule === 'evenodd') attrs += ' fill-rule="evenodd"';
  return `<path ${attrs} d="${layer.d}"/>`;
}
