/**
 * The layers of soft shadows and glows (soft-edges.ts): each shape traced
 * on its own with the binary tracer's stages (rings, optimal polygon,
 * smoothed curves), written as a blurred, translucent path. Painted first,
 * under everything else, since a shadow or glow lies behind what casts it.
 */
import { decompose } from '../binary/decompose.js';
import { tracePolygon } from '../binary/polygons.js';
import { smoothOutline } from '../binary/smooth-outline.js';
import { removeSpeckles } from '../binary/speckle.js';
import { CurveBuilder } from '../geometry/curves.js';
import { writePathData } from '../geometry/path-data.js';
import type { Layer } from '../types.js';
import { hexColor } from './paint-layers.js';
import type { SoftEntry } from './soft-edges.js';

/** Islands of a soft shape smaller than this (pixels) are dropped: blurred, they would not show. */
const MIN_AREA = 4;

export function softLayer(
  entry: SoftEntry,
  precision: number,
  tolerance: number,
  alphamax: number,
): Layer | null {
  const rings = removeSpeckles(decompose(entry.shape, entry.bw, entry.bh), MIN_AREA);
  const builder = new CurveBuilder();
  for (let r = 0; r < rings.start.length - 1; r++) {
    const polygon = tracePolygon(rings, r, null);
    smoothOutline(polygon.vertices, polygon.through, alphamax, tolerance, builder);
  }
  const curves = builder.finish();
  const pts = curves.pts;
  for (let i = 0; i < pts.length; i += 2) {
    pts[i] += entry.x0;
    pts[i + 1] += entry.y0;
  }
  const path = writePathData(curves, precision);
  if (path.subpaths === 0) return null;
  return {
    fill: hexColor(entry.rgb),
    ...(entry.alpha < 1 ? { opacity: entry.alpha } : {}),
    blur: entry.blur,
    d: path.d,
    fillRule: 'nonzero',
    nodes: path.nodes,
    subpaths: path.subpaths,
  };
}
