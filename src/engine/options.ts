/**
 * Public engine options (what users write, with units and defaults) and the
 * resolved form the stages read. `resolveOptions` is the one place where
 * options are validated; an invalid value throws `EngineOptionError` naming
 * the option, what was given and what is expected.
 */
import { qualitySettings } from './quality-dial.js';

export type Mode = 'binary' | 'grayscale' | 'color' | 'centerline';
export type Layering = 'stacked' | 'cutout';
export type ThresholdSetting = 'auto' | 'adaptive' | number;
/** Unit of the document's width and height (the viewBox stays in pixels). */
export type Units = 'px' | 'mm' | 'in';
export const UNITS: readonly Units[] = ['px', 'mm', 'in'];
export type PixelArtSetting = 'auto' | 'blocks' | 'smooth' | 'off';

export interface VectorizeOptions {
  /**
   * Colour mode. Default `binary` (or the preset's). `centerline`: line art
   * traced to the middle of each stroke, written as stroked paths with the
   * stroke width measured from the image; areas wider than about 12 px stay
   * filled outlines (binary thresholding options apply).
   */
  mode?: Mode;
  /**
   * Named preset that sets defaults for the other options; options given
   * explicitly win. `auto` picks one from the image (the stats say which).
   */
  preset?: PresetName;
  /**
   * Binary mode: `auto` (Otsu's method on luminance; when the paper's
   * illumination varies across the image, as on a scan or a photographed
   * page, the luminance is first divided by the estimated illumination and
   * thresholded halfway between paper and ink), `adaptive` (local mean), or
   * a fixed luminance level 0-255; pixels darker than the threshold are ink.
   * Default `auto`.
   */
  threshold?: ThresholdSetting;
  /** Binary mode: trace the light parts instead of the dark. Default false. */
  invert?: boolean;
  /**
   * Transparent pixels (alpha < 128) are background: never ink in binary
   * mode, left unpainted in colour modes. Default true.
   */
  transparentAsBackground?: boolean;
  /**
   * Regions smaller than this many pixels (area) are dropped or merged into a
   * neighbour. Colour modes merge into the most similar neighbour but keep
   * small regions that stand out (high contrast, or thin and long: text,
   * hairlines). Default 2.
   */
  speckle?: number;
  /**
   * Corner threshold (0-180, nominally degrees): how sharp a vertex of the
   * traced polygon must be to stay a corner; smoother vertices become
   * curves. It sets potrace's alphamax = cornerThreshold / 60, so the default
   * 60 is potrace's default (alphamax 1), 0 makes every vertex a corner (a
   * polygon) and 80 or more makes every vertex smooth. Colour modes: a
   * vertex of the simplified outline that turns by more than this many
   * degrees stays a corner. Default 60.
   */
  cornerThreshold?: number;
  /** Maximum distance in pixels a fitted curve may stray from the traced outline. Default 0.25. */
  curveTolerance?: number;
  /** Decimal places of coordinates in the SVG (0-4). Default 1. */
  precision?: number;
  /**
   * Colour and grayscale modes: number of colours (grey levels), 2-256, or
   * `auto` to choose from the error the palette leaves (at most 64; a larger
   * error is allowed on continuous-tone pictures such as photographs, see
   * docs/ENGINE-COLOR.md). Default `auto`.
   */
  colors?: number | 'auto';
  /**
   * Colour modes: a fixed palette of `#rrggbb` colours to use instead of one
   * chosen from the image; every fill is one of them. Grayscale mode uses
   * the grey of each colour's luminance.
   */
  palette?: readonly string[];
  /**
   * 0-1: how closely the output follows the pixels (1 = closest, more
   * nodes). Colour modes: also how small an error the automatic palette must
   * leave. Default 0.5.
   */
  detail?: number;
  /** Colour modes: `stacked` (no seams; larger shapes run under smaller) or `cutout` (shapes abut exactly). Default `stacked`. */
  layering?: Layering;
  /**
   * Colour modes with stacked layering: `auto` writes an outline that a
   * circle or ellipse fits within the fit tolerance as that element, and one
   * that a rectangle fits as the exact rectangle; `off` keeps every outline
   * a fitted path. Default `auto`.
   */
  shapes?: ShapesSetting;
  /**
   * Unit of the SVG's `width` and `height`: `px` (default), `mm` or `in`, so
   * the document opens at its real size. The `viewBox` stays in pixels.
   */
  units?: Units;
  /**
   * Pixels per inch for `units` mm/in (1-100000). Default 96 (CSS pixels);
   * the CLI, the service and `image2svg/node` default it to the image's own
   * resolution metadata when it has any.
   */
  dpi?: number;
  /**
   * Colour mode, pixel art (a nearest-neighbour upscale of a small grid):
   * `auto` traces an image that is exactly such an upscale as its blocks;
   * `blocks` forces that (estimating the grid when it is not exact);
   * `smooth` forces it with smoothed outlines instead of blocks; `off`
   * never. Ignored with a fixed `palette`. Default `auto`.
   */
  pixelArt?: PixelArtSetting;
  /**
   * 0-1: one dial from smallest (0) to most faithful (1) output. It derives
   * `colors`, `detail`, `speckle` and `curveTolerance` (table in
   * quality-dial.ts) unless those are given; it wins over the preset's.
   * Unset: no change (the preset's or automatic choices).
   */
  quality?: number;
}

