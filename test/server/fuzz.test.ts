/**
 * Fuzz smoke: a seeded set of mutated PNG, JPEG, GIF, BMP, TIFF and WebP files and malformed multipart
 * bodies, each sent to /convert. Every answer must be 2xx, 4xx or 503 (never 500 or 504), and the service
 * must still answer afterwards. The seed is fixed, so a failure reproduces; FUZZ_SEED picks another set.
 * Images are tiny and MAX_IMAGE_DIMENSION low, so the run stays short on a loaded machine.
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBmp } from '../node/bmp-builder.js';
import { makeApp } from './helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const PER_FORMAT = 350;
const MULTIPART_CASES = 700;
const CONCURRENCY = 8;

/** xorshift32: the same sequence for the same seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Rng = ReturnType<typeof rng>;

/** One random damage: flipped bytes, a cut, inserted or deleted bytes, an extreme 16/32-bit header field. */
function mutate(source: Uint8Array, r: Rng): Uint8Array {
  const b = Uint8Array.from(source);
  switch (r.int(6)) {
    case 0: {
      for (let i = 1 + r.int(8); i > 0; i--) b[r.int(b.length)] = r.int(256);
      return b;
    }
    case 1:
      return b.subarray(0, r.int(b.length));
    case 2: {
      const at = r.int(b.length);
      const junk = Uint8Array.from({ length: 1 + r.int(64) }, () => r.int(256));
      return Uint8Array.from([...b.subarray(0, at), ...junk, ...b.subarray(at)]);
    }
    case 3: {
      const at = r.int(b.length);
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + r.int(32))]);
    }
    case 4: {
      // Sizes, offsets and counts live in the first bytes: set one to an extreme.
      const at = r.int(Math.min(64, b.length - 4));
      const value = r.pick([0, 0xff, 0xffff, 0x7fff, 0xffffffff, 0x7fffffff, 0x10000]);
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (r.next() < 0.5) view.setUint16(at, value & 0xffff, r.next() < 0.5);
      else view.setUint32(at, value >>> 0, r.next() < 0.5);
      return b;
    }
    default: {
      // A run of bytes repeated (a duplicated chunk or segment).
      const at = r.int(b.length);
      const run = b.subarray(at, at + 1 + r.int(128));
      return Uint8Array.from([...b.subarray(0, at), ...run, ...b.subarray(at)]);
    }
  }
}

