/**
 * Stage 5b: vertex adjustment, after P. Selinger, "Potrace: a polygon-based
 * tracing algorithm" (2003), section 2.3.3, with sub-pixel edges. Each
 * polygon segment gets the least-squares line through the boundary edges it
 * replaces (their midpoints, each moved along its normal by the grey-level
 * offset of `edgeOffset`); each vertex moves to the point nearest to its two
 * lines (least squares), kept within a box around the lattice vertex:
 * potrace's half-pixel box, widened to a pixel when grey levels may move
 * edges by up to half a pixel.
 *
 * Each segment also gets the point where the outline should cross it: its
 * midpoint, moved along the normal to the mean height of the boundary over
 * the middle half of the segment. On an arc of sagitta s the least-squares
 * line runs 2s/3 above the chord, so the arc's middle is s/3 beyond the
 * line; potrace's curve through the plain midpoints shrinks every round
 * shape by that much (about a fifth of a pixel on a 45 px disk).
 */
import { edgeOffset, type EdgeModel } from './edge-offset.js';

/** Pulls nearly parallel neighbouring lines towards the lattice vertex instead of a far intersection. */
const REGULARIZE = 1e-3;

export interface AdjustedPolygon {
  /** Vertex positions, x,y pairs. */
  readonly vertices: Float64Array;
  /** Per edge (vertex i to i + 1): where the outline crosses it, x,y pairs. */
  readonly through: Float64Array;
}

/**
 * Adjusted positions of the polygon `vertices` (increasing corner indices in
 * ring order, counted past `m` where they wrap, as `optimalPolygon` returns
 * them) of the ring with `m` corners at `points[2 * from ..]`. `model` null
 * keeps edges on the lattice.
 */
