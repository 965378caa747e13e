import type { ResolvedOptions } from '../options.js';
import type { Raster, TraceEvent } from '../types.js';

/** Colour and grayscale tracer: to be implemented (issue 3). */
export function* traceColor(
  _raster: Raster,
  _options: ResolvedOptions,
): Generator<TraceEvent, void, undefined> {
  throw new Error('colour tracer not implemented yet');
}
