/**
 * Golden output of the colour tracer: any change to the SVG it writes shows
 * up here (and should come with a bump of ENGINE_VERSION, which is part of
 * every cache key). Rewritten only on purpose:
 *   UPDATE_GOLDEN=1 npx vitest run test/engine/color-golden.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vectorize, type VectorizeOptions } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';
import { asciiRaster, renderToRaster, twemoji } from '../fixtures/color/rasters.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/color/golden');

const CASES: [string, () => Raster, VectorizeOptions][] = [
  [
    'blocks',
    () =>
      asciiRaster(['rrrrbbbb', 'rrrrbbbb', 'rrggggbb', 'gggggg..', 'gggggg..'], {
        r: [200, 30, 40],
        b: [30, 60, 200],
        g: [20, 160, 60],
        '.': [0, 0, 0, 0],
      }),
    { mode: 'color' },
  ],
  [
    'discs-cutout',
    () =>
      renderToRaster(
        '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" fill="#f4f1e8"/>' +
          '<circle cx="20" cy="22" r="13" fill="#d03a2f"/><circle cx="30" cy="27" r="11" fill="#2f6fd0"/></svg>',
        48,
      ),
    { mode: 'color', layering: 'cutout' },
  ],
  ['emoji-1f600', () => twemoji('1f600', 48), { mode: 'color' }],
  ['emoji-1f308-grey', () => twemoji('1f308', 48), { mode: 'grayscale', colors: 4 }],
  // Engine 0.3 (issue 12): true shapes, translucency and a soft shadow.
  [
    'shapes-translucent',
    () =>
      renderToRaster(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">' +
          '<filter id="b" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="2.5"/></filter>' +
          '<rect x="10" y="12" width="36" height="30" fill="#000" opacity="0.35" filter="url(#b)"/>' +
          '<rect x="8" y="8" width="36" height="30" fill="#e0a030"/><circle cx="50" cy="50" r="10" fill="#2f6fd0"/>' +
          '<rect x="4" y="50" width="20" height="10" fill="#d03a2f" opacity="0.5"/></svg>',
        64,
      ),
    { mode: 'color' },
  ],
];

describe('colour tracer: golden output', () => {
  it.each(CASES)('matches test/fixtures/color/golden/%s.svg', (name, raster, options) => {
    const file = join(GOLDEN, `${name}.svg`);
    const { svg } = vectorize(raster(), options);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, svg + '\n');
    }
    expect(existsSync(file)).toBe(true);
    expect(svg + '\n').toBe(readFileSync(file, 'utf8'));
  });
});
