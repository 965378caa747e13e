import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { MemoryCache } from '../../src/server/cache/memory-cache.js';
import { parseConvertParams, toConversionRequest } from '../../src/server/convert-params.js';
import { loggerOptions } from '../../src/server/logger.js';
import { stretchContrast } from '../../src/server/pool/enhance.js';
import { makeConfig } from './helpers.js';

describe('stretchContrast (enhance=true)', () => {
  const raster = (pixels: number[][]) => ({
    width: pixels.length,
    height: 1,
    data: Uint8ClampedArray.from(pixels.flat()),
  });

  it('maps the darkest and lightest opaque levels to 0 and 255, keeping alpha and ignoring transparent pixels', () => {
    const out = stretchContrast(
      raster([
        [50, 50, 50, 255],
        [200, 200, 200, 255],
        [125, 125, 125, 255],
        [0, 0, 0, 0],
      ]),
    );
    expect([...out.data]).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 0]);
  });

  it('stretches every channel by the same map, so hues are kept', () => {
    const out = stretchContrast(
      raster([
        [100, 60, 60, 255],
        [60, 60, 100, 255],
        [60, 60, 60, 255],
        [100, 100, 100, 255],
      ]),
    );
    expect([...out.data.subarray(0, 8)]).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });

  it('leaves an image that spans the range, or a flat one, unchanged', () => {
    const full = raster([
      [0, 0, 0, 255],
      [255, 255, 255, 255],
    ]);
    expect(stretchContrast(full)).toBe(full);
    const flat = raster([
      [90, 90, 90, 255],
      [92, 92, 92, 255],
    ]);
    expect(stretchContrast(flat)).toBe(flat);
  });
});

describe('conversion options', () => {
  it('maps API fields onto engine options, setting only what was given', () => {
    const p = parseConvertParams({
      color_mode: 'color',
      threshold: '128',
      corner_threshold: '45',
      palette: '#ff0000, 00ff00',
      transparent_background: 'false',
      pixel_art: 'blocks',
      resize: 'yes',
    });
    expect(toConversionRequest(p)).toEqual({
      options: {
        mode: 'color',
        threshold: 128,
        cornerThreshold: 45,
        palette: ['#ff0000', '#00ff00'],
        transparentAsBackground: false,
        pixelArt: 'blocks',
      },
      resize: true,
      enhance: false,
      useCache: true,
    });
  });

  it('simplify lowers detail and raises curve tolerance unless they are given', () => {
    expect(toConversionRequest(parseConvertParams({ simplify: 'true' })).options).toEqual({
      detail: 0.25,
      curveTolerance: 1.5,
    });
    expect(toConversionRequest(parseConvertParams({ simplify: 'true', detail: '0.9' })).options).toEqual({
      detail: 0.9,
      curveTolerance: 1.5,
    });
  });

  it('takes the last value of a repeated field', () => {
    expect(parseConvertParams({ precision: ['1', '3'] }).precision).toBe(3);
  });
});

describe('MemoryCache byte budget', () => {
  it('evicts the least recently used values past maxBytes and skips a value larger than the budget', async () => {
    const cache = new MemoryCache({ maxEntries: 100, maxBytes: 40 });
    await cache.set('a', 'x'.repeat(10), 60);
    await cache.set('b', 'y'.repeat(10), 60);
    await cache.get('a');
    await cache.set('c', 'z'.repeat(5), 60);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe('x'.repeat(10));
    await cache.set('huge', 'h'.repeat(21), 60);
    expect(await cache.get('huge')).toBeUndefined();
    expect((await cache.stats()).total_keys).toBe(2);
  });
});

describe('logging', () => {
  it('never writes an API key, even at trace level with headers logged', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ ...loggerOptions('trace') }, sink);
    const key = 'very-secret-key-42';
    const app = await buildApp(makeConfig({ API_KEY_REQUIRED: 'true', API_KEYS: key }), {
      logger,
      webRoot: null,
    });
    app.addHook('onRequest', async (req) => req.log.info({ headers: req.headers }, 'headers'));
    await app.inject({ url: '/cache/stats', headers: { 'x-api-key': key } });
    await app.inject({ url: '/cache/stats', headers: { 'x-api-key': `${key}-wrong` } });
    await app.close();
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(key);
  });
});
