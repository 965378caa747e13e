/**
 * Translucency in colour mode (issue 12): alpha is a channel of the palette,
 * soft shadows and glows become blurred shapes, edges of opaque shapes on a
 * transparent page stay coverage (no translucent fringe), and fully
 * transparent pixels stay unpainted.
 */
import { describe, expect, it } from 'vitest';
import { vectorize } from '../../src/engine/index.js';
import type { Raster } from '../../src/engine/types.js';
import { classifyAlpha, AlphaKind } from '../../src/engine/color/translucency.js';
import { compareToOriginal, renderSvg } from '../../src/quality/index.js';
import { renderToRaster, twemoji } from '../fixtures/color/rasters.js';

function square(size: number, from: number, to: number, rgba: readonly number[]): Raster {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = from; y < to; y++) for (let x = from; x < to; x++) data.set(rgba, (y * size + x) * 4);
  return { width: size, height: size, data };
}

function attrs(svg: string): { fill: string; opacity?: number; filter: boolean; d: string }[] {
  return [...svg.matchAll(/<path ([^>]*)\/>/g)].map((m) => {
    const a = m[1];
    const op = /fill-opacity="([^"]+)"/.exec(a);
    return {
      fill: /fill="([^"]+)"/.exec(a)![1],
      ...(op ? { opacity: Number(op[1]) } : {}),
      filter: /filter="/.test(a),
      d: /d="([^"]+)"/.exec(a)![1],
    };
  });
}

const BLACK = [0, 0, 0] as const;

describe('translucent fills', () => {
  it('paints a 50% black square as one black fill at opacity 0.5', () => {
    const raster = square(32, 8, 24, [0, 0, 0, 128]);
    // An exact 8x upscale: the pixel-art tracer would take it; this is the colour tracer's test.
    const { svg } = vectorize(raster, { mode: 'color', pixelArt: 'off' });
    const layers = attrs(svg);
    expect(layers).toHaveLength(1);
    expect(layers[0].fill).toBe('#000000');
    expect(Math.abs(layers[0].opacity! - 128 / 255)).toBeLessThanOrEqual(1 / 255);
    expect(layers[0].d).toBe('m8 8v16h16v-16z');
    // Transparent pixels stay unpainted; the square composes right on any page.
    const back = renderSvg(svg, 32, 32);
    expect(back.data[3]).toBe(0);
    expect(Math.abs(back.data[(16 * 32 + 16) * 4 + 3] - 128)).toBeLessThanOrEqual(1);
  });

  it('keeps two opacities of one colour apart, opaque beside translucent', () => {
    const raster = square(40, 4, 36, [200, 30, 30, 255]);
    for (let y = 4; y < 36; y++) for (let x = 20; x < 36; x++) raster.data[(y * 40 + x) * 4 + 3] = 64;
    const { svg } = vectorize(raster, { mode: 'color', pixelArt: 'off' });
    const layers = attrs(svg);
    expect(layers.map((l) => l.opacity ?? 1).sort()).toEqual([+(64 / 255).toFixed(3), 1]);
    for (const bg of [[255, 255, 255], BLACK] as const) {
      expect(compareToOriginal(raster, svg, bg).deltaE).toBeLessThan(0.5);
    }
  });

  it('reads the anti-aliased edge of an opaque shape on a transparent page as coverage, not translucency', () => {
    const disc = renderToRaster(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="22" fill="#2f6fd0"/></svg>',
      64,
    );
    const classes = classifyAlpha(disc);
    expect(classes.kind.some((k) => k === AlphaKind.Translucent)).toBe(false);
    const { svg } = vectorize(disc, { mode: 'color' });
    expect(svg).not.toContain('fill-opacity');
    // An emoji on a transparent page is traced exactly as before (no translucent entries).
    expect(vectorize(twemoji('1f600'), { mode: 'color' }).svg).not.toContain('fill-opacity');
  });

  it('ignores alpha with transparentAsBackground: false', () => {
    const { svg } = vectorize(square(32, 8, 24, [0, 0, 0, 128]), {
      mode: 'color',
      pixelArt: 'off',
      transparentAsBackground: false,
    });
    expect(svg).not.toContain('fill-opacity');
  });
});

describe('soft shadows', () => {
  const sigma = 4;
  const shadowed = renderToRaster(
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96">' +
      `<filter id="b" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${sigma}"/></filter>` +
      '<rect x="24" y="26" width="48" height="48" fill="#000" opacity="0.4" filter="url(#b)"/>' +
      '<rect x="20" y="20" width="48" height="48" fill="#e0a030"/></svg>',
    96,
  );

  it('writes a blurred shadow as one shape with a Gaussian blur of about the right size and opacity', () => {
    const { svg } = vectorize(shadowed, { mode: 'color' });
    const blur = /stdDeviation="([^"]+)"/.exec(svg);
    expect(blur).not.toBeNull();
    expect(Number(blur![1])).toBeGreaterThan(sigma * 0.7);
    expect(Number(blur![1])).toBeLessThan(sigma * 1.4);
    const soft = attrs(svg).filter((l) => l.filter);
    expect(soft).toHaveLength(1);
    expect(soft[0].fill).toBe('#000000');
    expect(soft[0].opacity!).toBeGreaterThan(0.3);
    expect(soft[0].opacity!).toBeLessThan(0.5);
  });

  it('looks the same on white and on black', () => {
    const { svg } = vectorize(shadowed, { mode: 'color' });
    const white = compareToOriginal(shadowed, svg, [255, 255, 255]);
    const black = compareToOriginal(shadowed, svg, BLACK);
    expect(white.ssim).toBeGreaterThan(0.98);
    expect(black.ssim).toBeGreaterThan(0.98);
    expect(white.deltaE).toBeLessThan(1);
  });
});
