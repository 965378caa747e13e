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
}

export type OptionKey = keyof OptionValues;

export interface UiOptions {
  readonly preset: PresetName;
  /** Only what the person set by hand: these are sent, everything else is the preset's. */
  readonly overrides: Partial<OptionValues>;
}

export const INITIAL_OPTIONS: UiOptions = { preset: 'default', overrides: {} };

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

export function setOption<K extends OptionKey>(
  options: UiOptions,
  key: K,
  value: OptionValues[K],
): UiOptions {
  return { ...options, overrides: { ...options.overrides, [key]: value } };
}

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
    if (value !== undefined) query.set(PARAM[key], String(value));
  }
  return query;
}

/** Identifies a set of options: results made with another key are stale. */
export function optionsKey(options: UiOptions): string {
  return toQuery(options).toString();
}
