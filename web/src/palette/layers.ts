/**
 * The colours of a result as layers: one per fill colour, with its paths and
 * nodes (drawing commands), and the edits a person makes to them (hidden,
 * recoloured). Pure functions over the SVG text, so the view and every
 * export get the same edited SVG; what needs the DOM is in area-shares.ts.
 */

export interface ColourLayer {
  /** The fill as written, lower-case `#rrggbb`. */
  readonly colour: string;
  readonly paths: number;
  /** Drawing commands in the layer's paths (each moveto, line or curve segment). */
  readonly nodes: number;
}

export interface LayerEdits {
  readonly hidden: readonly string[];
  /** Original colour → new colour. */
  readonly recolour: Readonly<Record<string, string>>;
}

export const NO_EDITS: LayerEdits = { hidden: [], recolour: {} };

/**
 * What the engine writes for a layer (src/engine/svg-document.ts): a painted
 * `<path>`, `<circle>`, `<ellipse>` or `<rect>` on its own, or a `<g>` that
 * carries the paint for several of them. Group 1/2: a group's attributes and
 * content; group 3/4: a lone element's name and attributes.
 */
const PAINTED = /<g\b([^>]*)>([\s\S]*?)<\/g>|<(path|circle|ellipse|rect)\b([^>]*?)\/>/g;
const FILL = /\bfill="(#[0-9a-fA-F]{3,8})"/;
const ELEMENT = /<(path|circle|ellipse|rect)\b([^>]*?)\/>/g;

/** Drawing commands of one element: a path's segments, one for a true shape. */
function elementNodes(name: string, attrs: string): number {
  return name === 'path' ? countNodes(/\bd="([^"]*)"/.exec(attrs)?.[1] ?? '') : 1;
}

/** The result's layers in paint order (first drawn first), with their path and node counts. */
export function colourLayers(svg: string): ColourLayer[] {
  const layers = new Map<string, { paths: number; nodes: number }>();
  for (const match of svg.matchAll(PAINTED)) {
    const [, groupAttrs, content, name, attrs] = match;
    const colour = FILL.exec(groupAttrs ?? attrs ?? '')?.[1]?.toLowerCase();
    if (!colour) continue;
    const layer = layers.get(colour) ?? { paths: 0, nodes: 0 };
    if (content !== undefined) {
      for (const [, child, childAttrs] of content.matchAll(ELEMENT)) {
        layer.paths++;
        layer.nodes += elementNodes(child, childAttrs);
      }
    } else {
      layer.paths++;
      layer.nodes += elementNodes(name, attrs);
    }
    layers.set(colour, layer);
  }
  return [...layers].map(([colour, l]) => ({ colour, ...l }));
}

/** Commands in path data, an implicit repeat of a command counted as another node. */
function countNodes(d: string): number {
  const ARGS: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };
  let nodes = 0;
  for (const [, command, args] of d.matchAll(/([MLHVCSQTAZmlhvcsqtaz])([^MLHVCSQTAZmlhvcsqtaz]*)/g)) {
    const per = ARGS[command.toLowerCase()] ?? 0;
    if (per === 0) continue;
    const numbers = args.match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi)?.length ?? 0;
    nodes += Math.max(1, Math.floor(numbers / per));
  }
  return nodes;
}

export function hasEdits(edits: LayerEdits): boolean {
  return edits.hidden.length > 0 || Object.keys(edits.recolour).length > 0;
}

/** The SVG with hidden layers left out and recoloured ones repainted. */
export function applyEdits(svg: string, edits: LayerEdits): string {
  if (!hasEdits(edits)) return svg;
  const hidden = new Set(edits.hidden.map((c) => c.toLowerCase()));
  return svg.replace(
    PAINTED,
    (painted, groupAttrs?: string, _content?: string, _name?: string, attrs?: string) => {
      // A group's paint is in its own opening tag; a lone element's in its attributes.
      const fill = FILL.exec(groupAttrs ?? attrs ?? '')?.[1]?.toLowerCase();
      if (!fill) return painted;
      if (hidden.has(fill)) return '';
      const to = edits.recolour[fill];
      return to ? painted.replace(FILL, `fill="${to}"`) : painted;
    },
  );
}
