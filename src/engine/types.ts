/**
 * Data types that flow between the engine's stages. Everything here is plain
 * data over typed arrays so it can be posted to a worker as is.
 */

/**
 * An RGBA image, row-major, 4 bytes per pixel, not premultiplied.
 * `data.length === width * height * 4`.
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

import type { Shape } from './geometry/shape-fit.js';

export type { Shape, ShapeKind } from './geometry/shape-fit.js';

/**
 * One `<path>` of the output: a fill colour and its path data. A layer is a
 * finished part of the SVG that the stepped pipeline can hand out early.
 */
export interface Layer {
  /** Fill colour as `#rrggbb`, or `none` for a stroked layer. */
  readonly fill: string;
  /** Stroke colour as `#rrggbb` (centerline mode); drawn with round caps and joins. */
  readonly stroke?: string;
  /** Stroke width in pixels, with `stroke`. */
  readonly strokeWidth?: number;
  /** Fill opacity 0-1; omitted (1) for opaque layers. */
  readonly opacity?: number;
  /**
   * Gaussian blur of the painted shape, standard deviation in pixels (user
   * units); omitted for sharp layers. Soft shadows and glows are a shape,
   * a colour, an opacity and this blur.
   */
  readonly blur?: number;
  /** Path data: relative commands at the requested precision; empty when the layer is only `shapes`. */
  readonly d: string;
  /**
   * Circles and ellipses of this layer's colour, outside `d` (`shapes:
   * 'auto'`): centre, radii and rotation in pixels (degrees), rounded to the
   * output precision. A circle has `rx === ry`.
   */
  readonly shapes?: readonly Shape[];
  /** Fill rule needed for the subpaths of `d` to paint right. */
  readonly fillRule: 'nonzero' | 'evenodd';
  /** Number of path commands (nodes) in `d`. */
  readonly nodes: number;
  /** Number of subpaths in `d`. */
  readonly subpaths: number;
}

/** Stage timings in milliseconds, in the order the stages ran. */
export type StageTimings = Record<string, number>;

export interface VectorizeStats {
  readonly width: number;
  readonly height: number;
  readonly mode: 'binary' | 'grayscale' | 'color' | 'centerline';
  /** The preset used; for `auto`, the one it picked. */
  readonly preset: string | null;
  /** `<path>` elements in the SVG. */
  readonly paths: number;
  /** `<circle>` and `<ellipse>` elements in the SVG (true shapes). */
  readonly shapes: number;
  /** Blurred layers (soft shadows and glows). */
  readonly softLayers: number;
  /** Path commands across all paths. */
  readonly nodes: number;
  /** Size of the SVG text in UTF-8 bytes. */
  readonly bytes: number;
  /** Colours in the output (binary: 1). */
  readonly colors: number;
  /** Time per stage in ms. */
  readonly timings: StageTimings;
  /** Total engine time in ms. */
  readonly totalMs: number;
}

export interface VectorizeResult {
  readonly svg: string;
  readonly stats: VectorizeStats;
}

/**
 * What a tracer yields while it works. `progress` is the fraction (0-1) of
 * the whole trace done when the event is yielded; it never decreases.
 */
export type TraceEvent =
  | { readonly kind: 'stage'; readonly stage: string; readonly progress: number }
  | { readonly kind: 'layer'; readonly layer: Layer; readonly progress: number };

/** What the public stepped pipeline yields. */
export type PipelineEvent =
  | { readonly type: 'progress'; readonly stage: string; readonly progress: number }
  /** A finished piece of SVG text; the pieces in order are the whole document. */
  | { readonly type: 'chunk'; readonly text: string };
