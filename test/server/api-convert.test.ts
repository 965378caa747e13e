import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSafeSvg,
  fileForm,
  form,
  makeApp,
  noisePng,
  pngHeaderOnly,
  shapesPng,
  viewBoxSize,
} from './helpers.js';

let app: FastifyInstance;
let shapes: Buffer;

beforeAll(async () => {
  app = await makeApp({
    MAX_IMAGE_DIMENSION: '256',
    MAX_IMAGE_PIXELS: '1000000',
    MAX_UPLOAD_SIZE: '300000',
    CHUNK_SIZE: '65536',
  });
  shapes = await shapesPng(64);
});
afterAll(() => app.close());

const convert = (body: ReturnType<typeof form>, url = '/convert') =>
  app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });

function expectError(
  res: { statusCode: number; json: () => unknown },
  status: number,
  code: string,
  message?: RegExp,
) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ statusCode: status, code });
  expect(typeof body.error).toBe('string');
  if (message) expect(body.message).toMatch(message);
}

describe('GET / and service info', () => {
  it('answers the JSON info at /, /api and /api/', async () => {
    for (const url of ['/', '/api', '/api/']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        name: 'image2svg',
        status: 'ok',
        engine_version: expect.any(String),
      });
    }
  });

  it('serves the OpenAPI document with the convert route and its options', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, { post?: { parameters?: Array<{ name: string }> } }> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/convert', '/tasks/{id}', '/upload/chunked']),
    );
    expect((await app.inject('/api/docs/json')).json()).toEqual(doc);
    expect((await app.inject('/api/docs')).statusCode).toBeLessThan(400);
    const names = doc.paths['/convert'].post!.parameters!.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['color_mode', 'threshold', 'resize', 'enhance', 'simplify', 'use_cache']),
    );
  });

  it('answers unknown routes with a JSON 404', async () => {
    expectError(await app.inject('/api/nope'), 404, 'NOT_FOUND', /GET \/api\/nope/);
  });
});

