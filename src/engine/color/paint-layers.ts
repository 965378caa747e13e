/**
 * The output layers, one `<path>` per colour, in paint order. Colours are
 * painted in order of decreasing total area (the background first), which
 * with `stacked` layering lets big shapes run under the smaller ones drawn
 * on top of them (see stack-set.ts and layer-outline.ts). Each layer is yielded as soon as it
 * is written, so the pipeline can stream it.
 */
import { writePathData } from '../geometry/path-data.js';
import type { Layering } from '../options.js';
import type { Layer, TraceEvent } from '../types.js';
import type { Chains } from './boundary-graph.js';
import type { FittedChains } from './fit-chains.js';
import { chainIncidence, outlineRings } from './layer-outline.js';
import type { Palette } from './palette.js';
import type { Regions } from './regions.js';
import { ringCurves } from './ring-curves.js';
import { layerShapes } from './layer-shapes.js';
import type { Shape } from '../geometry/shape-fit.js';

function roundShape(s: Shape, precision: number): Shape {
  const r = (v: number) => +v.toFixed(precision);
  return { kind: s.kind, cx: r(s.cx), cy: r(s.cy), rx: r(s.rx), ry: r(s.ry), angle: +s.angle.toFixed(1) };
}
import { outsideRegions, stackedSet, type StackContext } from './stack-set.js';

export function hexColor(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, '0')}`;
}

/**
 * Palette indices that occur, most area first (ties: lower index).
 * Translucent entries (`alpha` below 1) come before every opaque one: they
 * lie where nothing opaque is, so order does not change the picture, and
 * painted first they can run under their opaque neighbours.
 */
export function paintOrder(regions: Regions, paletteSize: number, alpha?: Float64Array): number[] {
  const area = new Float64Array(paletteSize);
  for (let r = 0; r < regions.count; r++) area[regions.color[r]] += regions.area[r];
  const order: number[] = [];
  for (let c = 0; c < paletteSize; c++) if (area[c] > 0) order.push(c);
  const seeThrough = (c: number) => (alpha && alpha[c] < 1 ? 0 : 1);
  return order.sort((a, b) => seeThrough(a) - seeThrough(b) || area[b] - area[a] || a - b);
}

export interface PaintSettings {
  readonly layering: Layering;
  /** Fit tolerance (px) for true shapes; 0 or absent: no shapes. */
  readonly shapeTolerance?: number;
  /** Image size, for true shapes (an outline along the border is clipped, not a shape). */
  readonly width?: number;
  readonly height?: number;
  readonly precision: number;
  /** Progress reported before the first layer and after the last. */
  readonly progressFrom: number;
  readonly progressTo: number;
}

export function* paintLayers(
  regions: Regions,
  chains: Chains,
  fit: FittedChains,
  palette: Palette,
  settings: PaintSettings,
): Generator<TraceEvent, void, undefined> {
  const order = paintOrder(regions, palette.size, palette.alpha);
  const rank = new Int32Array(palette.size).fill(-1);
  order.forEach((c, i) => (rank[c] = i));
  const incidence = chainIncidence(chains, regions.count);
  const byColour: number[][] = Array.from({ length: palette.size }, () => []);
  for (let r = 0; r < regions.count; r++) byColour[regions.color[r]].push(r);
  const inSet = new Uint8Array(regions.count);
  const stacked = settings.layering === 'stacked';
  const regionRank = Int32Array.from(regions.color, (c) => rank[c]);
  const ctx: StackContext = {
    chains,
    incidence,
    regionRank,
    touchesOutside: outsideRegions(chains, regions.count),
    seen: new Int32Array(regions.count),
    floods: { last: 0 },
    translucent: palette.alpha
      ? Uint8Array.from(regions.color, (c) => (palette.alpha![c] < 1 ? 1 : 0))
      : undefined,
  };

  for (let i = 0; i < order.length; i++) {
    const colour = order[i];
    let members = byColour[colour];
    if (stacked) members = stackedSet(ctx, members, i, inSet);
    else for (const r of members) inSet[r] = 1;
    const rings = outlineRings(chains, incidence, members, inSet);
    for (const r of members) inSet[r] = 0;
    let curves = ringCurves(fit, rings, settings.precision);
    let shapes: Shape[] = [];
    if (stacked && settings.shapeTolerance) {
      const split = layerShapes(
        curves,
        settings.shapeTolerance,
        settings.precision,
        settings.width ?? Infinity,
        settings.height ?? Infinity,
      );
      curves = split.curves;
      shapes = split.shapes.map((s) => roundShape(s, settings.precision));
    }
    const path = writePathData(curves, settings.precision);
    const progress =
      settings.progressFrom + ((settings.progressTo - settings.progressFrom) * (i + 1)) / order.length;
    if (path.subpaths === 0 && shapes.length === 0) continue;
    const opacity = palette.alpha ? palette.alpha[colour] : 1;
    const layer: Layer = {
      fill: hexColor(palette.rgb[colour]),
      ...(opacity < 1 ? { opacity } : {}),
      d: path.d,
      fillRule: 'nonzero',
      nodes: path.nodes,
      subpaths: path.subpaths,
      ...(shapes.length ? { shapes } : {}),
    };
    yield { kind: 'layer', layer, progress };
  }
}
