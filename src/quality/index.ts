/**
 * Image quality metrics for tests and the benchmark. Every metric takes two
 * straight-RGBA rasters of the same size and composes them on white first.
 */
export { ssim, luma } from './ssim.js';
export { psnr } from './psnr.js';
export { meanDeltaE, deltaE2000, srgbToLab } from './delta-e.js';
export type { Lab } from './delta-e.js';
export { composeOn, WHITE } from './compose.js';
export type { Rgb } from './compose.js';
export { renderSvg } from './render-svg.js';
export { countSeams } from './seams.js';
export type { SeamOptions, SeamReport } from './seams.js';
export { compareToOriginal, compareRasters } from './compare.js';
export type { Fidelity } from './compare.js';