describe('POST /convert', () => {
  it('converts a PNG to a safe SVG with the stats headers, then answers the same request from the cache', async () => {
    const first = await convert(fileForm(shapes));
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(Number(first.headers['x-processing-time'])).toBeGreaterThan(0);
    expect(Number(first.headers['x-paths'])).toBeGreaterThanOrEqual(1);
    expect(Number(first.headers['x-nodes'])).toBeGreaterThan(4);
    expect(Number(first.headers['x-svg-bytes'])).toBe(Buffer.byteLength(first.body));
    expectSafeSvg(first.body);
    expect(viewBoxSize(first.body)).toEqual([64, 64]);

    const second = await convert(fileForm(shapes), '/api/convert');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(second.headers['x-nodes']).toBe(first.headers['x-nodes']);

    const uncached = await convert(fileForm(shapes, { use_cache: 'false' }));
    expect(uncached.headers['x-cache']).toBe('MISS');
    expect(uncached.body).toBe(first.body);
  });

  it('takes the image as the whole body (image/* or application/octet-stream), options from the query', async () => {
    const multipartAnswer = await convert(fileForm(shapes, { precision: '2' }));
    for (const type of ['image/png', 'application/octet-stream', 'image/x-anything']) {
      const raw = await app.inject({
        method: 'POST',
        url: '/api/convert?precision=2&use_cache=false',
        payload: shapes,
        headers: { 'content-type': type },
      });
      expect(raw.statusCode).toBe(200);
      expect(raw.headers['x-cache']).toBe('MISS');
      expect(raw.body).toBe(multipartAnswer.body);
    }
    // The format is still read from the bytes, and the size limit still holds.
    const pdf = await app.inject({
      method: 'POST',
      url: '/convert',
      payload: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'),
      headers: { 'content-type': 'image/png' },
    });
    expectError(pdf, 415, 'UNSUPPORTED_FORMAT', /PDF/);
    const big = await noisePng(400, 400);
    const tooBig = await app.inject({
      method: 'POST',
      url: '/convert',
      payload: big,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expectError(tooBig, 413, 'FILE_TOO_LARGE');
    const empty = await app.inject({
      method: 'POST',
      url: '/convert',
      payload: Buffer.alloc(0),
      headers: { 'content-type': 'image/png' },
    });
    expect(empty.statusCode).toBe(400);
    expect(['EMPTY_FILE', 'MISSING_FILE']).toContain(empty.json().code);
  });

  it('says how long the engine itself took on a conversion run for the request, and not on a cache hit', async () => {
    const png = await shapesPng(96);
    const miss = await convert(fileForm(png, { precision: '3' }));
    expect(miss.headers['x-cache']).toBe('MISS');
    const engine = Number(miss.headers['x-engine-time']);
    expect(engine).toBeGreaterThan(0);
    expect(engine).toBeLessThanOrEqual(Number(miss.headers['x-processing-time']));
    const hit = await convert(fileForm(png, { precision: '3' }));
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['x-engine-time']).toBeUndefined();
  });

  it('takes options from the query and the form, and different options are a different cache entry', async () => {
    const a = await convert(fileForm(shapes, { precision: '0' }), '/convert?color_mode=binary');
    const b = await convert(fileForm(shapes, { precision: '3', corner_threshold: '0' }));
    expect(a.statusCode).toBe(200);
    expect(b.headers['x-cache']).toBe('MISS');
    expect(a.body).not.toBe(b.body);
    expect(a.body).not.toMatch(/\d\.\d/);
  });

  it('converts in color and grayscale modes, naming the preset used', async () => {
    const png = await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" fill="#fff"/><rect width="24" height="48" fill="#d22"/><circle cx="34" cy="24" r="10" fill="#26c"/></svg>',
      ),
    )
      .png()
      .toBuffer();
    const color = await convert(fileForm(png, { color_mode: 'color', preset: 'logo' }));
    expect(color.statusCode).toBe(200);
    expect(color.headers['x-preset']).toBe('logo');
    expect(Number(color.headers['x-paths'])).toBeGreaterThanOrEqual(2);
    // The disc is a true shape (engine 0.3), counted in X-Shapes; shapes=off keeps it a path.
    expect(color.body).toContain('<circle');
    expect(color.headers['x-shapes']).toBe('1');
    expect(color.headers['x-soft-layers']).toBe('0');
    expectSafeSvg(color.body);
    const paths = await convert(fileForm(png, { color_mode: 'color', preset: 'logo', shapes: 'off' }));
    expect(paths.statusCode).toBe(200);
    expect(paths.body).not.toContain('<circle');
    expect(paths.headers['x-shapes']).toBe('0');
    const bad = await convert(fileForm(png, { shapes: 'maybe' }));
    expect(bad.statusCode).toBe(400);
    const gray = await convert(fileForm(png, { color_mode: 'grayscale', colors: '3' }));
    expect(gray.statusCode).toBe(200);
    expectSafeSvg(gray.body);
  });

  it('accepts enhance and simplify, and simplify gives no more nodes', async () => {
    const noisy = await shapesPng(160);
    const plain = await convert(fileForm(noisy, { enhance: 'true' }));
    const simple = await convert(fileForm(noisy, { simplify: 'true' }));
    expect(plain.statusCode).toBe(200);
    expect(simple.statusCode).toBe(200);
    expect(Number(simple.headers['x-nodes'])).toBeLessThanOrEqual(Number(plain.headers['x-nodes']));
  });

  it('decides the format by its bytes, whatever the file name says, and uses the first frame of an animated GIF', async () => {
    const frames = Buffer.alloc(32 * 32 * 4 * 2, 255);
    for (let y = 4; y < 28; y++)
      for (let x = 4; x < 16; x++) frames.fill(0, (y * 32 + x) * 4, (y * 32 + x) * 4 + 3);
    const anim = await sharp(frames, { raw: { width: 32, height: 64, channels: 4, pageHeight: 32 } as never })
      .gif({ loop: 0 })
      .toBuffer();
    expect((await sharp(anim, { pages: -1 }).metadata()).pages).toBe(2);
    const res = await convert(
      form({ file: { data: anim, filename: 'photo.jpg', contentType: 'image/jpeg' } }),
    );
    expect(res.statusCode).toBe(200);
    expect(viewBoxSize(res.body)).toEqual([32, 32]);
  });
});

