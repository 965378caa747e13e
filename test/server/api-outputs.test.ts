/** The API's output formats (format=svg|pdf|eps|dxf) and units on /convert, background tasks and streaming. */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileForm, makeApp, shapesPng, waitFor } from './helpers.js';

let app: FastifyInstance;
let png: Buffer;

beforeAll(async () => {
  app = await makeApp();
  png = await sharp(await shapesPng(64))
    .withMetadata({ density: 300 })
    .png()
    .toBuffer();
});
afterAll(() => app.close());

const post = (url: string, fields: Record<string, string> = {}) => {
  const body = fileForm(png, fields);
  return app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });
};

describe('format and units on the API', () => {
  it.each([
    ['pdf', 'application/pdf', '%PDF-1.4'],
    ['eps', 'application/postscript', '%!PS-Adobe-3.0 EPSF-3.0'],
    ['dxf', 'image/vnd.dxf', '0\nSECTION'],
  ])('/convert?format=%s answers %s with a file name', async (format, type, start) => {
    const miss = await post(`/convert?format=${format}`);
    expect(miss.statusCode).toBe(200);
    expect(miss.headers['content-type']).toBe(type);
    expect(miss.headers['content-disposition']).toBe(`attachment; filename="converted.${format}"`);
    expect(miss.body.startsWith(start)).toBe(true);
    // The cache key holds the format: the same image as SVG is not the cached PDF, and vice versa.
    const again = await post(`/convert?format=${format}`);
    expect([again.headers['x-cache'], again.body]).toEqual(['HIT', miss.body]);
    expect(again.headers['content-type']).toBe(type);
  });

  it('SVG stays SVG without a file name; units=mm uses the image dpi', async () => {
    const svg = await post('/convert', { units: 'mm' });
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers['content-disposition']).toBeUndefined();
    // 64 px at 300 ppi = 5.4187 mm.
    expect(svg.body).toContain('viewBox="0 0 64 64" width="5.4187mm" height="5.4187mm"');
    const pdf = await post('/convert?format=pdf', { dpi: '72' });
    expect(pdf.body).toContain('/MediaBox [0 0 64 64]');
    // dpi=96 given is not the image's 300: a different answer, not the cached one.
    const at96 = await post('/convert', { units: 'mm', dpi: '96' });
    expect(at96.headers['x-cache']).toBe('MISS');
    expect(at96.body).toContain('width="16.9333mm"');
  });

  it('a background task answers its result in its format, named by the task', async () => {
    const queued = await post('/convert/background?format=eps');
    expect(queued.statusCode).toBe(202);
    const id = queued.json<{ task_id: string }>().task_id;
    const result = await waitFor(async () => {
      const r = await app.inject(`/tasks/${id}/result`);
      return r.statusCode === 200 ? r : undefined;
    });
    expect(result.headers['content-type']).toBe('application/postscript');
    expect(result.headers['content-disposition']).toBe(`attachment; filename="${id}.eps"`);
    expect(result.body.startsWith('%!PS-Adobe-3.0 EPSF-3.0')).toBe(true);
  });

  it('color_mode=centerline answers stroked paths', async () => {
    const r = await post('/convert', { color_mode: 'centerline' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/<svg [^>]*>.*<path /);
  });

  it('refuses a streaming conversion in another format, and an unknown format or unit', async () => {
    for (const [url, fields, pattern] of [
      ['/convert/streaming?format=pdf', {}, /streaming answers SVG only/],
      ['/convert?format=png', {}, /format.*svg, pdf, eps or dxf/],
      ['/convert', { units: 'cm' }, /units.*px, mm or in/],
    ] as const) {
      const r = await post(url, fields);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'INVALID_OPTION' });
      expect(r.json<{ message: string }>().message).toMatch(pattern);
    }
  });
});
