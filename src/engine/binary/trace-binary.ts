import type { ResolvedOptions } from '../options.js';
import type { Raster, TraceEvent } from '../types.js';

/** Binary tracer: to be implemented (issue 2). */
export function* traceBinary(
  _raster: Raster,
  _options: ResolvedOptions,
): Generator<TraceEvent, void, undefined> {
  throw new Error('binary tracer not implemented yet');
}