async function seeds(): Promise<Record<string, Uint8Array>> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="12" height="10"><rect width="12" height="10" fill="#fff"/><rect x="2" y="2" width="5" height="5" fill="#c00"/><circle cx="8" cy="6" r="3" fill="#00c" fill-opacity="0.6"/></svg>`;
  const base = () => sharp(Buffer.from(svg));
  const rows = Array.from({ length: 10 }, (_, y) => Array.from({ length: 12 }, (_, x) => (x + y) % 4));
  return {
    png: new Uint8Array(await base().png().toBuffer()),
    jpeg: new Uint8Array(await base().jpeg({ quality: 80 }).toBuffer()),
    gif: new Uint8Array(await base().gif().toBuffer()),
    tiff: new Uint8Array(await base().tiff({ compression: 'lzw' }).toBuffer()),
    webp: new Uint8Array(await base().webp({ lossless: true }).toBuffer()),
    bmp: buildBmp({ width: 12, height: 10, bpp: 8, rows, palette: [0xffffff, 0xcc0000, 0x0000cc, 0x00ff00] }),
  };
}

interface Case {
  name: string;
  url?: string;
  headers: Record<string, string>;
  payload: Buffer;
}

const BOUNDARY_CHARS = 'abcXYZ019\'()+_,-./:=? "';

/** A multipart body with its framing damaged: boundary, part headers, CRLFs, the end, the Content-Type. */
function malformedMultipart(image: Uint8Array, r: Rng, i: number): Case {
  const boundary = Array.from({ length: 1 + r.int(90) }, () => r.pick([...BOUNDARY_CHARS])).join('');
  const disposition = r.pick([
    'form-data; name="file"; filename="a.png"',
    'form-data; name="file"',
    'form-data; filename="a.png"',
    "form-data; name=file; filename*=UTF-8''%E2%82%AC.png",
    'form-data; name="__proto__"; filename="x"',
    'form-data; name="constructor"',
    'attachment',
    '',
  ]);
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="color_mode"\r\n\r\n${r.pick(['color', 'binary', 'purple', ''])}\r\n`,
    `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: image/png\r\n\r\n`,
  ];
  let body = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(image),
    Buffer.from(r.next() < 0.3 ? `\r\n--${boundary}` : `\r\n--${boundary}--\r\n`),
  ]);
  // Damage the framing (the image bytes are another test's business).
  const damage = r.int(5);
  if (damage === 0) body = body.subarray(0, r.int(body.length));
  else if (damage === 1) {
    const text = body.toString('latin1').replaceAll('\r\n', r.pick(['\n', '\r', '']));
    body = Buffer.from(text, 'latin1');
  } else if (damage === 2) {
    for (let k = 1 + r.int(6); k > 0; k--) body[r.int(Math.min(body.length, 200))] = r.int(256);
  } else if (damage === 3) {
    body = Buffer.concat([body, body]);
  }
  const declared = r.pick([
    boundary,
    `"${boundary}"`,
    boundary.slice(1),
    `${boundary}x`,
    '',
    'z'.repeat(1 + r.int(400)),
  ]);
  const contentType = r.pick([
    `multipart/form-data; boundary=${declared}`,
    `multipart/form-data;boundary=${declared}; charset=utf-8`,
    'multipart/form-data',
    `multipart/mixed; boundary=${declared}`,
    `multipart/form-data; boundary=${declared}; boundary=other`,
  ]);
  return {
    name: `multipart #${i}`,
    url: r.pick(['/convert', '/api/convert/streaming', '/upload/chunked']),
    headers: { 'content-type': contentType },
    payload: body,
  };
}

let app: FastifyInstance;

beforeAll(async () => {
  app = await makeApp({
    WORKER_POOL_SIZE: '2',
    MAX_QUEUE_SIZE: '64',
    MAX_IMAGE_DIMENSION: '256',
    MAX_IMAGE_PIXELS: '65536',
    CACHE_ENABLED: 'false',
  });
});
afterAll(() => app?.close());

describe('fuzz smoke', () => {
  it(`mutated images and malformed multipart bodies are answered 2xx/4xx/503, never 5xx (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const cases: Case[] = [];
    for (const [format, bytes] of Object.entries(await seeds())) {
      for (let i = 0; i < PER_FORMAT; i++) {
        const payload = Buffer.from(mutate(bytes, r));
        cases.push({
          name: `${format} #${i}`,
          headers: { 'content-type': r.pick(['application/octet-stream', `image/${format}`]) },
          payload,
        });
      }
    }
    const png = (await seeds()).png;
    for (let i = 0; i < MULTIPART_CASES; i++) cases.push(malformedMultipart(png, r, i));

    const bad: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const res = await app.inject({
          method: 'POST',
          url: '/convert',
          headers: c.headers,
          payload: c.payload,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const ok =
          (res.statusCode >= 200 && res.statusCode < 300) ||
          (res.statusCode >= 400 && res.statusCode < 500) ||
          res.statusCode === 503;
        if (!ok) bad.push(`${c.name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (res.statusCode >= 400) expect(res.json().code).toMatch(/^[A-Z_]+$/);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (process.env.FUZZ_VERBOSE) console.log(Object.fromEntries(statuses));
    expect(bad).toEqual([]);
    // Some of each: converted, refused as corrupt or malformed (else the fuzz tests nothing).
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect((statuses.get(400) ?? 0) + (statuses.get(422) ?? 0)).toBeGreaterThan(500);
    const health = await app.inject('/health');
    expect(health.statusCode).toBe(200);
    expect(app.service.pool.ready()).toBe(true);
  });
});
