import { describe, expect, it } from 'vitest';
import { composeOn, deltaE2000, meanDeltaE, psnr, srgbToLab, ssim } from '../../src/quality/index.js';
import { invert, makeRaster, testCard } from './helpers.js';

describe('ssim', () => {
  const card = testCard(48, 40);

  it('is exactly 1 for identical images', () => {
    expect(ssim(card, { ...card, data: new Uint8ClampedArray(card.data) })).toBe(1);
  });

  it('is negative for an image and its inverse', () => {
    expect(ssim(card, invert(card))).toBeLessThan(0);
  });

  it('falls as noise grows, and is symmetric', () => {
    const noisy = (amp: number) =>
      makeRaster(48, 40, (x, y) => {
        const i = (y * 48 + x) * 4;
        const n = (((x * 7919 + y * 104729) % 17) - 8) * amp;
        const v = card.data[i] + n;
        return [v, v, v, 255];
      });
    const a = ssim(card, noisy(1));
    const b = ssim(card, noisy(4));
    expect(a).toBeLessThan(1);
    expect(b).toBeLessThan(a);
    expect(ssim(noisy(4), card)).toBeCloseTo(b, 12);
  });

  it('composes on white: a transparent pixel equals an opaque white one', () => {
    const clear = makeRaster(12, 12, (x) => (x < 6 ? [0, 0, 0, 255] : [9, 9, 9, 0]));
    const white = makeRaster(12, 12, (x) => (x < 6 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    expect(ssim(clear, white)).toBe(1);
  });

  it('works on images smaller than the 11x11 window', () => {
    const a = makeRaster(3, 5, (x) => [x * 100, 0, 0, 255]);
    expect(ssim(a, a)).toBe(1);
    expect(ssim(a, invert(a))).toBeLessThan(0);
  });

  it('refuses rasters of different sizes', () => {
    expect(() => ssim(card, testCard(40, 48))).toThrow(/expecting 48x40. Got 40x48/);
  });
});

describe('psnr', () => {
  it('is 10 log10(2) dB when one of two pixels is black instead of white', () => {
    const a = makeRaster(2, 1, () => [255, 255, 255, 255]);
    const b = makeRaster(2, 1, (x) => (x === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    // MSE = 3 * 255^2 / 6 channels = 255^2 / 2.
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10(2), 12);
  });

  it('is 20 log10(255) dB for a difference of 1 in every channel', () => {
    const a = makeRaster(3, 3, () => [10, 20, 30, 255]);
    const b = makeRaster(3, 3, () => [11, 19, 31, 255]);
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255), 12);
  });

  it('is Infinity for identical images', () => {
    const a = testCard(16, 16);
    expect(psnr(a, a)).toBe(Infinity);
  });

  it('refuses data of the wrong length', () => {
    const a = makeRaster(2, 2, () => [0, 0, 0, 255]);
    expect(() => psnr(a, { width: 2, height: 2, data: new Uint8ClampedArray(15) })).toThrow(/expecting 16/);
  });
});

describe('colour difference', () => {
  it('converts sRGB to Lab (D65) as published', () => {
    const white = srgbToLab(255, 255, 255);
    expect(white[0]).toBeCloseTo(100, 3);
    expect(white[1]).toBeCloseTo(0, 3);
    expect(white[2]).toBeCloseTo(0, 3);
    const red = srgbToLab(255, 0, 0);
    expect(red[0]).toBeCloseTo(53.2408, 2);
    expect(red[1]).toBeCloseTo(80.0925, 2);
    expect(red[2]).toBeCloseTo(67.2032, 2);
  });

  // Pairs 1, 7, 17 and 25 of the test data in Sharma, Wu and Dalal (2005), table 1.
  it.each([
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
  ] as const)('CIEDE2000 of %j and %j is %f', (lab1, lab2, expected) => {
    expect(deltaE2000(lab1, lab2)).toBeCloseTo(expected, 4);
    expect(deltaE2000(lab2, lab1)).toBeCloseTo(expected, 4);
  });

  it('averages over pixels: black against white on one of two pixels is 50', () => {
    const a = makeRaster(2, 1, () => [255, 255, 255, 255]);
    const b = makeRaster(2, 1, (x) => (x === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    expect(meanDeltaE(a, b)).toBeCloseTo(50, 3);
    expect(meanDeltaE(a, a)).toBe(0);
  });
});

describe('composeOn', () => {
  it('blends straight alpha onto the background', () => {
    const half = makeRaster(1, 1, () => [255, 0, 0, 51]);
    expect([...composeOn(half, [0, 0, 255]).data]).toEqual([51, 0, 204, 255]);
  });
});
