/**
 * Issue 9's request faults: every bad request a clean 4xx (malformed multipart, uploads over the limit cut
 * off at once), no key in a log, failed keys rate-limited, tasks and uploads scoped to their key, security
 * headers on every answer, one cache entry per resolved conversion, uploads assembled on first use.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConvertParams, toConversionRequest } from '../../src/server/convert-params.js';
import { ERRORS } from '../../src/server/errors.js';
import { loggerOptions } from '../../src/server/logger.js';
import { MemoryRateLimiter } from '../../src/server/ratelimit/memory-rate-limiter.js';
import {
  expectOwnedByKey,
  fileForm,
  form,
  makeApp,
  noisePng,
  shapesPng,
  viewBoxSize,
  waitFor,
} from './helpers.js';

const apps: FastifyInstance[] = [];
async function appWith(
  env: Record<string, string> = {},
  deps: Parameters<typeof makeApp>[1] = {},
): Promise<FastifyInstance> {
  const app = await makeApp(env, deps);
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  [k: string]: unknown;
}

/** A logger at info level whose lines (and raw text) the test reads. */
function logSink() {
  const lines: LogLine[] = [];
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { logger: pino(loggerOptions('info'), sink), lines, text: () => text };
}

const MULTIPART_ROUTES = [
  '/convert',
  '/convert/streaming',
  '/convert/background',
  '/upload/chunked',
  '/api/convert',
  '/api/convert/streaming',
  '/api/convert/background',
  '/api/upload/chunked',
];

