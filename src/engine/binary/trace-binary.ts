/**
 * The binary tracer: ink-oriented luma -> ink mask -> rings -> speckle
 * removal -> optimal polygons with sub-pixel vertices -> corners and fitted
 * curves -> one compound path. Each stage is a pure function in its own file;
 * this generator runs them in order and reports each stage as it starts, and
 * progress within the per-ring stages every `BATCH` corners, so a large
 * image can be aborted between batches.
 */
import type { ResolvedOptions } from '../options.js';
import type { Raster, TraceEvent } from '../types.js';
import { CurveBuilder } from '../geometry/curves.js';
import { writePathData } from '../geometry/path-data.js';
import type { AdjustedPolygon } from './adjust-vertices.js';
import { decompose } from './decompose.js';
import { inkLuma } from './luminance.js';
import { inkMask } from './ink-mask.js';
import { tracePolygon } from './polygons.js';
import { smoothOutline } from './smooth-outline.js';
import { removeSpeckles } from './speckle.js';

/** The ink colour of the binary layer. */
export const INK = '#000000';

/** Ring corners handled between two progress events in the per-ring stages. */
const BATCH = 50_000;

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
  const count = rings.start.length - 1;
  const corners = rings.start[count];

  yield { kind: 'stage', stage: 'polygon', progress: 0.35 };
  const model = ink.subpixel
    ? { luma, width, height, inkLevel: ink.inkLevel, paperLevel: ink.paperLevel }
    : null;
  const polygons: AdjustedPolygon[] = new Array(count);
  for (let r = 0, next = BATCH; r < count; r++) {
    polygons[r] = tracePolygon(rings, r, model);
    if (rings.start[r + 1] >= next) {
      next += BATCH;
      yield { kind: 'stage', stage: 'polygon', progress: 0.35 + (0.25 * rings.start[r + 1]) / corners };
    }
  }

  yield { kind: 'stage', stage: 'curves', progress: 0.6 };
  const alphamax = alphamaxFor(options.cornerThreshold);
  const builder = new CurveBuilder();
  for (let r = 0, next = BATCH; r < count; r++) {
    smoothOutline(polygons[r].vertices, polygons[r].through, alphamax, options.curveTolerance, builder);
    if (rings.start[r + 1] >= next) {
      next += BATCH;
      yield { kind: 'stage', stage: 'curves', progress: 0.6 + (0.3 * rings.start[r + 1]) / corners };
    }
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
