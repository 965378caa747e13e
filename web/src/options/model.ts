/**
 * The conversion options as the UI holds them: a preset plus the options a
 * person changed by hand. Presets and defaults come from the engine itself,
 * so the controls always show what the service will actually use.
 */
import {
  DEFAULTS,
  PRESETS,
  type Layering,
  type Mode,
  type PresetName,
  type ShapesSetting,
  type ThresholdSetting,
} from '../../../src/engine/options.js';

export type { Layering, Mode, PresetName, ShapesSetting, ThresholdSetting };

export interface OptionValues {
  readonly mode: Mode;
  readonly threshold: ThresholdSetting;
  readonly invert: boolean;
  readonly colors: number | 'auto';
  readonly detail: number;
  readonly speckle: number;
  readonly cornerThreshold: number;
  readonly curveTolerance: number;
  readonly precision: number;
  readonly layering: Layering;
  readonly shapes: ShapesSetting;
  readonly transparentBackground: boolean;
  /** Service-side: a light contrast normalisation and denoise before tracing. */
  readonly enhance: boolean;
  /** Service-side: downscale images over its size limit instead of refusing them. */
  readonly resize: boolean;
  /** Colour modes: a fixed palette, comma-separated `#rrggbb` (set by "Lock colours"); null: chosen from the image. */
  readonly palette: string | null;
}

export type OptionKey = keyof OptionValues;

export interface UiOptions {
  readonly preset: PresetName;
  /** Only what the person set by hand: these are sent, everything else is the preset's. */
  readonly overrides: Partial<OptionValues>;
}

/**
 * New users start on `auto`: the service picks a preset (and with it the mode:
 * colour for colour pictures, binary for black and white) from each image.
 */
export const INITIAL_OPTIONS: UiOptions = { preset: 'auto', overrides: {} };

/** Query-string names of the API contract (snake_case). */
const PARAM: Readonly<Record<OptionKey, string>> = {
  mode: 'color_mode',
  threshold: 'threshold',
  invert: 'invert',
  colors: 'colors',
  detail: 'detail',
  speckle: 'speckle',
  cornerThreshold: 'corner_threshold',
  curveTolerance: 'curve_tolerance',
  precision: 'precision',
  layering: 'layering',
  shapes: 'shapes',
  transparentBackground: 'transparent_background',
  enhance: 'enhance',
  resize: 'resize',
  palette: 'palette',
};

const BASE: OptionValues = {
  mode: DEFAULTS.mode,
  threshold: DEFAULTS.threshold,
  invert: DEFAULTS.invert,
  colors: DEFAULTS.colors,
  detail: DEFAULTS.detail,
  speckle: DEFAULTS.speckle,
  cornerThreshold: DEFAULTS.cornerThreshold,
  curveTolerance: DEFAULTS.curveTolerance,
  precision: DEFAULTS.precision,
  layering: DEFAULTS.layering,
  shapes: DEFAULTS.shapes,
  transparentBackground: DEFAULTS.transparentAsBackground,
  enhance: false,
  resize: false,
  palette: null,
};

function isConcretePreset(name: string | null): name is Exclude<PresetName, 'auto'> {
  return name !== null && name !== 'auto' && Object.hasOwn(PRESETS, name);
}

/**
 * The values the controls show. For `auto`, the preset the service picked
 * for the image on screen (X-Preset) when known.
 */
export function effectiveValues(options: UiOptions, pickedPreset: string | null = null): OptionValues {
  const name = options.preset === 'auto' ? pickedPreset : options.preset;
  const preset = isConcretePreset(name) ? PRESETS[name] : {};
  const fromPreset: Partial<OptionValues> = {
    ...(preset.mode !== undefined && { mode: preset.mode }),
    ...(preset.threshold !== undefined && { threshold: preset.threshold }),
    ...(preset.colors !== undefined && { colors: preset.colors }),
    ...(preset.detail !== undefined && { detail: preset.detail }),
    ...(preset.speckle !== undefined && { speckle: preset.speckle }),
    ...(preset.cornerThreshold !== undefined && { cornerThreshold: preset.cornerThreshold }),
    ...(preset.curveTolerance !== undefined && { curveTolerance: preset.curveTolerance }),
    ...(preset.layering !== undefined && { layering: preset.layering }),
  };
  return { ...BASE, ...fromPreset, ...options.overrides };
}

