import type { Layer } from './types.js';

/** The opening `<svg>` tag: a viewBox in pixels, and the pixel size as width and height. */
export function svgHeader(width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`;
}

export const SVG_FOOTER = '</svg>';

/**
 * One layer as a `<path>` element, with only the attributes that change the
 * picture. `n` (the layer's number in the document) names the definitions
 * a layer needs (`<filter id="fN">` for a blurred layer); they are written
 * just before it, so the document can still be streamed layer by layer.
 */
export function svgPath(layer: Layer, n = 0): string {
  let attrs = `fill="${layer.fill}"`;
  if (layer.opacity !== undefined && layer.opacity < 1)
    attrs += ` fill-opacity="${+layer.opacity.toFixed(3)}"`;
  if (layer.fillRule === 'evenodd') attrs += ' fill-rule="evenodd"';
  let defs = '';
  if (layer.blur !== undefined && layer.blur > 0) {
    // The filter region is the whole canvas and beyond: a blur spreads 3 sigma past the shape.
    defs = `<filter id="f${n}" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${+layer.blur.toFixed(2)}"/></filter>`;
    attrs += ` filter="url(#f${n})"`;
  }
  return `${defs}<path ${attrs} d="${layer.d}"/>`;
}
