import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConvertParams, toConversionRequest } from '../../src/server/convert-params.js';
import { ApiError } from '../../src/server/errors.js';
import { fileForm, makeApp, noisePng } from './helpers.js';

describe('quality query parameter', () => {
  it('maps onto the engine option, beside explicit ones', () => {
    expect(toConversionRequest(parseConvertParams({ quality: '0.7', colors: '12' })).options).toEqual({
      quality: 0.7,
      colors: 12,
    });
  });

  it.each(['1.5', '-0.1', 'high'])('refuses %j with INVALID_OPTION naming it', (value) => {
    let err: unknown;
    try {
      parseConvertParams({ quality: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'INVALID_OPTION',
      message: `Option "quality": expected a number from 0 to 1, got ${JSON.stringify(value)}`,
    });
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let png: Buffer;
    beforeAll(async () => {
      app = await makeApp();
      png = await noisePng(48, 48);
    });
    afterAll(() => app.close());

    const convert = (query: string) => {
      const body = fileForm(png, { color_mode: 'color', use_cache: 'false' });
      return app.inject({
        method: 'POST',
        url: `/convert?${query}`,
        payload: body.payload,
        headers: body.headers,
      });
    };

    it('documents it in the OpenAPI schema', async () => {
      const doc = (await app.inject('/docs/json')).json() as {
        paths: Record<string, { post?: { parameters?: Array<{ name: string; description?: string }> } }>;
      };
      const param = doc.paths['/convert'].post!.parameters!.find((p) => p.name === 'quality');
      expect(param?.description).toMatch(/most faithful/);
    });

    it('accepts it (a higher quality gives a larger SVG) and answers 400 for a bad value', async () => {
      const low = await convert('quality=0');
      const high = await convert('quality=1');
      expect(low.statusCode).toBe(200);
      expect(high.statusCode).toBe(200);
      expect(high.body.length).toBeGreaterThan(low.body.length);
      const bad = await convert('quality=2');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/"quality"/),
      });
    });
  });
});
