/** The service on a real socket: streaming, server-sent events, load, slow clients and SIGTERM. */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/server/logger.js';
import type { ConvertTask } from '../../src/server/pool/protocol.js';
import { WorkerPool, type RunHooks } from '../../src/server/pool/worker-pool.js';
import { expectSafeSvg, fileForm, makeApp, shapesPng } from './helpers.js';

const FAKE_WORKER = new URL('./fixtures/fake-worker.mjs', import.meta.url);

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = await makeApp({ WORKER_POOL_SIZE: '2', REQUEST_TIMEOUT: '1', MAX_QUEUE_SIZE: '64' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => app.close());

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  url?: string;
  err?: { code?: string };
}

/** A logger at info level whose lines the test reads. */
function logSink() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { logger: pino(loggerOptions('info'), sink), lines };
}

/** Many coloured rectangles: a colour trace with many layers that takes a while. */
async function mosaicPng(size: number, seed: number): Promise<Buffer> {
  const colors = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6'];
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let shapes = '';
  for (let i = 0; i < 400; i++) {
    const w = 10 + rnd() * size * 0.2;
    shapes += `<rect x="${rnd() * size}" y="${rnd() * size}" width="${w}" height="${w * (0.3 + rnd())}" fill="${colors[i % colors.length]}"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function formData(data: Buffer, fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([new Uint8Array(data)]), 'image.png');
  return fd;
}

describe('streaming', () => {
  it('sends the first bytes of the SVG while the conversion is still running', async () => {
    const png = await mosaicPng(1000, 5);
    const res = await fetch(`${base}/api/convert/streaming?color_mode=color&colors=8&use_cache=false`, {
      method: 'POST',
      body: formData(png),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    const busyAtFirstBytes = app.service.pool.stats().busy;
    let text = decoder.decode(first.value, { stream: true });
    expect(text.startsWith('<svg')).toBe(true);
    let reads = 1;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      reads++;
      text += decoder.decode(r.value, { stream: true });
    }
    expect(busyAtFirstBytes).toBe(1);
    expect(reads).toBeGreaterThan(1);
    expectSafeSvg(text);
    const whole = await fetch(`${base}/convert?color_mode=color&colors=8&use_cache=false`, {
      method: 'POST',
      body: formData(png),
    });
    expect(text).toBe(await whole.text());
  });
});

describe('streaming, client leaves', () => {
  it('stops the conversion (terminates its thread) when the client goes away mid-stream', async () => {
    const before = app.service.pool.stats().terminated;
    const png = await mosaicPng(1000, 11);
    const controller = new AbortController();
    const res = await fetch(`${base}/convert/streaming?color_mode=color&colors=8&use_cache=false`, {
      method: 'POST',
      body: formData(png),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    for (let i = 0; i < 200 && app.service.pool.stats().terminated === before; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(app.service.pool.stats().terminated).toBe(before + 1);
    const next = await fetch(`${base}/health`);
    expect(next.status).toBe(200);
  });
});

describe('streaming, the conversion fails', () => {
  /**
   * The stand-in worker of fixtures/fake-worker.mjs, told what to do through its options: it streams
   * `<svg>` at once, then blocks for sleepMs (a long trace) and answers, or fails with `fail`, or exits
   * before any chunk with `crash`. VECTORIZATION_TIMEOUT is the pool's 300 ms.
   */
  class ScriptedPool extends WorkerPool {
    script: Record<string, unknown> = {};
    override run(task: ConvertTask, hooks?: RunHooks) {
      return super.run({ ...task, options: { ...task.options, ...this.script } }, hooks);
    }
  }
  let failing: FastifyInstance;
  let pool: ScriptedPool;
  let lines: LogLine[];
  let port: number;
  let image: Buffer;

  beforeAll(async () => {
    pool = new ScriptedPool({ size: 1, maxQueue: 4, timeoutMs: 300, workerUrl: FAKE_WORKER });
    const sink = logSink();
    lines = sink.lines;
    failing = await makeApp({ WORKER_POOL_SIZE: '1' }, { pool, cache: null, logger: sink.logger });
    await failing.listen({ host: '127.0.0.1', port: 0 });
    port = (failing.server.address() as { port: number }).port;
    image = await shapesPng(32);
  });
  afterAll(() => failing.close());

  /** POST /convert/streaming on a raw connection: everything the server sent until it closed the connection. */
  function rawStreamingRequest(): Promise<string> {
    const body = fileForm(image);
    const head =
      'POST /convert/streaming HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
      `Content-Type: ${body.headers['content-type']}\r\nContent-Length: ${body.payload.length}\r\n\r\n`;
    return rawExchange(port, Buffer.concat([Buffer.from(head), body.payload]));
  }

  it('a conversion stopped by its timeout after the header was streamed: the chunked body never ends, the client sees an error', async () => {
    pool.script = { sleepMs: 5000 };
    const terminated = pool.stats().terminated;
    const raw = await rawStreamingRequest();
    const { statusLine, headers, body } = parseResponse(raw);
    expect(statusLine).toBe('HTTP/1.1 200 OK');
    expect(headers['transfer-encoding']).toBe('chunked');
    // The header chunk arrived, then the connection closed without the last, zero-length chunk.
    expect(body).toBe('5\r\n<svg>\r\n');
    expect(body).not.toMatch(/(^|\r\n)0\r\n\r\n$/);
    expect(pool.stats().terminated).toBe(terminated + 1);
    const warned = lines.filter((l) => l.msg.startsWith('streamed conversion failed after the first bytes'));
    expect(warned.map((l) => [l.level, l.code])).toEqual([[40, 'TIMEOUT']]);

    const res = await fetch(`http://127.0.0.1:${port}/convert/streaming`, {
      method: 'POST',
      body: formData(image),
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('a worker error after the first bytes aborts the response the same way', async () => {
    pool.script = { sleepMs: 100, fail: 'CORRUPT_IMAGE' };
    const { statusLine, body } = parseResponse(await rawStreamingRequest());
    expect(statusLine).toBe('HTTP/1.1 200 OK');
    expect(body).toBe('5\r\n<svg>\r\n');
    const warned = lines.filter((l) => l.msg.startsWith('streamed conversion failed after the first bytes'));
    expect(warned.at(-1)).toMatchObject({ level: 40, code: 'CORRUPT_IMAGE' });
  });

  it('a failure before any byte still answers the JSON error', async () => {
    pool.script = { crash: true };
    const res = await fetch(`http://127.0.0.1:${port}/convert/streaming`, {
      method: 'POST',
      body: formData(image),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ statusCode: 500, code: 'INTERNAL' });
  });
});

