/**
 * The centerline tracer: ink mask (the binary tracer's threshold) ->
 * distance transform -> thick areas split off (a morphological opening by
 * a disc of THICK_RADIUS) and traced as filled outlines by the binary tracer
 * -> thinning to a skeleton -> graph of ends and junctions, short spurs
 * pruned -> each edge split at corners, smoothed and fitted with
 * geometry's cubic fitter -> stroked open and closed paths, one `<path>`
 * per stroke-width class, with round caps and joins.
 */
import type { ResolvedOptions } from '../options.js';
import type { Layer, Raster, TraceEvent } from '../types.js';
import { CurveBuilder } from '../geometry/curves.js';
import { fitCubics } from '../geometry/fit-cubic.js';
import { writePathData } from '../geometry/path-data.js';
import { inkLuma } from '../binary/luminance.js';
import { inkMask } from '../binary/ink-mask.js';
import { INK, traceBinary } from '../binary/trace-binary.js';
import { distanceTo } from './distance.js';
import { coverageField, offsetAcross, reach, widthAcross, type CoverageField } from './coverage.js';
import { thin } from './thinning.js';
import { buildGraph, type SkeletonGraph } from './skeleton-graph.js';

/**
 * Half-width (px) above which ink is an area, not a stroke: ink that a disc
 * of this radius fits into is filled (strokes wider than about 2 x 6 px).
 */
export const THICK_RADIUS = 6;
/** Stroke widths are rounded to this step (px), so paths of similar width share one `<path>`. */
export const WIDTH_STEP = 0.5;

/** Strokes within this many px of the drawing's common width are drawn at that width. */
export const COMMON_SPREAD = 0.75;

/**
 * The width most of the drawing's ink is drawn with: the length-weighted
 * median of the strokes' widths, to 0.1 px (0 when there are no strokes).
 * A pen drawing has one width; measuring each short stroke alone and
 * rounding it to WIDTH_STEP scatters it by a quarter of a pixel.
 */
export function commonWidth(strokes: readonly StrokePath[]): number {
  const items = strokes.map((s) => {
    let len = 0;
    for (let i = 2; i < s.points.length; i += 2)
      len += Math.hypot(s.points[i] - s.points[i - 2], s.points[i + 1] - s.points[i - 1]);
    return { w: s.width, len: Math.max(len, 0.5) };
  });
  items.sort((a, b) => a.w - b.w);
  const total = items.reduce((a, b) => a + b.len, 0);
  let acc = 0;
  for (const it of items) {
    acc += it.len;
    if (acc >= total / 2) return Math.round(it.w * 10) / 10;
  }
  return 0;
}

export interface StrokePath {
  /** x, y pairs; the first point is the start. */
  readonly points: Float64Array;
  readonly closed: boolean;
  /** Stroke width in px. */
  readonly width: number;
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
}

/** Spurs: edges from a line end to a junction that thinning leaves at corners and bumps of the outline. */
function pruneSpurs(
  graph: SkeletonGraph,
  skeleton: Uint8Array,
  dist: Float32Array,
  extent: (x: number, y: number, dx: number, dy: number) => number,
): boolean {
  let pruned = false;
  for (const e of graph.edges) {
    if (e.closed || e.from < 0) continue;
    const a = graph.nodes[e.from];
    const b = graph.nodes[e.to];
    const [end, junction] =
      a.degree === 1 && b.degree >= 3 ? [a, b] : b.degree === 1 && a.degree >= 3 ? [b, a] : [null, null];
    if (!end || !junction) continue;
    // Redundant when the ink it stands for lies within the junction's own round join: a short edge whose
    // ink, from the junction towards its end, goes no further than the stroke's half-width (+1 px).
    const reach = Math.max(...junction.pixels.map((p) => dist[p]));
    const len = Math.hypot(end.x - junction.x, end.y - junction.y);
    if (len === 0 || len > reach + 1 || e.pixels.length > 2 * reach + 2) continue;
    const beyond = extent(junction.x, junction.y, (end.x - junction.x) / len, (end.y - junction.y) / len);
    if (beyond <= reach + 1) {
      for (const p of e.pixels) skeleton[p] = 0;
      for (const p of end.pixels) skeleton[p] = 0;
      pruned = true;
    }
  }
  return pruned;
}