describe('POST /convert refuses bad input with a JSON error a person can act on', () => {
  it('415 for bytes that are no image, naming what they are', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    expectError(await convert(fileForm(pdf)), 415, 'UNSUPPORTED_FORMAT', /PDF/);
  });

  it('415 for an image format the configuration does not allow', async () => {
    const gifOff = await makeApp({ ALLOWED_EXTENSIONS: 'png,jpg' });
    try {
      const gif = await sharp(shapes).gif().toBuffer();
      const body = fileForm(gif);
      const res = await gifOff.inject({
        method: 'POST',
        url: '/convert',
        payload: body.payload,
        headers: body.headers,
      });
      expectError(res, 415, 'UNSUPPORTED_FORMAT', /GIF.*accepts png, jpeg/);
    } finally {
      await gifOff.close();
    }
  });

  it('422 for a truncated PNG', async () => {
    expectError(await convert(fileForm(shapes.subarray(0, 60))), 422, 'CORRUPT_IMAGE');
  });

  it('422 from the header alone for a tiny file declaring a huge image (pixel bomb)', async () => {
    const bomb = pngHeaderOnly(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100);
    expectError(await convert(fileForm(bomb)), 422, 'IMAGE_TOO_LARGE', /100000x100000.*MAX_IMAGE_PIXELS/);
  });

  it('422 over MAX_IMAGE_DIMENSION, and a downscaled conversion with resize=true', async () => {
    const wide = await sharp({ create: { width: 600, height: 100, channels: 3, background: '#000' } })
      .extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#fff' })
      .png()
      .toBuffer();
    expectError(await convert(fileForm(wide)), 422, 'IMAGE_TOO_LARGE', /640x140.*resize=true/);
    const res = await convert(fileForm(wide, { resize: 'true' }));
    expect(res.statusCode).toBe(200);
    const [w, h] = viewBoxSize(res.body);
    expect(w).toBe(256);
    expect(h).toBeLessThanOrEqual(57);
  });

  it('413 while reading an upload over MAX_UPLOAD_SIZE', async () => {
    const big = await noisePng(400, 400);
    expect(big.length).toBeGreaterThan(300_000);
    expectError(await convert(fileForm(big)), 413, 'FILE_TOO_LARGE');
  });

  it('400 for an empty file, a missing file, a non-multipart body and a stray file field', async () => {
    expectError(await convert(fileForm(Buffer.alloc(0))), 400, 'EMPTY_FILE');
    expectError(await convert(form({ color_mode: 'binary' })), 400, 'MISSING_FILE');
    const json = await app.inject({ method: 'POST', url: '/convert', payload: { file: 'x' } });
    expectError(json, 400, 'MISSING_FILE', /multipart\/form-data.*application\/octet-stream/);
    expectError(await convert(form({ image: { data: shapes } })), 400, 'MISSING_FILE', /"image"/);
  });

  it.each([
    ['color_mode', 'sepia', /"color_mode": expected binary, grayscale, color or centerline, got "sepia"/],
    ['threshold', '300', /"threshold": expected auto, adaptive or a number from 0 to 255/],
    ['colors', '1', /"colors": expected auto or an integer from 2 to 256/],
    ['precision', '9', /"precision": expected an integer from 0 to 4/],
    ['palette', 'red', /"palette": expected comma-separated colours/],
    ['resize', 'perhaps', /"resize": expected true or false/],
    ['colour', 'red', /Unknown option "colour"/],
  ])('400 INVALID_OPTION for %s=%s', async (name, value, message) => {
    expectError(await convert(fileForm(shapes, { [name]: value })), 400, 'INVALID_OPTION', message);
    const query = await convert(fileForm(shapes), `/convert?${name}=${value}`);
    expectError(query, 400, 'INVALID_OPTION', message);
  });
});
