/**
 * The output layers, one `<path>` per colour, in paint order. Colours are
 * painted in order of decreasing total area (the background first), which
 * with `stacked` layering lets big shapes run under the smaller ones drawn
 * on top of them (see layer-outline.ts). Each layer is yielded as soon as it
 * is written, so the pipeline can stream it.
 */
import type { Layering } from '../options.js';
import type { Layer, TraceEvent } from '../types.js';
import type { Chains } from './boundary-graph.js';
import type { FittedChains } from './fit-chains.js';
import { chainIncidence, outlineRings } from './layer-outline.js';
import type { Palette } from './palette.js';
import { writeRings } from './path-writer.js';
import type { Regions } from './regions.js';

export function hexColor(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, '0')}`;
}

/** Palette indices that occur, most area first (ties: lower index). */
export function paintOrder(regions: Regions, paletteSize: number): number[] {
  const area = new Float64Array(paletteSize);
  for (let r = 0; r < regions.count; r++) area[regions.color[r]] += regions.area[r];
  const order: number[] = [];
  for (let c = 0; c < paletteSize; c++) if (area[c] > 0) order.push(c);
  return order.sort((a, b) => area[b] - area[a] || a - b);
}

export interface PaintSettings {
  readonly layering: Layering;
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
  const order = paintOrder(regions, palette.size);
  const rank = new Int32Array(palette.size).fill(-1);
  order.forEach((c, i) => (rank[c] = i));
  const incidence = chainIncidence(chains, regions.count);
  const byColour: number[][] = Array.from({ length: palette.size }, () => []);
  for (let r = 0; r < regions.count; r++) byColour[regions.color[r]].push(r);
  const inSet = new Uint8Array(regions.count);
  const stacked = settings.layering === 'stacked';

  for (let i = 0; i < order.length; i++) {
    const colour = order[i];
    const members = byColour[colour].slice();
    for (const r of members) inSet[r] = 1;
    if (stacked) {
      const own = members.length;
      for (let m = 0; m < own; m++) {
        const r = members[m];
        for (let k = incidence.from[r]; k < incidence.from[r + 1]; k++) {
          const c = incidence.chains[k];
          const o = chains.left[c] === r ? chains.right[c] : chains.left[c];
          if (o >= 0 && !inSet[o] && rank[regions.color[o]] > i) {
            inSet[o] = 1;
            members.push(o);
          }
        }
      }
    }
    const rings = outlineRings(chains, incidence, members, inSet);
    for (const r of members) inSet[r] = 0;
    const path = writeRings(fit, rings, settings.precision);
    const progress =
      settings.progressFrom + ((settings.progressTo - settings.progressFrom) * (i + 1)) / order.length;
    if (path.subpaths === 0) continue;
    const layer: Layer = {
      fill: hexColor(palette.rgb[colour]),
      d: path.d,
      fillRule: 'nonzero',
      nodes: path.nodes,
      subpaths: path.subpaths,
    };
    yield { kind: 'layer', layer, progress };
  }
}