/**
 * Sets an option by hand. A value equal to what the preset alone gives (for
 * `auto`, the preset picked for the image on screen) is not an override: it
 * is dropped, so going back to a setting sends the same query as before and
 * the service's cache (and the page's own) answers.
 */
export function setOption<K extends OptionKey>(
  options: UiOptions,
  key: K,
  value: OptionValues[K],
  pickedPreset: string | null = null,
): UiOptions {
  const plain = effectiveValues({ preset: options.preset, overrides: {} }, pickedPreset)[key];
  // Under `auto` the picked preset differs from image to image: a hand-picked mode always stays.
  const knowable = options.preset !== 'auto' || (pickedPreset !== null && key !== 'mode');
  if (knowable && plain === value) {
    return { ...options, overrides: without(options.overrides, key) };
  }
  return { ...options, overrides: { ...options.overrides, [key]: value } };
}

function without(overrides: Partial<OptionValues>, key: OptionKey): Partial<OptionValues> {
  return Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== key)) as Partial<OptionValues>;
}

/** The mode a result was made in: the hand-set one, else the preset's (for `auto`, the picked preset's). */
export function modeOf(options: UiOptions, pickedPreset: string | null): Mode | null {
  if (options.overrides.mode !== undefined) return options.overrides.mode;
  if (options.preset === 'auto' && pickedPreset === null) return null;
  return effectiveValues(options, pickedPreset).mode;
}

/** The Mode control's `Auto`: the `auto` preset decides the mode; other hand-set options stay. */
export function setAutoMode(options: UiOptions): UiOptions {
  return { preset: 'auto', overrides: without(options.overrides, 'mode') };
}

export const MODE_LABELS: Readonly<Record<Mode, string>> = {
  binary: 'Binary',
  grayscale: 'Grayscale',
  color: 'Colour',
  centerline: 'Centerline',
};

/** Picking a preset starts from its values: hand-set options are cleared. */
export function setPreset(preset: PresetName): UiOptions {
  return { preset, overrides: {} };
}

/** The query string for the service: the preset (unless default) and each hand-set option. */
export function toQuery(options: UiOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options.preset !== 'default') query.set('preset', options.preset);
  const keys = Object.keys(options.overrides).sort() as OptionKey[];
  for (const key of keys) {
    const value = options.overrides[key];
    if (value !== undefined && value !== null) query.set(PARAM[key], String(value));
  }
  return query;
}

/** Identifies a set of options: results made with another key are stale. */
export function optionsKey(options: UiOptions): string {
  return toQuery(options).toString();
}

/**
 * Options from a query string in the service's names (a page URL, a saved
 * recipe): the inverse of `toQuery`. Unknown names and values that do not
 * parse are left out, so an old or edited link still opens.
 */
export function fromQuery(query: URLSearchParams): UiOptions {
  const presetName = query.get('preset');
  const preset = (PRESET_NAMES_SET.has(presetName ?? '') ? presetName : 'default') as PresetName;
  const overrides: Record<string, unknown> = {};
  for (const [key, param] of Object.entries(PARAM) as [OptionKey, string][]) {
    const raw = query.get(param);
    if (raw === null) continue;
    const value = parseValue(key, raw);
    if (value !== undefined) overrides[key] = value;
  }
  return { preset, overrides: overrides as Partial<OptionValues> };
}

const PRESET_NAMES_SET = new Set<string>(Object.keys(PRESETS).concat('auto'));

function parseValue(key: OptionKey, raw: string): unknown {
  const n = Number(raw);
  switch (key) {
    case 'mode':
      return ['binary', 'grayscale', 'color'].includes(raw) ? raw : undefined;
    case 'layering':
      return ['stacked', 'cutout'].includes(raw) ? raw : undefined;
    case 'threshold':
      return raw === 'auto' || raw === 'adaptive' ? raw : raw !== '' && Number.isFinite(n) ? n : undefined;
    case 'colors':
      return raw === 'auto' ? raw : Number.isInteger(n) ? n : undefined;
    case 'palette':
      return /^#?[0-9a-fA-F]{6}(,#?[0-9a-fA-F]{6})*$/.test(raw) ? raw : undefined;
    case 'invert':
    case 'transparentBackground':
    case 'enhance':
    case 'resize':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    default:
      return raw !== '' && Number.isFinite(n) ? n : undefined;
  }
}
