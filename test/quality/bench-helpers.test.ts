import { describe, expect, it } from 'vitest';
import { encodePbm, otsuLevel, thresholdMask } from '../../bench/bitmap.js';
import { median, svgStructure, type ImageResult } from '../../bench/measure.js';
import { seededSample, seededSize } from '../../bench/random.js';
import { summarize } from '../../bench/summary.js';
import { checkTargets } from '../../bench/targets.js';
import { makeRaster } from './helpers.js';

describe('benchmark bitmaps', () => {
  it('packs PBM rows 8 pixels a byte, most significant bit first, 1 = black', () => {
    const mask = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    const pbm = encodePbm(mask, 10, 2);
    expect(pbm.subarray(0, 8).toString('ascii')).toBe('P4\n10 2\n');
    expect([...pbm.subarray(8)]).toEqual([0b10000001, 0b10000000, 0b01111111, 0b10000000]);
  });

  it("puts Otsu's level between the two modes of a bimodal image", () => {
    const image = makeRaster(8, 4, (x) => (x < 3 ? [40, 40, 40, 255] : [200, 200, 200, 255]));
    const level = otsuLevel(image);
    expect(level).toBeGreaterThan(40);
    expect(level).toBeLessThanOrEqual(200);
    const mask = thresholdMask(image, level);
    expect([...mask.subarray(0, 8)]).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('treats transparent pixels as white paper', () => {
    const image = makeRaster(2, 1, (x) => (x === 0 ? [0, 0, 0, 0] : [0, 0, 0, 255]));
    expect([...thresholdMask(image, 128)]).toEqual([0, 1]);
  });
});

describe('benchmark figures', () => {
  it('counts paths and path commands, not other attributes, and bytes in UTF-8', () => {
    const text =
      '<svg id="d"><title>é</title><path d="M0 0h5v5z" fill="#000"/><path fill="#fff" d="m1 1 2 2Z"/><rect width="1"/></svg>';
    const s = svgStructure(text);
    expect([s.paths, s.nodes]).toEqual([2, 6]);
    expect(s.bytes).toBe(text.length + 1);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('chooses the same sample whatever the order of the input', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const one = seededSample(names, 3, 7);
    expect(seededSample([...names].reverse(), 3, 7)).toEqual(one);
    expect(new Set(one).size).toBe(3);
    const size = seededSize('x.svg', 256, 512, 1);
    expect(size).toBe(seededSize('x.svg', 256, 512, 1));
    expect(size).toBeGreaterThanOrEqual(256);
    expect(size).toBeLessThanOrEqual(512);
  });

  const result = (tool: string, ssim: number, bytes: number, ok = true): ImageResult => ({
    set: 'logos',
    id: `${tool}-${ssim}`,
    tool,
    width: 4,
    height: 4,
    ok,
    ...(ok
      ? { ssim, psnr: Infinity, deltaE: 1 - ssim, bytes, gzipBytes: bytes / 2, paths: 1, nodes: 4, ms: 10 }
      : { error: 'Error: boom' }),
  });

  it('summarises per set and tool, counting failures and capping PSNR', () => {
    const [a] = summarize([result('t', 0.9, 100), result('t', 0.7, 300), result('t', 0, 0, false)]);
    expect(a).toMatchObject({
      images: 3,
      failed: 1,
      firstError: 'Error: boom',
      medianBytes: 200,
      meanPsnr: 100,
    });
    expect(a.meanSsim).toBeCloseTo(0.8, 12);
  });

  it('checks a target against the reference tool of the same run', () => {
    const rows = checkTargets(summarize([result('image2svg', 0.99, 900), result('potrace', 0.98, 1000)]), [
      { label: '8192 x 8192 binary', ok: true, maxRssMB: 1600 },
    ]);
    const byFigure = Object.fromEntries(rows.map((r) => [`${r.set} ${r.figure}`, r.met]));
    expect(byFigure).toEqual({
      'logos mean SSIM': true,
      'logos mean ΔE00': true,
      'logos median bytes': true,
      'logos median ms': true,
      '8192² binary peak RSS MB': false,
    });
  });
});
