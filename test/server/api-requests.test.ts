/**
 * Issue 9's request faults: every bad request a clean 4xx (malformed multipart, uploads over the limit cut
 * off at once), no key in a log, failed keys rate-limited, tasks and uploads scoped to their key, security
 * headers on every answer, one cache entry per resolved conversion, uploads assembled on first use.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/server/logger.js';
import { fileForm, makeApp, shapesPng } from './helpers.js';

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
  socket.on('data', (d) => (received += d.toString()));
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
