/**
 * Colour and grayscale tracer. Stages, each a pure function in its own file:
 * colour space (grey copy in grayscale mode) -> histogram and palette
 * (OKLab k-means++, sized by the error it leaves, which may be larger in
 * continuous-tone pictures) -> indexing -> anti-aliased blends to a
 * neighbour -> regions -> speckle merge -> boundary graph -> one fit per
 * chain -> layers, one `<path>` per colour, yielded in paint order as each
 * is finished.
 */
import type { ResolvedOptions } from '../options.js';
import type { Raster, TraceEvent } from '../types.js';
import { alphamaxFor } from '../binary/trace-binary.js';
import { chooseAlphaPalette, indexTranslucent, joinPalettes, type AlphaPalette } from './alpha-palette.js';
import { reassignBlends } from './antialias.js';
import { extractChains } from './boundary-graph.js';
import { chainTolerances } from './chain-tolerance.js';
import { CONTINUOUS_TONE, continuousToneShare } from './continuous-tone.js';
import { fitChains } from './fit-chains.js';
import { greyRaster } from './grey-raster.js';
import { buildHistogram } from './histogram.js';
import { indexPixels } from './index-pixels.js';
import { paintLayers } from './paint-layers.js';
import { choosePalette, greyPalette, meanErrorTarget, paletteFromRgb, type Palette } from './palette.js';
import { labelRegions } from './regions.js';
import { findSoftEdges, indexSoft, withoutSoft, type SoftResult } from './soft-edges.js';
import { softLayer } from './soft-layers.js';
import { mergeSpeckles } from './speckle.js';
import { classifyAlpha, hasTranslucency, solidPart, type AlphaClasses } from './translucency.js';

function opaqueCopy(raster: Raster): Raster {
  const data = raster.data.slice();
  for (let p = 3; p < data.length; p += 4) data[p] = 255;
  return { width: raster.width, height: raster.height, data };
}

/**
 * Fit tolerance in pixels, for both the Douglas-Peucker simplification and
 * the cubic fit: the curve tolerance plus a margin that `detail` shrinks
 * (none at detail 1). The margin absorbs the quarter-pixel wobble left in
 * edge midpoints by the pixel grid, which no faithful curve should follow.
 */
export function fitTolerance(options: ResolvedOptions): number {
  return options.curveTolerance + 0.4 * (1 - options.detail);
}

export function* traceColor(
  raster: Raster,
  options: ResolvedOptions,
): Generator<TraceEvent, void, undefined> {
  const { width: w, height: h } = raster;
  const grayscale = options.mode === 'grayscale';
  yield { kind: 'stage', stage: 'colour space', progress: 0.01 };
  let src = options.transparentAsBackground ? raster : opaqueCopy(raster);
  if (grayscale) src = greyRaster(src);

  // Translucency (translucency.ts): with a learnt palette, partly
  // transparent areas get translucent entries, and the opaque stages see
  // only the solid part of the picture.
  let alpha: AlphaClasses | null = null;
  if (options.transparentAsBackground && !options.palette) {
    const classes = classifyAlpha(src);
    if (hasTranslucency(classes, w * h)) alpha = classes;
  }
  let soft: SoftResult | null = null;
  if (alpha) {
    soft = findSoftEdges(src, alpha);
    alpha = { ...alpha, kind: withoutSoft(soft, alpha.kind) };
  }
  const solid = alpha ? solidPart(src, alpha) : src;

  yield { kind: 'stage', stage: 'palette', progress: 0.08 };
  let palette: Palette;
  let alphaPalette: AlphaPalette | null = null;
  if (options.palette) palette = grayscale ? greyPalette(options.palette) : paletteFromRgb(options.palette);
  else {
    const continuousTone = options.colors === 'auto' && continuousToneShare(solid) >= CONTINUOUS_TONE;
    const alphaCap = options.colors === 'auto' ? 16 : Math.max(1, Math.floor(options.colors / 4));
    palette = choosePalette(buildHistogram(solid), {
      colors: options.colors === 'auto' || !alpha ? options.colors : Math.max(1, options.colors - alphaCap),
      detail: options.detail,
      continuousTone,
    });
    if (alpha) {
      alphaPalette = chooseAlphaPalette(src, alpha, {
        cap: alphaCap,
        target: meanErrorTarget(options.detail, false),
      });
    }
  }

  yield { kind: 'stage', stage: 'index', progress: 0.2 };
  let index = indexPixels(solid, palette);
  if (alpha && alphaPalette) {
    index = indexTranslucent(src, alpha, alphaPalette, palette.size, index);
    if (soft) index = indexSoft(soft, index);
    palette = joinPalettes(palette, alphaPalette);
  }
  index = reassignBlends(index, solid, palette);

  yield { kind: 'stage', stage: 'regions', progress: 0.3 };
  let regions = labelRegions(index, w, h);
  if (options.speckle > 1) regions = mergeSpeckles(regions, w, h, palette, options.speckle) ?? regions;

  yield { kind: 'stage', stage: 'boundaries', progress: 0.45 };
  const chains = extractChains(regions.labels, w, h);

  yield { kind: 'stage', stage: 'fit', progress: 0.55 };
  const tolerance = chainTolerances(chains, regions, palette, fitTolerance(options));
  const fit = fitChains(chains, tolerance, options.cornerThreshold);

  yield { kind: 'stage', stage: 'layers', progress: 0.75 };
  for (const entry of soft?.entries ?? []) {
    const layer = softLayer(
      entry,
      options.precision,
      fitTolerance(options),
      alphamaxFor(options.cornerThreshold),
    );
    if (layer) yield { kind: 'layer', layer, progress: 0.75 };
  }
  yield* paintLayers(regions, chains, fit, palette, {
    layering: options.layering,
    // The traced outline itself strays up to the fit tolerance from the edge;
    // a true shape may differ from it by half as much again.
    shapeTolerance: options.shapes === 'auto' ? 1.5 * fitTolerance(options) : 0,
    width: w,
    height: h,
    precision: options.precision,
    progressFrom: 0.75,
    progressTo: 1,
  });
}
