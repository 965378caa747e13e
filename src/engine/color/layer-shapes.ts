/**
 * True shapes in a layer (`shapes: 'auto'`, stacked layering): each outer
 * ring of the layer's outline that a circle or an ellipse fits within the
 * fit tolerance (geometry/shape-fit.ts) leaves the path and becomes that
 * element, with its exact centre, radii and rotation, unless one of the
 * layer's holes lies inside it (a hole must stay in the same path as its
 * outer ring to be cut out). A ring, outer or hole, that a rectangle fits
 * stays in the path as the exact rectangle: four lines, which the path
 * writer makes shorter than a `<rect>` element. Either is kept only where
 * it takes fewer bytes than the fitted outline it replaces.
 *
 * In stacked layering a layer's outline borders only layers painted before
 * it, which run under it, so replacing a fitted outline by the exact shape
 * (within the tolerance of it) opens no seam: what shows in the sliver
 * between them is the neighbour's own colour.
 */
import { CurveBuilder, LINE, MOVE, QUAD, CUBIC, CLOSE, type Curves } from '../geometry/curves.js';
import { writePathData } from '../geometry/path-data.js';
import {
  fitShape,
  insideShape,
  polygonArea,
  sampleSubpath,
  subpaths,
  type Shape,
  type Subpath,
} from '../geometry/shape-fit.js';

export interface LayerShapes {
  /** Circles and ellipses, out of the path. */
  readonly shapes: Shape[];
  /** Everything else, rectangles made exact. */
  readonly curves: Curves;
}

function copySubpath(
  curves: Curves,
  cmdFrom: number,
  cmdTo: number,
  ptFrom: number,
  out: CurveBuilder,
): void {
  const { cmds, pts } = curves;
  let p = ptFrom;
  for (let i = cmdFrom; i < cmdTo; i++) {
    const c = cmds[i];
    if (c === MOVE) out.moveTo(pts[p], pts[p + 1]);
    else if (c === LINE) out.lineTo(pts[p], pts[p + 1]);
    else if (c === CUBIC) out.cubicTo(pts[p], pts[p + 1], pts[p + 2], pts[p + 3], pts[p + 4], pts[p + 5]);
    else if (c === QUAD) out.quadTo(pts[p], pts[p + 1], pts[p + 2], pts[p + 3]);
    else if (c === CLOSE) out.close();
    p += c === MOVE || c === LINE ? 2 : c === CUBIC ? 6 : c === QUAD ? 4 : 0;
  }
}

/** The rectangle's corners, wound like an outline of signed area `sign`. */
function rectRing(s: Shape, sign: number, out: CurveBuilder): void {
  const t = (s.angle * Math.PI) / 180;
  const c = Math.cos(t);
  const n = Math.sin(t);
  const corners = [
    [-s.rx, -s.ry],
    [s.rx, -s.ry],
    [s.rx, s.ry],
    [-s.rx, s.ry],
  ].map(([u, v]) => [s.cx + u * c - v * n, s.cy + u * n + v * c]);
  const flat = Float64Array.from(corners.flat());
  if (Math.sign(polygonArea(flat)) !== Math.sign(sign)) corners.reverse();
  out.moveTo(corners[0][0], corners[0][1]);
  for (let i = 1; i < 4; i++) out.lineTo(corners[i][0], corners[i][1]);
  out.close();
}

/** Bytes of one subpath as path data. */
function pathBytes(curves: Curves, s: Subpath, precision: number): number {
  const b = new CurveBuilder();
  copySubpath(curves, s.cmdFrom, s.cmdTo, s.ptFrom, b);
  return writePathData(b.finish(), precision).d.length;
}

/** Bytes of a shape as an element of its own (a share of the paint attributes and `<g>` included). */
function shapeBytes(shape: Shape, precision: number): number {
  const r = (v: number) => String(+v.toFixed(precision)).length;
  const base =
    shape.kind === 'circle'
      ? 24 + r(shape.cx) + r(shape.cy) + r(shape.rx)
      : 30 + r(shape.cx) + r(shape.cy) + r(shape.rx) + r(shape.ry);
  const rotate =
    shape.kind !== 'circle' && Math.abs(shape.angle) >= 0.05 ? 24 + r(shape.cx) + r(shape.cy) : 0;
  return base + rotate + 8;
}

/** True when some sample lies on the image border: such an outline is clipped, not a whole shape. */
function touchesBorder(p: Float64Array, width: number, height: number): boolean {
  for (let i = 0; i < p.length; i += 2) {
    if (p[i] <= 0.01 || p[i + 1] <= 0.01 || p[i] >= width - 0.01 || p[i + 1] >= height - 0.01) return true;
  }
  return false;
}

export function layerShapes(
  curves: Curves,
  tolerance: number,
  precision: number,
  width: number,
  height: number,
): LayerShapes {
  const subs = subpaths(curves);
  const samples = subs.map((s) => sampleSubpath(curves, s));
  const areas = samples.map(polygonArea);
  let outerSign = 0;
  let biggest = 0;
  for (const a of areas) {
    if (Math.abs(a) > biggest) {
      biggest = Math.abs(a);
      outerSign = Math.sign(a);
    }
  }
  const holes = areas.map((a, i) => (Math.sign(a) !== outerSign ? i : -1)).filter((i) => i >= 0);
  const shapes: Shape[] = [];
  const out = new CurveBuilder();
  subs.forEach((s, i) => {
    const shape =
      outerSign !== 0 && !touchesBorder(samples[i], width, height) ? fitShape(samples[i], tolerance) : null;
    // Kept only where it is shorter than the fitted outline.
    if (shape && shape.kind !== 'rect' && Math.sign(areas[i]) === outerSign) {
      const holeInside = holes.some((h) => insideShape(shape, samples[h][0], samples[h][1]));
      if (!holeInside && shapeBytes(shape, precision) < pathBytes(curves, s, precision)) {
        shapes.push(shape);
        return;
      }
    }
    if (shape && shape.kind === 'rect') {
      const rect = new CurveBuilder();
      rectRing(shape, areas[i], rect);
      const exact = rect.finish();
      if (writePathData(exact, precision).d.length <= pathBytes(curves, s, precision)) {
        rectRing(shape, areas[i], out);
        return;
      }
    }
    copySubpath(curves, s.cmdFrom, s.cmdTo, s.ptFrom, out);
  });
  return { shapes, curves: out.finish() };
}