function part(boundary: string, closing = true): string {
  return (
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n` +
    `Content-Type: image/png\r\n\r\nnot really a png\r\n` +
    (closing ? `--${boundary}--\r\n` : '')
  );
}

const MALFORMED: Array<{ name: string; contentType: string; body: string }> = [
  {
    name: 'a body with another boundary',
    contentType: 'multipart/form-data; boundary=zzzz',
    body: part('aaaa'),
  },
  {
    name: 'no closing boundary',
    contentType: 'multipart/form-data; boundary=aaaa',
    body: part('aaaa', false),
  },
  { name: 'no boundary parameter', contentType: 'multipart/form-data', body: part('aaaa') },
  {
    name: 'a 300-character boundary',
    contentType: `multipart/form-data; boundary=${'b'.repeat(300)}`,
    body: part('b'.repeat(300)),
  },
  {
    name: 'a 1000-character boundary',
    contentType: `multipart/form-data; boundary=${'c'.repeat(1000)}`,
    body: part('c'.repeat(1000)),
  },
];

describe('malformed multipart', () => {
  it('is 400 MALFORMED_MULTIPART naming the problem on every multipart route, logged below error', async () => {
    const { logger, lines } = logSink();
    const app = await appWith({}, { logger });
    for (const url of MULTIPART_ROUTES) {
      for (const c of MALFORMED) {
        const r = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': c.contentType },
          payload: c.body,
        });
        expect({ url, name: c.name, status: r.statusCode, code: r.json().code }).toEqual({
          url,
          name: c.name,
          status: 400,
          code: 'MALFORMED_MULTIPART',
        });
        expect(r.json().message).toMatch(/boundary/);
      }
    }
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const logged = lines.filter((l) => l.code === 'MALFORMED_MULTIPART');
    expect(logged.length).toBe(MULTIPART_ROUTES.length * MALFORMED.length);
    for (const l of logged) expect([30, 40]).toContain(l.level);
  });
});

/**
 * Sends the head of a large multipart upload (the headers announce `total` bytes, `sent` are written) on a
 * raw connection and stops: the answer has to come from what was sent. Resolves with all the server sent
 * once it closes the connection.
 */
async function sendHead(port: number, url: string, fields: Record<string, string>, fileField: string) {
  const boundary = 'xxBOUNDARYxx';
  let head = '';
  for (const [k, v] of Object.entries(fields))
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`;
  const total = 50 * 1024 * 1024;
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(
    `POST ${url} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${total}\r\n\r\n${head}`,
  );
  // 300 KB of the 50 MB: past the 200 KB limit, far short of the whole body.
  socket.write(Buffer.alloc(300 * 1024, 7));
  let received = '';
  socket.on('data', (d) => {
    received += d.toString();
    // The whole answer is in: stop, as a client does (the server closes its side once it has answered).
    const end = received.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(received.slice(0, end))?.[1];
    if (end >= 0 && length && received.length - end - 4 >= Number(length)) socket.end();
  });
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return received;
}

describe('multipart over the size limit', () => {
  it('answers 413 from the head of the body and closes the connection, for /convert* and chunks', async () => {
    const app = await appWith({ MAX_UPLOAD_SIZE: '204800', CHUNK_SIZE: '204800' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    for (const url of ['/convert', '/convert/streaming', '/api/convert/background']) {
      const raw = await sendHead(port, url, {}, 'file');
      expect(raw).toMatch(/^HTTP\/1\.1 413 /);
      expect(raw.toLowerCase()).toContain('connection: close');
      expect(raw).toContain('"code":"FILE_TOO_LARGE"');
    }
    const raw = await sendHead(
      port,
      '/upload/chunked',
      { upload_id: 'big', chunk_number: '0', total_chunks: '2' },
      'chunk',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toContain('"code":"CHUNK_TOO_LARGE"');
  });

  it('a client still sending the rest (fetch) reads the 413, not a reset connection', async () => {
    const app = await appWith({ MAX_UPLOAD_SIZE: '204800', CHUNK_SIZE: '204800' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const body = fileForm(Buffer.alloc(2 * 1024 * 1024, 7));
    const r = await fetch(`http://127.0.0.1:${port}/convert`, {
      method: 'POST',
      headers: body.headers,
      body: new Uint8Array(body.payload),
    });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { code: string }).code).toBe('FILE_TOO_LARGE');
  });

  it('still takes an upload just under the limit', async () => {
    const app = await appWith({ MAX_UPLOAD_SIZE: '204800', CHUNK_SIZE: '204800' });
    const png = await shapesPng(32);
    const padded = Buffer.concat([png, Buffer.alloc(204800 - png.length)]);
    const body = fileForm(padded);
    const r = await app.inject({
      method: 'POST',
      url: '/convert',
      payload: body.payload,
      headers: body.headers,
    });
    expect(r.statusCode).toBe(200);
    const over = fileForm(Buffer.concat([padded, Buffer.alloc(1)]));
    const refused = await app.inject({ method: 'POST', url: '/convert', ...over });
    expect(refused.json()).toMatchObject({ statusCode: 413, code: 'FILE_TOO_LARGE' });
  });
});

describe('API keys and logs', () => {
  const KEY = 'query-key-7f3a9c21';

  it('a key in the query string is refused with 400 (use the header) and never written to the log', async () => {
    const { logger, text } = logSink();
    const app = await appWith({ API_KEY_REQUIRED: 'true', API_KEYS: KEY }, { logger });
    for (const url of [
      `/convert?api_key=${KEY}`,
      `/tasks/abc?x=1&api_key=${KEY}`,
      `/api/cache/stats?apikey=${KEY}`,
    ]) {
      const r = await app.inject({ method: url.startsWith('/convert') ? 'POST' : 'GET', url });
      expect(r.json()).toMatchObject({ statusCode: 400, code: 'INVALID_REQUEST' });
      expect(r.json().message).toMatch(/X-API-Key header/);
    }
    // Refused with the header too (the key has leaked into the URL); the header alone is served.
    const both = await app.inject({ url: `/cache/stats?api_key=${KEY}`, headers: { 'x-api-key': KEY } });
    expect(both.statusCode).toBe(400);
    expect((await app.inject({ url: '/cache/stats', headers: { 'x-api-key': KEY } })).statusCode).toBe(200);
    expect(text()).toContain('api_key=[redacted]');
    expect(text()).not.toContain(KEY);
  });

  it('logged URLs are redacted of credentials even where keys are not required', async () => {
    const { logger, text } = logSink();
    const app = await appWith({}, { logger });
    await app.inject(`/health?api_key=${KEY}&token=tok-${KEY}&detail=1`);
    await app.inject(`/no/such/route?access_token=${KEY}`);
    expect(text()).toContain('/health?api_key=[redacted]&token=[redacted]&detail=1');
    expect(text()).not.toContain(KEY);
  });

  it('wrong keys count against the client address: 429 after RATE_LIMIT failures', async () => {
    // A limiter on a fixed clock: every request falls in one window, whatever the time or the machine's pace.
    const rateLimiter = new MemoryRateLimiter({ limit: 5, clock: () => 1_000 });
    const app = await appWith({ API_KEY_REQUIRED: 'true', API_KEYS: KEY, RATE_LIMIT: '5' }, { rateLimiter });
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await app.inject({ url: '/cache/stats', headers: { 'x-api-key': `wrong-key-${i}000` } });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // Another address, and the right key, are still served.
    const other = await app.inject({ url: '/cache/stats', remoteAddress: '10.0.0.7' });
    expect(other.statusCode).toBe(401);
    expect((await app.inject({ url: '/cache/stats', headers: { 'x-api-key': KEY } })).statusCode).toBe(200);
  });
});

describe('tasks and uploads belong to their key', () => {
  it('another key gets 404 for a task (status, result, events, cancel) and a chunked upload', async () => {
    const app = await appWith({ API_KEY_REQUIRED: 'true', API_KEYS: 'owner-key-0001,other-key-0002' });
    await expectOwnedByKey(app, app, 'owner-key-0001', 'other-key-0002');
  });

  it('two keys converting the same image get their own tasks; cancelling one leaves the other', async () => {
    const app = await appWith({ API_KEY_REQUIRED: 'true', API_KEYS: 'owner-key-0001,other-key-0002' });
    const png = await shapesPng(48);
    const submit = async (key: string) => {
      const body = fileForm(png, { use_cache: 'false' });
      const r = await app.inject({
        method: 'POST',
        url: '/convert/background',
        payload: body.payload,
        headers: { ...body.headers, 'x-api-key': key },
      });
      return r.json().task_id as string;
    };
    const [a, b] = [await submit('owner-key-0001'), await submit('other-key-0002')];
    expect(a.split('.')[0]).not.toBe(b.split('.')[0]);
    await app.inject({ method: 'DELETE', url: `/tasks/${a}`, headers: { 'x-api-key': 'owner-key-0001' } });
    const theirs = await waitFor<{ status: string }>(async () => {
      const r = await app.inject({ url: `/tasks/${b}`, headers: { 'x-api-key': 'other-key-0002' } });
      return ['completed', 'failed', 'cancelled'].includes(r.json().status) ? r.json() : undefined;
    });
    expect(theirs.status).toBe('completed');
  });
});

describe('security headers', () => {
  it('nosniff on every answer; the UI page gets a CSP, the API docs and JSON do not', async () => {
    const web = mkdtempSync(join(tmpdir(), 'image2svg-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>ui</title>');
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    const app = await appWith({}, { webRoot: web });
    const responses = {
      health: await app.inject('/health'),
      info: await app.inject('/'),
      notFound: await app.inject('/no/such/route'),
      task404: await app.inject('/tasks/unknown'),
      error400: await app.inject({ method: 'POST', url: '/convert' }),
      malformed: await app.inject({
        method: 'POST',
        url: '/convert',
        headers: { 'content-type': 'multipart/form-data' },
        payload: 'x',
      }),
      ui: await app.inject({ url: '/', headers: { accept: 'text/html' } }),
      asset: await app.inject('/assets/app.js'),
      docs: await app.inject('/docs/json'),
    };
    for (const [name, r] of Object.entries(responses)) {
      expect({ name, nosniff: r.headers['x-content-type-options'] }).toEqual({ name, nosniff: 'nosniff' });
    }
    expect(responses.notFound.statusCode).toBe(404);
    expect(responses.task404.statusCode).toBe(404);
    expect(responses.ui.headers['content-type']).toMatch(/text\/html/);
    const csp = String(responses.ui.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(responses.health.headers['content-security-policy']).toBeUndefined();
  });
});

describe('chunked upload converted by upload_id', () => {
  const sendChunk = (app: FastifyInstance, id: string, n: number, total: number, data: Uint8Array) => {
    const body = form({
      upload_id: id,
      chunk_number: String(n),
      total_chunks: String(total),
      chunk: { data, filename: 'c.bin' },
    });
    return app.inject({
      method: 'POST',
      url: '/upload/chunked',
      payload: body.payload,
      headers: body.headers,
    });
  };

  it('is assembled on first use when every chunk is in; missing chunks are named', async () => {
    const app = await appWith({ CHUNK_SIZE: '1024' });
    const png = await noisePng(32, 32, 3);
    const parts = [];
    for (let at = 0; at < png.length; at += 1024) parts.push(png.subarray(at, at + 1024));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < parts.length; i++)
      expect((await sendChunk(app, 'whole', i, parts.length, parts[i])).statusCode).toBe(200);
    const direct = await app.inject({ method: 'POST', url: '/convert', ...fileForm(png) });
    const byId = await app.inject({ method: 'POST', url: '/convert?upload_id=whole' });
    expect(byId.statusCode).toBe(200);
    expect(byId.body).toBe(direct.body);

    await sendChunk(app, 'partial', 0, parts.length, parts[0]);
    const partial = await app.inject({ method: 'POST', url: '/api/convert?upload_id=partial' });
    expect(partial.json()).toMatchObject({ statusCode: 400, code: 'UPLOAD_INCOMPLETE' });
    const missing = Array.from({ length: parts.length - 1 }, (_, i) => i + 1).join(', ');
    expect(partial.json().message).toContain(`missing chunks: ${missing}`);
  });
});

describe('cache key from the resolved options', () => {
  const DEFAULTS_SPELLED =
    'precision=1&detail=0.5&color_mode=binary&speckle=2&preset=default&threshold=auto&invert=false' +
    '&corner_threshold=60&curve_tolerance=0.25&transparent_background=true&layering=stacked&colors=auto';

  it('options spelled at their defaults, or a preset spelled out, hit the same entry with the same SVG', async () => {
    const app = await appWith();
    const png = await shapesPng(48);
    const convert = (query: string) =>
      app.inject({ method: 'POST', url: `/convert${query ? `?${query}` : ''}`, ...fileForm(png) });
    const plain = await convert('');
    expect(plain.headers['x-cache']).toBe('MISS');
    const spelled = await convert(DEFAULTS_SPELLED);
    expect(spelled.headers['x-cache']).toBe('HIT');
    expect(spelled.body).toBe(plain.body);
    // The preset named is the one reported, though the entry was made without one.
    expect(spelled.headers['x-preset']).toBe('default');
    expect(plain.headers['x-preset']).toBeUndefined();

    const logo = await convert('preset=logo');
    expect([logo.headers['x-cache'], logo.headers['x-preset']]).toEqual(['MISS', 'logo']);
    const asOptions = await convert('color_mode=color&colors=auto&speckle=4&detail=0.5&layering=stacked');
    expect([asOptions.headers['x-cache'], asOptions.headers['x-preset']]).toEqual(['HIT', undefined]);
    expect(asOptions.body).toBe(logo.body);

    expect((await convert('precision=2')).headers['x-cache']).toBe('MISS');
    expect((await convert('preset=auto')).headers['x-cache']).toBe('MISS');
    expect((await app.inject('/cache/stats')).json()).toMatchObject({ total_keys: 4 });
  });

  it('background jobs with equal resolved options share one dedupe key', async () => {
    const app = await appWith();
    const bytes = new Uint8Array(await shapesPng(16));
    const key = (q: string) =>
      app.service.converter.cacheKey(
        bytes,
        toConversionRequest(parseConvertParams(Object.fromEntries(new URLSearchParams(q)))),
      );
    expect(await key(DEFAULTS_SPELLED)).toBe(await key(''));
    expect(await key('detail=0.6')).not.toBe(await key(''));
  });
});

describe('GIF logical screen', () => {
  it('a 16x16 frame on a 2000x2000 screen converts to a 16x16 SVG', async () => {
    const app = await appWith();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#fff"/><rect x="4" y="4" width="8" height="8" fill="#000"/></svg>`;
    const gif = Buffer.from(await sharp(Buffer.from(svg)).gif().toBuffer());
    gif.writeUInt16LE(2000, 6);
    gif.writeUInt16LE(2000, 8);
    const r = await app.inject({ method: 'POST', url: '/convert', ...fileForm(gif) });
    expect(r.statusCode).toBe(200);
    expect(viewBoxSize(r.body)).toEqual([16, 16]);
  });
});

describe('docs/API.md', () => {
  it('lists every error code of errors.ts in its table of errors', () => {
    const doc = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## Errors'));
    const missing = Object.keys(ERRORS).filter((code) => !table.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });
});