describe('server-sent events', () => {
  it('streams rising progress events, then one completed event with the status, then ends', async () => {
    const png = await mosaicPng(700, 9);
    const submitted = await fetch(`${base}/convert/background?color_mode=color&use_cache=false`, {
      method: 'POST',
      body: formData(png),
    });
    const accepted = (await submitted.json()) as { task_id: string; status_url: string };
    const res = await fetch(`${base}${accepted.status_url}/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = await res.text();
    const events = body
      .trim()
      .split('\n\n')
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        return { event: eventLine.replace('event: ', ''), data: JSON.parse(dataLine.replace('data: ', '')) };
      });
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress as number);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)!.event).toBe('completed');
    expect(events.at(-1)!.data).toMatchObject({
      task_id: accepted.task_id,
      status: 'completed',
      progress: 100,
    });
    expect(events.filter((e) => e.event !== 'progress')).toHaveLength(1);
  });
});

describe('load', () => {
  it('answers 20 parallel conversions, none lost, while /health keeps answering', async () => {
    const images = await Promise.all(Array.from({ length: 20 }, (_, i) => shapesPng(60 + i * 4)));
    let finished = 0;
    const conversions = images.map((png) =>
      fetch(`${base}/convert?use_cache=false`, { method: 'POST', body: formData(png) }).then(async (r) => {
        finished++;
        return { status: r.status, text: await r.text() };
      }),
    );
    const healthLatencies: number[] = [];
    while (finished < 10) {
      const t0 = performance.now();
      const h = await fetch(`${base}/health`);
      expect(h.status).toBe(200);
      healthLatencies.push(performance.now() - t0);
    }
    const results = await Promise.all(conversions);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of results) expectSafeSvg(r.text);
    expect(healthLatencies.length).toBeGreaterThan(0);
    expect(Math.max(...healthLatencies)).toBeLessThan(1000);
  });
});

/** Writes `request` on a raw connection and reads all the server sends until it closes the connection. */
async function rawExchange(port: number, request: string | Buffer): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.write(request);
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return received;
}

/** The status line, the headers (lower-cased names) and the body of one raw HTTP/1.1 response. */
function parseResponse(raw: string) {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { statusLine, headers, body: raw.slice(end + 4) };
}

describe('kept-alive connections', () => {
  it("stay open 72 s when idle, longer than a load balancer's usual 60 s, and say so", async () => {
    const { port } = app.server.address() as { port: number };
    // HTTP/1.1 keeps the connection; "Connection: close" on a second request lets rawExchange end.
    const raw = await rawExchange(
      port,
      'GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const first = parseResponse(raw.slice(0, raw.indexOf('HTTP/1.1', 1)));
    expect(first.statusLine).toBe('HTTP/1.1 200 OK');
    expect(first.headers['connection']).toBe('keep-alive');
    expect(first.headers['keep-alive']).toBe('timeout=72');
    expect(app.server.keepAliveTimeout).toBe(72_000);
  });
});

describe('slow clients', () => {
  it('cuts off a client that sends its body or its headers too slowly (REQUEST_TIMEOUT) with our JSON 408', async () => {
    const { logger, lines } = logSink();
    const logged = await makeApp({ WORKER_POOL_SIZE: '1', REQUEST_TIMEOUT: '1' }, { logger });
    await logged.listen({ host: '127.0.0.1', port: 0 });
    const { port } = logged.server.address() as { port: number };
    const [slowBody, slowHeaders] = await Promise.all([
      rawExchange(
        port,
        'POST /convert HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n',
      ),
      rawExchange(port, 'POST /convert HTTP/1.1\r\nHost: x\r\nContent-Ty'),
    ]);
    for (const raw of [slowBody, slowHeaders]) {
      expect(raw).toMatch(/^HTTP\/1.1 408/);
      const { headers, body } = parseResponse(raw);
      expect(headers['content-type']).toBe('application/json; charset=utf-8');
      expect(headers['connection']).toBe('close');
      expect(Number(headers['content-length'])).toBe(Buffer.byteLength(body));
      expect(JSON.parse(body)).toEqual({
        statusCode: 408,
        code: 'REQUEST_TIMEOUT',
        error: 'Request Timeout',
        message: expect.stringMatching(/within 1 s \(REQUEST_TIMEOUT\)/),
      });
    }
    await logged.close();
    // One info line per client cut off (naming the request when its headers had arrived); no error logged.
    const refused = lines.filter((l) => l.code === 'REQUEST_TIMEOUT');
    expect(refused.map((l) => [l.level, l.url ?? 'headers not read'])).toEqual(
      expect.arrayContaining([
        [30, '/convert'],
        [30, 'headers not read'],
      ]),
    );
    expect(refused).toHaveLength(2);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('answers bytes that are not HTTP with our JSON 400, and oversized headers with 431', async () => {
    const { port } = app.server.address() as { port: number };
    const garbage = parseResponse(await rawExchange(port, 'HELLO / SMTP\r\n\r\n'));
    expect(garbage.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(garbage.body)).toMatchObject({ statusCode: 400, code: 'INVALID_REQUEST' });
    const huge = `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const tooLarge = parseResponse(await rawExchange(port, huge));
    expect(tooLarge.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(JSON.parse(tooLarge.body)).toMatchObject({ statusCode: 431, code: 'HEADERS_TOO_LARGE' });
  });
});

describe('SIGTERM', () => {
  it('stops accepting, finishes the request in flight, and exits 0 (and names its embedded backends)', async () => {
    const main = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        BACKEND_HOST: '127.0.0.1',
        BACKEND_PORT: '0',
        WORKER_POOL_SIZE: '1',
        SHUTDOWN_DRAIN_SECONDS: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d.toString();
        const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const png = await mosaicPng(600, 3);
    const inFlight = fetch(`${url}/convert?color_mode=color`, { method: 'POST', body: formData(png) });
    for (let i = 0; i < 200; i++) {
      const health = (await (await fetch(`${url}/health`)).json()) as { workers: { busy: number } };
      if (health.workers.busy > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expectSafeSvg(await res.text());
    // The answered connection is kept alive by fetch: shutdown closes it instead of waiting out the
    // 72 s keep-alive timeout.
    const answeredAt = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - answeredAt).toBeLessThan(10_000);
    expect(out).toMatch(/backends: embedded: in-memory cache, uploads and job queue/);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
