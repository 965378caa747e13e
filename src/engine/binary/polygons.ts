/**
 * Stages 4 and 5 for one ring: its optimal polygon (segments within `slack`
 * of the boundary, see optimal-polygon.ts), with the vertices adjusted by
 * sub-pixel edges (see `AdjustedPolygon` for the layout).
 */
import type { EdgeModel } from './edge-offset.js';
import { adjustVertices, type AdjustedPolygon } from './adjust-vertices.js';
import { DEFAULT_SLACK, optimalPolygon } from './optimal-polygon.js';
import type { Rings } from './rings.js';

export function tracePolygon(
  rings: Rings,
  ring: number,
  model: EdgeModel | null,
  slack = DEFAULT_SLACK,
): AdjustedPolygon {
  const from = rings.start[ring];
  const m = rings.start[ring + 1] - from;
  return adjustVertices(rings.points, from, m, optimalPolygon(rings.points, from, m, slack), model);
}
