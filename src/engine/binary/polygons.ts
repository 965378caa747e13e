/**
 * Stages 4 and 5 over all rings: the optimal polygon of each ring, its
 * vertices adjusted with sub-pixel edges.
 *
 * Layout of `Polygons`: `points: Float64Array` of x,y pairs (pixel
 * coordinates), `start: Int32Array` of length polygons + 1 (polygon p's
 * vertices are points `start[p] .. start[p + 1] - 1`), in ring order and
 * orientation (ink on the right). `through` has the same layout: point i is
 * where the outline crosses the edge from vertex i to the next.
 */
import type { EdgeModel } from './edge-offset.js';
import { adjustVertices, type AdjustedPolygon } from './adjust-vertices.js';
import { optimalPolygon } from './optimal-polygon.js';
import type { Rings } from './rings.js';

export interface Polygons {
  readonly points: Float64Array;
  readonly through: Float64Array;
  readonly start: Int32Array;
}

export function tracePolygons(rings: Rings, model: EdgeModel | null): Polygons {
  const count = rings.start.length - 1;
  const parts: AdjustedPolygon[] = new Array(count);
  const start = new Int32Array(count + 1);
  let total = 0;
  for (let r = 0; r < count; r++) {
    const from = rings.start[r];
    const m = rings.start[r + 1] - from;
    const vertices = optimalPolygon(rings.points, from, m);
    parts[r] = adjustVertices(rings.points, from, m, vertices, model);
    total += vertices.length;
    start[r + 1] = total;
  }
  const points = new Float64Array(2 * total);
  const through = new Float64Array(2 * total);
  for (let r = 0; r < count; r++) {
    points.set(parts[r].vertices, 2 * start[r]);
    through.set(parts[r].through, 2 * start[r]);
  }
  return { points, through, start };
}
