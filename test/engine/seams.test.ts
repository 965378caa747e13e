/**
 * The no-seam test. Exactly shared edges are not enough on screen: an
 * anti-aliased renderer covers the edge pixel partly from each side of two
 * abutting shapes and the page shows through. The SVG is rendered with
 * resvg (anti-aliasing on) with nothing behind it, and every pixel inside
 * the picture that lets more than 5% of a background through counts as a
 * seam (src/quality/seams.ts). Default (stacked) layering must stay near
 * zero; cutout layering, which abuts shapes exactly, shows the seams this
 * test exists to catch, and its figure is reported.
 */
import { describe, expect, it } from 'vitest';
import { vectorize } from '../../src/engine/index.js';
import { countSeams } from '../../src/quality/index.js';
import { renderToRaster, twemoji } from '../fixtures/color/rasters.js';

/** Most seam pixels allowed per picture in stacked output (measured: 0 on every picture here). */
const STACKED_MAX_SEAM_PIXELS = 2;

const PICTURES: [string, () => ReturnType<typeof twemoji>][] = [
  ['emoji 1f600', () => twemoji('1f600', 128)],
  ['emoji 1f308', () => twemoji('1f308', 128)],
  ['emoji 1f98a', () => twemoji('1f98a', 128)],
  ['emoji 1f3e0', () => twemoji('1f3e0', 128)],
  [
    'overlapping discs',
    () =>
      renderToRaster(
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#f4f1e8"/>' +
          '<circle cx="40" cy="44" r="26" fill="#d03a2f"/><circle cx="60" cy="52" r="22" fill="#2f6fd0"/>' +
          '<rect x="10" y="60" width="30" height="24" fill="#2a9d4b" transform="rotate(17 25 72)"/></svg>',
        96,
      ),
  ],
];

describe('no seams', () => {
  it.each(PICTURES)('%s: stacked (default) lets no background through between shapes', (_name, picture) => {
    const r = picture();
    const stacked = countSeams(r, vectorize(r, { mode: 'color' }).svg);
    const cutout = countSeams(r, vectorize(r, { mode: 'color', layering: 'cutout' }).svg);
    console.info(
      `${_name}: seam pixels stacked ${stacked.seamPixels}, cutout ${cutout.seamPixels} of ${stacked.insidePixels} inside`,
    );
    expect(stacked.insidePixels).toBeGreaterThan(3000);
    expect(stacked.seamPixels).toBeLessThanOrEqual(STACKED_MAX_SEAM_PIXELS);
    // The counter does see seams: exactly abutting shapes show them.
    expect(cutout.seamPixels).toBeGreaterThan(stacked.seamPixels + 10);
  });
});
