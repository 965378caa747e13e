/**
 * The pixel-art tracer: grid -> block colours -> one path per colour.
 *
 * `blocks` (exact): each colour's blocks are one mask on the block grid,
 * walked into rings by the binary tracer's decomposition (outer rings
 * clockwise, holes counter-clockwise, so the nonzero rule paints them
 * right); the corners map to the grid lines, so the outlines are
 * axis-aligned, on whole pixels and merged (no edge between two blocks of
 * one colour), and the colours tile the image exactly: no nibbles, no
 * slivers, no curves. Largest colour first.
 *
 * `smooth` (curves for users who want them; a simple method, not
 * Kopf-Lischinski's depixelization): each colour's mask is smoothed like a
 * binary image (potrace-style optimal polygon and corner/curve stage on the
 * block grid, curve tolerance in blocks), and the layers are stacked: a
 * colour's mask also covers every block of the colours painted after it
 * (smaller ones), so the lower layer runs under its neighbours and no gap
 * opens where two smoothed outlines disagree.
 */
import type { ResolvedOptions } from '../options.js';
import type { Raster, TraceEvent } from '../types.js';
import { decompose } from '../binary/decompose.js';
import { hexColor } from '../color/paint-layers.js';
import { tracePolygon } from '../binary/polygons.js';
import { smoothOutline } from '../binary/smooth-outline.js';
import { CurveBuilder, type Curves } from '../geometry/curves.js';
import { writePathData } from '../geometry/path-data.js';
import { cellColours, type Cells } from './cells.js';
import { detectGrid, estimateGrid, gridLines, type PixelGrid } from './grid.js';

export type PixelArtStyle = 'blocks' | 'smooth';

/** The grid to trace on: the exact one when the image has it, else (forced) an estimate. */
export function pixelGridFor(raster: Raster, forced: boolean): { grid: PixelGrid; exact: boolean } | null {
  const exact = detectGrid(raster);
  if (exact) return { grid: exact, exact: true };
  return forced ? { grid: estimateGrid(raster), exact: false } : null;
}

export function* tracePixelArt(
  raster: Raster,
  options: ResolvedOptions,
  found: { grid: PixelGrid; exact: boolean },
  style: PixelArtStyle,
): Generator<TraceEvent, void, undefined> {
  yield { kind: 'stage', stage: 'grid', progress: 0 };
  const xs = gridLines(found.grid.x, raster.width);
  const ys = gridLines(found.grid.y, raster.height);
  const cells = cellColours(raster, xs, ys, found.exact);
  const order = paintOrder(cells, options.transparentAsBackground);

  yield { kind: 'stage', stage: 'blocks', progress: 0.2 };
  const { cols, rows, index } = cells;
  const mask = new Uint8Array(cols * rows);
  const below = new Uint8Array(order.length === 0 ? 0 : cells.palette.length);
  for (let k = 0; k < order.length; k++) {
    const colour = order[k];
    if (style === 'smooth') {
      // Stacked: this colour and every colour painted after it.
      for (let j = k; j < order.length; j++) below[order[j]] = 1;
      for (let i = 0; i < mask.length; i++) mask[i] = below[index[i]];
      below.fill(0);
    } else {
      for (let i = 0; i < mask.length; i++) mask[i] = index[i] === colour ? 1 : 0;
    }
    const curves =
      style === 'smooth' ? smoothCurves(mask, cols, rows, options) : blockCurves(mask, cols, rows);
    const path = writePathData(toPixels(curves, xs, ys), options.precision);
    const key = cells.palette[colour];
    const alpha = key & 255;
    yield {
      kind: 'layer',
      layer: {
        fill: hexColor(key >>> 8),
        ...(alpha > 0 && alpha < 255 ? { opacity: alpha / 255 } : {}),
        d: path.d,
        fillRule: 'nonzero',
        nodes: path.nodes,
        subpaths: path.subpaths,
      },
      progress: 0.2 + (0.8 * (k + 1)) / order.length,
    };
  }
}

/**
 * Palette indices to paint, most blocks first (ties by index): fully
 * transparent blocks, and with `transparentAsBackground` blocks under half
 * opaque, are left unpainted.
 */
function paintOrder(cells: Cells, transparentAsBackground: boolean): number[] {
  const count = new Float64Array(cells.palette.length);
  for (const i of cells.index) count[i]++;
  const out: number[] = [];
  for (let c = 0; c < cells.palette.length; c++) {
    const alpha = cells.palette[c] & 255;
    if (alpha === 0 || (transparentAsBackground && alpha < 128)) continue;
    out.push(c);
  }
  return out.sort((a, b) => count[b] - count[a] || a - b);
}

/** The mask's rings as closed rectilinear subpaths, in block units. */
function blockCurves(mask: Uint8Array, cols: number, rows: number): Curves {
  const rings = decompose(mask, cols, rows);
  const b = new CurveBuilder();
  for (let r = 0; r + 1 < rings.start.length; r++) {
    const a = rings.start[r];
    b.moveTo(rings.points[2 * a], rings.points[2 * a + 1]);
    for (let k = a + 1; k < rings.start[r + 1]; k++) b.lineTo(rings.points[2 * k], rings.points[2 * k + 1]);
    b.close();
  }
  return b.finish();
}

/** The mask's rings smoothed like a binary image (no grey levels), in block units. */
function smoothCurves(mask: Uint8Array, cols: number, rows: number, options: ResolvedOptions): Curves {
  const rings = decompose(mask, cols, rows);
  const b = new CurveBuilder();
  const alphamax = options.cornerThreshold / 60;
  // The tolerance is in pixels; one block is many pixels, so keep it at a fraction of a block.
  const tolerance = Math.min(0.5, options.curveTolerance);
  for (let r = 0; r + 1 < rings.start.length; r++) {
    const poly = tracePolygon(rings, r, null);
    smoothOutline(poly.vertices, poly.through, alphamax, tolerance, b);
  }
  return b.finish();
}

/** Block-lattice coordinates to pixels: grid line i is at `lines[i]`, linear in between. */
function toPixels(curves: Curves, xs: Int32Array, ys: Int32Array): Curves {
  const pts = new Float64Array(curves.pts.length);
  const map = (v: number, lines: Int32Array) => {
    const i = Math.max(0, Math.min(lines.length - 2, Math.floor(v)));
    return lines[i] + (v - i) * (lines[i + 1] - lines[i]);
  };
  for (let p = 0; p < pts.length; p += 2) {
    pts[p] = map(curves.pts[p], xs);
    pts[p + 1] = map(curves.pts[p + 1], ys);
  }
  return { cmds: curves.cmds, pts };
}
