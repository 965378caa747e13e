/**
 * One call for the usual question: how close is this SVG to the image it was
 * traced from? Renders at the original size, composes both on white (or
 * another page colour), and measures.
 */
import type { Raster } from '../engine/types.js';
import { WHITE, type Rgb } from './compose.js';
import { meanDeltaE } from './delta-e.js';
import { psnr } from './psnr.js';
import { renderSvg } from './render-svg.js';
import { ssim } from './ssim.js';

export interface Fidelity {
  /** Mean SSIM of luminance, full resolution (1 = identical). */
  readonly ssim: number;
  /** PSNR of RGB in dB (`Infinity` when identical). */
  readonly psnr: number;
  /** Mean CIEDE2000 colour difference per pixel. */
  readonly deltaE: number;
}

/** Both composed on `background` (default white) first. */
export function compareRasters(original: Raster, rendered: Raster, background: Rgb = WHITE): Fidelity {
  return {
    ssim: ssim(original, rendered, background),
    psnr: psnr(original, rendered, background),
    deltaE: meanDeltaE(original, rendered, background),
  };
}

export function compareToOriginal(original: Raster, svg: string, background: Rgb = WHITE): Fidelity {
  return compareRasters(original, renderSvg(svg, original.width, original.height), background);
}
