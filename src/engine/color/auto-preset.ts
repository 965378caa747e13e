import type { PresetName } from '../options.js';
import type { Raster } from '../types.js';

/** Picks a concrete preset for the `auto` preset from the image: to be implemented (issue 3). */
export function choosePreset(_raster: Raster): Exclude<PresetName, 'auto'> {
  return 'default';
}