export function adjustVertices(
  points: Int32Array,
  from: number,
  m: number,
  vertices: Int32Array,
  model: EdgeModel | null,
): AdjustedPolygon {
  const nv = vertices.length;
  // Per segment: centroid (cx, cy), unit normal (nx, ny), and the offset of its middle half from the line.
  const line = new Float64Array(5 * nv);
  const ox = points[2 * from];
  const oy = points[2 * from + 1];
  for (let s = 0; s < nv; s++) {
    const a = vertices[s];
    const b = s + 1 < nv ? vertices[s + 1] : vertices[0] + m;
    let edges = 0;
    for (let k = a; k < b; k++) {
      const q = from + ((k + 1) % m);
      edges +=
        Math.abs(points[2 * q] - points[2 * (from + (k % m))]) +
        Math.abs(points[2 * q + 1] - points[2 * (from + (k % m)) + 1]);
    }
    const midFrom = edges / 4;
    const midTo = (3 * edges) / 4;
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    let nm = 0;
    let mxs = 0;
    let mys = 0;
    for (let k = a; k < b; k++) {
      const px = points[2 * (from + (k % m))];
      const py = points[2 * (from + (k % m)) + 1];
      const q = from + ((k + 1) % m);
      const dx = Math.sign(points[2 * q] - px);
      const dy = Math.sign(points[2 * q + 1] - py);
      const len = Math.abs(points[2 * q] - px) + Math.abs(points[2 * q + 1] - py);
      for (let t = 0; t < len; t++) {
        let mx = px + (t + 0.5) * dx;
        let my = py + (t + 0.5) * dy;
        if (model) {
          // Ink is on the right of the direction of travel, (-dy, dx); paper on the left, (dy, -dx).
          const o = edgeOffset(
            model,
            Math.floor(mx - 0.5 * dy),
            Math.floor(my + 0.5 * dx),
            Math.floor(mx + 0.5 * dy),
            Math.floor(my - 0.5 * dx),
          );
          mx += o * dy;
          my -= o * dx;
        }
        mx -= ox;
        my -= oy;
        if (n >= midFrom && n < midTo) {
          nm++;
          mxs += mx;
          mys += my;
        }
        n++;
        sx += mx;
        sy += my;
        sxx += mx * mx;
        sxy += mx * my;
        syy += my * my;
      }
    }
    const cx = sx / n;
    const cy = sy / n;
    const vxx = sxx / n - cx * cx;
    const vxy = sxy / n - cx * cy;
    const vyy = syy / n - cy * cy;
    let ux: number;
    let uy: number;
    if (Math.hypot(vxx - vyy, 2 * vxy) > 1e-9) {
      const theta = 0.5 * Math.atan2(2 * vxy, vxx - vyy);
      ux = Math.cos(theta);
      uy = Math.sin(theta);
    } else {
      // One edge, or points without a main direction: the segment's own direction.
      const bx = points[2 * (from + (b % m))] - points[2 * (from + (a % m))];
      const by = points[2 * (from + (b % m)) + 1] - points[2 * (from + (a % m)) + 1];
      const len = Math.hypot(bx, by);
      ux = bx / len;
      uy = by / len;
    }
    line[5 * s] = cx + ox;
    line[5 * s + 1] = cy + oy;
    line[5 * s + 2] = -uy;
    line[5 * s + 3] = ux;
    // Too few edges for a middle to mean anything: cross at the plain midpoint.
    line[5 * s + 4] = nm >= 3 ? -uy * (mxs / nm - cx) + ux * (mys / nm - cy) : 0;
  }

  const radius = model ? 1 : 0.5;
  const out = new Float64Array(2 * nv);
  for (let v = 0; v < nv; v++) {
    const vx = points[2 * (from + (vertices[v] % m))];
    const vy = points[2 * (from + (vertices[v] % m)) + 1];
    // Quadratic form Q(p) = p'Ap - 2b'p from the two lines and the regularizer, centred on the vertex.
    let a00 = REGULARIZE;
    let a01 = 0;
    let a11 = REGULARIZE;
    let b0 = 0;
    let b1 = 0;
    for (const s of [(v + nv - 1) % nv, v]) {
      const nx = line[5 * s + 2];
      const ny = line[5 * s + 3];
      const c = nx * (line[5 * s] - vx) + ny * (line[5 * s + 1] - vy);
      a00 += nx * nx;
      a01 += nx * ny;
      a11 += ny * ny;
      b0 += nx * c;
      b1 += ny * c;
    }
    const [px, py] = minimizeInBox(a00, a01, a11, b0, b1, radius);
    out[2 * v] = vx + px;
    out[2 * v + 1] = vy + py;
  }
  const through = new Float64Array(2 * nv);
  for (let s = 0; s < nv; s++) {
    const t = (s + 1) % nv;
    const lift = line[5 * s + 4];
    through[2 * s] = (out[2 * s] + out[2 * t]) / 2 + lift * line[5 * s + 2];
    through[2 * s + 1] = (out[2 * s + 1] + out[2 * t + 1]) / 2 + lift * line[5 * s + 3];
  }
  return { vertices: out, through };
}

/** Minimises p'Ap - 2b'p over the box |px|, |py| <= r (A positive definite). */
function minimizeInBox(
  a00: number,
  a01: number,
  a11: number,
  b0: number,
  b1: number,
  r: number,
): [number, number] {
  const det = a00 * a11 - a01 * a01;
  const x = (a11 * b0 - a01 * b1) / det;
  const y = (a00 * b1 - a01 * b0) / det;
  if (Math.abs(x) <= r && Math.abs(y) <= r) return [x, y];
  const q = (px: number, py: number): number =>
    a00 * px * px + 2 * a01 * px * py + a11 * py * py - 2 * (b0 * px + b1 * py);
  const clamp = (t: number): number => (t < -r ? -r : t > r ? r : t);
  let best: [number, number] = [0, 0];
  let bestQ = Infinity;
  for (const side of [-r, r]) {
    // Edge x = side: minimise over y; edge y = side: minimise over x.
    const ey = clamp((b1 - a01 * side) / a11);
    const ex = clamp((b0 - a01 * side) / a00);
    const qy = q(side, ey);
    if (qy < bestQ) [best, bestQ] = [[side, ey], qy];
    const qx = q(ex, side);
    if (qx < bestQ) [best, bestQ] = [[ex, side], qx];
  }
  return best;
}
