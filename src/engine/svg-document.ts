import type { Layer } from './types.js';

/** The opening `<svg>` tag: a viewBox in pixels, and the pixel size as width and height. */
export function svgHeader(width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`;
}

export const SVG_FOOTER = '</svg>';

/** One layer as a `<path>` element, with only the attributes that change the picture. */
export function svgPath(layer: Layer): string {
  let attrs = `fill="${layer.fill}"`;
  if (layer.opacity !== undefined && layer.opacity < 1)
    attrs += ` fill-opacity="${+layer.opacity.toFixed(3)}"`;
  if (layer.fillRule === 'evenodd') attrs += ' fill-rule="evenodd"';
  return `<path ${attrs} d="${layer.d}"/>`;
}