export type ShapesSetting = 'auto' | 'off';

export const PRESET_NAMES = [
  'default',
  'logo',
  'lineart',
  'clipart',
  'photo',
  'posterize',
  'pixelart',
  'auto',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Preset defaults; explicit options override them. `auto` is resolved from the image by the pipeline. */
export const PRESETS: Readonly<Record<Exclude<PresetName, 'auto'>, Readonly<VectorizeOptions>>> = {
  default: {},
  logo: { mode: 'color', colors: 'auto', speckle: 4, detail: 0.5, layering: 'stacked' },
  lineart: { mode: 'binary', threshold: 'auto', speckle: 2, cornerThreshold: 60 },
  clipart: { mode: 'color', colors: 'auto', speckle: 4, detail: 0.6, layering: 'stacked' },
  photo: { mode: 'color', colors: 16, speckle: 32, detail: 0.3, layering: 'stacked' },
  posterize: { mode: 'color', colors: 6, speckle: 8, detail: 0.4, layering: 'stacked' },
  pixelart: { mode: 'color', pixelArt: 'blocks' },
};

/** Options after presets and defaults, validated, in the units the stages use. */
export interface ResolvedOptions {
  readonly mode: Mode;
  readonly preset: PresetName | null;
  readonly threshold: ThresholdSetting;
  readonly invert: boolean;
  readonly transparentAsBackground: boolean;
  readonly speckle: number;
  /** Corner threshold in degrees, 0-180. */
  readonly cornerThreshold: number;
  readonly curveTolerance: number;
  readonly precision: number;
  readonly colors: number | 'auto';
  /** Fixed palette as packed 0xRRGGBB, or null. */
  readonly palette: Uint32Array | null;
  readonly detail: number;
  readonly layering: Layering;
  readonly shapes: ShapesSetting;
  readonly units: Units;
  readonly dpi: number;
  readonly pixelArt: PixelArtSetting;
}

export const DEFAULTS: Omit<ResolvedOptions, 'preset'> = {
  mode: 'binary',
  threshold: 'auto',
  invert: false,
  transparentAsBackground: true,
  speckle: 2,
  cornerThreshold: 60,
  curveTolerance: 0.25,
  precision: 1,
  colors: 'auto',
  palette: null,
  detail: 0.5,
  layering: 'stacked',
  shapes: 'auto',
  units: 'px',
  dpi: 96,
  pixelArt: 'auto',
};

export class EngineOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid option "${option}": ${message}`);
    this.name = 'EngineOptionError';
  }
}

const KNOWN_KEYS = new Set<string>([
  'mode',
  'preset',
  'threshold',
  'invert',
  'transparentAsBackground',
  'speckle',
  'cornerThreshold',
  'curveTolerance',
  'precision',
  'colors',
  'palette',
  'detail',
  'layering',
  'shapes',
  'units',
  'dpi',
  'pixelArt',
  'quality',
]);

function fail(option: string, expected: string, got: unknown): never {
  throw new EngineOptionError(option, `expected ${expected}, got ${JSON.stringify(got)}`);
}

function num(option: string, v: unknown, min: number, max: number, integer = false): number {
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    fail(option, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, v);
  }
  return v;
}

function oneOf<T extends string>(option: string, v: unknown, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    fail(option, `one of ${values.join(', ')}`, v);
  }
  return v as T;
}

function bool(option: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(option, 'true or false', v);
  return v;
}

const HEX = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i;

/** Parses `#rrggbb` or `#rgb` into 0xRRGGBB, or returns null. */
export function parseHexColor(s: string): number | null {
  const m = HEX.exec(s.trim());
  if (!m) return null;
  let h = m[1];
  if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
  return parseInt(h, 16);
}

/**
 * Validates `options`, applies the preset and the defaults, and returns the
 * resolved options. `auto` stays as the preset name; the pipeline picks the
 * concrete preset from the image.
 */
export function resolveOptions(options: VectorizeOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new EngineOptionError(key, `unknown option; known options are ${[...KNOWN_KEYS].join(', ')}`);
    }
  }
  const preset = options.preset === undefined ? null : oneOf('preset', options.preset, PRESET_NAMES);
  const base = preset && preset !== 'auto' ? PRESETS[preset] : {};
  const o: VectorizeOptions = { ...base };
  if (options.quality !== undefined) Object.assign(o, qualitySettings(num('quality', options.quality, 0, 1)));
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;

  const pick = <K extends keyof typeof DEFAULTS>(k: K): unknown =>
    (o[k as keyof VectorizeOptions] ?? DEFAULTS[k]) as unknown;

  const thresholdRaw = pick('threshold');
  const threshold: ThresholdSetting =
    thresholdRaw === 'auto' || thresholdRaw === 'adaptive'
      ? thresholdRaw
      : num('threshold', thresholdRaw, 0, 255);

  const colorsRaw = pick('colors');
  const colors = colorsRaw === 'auto' ? 'auto' : num('colors', colorsRaw, 2, 256, true);

  let palette: Uint32Array | null = null;
  if (o.palette !== undefined && o.palette !== null) {
    if (!Array.isArray(o.palette) || o.palette.length < 1 || o.palette.length > 256) {
      fail('palette', 'an array of 1 to 256 colours like "#1a2b3c"', o.palette);
    }
    palette = new Uint32Array(o.palette.length);
    o.palette.forEach((c, i) => {
      const v = typeof c === 'string' ? parseHexColor(c) : null;
      if (v === null) fail(`palette[${i}]`, 'a colour like "#1a2b3c"', c);
      palette![i] = v;
    });
  }

  return {
    mode: oneOf('mode', pick('mode'), ['binary', 'grayscale', 'color', 'centerline'] as const),
    preset,
    threshold,
    invert: bool('invert', pick('invert')),
    transparentAsBackground: bool('transparentAsBackground', pick('transparentAsBackground')),
    speckle: num('speckle', pick('speckle'), 0, 1_000_000, true),
    cornerThreshold: num('cornerThreshold', pick('cornerThreshold'), 0, 180),
    curveTolerance: num('curveTolerance', pick('curveTolerance'), 0.01, 10),
    precision: num('precision', pick('precision'), 0, 4, true),
    colors,
    palette,
    detail: num('detail', pick('detail'), 0, 1),
    layering: oneOf('layering', pick('layering'), ['stacked', 'cutout'] as const),
    shapes: oneOf('shapes', pick('shapes'), ['auto', 'off'] as const),
    units: oneOf('units', pick('units'), UNITS),
    dpi: num('dpi', pick('dpi'), 1, 100_000),
    pixelArt: oneOf('pixelArt', pick('pixelArt'), ['auto', 'blocks', 'smooth', 'off'] as const),
  };
}
