/** Shared helpers of the service tests: apps, multipart bodies, generated images, SVG safety checks. */
import { crc32 } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { expect } from 'vitest';
import { buildApp, type AppDeps } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';

export function makeConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ WORKER_POOL_SIZE: '2', ...env });
}

export async function makeApp(
  env: Record<string, string> = {},
  deps: AppDeps = {},
): Promise<FastifyInstance> {
  const app = await buildApp(makeConfig(env), { logger: false, webRoot: null, ...deps });
  await app.ready();
  return app;
}

export interface FilePart {
  data: Uint8Array;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body for app.inject() or fetch(). */
export function form(parts: Record<string, string | FilePart>): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----image2svg${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      );
    } else {
      const filename = value.filename ?? 'image.bin';
      const type = value.contentType ?? 'application/octet-stream';
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        Buffer.from(value.data),
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export function fileForm(data: Uint8Array, fields: Record<string, string> = {}) {
  return form({ ...fields, file: { data, filename: 'image.png' } });
}

/** Black shapes on white: a square and a disc. */
export async function shapesPng(size = 64): Promise<Buffer> {
  const s = size;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}"><rect width="${s}" height="${s}" fill="#fff"/><rect x="${s * 0.1}" y="${s * 0.1}" width="${s * 0.35}" height="${s * 0.35}" fill="#000"/><circle cx="${s * 0.68}" cy="${s * 0.68}" r="${s * 0.22}" fill="#000"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Seeded random colour noise: the slowest thing to trace, for timeouts and load. */
export async function noisePng(width: number, height: number, seed = 1): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** A PNG whose header declares width x height, with a tiny IDAT: a pixel bomb that must be refused from the header. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true });

/**
 * The SVG parses as XML, its root is <svg>, and it carries nothing active:
 * no script or foreignObject, no on* event attribute, no href or url() to
 * anything outside the document.
 */
export function expectSafeSvg(svg: string): void {
  expect(XMLValidator.validate(svg)).toBe(true);
  const tree = parser.parse(svg) as Array<Record<string, unknown>>;
  const roots = tree.filter((n) => !('?xml' in n));
  expect(roots).toHaveLength(1);
  expect(Object.keys(roots[0]).filter((k) => k !== ':@')).toEqual(['svg']);
  const walk = (nodes: Array<Record<string, unknown>>) => {
    for (const node of nodes) {
      for (const [name, value] of Object.entries(node)) {
        if (name === ':@') {
          for (const [attr, v] of Object.entries(value as Record<string, string>)) {
            expect(attr.toLowerCase()).not.toMatch(/^@on/);
            expect(attr.toLowerCase()).not.toMatch(/href$/);
            expect(String(v)).not.toMatch(/javascript:|url\(\s*['"]?(?!#)|data:/i);
          }
        } else if (name !== '#text') {
          expect(['script', 'foreignobject', 'iframe', 'image', 'use']).not.toContain(name.toLowerCase());
          walk(value as Array<Record<string, unknown>>);
        }
      }
    }
  };
  walk(roots);
}

/** viewBox width and height of an SVG. */
export function viewBoxSize(svg: string): [number, number] {
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) throw new Error('no viewBox');
  return [Number(m[1]), Number(m[2])];
}

/**
 * Waits out the last 10 seconds of a clock hour, if the test starts in them:
 * RATE_LIMIT's windows are clock hours, and the test's requests must fall in
 * one window.
 */
export async function inOneRateLimitWindow(): Promise<void> {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < 10_000) await new Promise((r) => setTimeout(r, left + 10));
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * With API_KEY_REQUIRED: a background task and a chunked upload made with `owner` on app `a` are seen by
 * `owner` on app `b` (the same app, or another replica) and are 404 to `other`, on every route.
 */
export async function expectOwnedByKey(
  a: FastifyInstance,
  b: FastifyInstance,
  owner: string,
  other: string,
): Promise<void> {
  const as = (key: string) => ({ 'x-api-key': key });
  const png = await shapesPng(40);
  const body = fileForm(png, { use_cache: 'false' });
  const accepted = await a.inject({
    method: 'POST',
    url: '/convert/background',
    payload: body.payload,
    headers: { ...body.headers, ...as(owner) },
  });
  expect(accepted.statusCode).toBe(202);
  const id = accepted.json().task_id as string;
  const done = await waitFor<{ task_id: string }>(async () => {
    const r = await b.inject({ url: `/tasks/${id}`, headers: as(owner) });
    expect(r.statusCode).toBe(200);
    return r.json().status === 'completed' ? r.json() : undefined;
  });
  expect(done.task_id).toBe(id);
  for (const url of [`/tasks/${id}`, `/tasks/${id}/result`, `/tasks/${id}/events`, `/api/tasks/${id}`]) {
    const theirs = await b.inject({ url, headers: as(other) });
    expect({ url, status: theirs.statusCode, code: theirs.json().code }).toEqual({
      url,
      status: 404,
      code: 'NOT_FOUND',
    });
  }
  const cancel = await b.inject({ method: 'DELETE', url: `/tasks/${id}`, headers: as(other) });
  expect(cancel.statusCode).toBe(404);
  const result = await b.inject({ url: `/tasks/${id}/result`, headers: as(owner) });
  expect(result.statusCode).toBe(200);
  expect(result.headers['content-type']).toMatch(/svg/);
  // The job's id without the owner's tag is no task of anyone's.
  const bare = id.slice(0, id.lastIndexOf('.'));
  expect((await b.inject({ url: `/tasks/${bare}`, headers: as(owner) })).statusCode).toBe(404);

  const chunk = form({
    upload_id: 'shared-name',
    chunk_number: '0',
    total_chunks: '1',
    chunk: { data: png, filename: 'c.bin' },
  });
  const put = await a.inject({
    method: 'POST',
    url: '/upload/chunked',
    payload: chunk.payload,
    headers: { ...chunk.headers, ...as(owner) },
  });
  expect(put.json()).toMatchObject({ upload_id: 'shared-name', complete: true });
  expect((await b.inject({ url: '/upload/chunked/shared-name', headers: as(other) })).statusCode).toBe(404);
  const stolen = await b.inject({
    method: 'POST',
    url: '/convert?upload_id=shared-name',
    headers: as(other),
  });
  expect(stolen.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  expect(stolen.json().message).toContain('"shared-name"');
  expect(
    (await b.inject({ method: 'DELETE', url: '/upload/chunked/shared-name', headers: as(other) })).statusCode,
  ).toBe(404);
  const mine = await b.inject({ url: '/upload/chunked/shared-name', headers: as(owner) });
  expect(mine.json()).toMatchObject({ upload_id: 'shared-name', received: [0], complete: true });
  const converted = await b.inject({
    method: 'POST',
    url: '/convert?upload_id=shared-name',
    headers: as(owner),
  });
  expect(converted.statusCode).toBe(200);
}