/**
 * Zhang-Suen erases a blob of 2x2 pixels entirely, so a small dot would
 * vanish: every 8-connected ink component left with no skeleton pixel gets
 * one back, at its deepest pixel.
 */
function keepDots(ink: Uint8Array, skeleton: Uint8Array, dist: Float32Array, w: number, h: number): void {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  for (let i = 0; i < w * h; i++) {
    if (!ink[i] || seen[i]) continue;
    let hasSkeleton = false;
    let deepest = i;
    seen[i] = 1;
    stack.push(i);
    while (stack.length) {
      const p = stack.pop()!;
      if (skeleton[p]) hasSkeleton = true;
      if (dist[p] > dist[deepest]) deepest = p;
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (ink[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    if (!hasSkeleton) skeleton[deepest] = 1;
  }
}

/** Indices of corners along a polyline: turns sharper than `turnDeg` over `k` points on either side, local maxima. */
export function cornerIndices(pts: Float64Array, k: number, turnDeg: number): number[] {
  const n = pts.length / 2;
  const turn = new Float64Array(n);
  for (let i = k; i < n - k; i++) {
    const ax = pts[2 * i] - pts[2 * (i - k)];
    const ay = pts[2 * i + 1] - pts[2 * (i - k) + 1];
    const bx = pts[2 * (i + k)] - pts[2 * i];
    const by = pts[2 * (i + k) + 1] - pts[2 * i + 1];
    turn[i] = Math.abs(Math.atan2(ax * by - ay * bx, ax * bx + ay * by));
  }
  const limit = (turnDeg * Math.PI) / 180;
  const out: number[] = [];
  for (let i = k; i < n - k; i++) {
    if (turn[i] < limit) continue;
    let best = true;
    for (let j = Math.max(0, i - k); j <= Math.min(n - 1, i + k); j++) {
      if (turn[j] > turn[i] || (turn[j] === turn[i] && j < i)) best = false;
    }
    if (best) out.push(i);
  }
  return out;
}

/**
 * Thinning cuts a corner off along its diagonal; the corner is where the
 * straight runs on either side meet. Lines through the points k..2k before
 * and after the corner are intersected, and the corner point moves there
 * when that is within 1.5 k of it (a shallow turn's intersection is far
 * away and is not taken).
 */
function sharpenCorner(pts: Float64Array, prev: number, c: number, next: number, k: number): void {
  const a0 = Math.max(prev, c - 2 * k);
  const a1 = Math.max(prev, c - Math.ceil(k / 2));
  const b0 = Math.min(next, c + Math.ceil(k / 2));
  const b1 = Math.min(next, c + 2 * k);
  if (a1 - a0 < 1 || b1 - b0 < 1) return;
  const [ax, ay] = [pts[2 * a1], pts[2 * a1 + 1]];
  const [dx, dy] = [pts[2 * a1] - pts[2 * a0], pts[2 * a1 + 1] - pts[2 * a0 + 1]];
  const [bx, by] = [pts[2 * b0], pts[2 * b0 + 1]];
  const [ex, ey] = [pts[2 * b1] - pts[2 * b0], pts[2 * b1 + 1] - pts[2 * b0 + 1]];
  const den = dx * ey - dy * ex;
  if (Math.abs(den) < 1e-9) return;
  const t = ((bx - ax) * ey - (by - ay) * ex) / den;
  const x = ax + t * dx;
  const y = ay + t * dy;
  if (t <= 0 || Math.hypot(x - pts[2 * c], y - pts[2 * c + 1]) > 1.5 * k) return;
  pts[2 * c] = x;
  pts[2 * c + 1] = y;
}

/** [1 2 1]/4 smoothing, once (each pass pulls a curve inwards), of points first..last with both ends fixed. */
function smooth(pts: Float64Array, first: number, last: number): void {
  for (let pass = 0; pass < 1; pass++) {
    let px = pts[2 * first];
    let py = pts[2 * first + 1];
    for (let i = first + 1; i < last; i++) {
      const x = pts[2 * i];
      const y = pts[2 * i + 1];
      pts[2 * i] = (px + 2 * x + pts[2 * i + 2]) / 4;
      pts[2 * i + 1] = (py + 2 * y + pts[2 * i + 3]) / 4;
      px = x;
      py = y;
    }
  }
}

/**
 * The strokes of the skeleton: each edge (and each closed loop) with its
 * width from the distance transform, the parts inside thick areas left out
 * (but one pixel into them, so the stroke's round cap overlaps the fill).
 */
export function skeletonStrokes(
  ink: Uint8Array,
  thick: Uint8Array,
  dist: Float32Array,
  w: number,
  h: number,
  cover: CoverageField | null = null,
): StrokePath[] {
  // The deep inside of thick areas (filled, not stroked) is left out of the thinning: it bounds the
  // number of thinning rounds by the stroke width instead of the largest blob, and only adds skeleton
  // inside thick areas, which strokes leave out anyway.
  const thinnable = ink.slice();
  for (let i = 0; i < w * h; i++) if (dist[i] > THICK_RADIUS + 2) thinnable[i] = 0;
  const skeleton = thin(thinnable, w, h);
  keepDots(ink, skeleton, dist, w, h);
  let graph = buildGraph(skeleton, w, h);
  // How far the ink goes from a point in a direction: the coverage's half level, or the mask's last ink pixel.
  const extent = (x: number, y: number, dx: number, dy: number): number => {
    if (cover) return reach(cover, x, y, dx, dy, 64);
    let t = 0;
    for (; t < 64; t += 0.5) {
      const px = Math.floor(x + dx * (t + 0.5));
      const py = Math.floor(y + dy * (t + 0.5));
      if (px < 0 || py < 0 || px >= w || py >= h || !ink[py * w + px]) break;
    }
    return t;
  };
  for (let round = 0; round < 3 && pruneSpurs(graph, skeleton, dist, extent); round++)
    graph = buildGraph(skeleton, w, h);
  const out: StrokePath[] = [];
  for (const node of graph.nodes) {
    // A lone dot.
    if (node.degree === 0 && !thick[node.pixels[0]]) {
      out.push({
        points: Float64Array.of(node.x, node.y, node.x, node.y),
        closed: false,
        width: Math.max(1, 2 * dist[node.pixels[0]] - 0.5),
      });
    }
  }
  for (const e of graph.edges) {
    // Per point of e.points: its pixel (the node's first pixel at the ends).
    const pix: number[] = [];
    if (e.from >= 0) pix.push(graph.nodes[e.from].pixels[0]);
    pix.push(...e.pixels);
    if (e.to >= 0) pix.push(graph.nodes[e.to].pixels[0]);
    else if (e.closed) pix.push(e.pixels[0]);
    const n = pix.length;
    let i = 0;
    while (i < n) {
      while (i < n && thick[pix[i]]) i++;
      if (i >= n) break;
      let j = i;
      while (j + 1 < n && !thick[pix[j + 1]]) j++;
      const a = Math.max(0, i - 1);
      const b = Math.min(n - 1, j + 1);
      const whole = i === 0 && j === n - 1;
      const points = e.points.slice(2 * a, 2 * b + 2);
      const openFrom = a === 0 && e.from >= 0 && graph.nodes[e.from].degree === 1;
      const openTo = b === n - 1 && e.to >= 0 && graph.nodes[e.to].degree === 1;
      const width = strokeWidth(points, pix.slice(a, b + 1), dist, cover, openFrom, openTo);
      if (b > a || whole) {
        if (cover) extendEnds(points, width, openFrom, openTo, cover);
        out.push({ points, closed: e.closed && whole, width });
      }
      i = j + 1;
    }
  }
  return out;
}

/**
 * A stroke's width: with grey levels, the median of the coverage summed
 * across the stroke at its points away from the ends (sub-pixel); else from
 * the distance transform (2 x distance - 0.5, within half a pixel).
 */
function strokeWidth(
  points: Float64Array,
  pix: number[],
  dist: Float32Array,
  cover: CoverageField | null,
  openStart = false,
  openEnd = false,
): number {
  const n = points.length / 2;
  const fromDist = Math.max(1, 2 * median(pix.map((p) => dist[p])) - 0.5);
  let length = 0;
  for (let i = 1; i < n; i++)
    length += Math.hypot(points[2 * i] - points[2 * i - 2], points[2 * i + 1] - points[2 * i - 1]);
  if (!cover || n < 2 || (n < 3 && !(openStart && openEnd))) return fromDist;
  // Across a stub shorter than its own width the normal runs into the stroke it leaves: no measure there.
  // A short dash free at both ends leaves no stroke: it is measured across its middle points (the
  // distance transform's whole pixels would be up to half a pixel off).
  if (length < 1.5 * fromDist) return openStart && openEnd ? dashWidth(points, cover, fromDist) : fromDist;
  const widths: number[] = [];
  const skip = Math.min(Math.floor((n - 1) / 3), Math.ceil(fromDist / 2));
  for (let i = Math.max(1, skip); i < n - Math.max(1, skip); i++) {
    const tx = points[2 * i + 2] - points[2 * i - 2];
    const ty = points[2 * i + 3] - points[2 * i - 1];
    const len = Math.hypot(tx, ty);
    if (len === 0) continue;
    widths.push(widthAcross(cover, points[2 * i], points[2 * i + 1], -ty / len, tx / len, 2 * fromDist + 2));
  }
  // Thinning keeps whole pixels: an even-width stroke's skeleton is half a pixel off its middle. Each
  // point away from the ends moves to the coverage-weighted middle across the stroke (at most 1 px).
  // A free line end has no other branch near it: it is recentred too (junction ends stay where the
  // branches meet).
  const moved = new Float64Array(points.length);
  moved.set(points);
  const from = openStart ? 0 : Math.max(1, skip);
  const to = openEnd ? n : n - Math.max(1, skip);
  for (let i = from; i < to; i++) {
    const a = Math.max(0, i - 1);
    const b = Math.min(n - 1, i + 1);
    const tx = points[2 * b] - points[2 * a];
    const ty = points[2 * b + 1] - points[2 * a + 1];
    const len = Math.hypot(tx, ty);
    if (len === 0) continue;
    const nx = -ty / len;
    const ny = tx / len;
    const off = Math.max(
      -1,
      Math.min(1, offsetAcross(cover, points[2 * i], points[2 * i + 1], nx, ny, 2 * fromDist + 2)),
    );
    moved[2 * i] += off * nx;
    moved[2 * i + 1] += off * ny;
  }
  points.set(moved);
  return widths.length ? Math.max(0.5, median(widths)) : fromDist;
}

/** A short free dash's width: the median of the coverage summed across it at its inner points. */
function dashWidth(points: Float64Array, cover: CoverageField, fromDist: number): number {
  const n = points.length / 2;
  const widths: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const tx = points[2 * i + 2] - points[2 * i - 2];
    const ty = points[2 * i + 3] - points[2 * i - 1];
    const len = Math.hypot(tx, ty);
    if (len === 0) continue;
    widths.push(widthAcross(cover, points[2 * i], points[2 * i + 1], -ty / len, tx / len, 2 * fromDist + 2));
  }
  if (n === 2) {
    // Two points only: measured across their midpoint.
    const tx = points[2] - points[0];
    const ty = points[3] - points[1];
    const len = Math.hypot(tx, ty);
    const [mx, my] = [(points[0] + points[2]) / 2, (points[1] + points[3]) / 2];
    if (len > 0) widths.push(widthAcross(cover, mx, my, -ty / len, tx / len, 2 * fromDist + 2));
  }
  // Free at both ends, the whole dash moves to the ink's middle across it, as longer strokes do (an
  // even-width stroke's pixel skeleton is half a pixel off): by the median offset, at most 1 px.
  const offs: number[] = [];
  const tx = points[2 * n - 2] - points[0];
  const ty = points[2 * n - 1] - points[1];
  const tl = Math.hypot(tx, ty);
  if (tl > 0) {
    const nx = -ty / tl;
    const ny = tx / tl;
    for (let i = 0; i < n; i++)
      offs.push(offsetAcross(cover, points[2 * i], points[2 * i + 1], nx, ny, 2 * fromDist + 2));
    const off = Math.max(-1, Math.min(1, median(offs)));
    for (let i = 0; i < n; i++) {
      points[2 * i] += off * nx;
      points[2 * i + 1] += off * ny;
    }
  }
  return widths.length ? Math.max(0.5, median(widths)) : fromDist;
}

/**
 * Thinning stops a line short of its end; the round cap of the stroke covers
 * half its width past the last point. Moves an open end on along its
 * direction so the cap ends where the ink does.
 */
function extendEnds(
  points: Float64Array,
  width: number,
  atStart: boolean,
  atEnd: boolean,
  cover: CoverageField,
): void {
  const n = points.length / 2;
  if (n < 2) return;
  const back = Math.min(n - 1, 3);
  const move = (i: number, j: number): void => {
    const dx = points[2 * i] - points[2 * j];
    const dy = points[2 * i + 1] - points[2 * j + 1];
    const len = Math.hypot(dx, dy);
    if (len === 0) return;
    const ux = dx / len;
    const uy = dy / len;
    const extra = reach(cover, points[2 * i], points[2 * i + 1], ux, uy, 2 * width + 2) - width / 2;
    if (extra <= 0) return;
    points[2 * i] += ux * extra;
    points[2 * i + 1] += uy * extra;
  };
  if (atStart) move(0, back);
  if (atEnd) move(n - 1, n - 1 - back);
}

/**
 * A closed loop (last point = first) rotated to start at its sharpest turn,
 * so a corner there is kept (the fit starts and ends on it) and every other
 * corner is away from the ends, where corner detection sees it. The start,
 * when it is a corner, is sharpened like the others (over the wrap).
 */
function startAtSharpest(loop: Float64Array, k: number, cornerTurn: number): Float64Array {
  const m = loop.length / 2 - 1;
  if (m < 2 * k + 1) return loop.slice();
  const at = (i: number, c: number) => loop[2 * (((i % m) + m) % m) + c];
  let best = 0;
  let bestTurn = -1;
  for (let i = 0; i < m; i++) {
    const ax = at(i, 0) - at(i - k, 0);
    const ay = at(i, 1) - at(i - k, 1);
    const bx = at(i + k, 0) - at(i, 0);
    const by = at(i + k, 1) - at(i, 1);
    const turn = Math.abs(Math.atan2(ax * by - ay * bx, ax * bx + ay * by));
    if (turn > bestTurn) {
      bestTurn = turn;
      best = i;
    }
  }
  // The loop unrolled from `best - 2k` to `best + m + 2k`, so the start corner has runs on both sides.
  const span = 2 * k;
  const ext = new Float64Array(2 * (m + 1 + 2 * span));
  for (let j = 0; j < m + 1 + 2 * span; j++) {
    ext[2 * j] = at(best - span + j, 0);
    ext[2 * j + 1] = at(best - span + j, 1);
  }
  if (bestTurn >= (cornerTurn * Math.PI) / 180) sharpenCorner(ext, 0, span, span + m, k);
  const out = ext.slice(2 * span, 2 * (span + m + 1));
  out[2 * m] = out[0];
  out[2 * m + 1] = out[1];
  return out;
}

/** Fits a stroke's polyline into `builder`: corners kept, smooth elsewhere. */
function fitStroke(
  stroke: StrokePath,
  tolerance: number,
  cornerTurn: number,
  builder: CurveBuilder,
  unit = 0.1,
): number {
  const k = Math.max(2, Math.min(6, Math.round(stroke.width)));
  const pts = stroke.closed ? startAtSharpest(stroke.points, k, cornerTurn) : stroke.points.slice();
  const n = pts.length / 2;
  builder.moveTo(pts[0], pts[1]);
  if (n === 2) {
    // A dot: a zero-length line would be dropped from the path data, so one unit of the precision long.
    const dot = pts[0] === pts[2] && pts[1] === pts[3];
    builder.lineTo(pts[2] + (dot ? unit : 0), pts[3]);
    return 1;
  }
  const corners = cornerIndices(pts, k, cornerTurn);
  const cuts = [0, ...corners, n - 1];
  for (let c = 1; c + 1 < cuts.length; c++) sharpenCorner(pts, cuts[c - 1], cuts[c], cuts[c + 1], k);
  let segments = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const first = cuts[c];
    const last = cuts[c + 1];
    if (last - first >= 2) smooth(pts, first, last);
    fitCubics(pts, first, last, tolerance, {
      lineTo: (x, y) => {
        builder.lineTo(x, y);
        segments++;
      },
      cubicTo: (x1, y1, x2, y2, x, y) => {
        builder.cubicTo(x1, y1, x2, y2, x, y);
        segments++;
      },
    });
  }
  if (stroke.closed) builder.close();
  return segments;
}

export function* traceCenterline(
  raster: Raster,
  options: ResolvedOptions,
): Generator<TraceEvent, void, undefined> {
  const { width: w, height: h } = raster;
  yield { kind: 'stage', stage: 'threshold', progress: 0 };
  const luma = inkLuma(raster, options.transparentAsBackground, options.invert);
  const mask = inkMask(luma, w, h, options.threshold, options.invert);
  const ink = mask.mask;
  const cover = mask.subpixel ? coverageField(luma, w, h, mask.inkLevel, mask.paperLevel) : null;

  yield { kind: 'stage', stage: 'distance', progress: 0.1 };
  const dist = distanceTo(ink, w, h, 0);
  const core = new Uint8Array(w * h);
  let anyCore = false;
  for (let i = 0; i < w * h; i++) {
    if (dist[i] > THICK_RADIUS) {
      core[i] = 1;
      anyCore = true;
    }
  }
  const thick = new Uint8Array(w * h);
  if (anyCore) {
    const toCore = distanceTo(core, w, h, 1);
    for (let i = 0; i < w * h; i++) if (ink[i] && toCore[i] <= THICK_RADIUS + 0.5) thick[i] = 1;
  }

  if (anyCore) {
    yield { kind: 'stage', stage: 'areas', progress: 0.2 };
    // The thick areas alone, as a bilevel raster for the binary tracer: filled outlines.
    const data = new Uint8ClampedArray(w * h * 4).fill(255);
    for (let i = 0; i < w * h; i++) if (thick[i]) data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = 0;
    const areaOptions: ResolvedOptions = {
      ...options,
      mode: 'binary',
      threshold: 128,
      invert: false,
      transparentAsBackground: false,
    };
    for (const ev of traceBinary({ width: w, height: h, data }, areaOptions)) {
      if (ev.kind === 'layer') yield { kind: 'layer', layer: ev.layer, progress: 0.4 };
    }
  }

  yield { kind: 'stage', stage: 'skeleton', progress: 0.4 };
  const strokes = skeletonStrokes(ink, thick, dist, w, h, cover);

  yield { kind: 'stage', stage: 'curves', progress: 0.7 };
  const tolerance = Math.max(0.1, options.curveTolerance);
  const cornerTurn = Math.min(170, Math.max(20, options.cornerThreshold));
  const common = commonWidth(strokes);
  const classes = new Map<number, StrokePath[]>();
  for (const s of strokes) {
    const cls =
      common > 0 && Math.abs(s.width - common) <= COMMON_SPREAD
        ? common
        : Math.max(WIDTH_STEP, Math.round(s.width / WIDTH_STEP) * WIDTH_STEP);
    let list = classes.get(cls);
    if (!list) classes.set(cls, (list = []));
    list.push(s);
  }
  const widths = [...classes.keys()].sort((a, b) => b - a);
  let done = 0;
  for (const width of widths) {
    const builder = new CurveBuilder();
    for (const s of classes.get(width)!)
      fitStroke(s, tolerance, cornerTurn, builder, 10 ** -options.precision);
    const path = writePathData(builder.finish(), options.precision);
    done++;
    if (path.subpaths === 0) continue;
    const layer: Layer = {
      fill: 'none',
      stroke: INK,
      strokeWidth: width,
      d: path.d,
      fillRule: 'nonzero',
      nodes: path.nodes,
      subpaths: path.subpaths,
    };
    yield { kind: 'layer', layer, progress: 0.7 + (0.3 * done) / widths.length };
  }
}
