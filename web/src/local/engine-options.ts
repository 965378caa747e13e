/**
 * The service's query string read as engine options, for the engine running
 * in the page. It maps the same snake_case names onto the same engine
 * options as the service (src/server/convert-params.ts), so a conversion in
 * the browser and one on the service get identical options, and with the
 * same pixels give the same SVG, byte for byte. Values come from the UI's own
 * controls, so they are in range; the engine validates them again.
 */
import type {
  Layering,
  Mode,
  PresetName,
  ThresholdSetting,
  VectorizeOptions,
} from '../../../src/engine/index.js';

export interface LocalRequest {
  readonly options: VectorizeOptions;
  /** The service's contrast stretch before tracing (`enhance=true`). */
  readonly enhance: boolean;
}

const bool = (value: string): boolean =>
  value === 'true' || value === '1' || value === 'yes' || value === 'on';

export function toLocalRequest(query: URLSearchParams): LocalRequest {
  const o: VectorizeOptions = {};
  const get = (name: string): string | null => query.get(name);
  const num = (name: string): number | undefined => {
    const v = get(name);
    return v === null ? undefined : Number(v);
  };
  const mode = get('color_mode');
  if (mode !== null) o.mode = mode as Mode;
  const preset = get('preset');
  if (preset !== null) o.preset = preset as PresetName;
  const threshold = get('threshold');
  if (threshold !== null)
    o.threshold = (
      threshold === 'auto' || threshold === 'adaptive' ? threshold : Number(threshold)
    ) as ThresholdSetting;
  const invert = get('invert');
  if (invert !== null) o.invert = bool(invert);
  const colors = get('colors');
  if (colors !== null) o.colors = colors === 'auto' ? 'auto' : Number(colors);
  const palette = get('palette');
  if (palette !== null) o.palette = palette.split(',').map((c) => `#${c.trim().replace(/^#/, '')}`);
  if (num('detail') !== undefined) o.detail = num('detail');
  if (num('speckle') !== undefined) o.speckle = num('speckle');
  if (num('corner_threshold') !== undefined) o.cornerThreshold = num('corner_threshold');
  if (num('curve_tolerance') !== undefined) o.curveTolerance = num('curve_tolerance');
  if (num('precision') !== undefined) o.precision = num('precision');
  const layering = get('layering');
  if (layering !== null) o.layering = layering as Layering;
  const transparent = get('transparent_background');
  if (transparent !== null) o.transparentAsBackground = bool(transparent);
  const simplify = get('simplify');
  if (simplify !== null && bool(simplify)) {
    o.detail ??= 0.25;
    o.curveTolerance ??= 1.5;
  }
  const enhance = get('enhance');
  return { options: o, enhance: enhance !== null && bool(enhance) };
}
