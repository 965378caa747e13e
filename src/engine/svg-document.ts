import type { Layer, Shape } from './types.js';
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

/** A circle or ellipse element, with `attrs` (fill and the like) when given. */
export function svgShape(shape: Shape, attrs = ''): string {
  const a = attrs ? ` ${attrs}` : '';
  if (shape.kind === 'circle') return `<circle cx="${shape.cx}" cy="${shape.cy}" r="${shape.rx}"${a}/>`;
  const rotate = shape.angle !== 0 ? ` transform="rotate(${shape.angle} ${shape.cx} ${shape.cy})"` : '';
  if (shape.kind === 'ellipse')
    return `<ellipse cx="${shape.cx}" cy="${shape.cy}" rx="${shape.rx}" ry="${shape.ry}"${rotate}${a}/>`;
  return `<rect x="${+(shape.cx - shape.rx).toFixed(4)}" y="${+(shape.cy - shape.ry).toFixed(4)}" width="${+(2 * shape.rx).toFixed(4)}" height="${+(2 * shape.ry).toFixed(4)}"${rotate}${a}/>`;
}

/**
 * One layer as SVG: a `<path>` element, with only the attributes that change
 * the picture, and its true shapes (`<circle>`, `<ellipse>`); several
 * elements share their paint through a `<g>`. `n` (the layer's number in
 * the document) names the definitions a layer needs (`<filter id="fN">` for
 * a blurred layer); they are written just before it, so the document can
 * still be streamed layer by layer.
 */
export function svgPath(layer: Layer, n = 0): string {
  if (layer.stroke !== undefined) {
    const width = +(layer.strokeWidth ?? 1).toFixed(3);
    return `<path fill="none" stroke="${layer.stroke}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round" d="${layer.d}"/>`;
  }
  let paint = `fill="${layer.fill}"`;
  if (layer.opacity !== undefined && layer.opacity < 1)
    paint += ` fill-opacity="${+layer.opacity.toFixed(3)}"`;
  let defs = '';
  if (layer.blur !== undefined && layer.blur > 0) {
    // The filter region is the whole canvas and beyond: a blur spreads 3 sigma past the shape.
    defs = `<filter id="f${n}" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${+layer.blur.toFixed(2)}"/></filter>`;
    paint += ` filter="url(#f${n})"`;
  }
  const rule = layer.fillRule === 'evenodd' ? ' fill-rule="evenodd"' : '';
  const shapes = layer.shapes ?? [];
  const hasPath = layer.d !== '';
  if (shapes.length === 0) return `${defs}<path ${paint}${rule} d="${layer.d}"/>`;
  if (shapes.length === 1 && !hasPath) return defs + svgShape(shapes[0], paint);
  const parts = shapes.map((s) => svgShape(s));
  if (hasPath) parts.push(`<path${rule} d="${layer.d}"/>`);
  return `${defs}<g ${paint}>${parts.join('')}</g>`;
}
