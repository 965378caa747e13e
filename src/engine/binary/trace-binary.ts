/**
 * The binary tracer: ink-oriented luma -> ink mask -> rings -> speckle
 * removal -> optimal polygons with sub-pixel vertices -> corners and fitted
 * curves -> one compound path. Each stage is a pure function in its own file;
 * this generator runs them in order and reports each stage as it starts.
 */
import type { ResolvedOptions } from '../options.js';
import type { Raster, TraceEvent } from '../types.js';
import { CurveBuilder } from '../geometry/curves.js';
import { writePathData } from '../geometry/path-data.js';
import { decompose } from './decompose.js';
import { inkLuma } from './luminance.js';
import { inkMask } from './ink-mask.js';
import { tracePolygons } from './polygons.js';
import { smoothOutline } from './smooth-outline.js';
import { removeSpeckles } from './speckle.js';

/** The ink colour of the binary layer. */
export const INK = '#000000';

/**
 * Potrace's alphamax from the corner threshold: 60 (the default) is
 * potrace's default alphamax 1, 0 makes every vertex a corner, 80 and more
 * none (alpha never exceeds 4/3).
 */
export function alphamaxFor(cornerThreshold: number): number {
  return cornerThreshold / 60;
}

export function* traceBinary(
  raster: Raster,
  options: ResolvedOptions,
): Generator<TraceEvent, void, undefined> {
  const { width, height } = raster;
  yield { kind: 'stage', stage: 'threshold', progress: 0 };
  const luma = inkLuma(raster, options.transparentAsBackground, options.invert);
  const ink = inkMask(luma, width, height, options.threshold, options.invert);

  yield { kind: 'stage', stage: 'decompose', progress: 0.15 };
  const rings = removeSpeckles(decompose(ink.mask, width, height), options.speckle);

  yield { kind: 'stage', stage: 'polygon', progress: 0.35 };
  const model = ink.subpixel
    ? { luma, width, height, inkLevel: ink.inkLevel, paperLevel: ink.paperLevel }
    : null;
  const polygons = tracePolygons(rings, model);

  yield { kind: 'stage', stage: 'curves', progress: 0.6 };
  const alphamax = alphamaxFor(options.cornerThreshold);
  const builder = new CurveBuilder();
  const { points, through, start } = polygons;
  for (let p = 0; p + 1 < start.length; p++) {
    const a = 2 * start[p];
    const b = 2 * start[p + 1];
    smoothOutline(points.subarray(a, b), through.subarray(a, b), alphamax, options.curveTolerance, builder);
  }

  yield { kind: 'stage', stage: 'path', progress: 0.9 };
  const path = writePathData(builder.finish(), options.precision);
  if (path.subpaths === 0) return;
  yield {
    kind: 'layer',
    layer: { fill: INK, d: path.d, fillRule: 'nonzero', nodes: path.nodes, subpaths: path.subpaths },
    progress: 1,
  };
}
