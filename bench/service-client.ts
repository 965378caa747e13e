/**
 * The service benchmark's HTTP clients, each request timed with
 * process.hrtime.bigint() from the call to the last byte of the answer
 * (autocannon reports whole milliseconds, too coarse for a path whose cost is
 * a fraction of one):
 * - TimedClient: node:http with a keep-alive agent, what a Node program would use;
 * - RawClient: autocannon's technique with microsecond timing: one kept-alive
 *   socket, each request's bytes built once and written in one call, the answer
 *   read by its Content-Length. Its own cost per request is a few microseconds,
 *   so what it measures is the server's path and the loopback, not a client
 *   library.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface MultipartBody {
  body: Buffer;
  contentType: string;
}

/** A multipart/form-data body with the image as the field `file`, built once and sent as is. */
export function multipart(file: Uint8Array): MultipartBody {
  const boundary = '----image2svgbench';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="image.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface TimedAnswer {
  /** Client-side time from sending the request to the answer's last byte, in ms. */
  ms: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

/** Requests over kept-alive connections of this client (one per request in flight). */
export class TimedClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 16 });

  post(url: string, { body, contentType }: MultipartBody): Promise<TimedAnswer> {
    return this.#send(url, 'POST', body, { 'content-type': contentType, 'content-length': body.length });
  }

  /** A GET that must answer 200. */
  async get(url: string): Promise<TimedAnswer> {
    const a = await this.#send(url, 'GET', null, {});
    if (a.status !== 200) throw new Error(`GET ${url}: ${a.status}`);
    return a;
  }

  #send(
    url: string,
    method: string,
    body: Buffer | null,
    headers: Record<string, string | number>,
  ): Promise<TimedAnswer> {
    return new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = request(url, { method, agent: this.#agent, headers });
      req.on('response', (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          resolve({ ms, status: res.statusCode ?? 0, headers: res.headers, bytes });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body) req.end(body);
      else req.end();
    });
  }

  /** Like `post`, but fails unless the answer is a 200 with the given X-Cache. */
  async expect(url: string, body: MultipartBody, cache: 'HIT' | 'MISS'): Promise<TimedAnswer> {
    const a = await this.post(url, body);
    if (a.status !== 200) throw new Error(`POST ${url}: ${a.status}`);
    if (a.headers['x-cache'] !== cache)
      throw new Error(`POST ${url}: X-Cache ${a.headers['x-cache']}, expected ${cache}`);
    return a;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** A request as the bytes RawClient writes: request line, headers and body, built once. */
export function rawRequest(
  method: 'GET' | 'POST',
  path: string,
  body?: { bytes: Uint8Array; contentType: string },
): Buffer {
  const head =
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    (body ? `Content-Type: ${body.contentType}\r\nContent-Length: ${body.bytes.length}\r\n` : '') +
    '\r\n';
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body.bytes]) : Buffer.from(head, 'latin1');
}

export interface RawAnswer {
  ms: number;
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  bytes: number;
}

/** One kept-alive connection, one request at a time; answers must carry Content-Length (no chunked). */
export class RawClient {
  readonly #host: string;
  readonly #port: number;
  /** null once the server has closed it (idle keep-alive timeout): the next request reconnects. */
  #socket: Socket | null = null;
  /** The answer's bytes so far, as received (joined once the head is complete or the body is). */
  #chunks: Buffer[] = [];
  #received = 0;
  /** Once the head is parsed: its size, status, headers and the body's length. */
  #head: { size: number; status: number; headers: Record<string, string>; length: number } | null = null;
  #waiting: { t0: bigint; resolve: (a: RawAnswer) => void; reject: (e: Error) => void } | null = null;

  private constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.#host = hostname;
    this.#port = Number(port);
  }

  static async open(url: string): Promise<RawClient> {
    const client = new RawClient(url);
    await client.#connect();
    return client;
  }

  #connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.#port, this.#host, () => {
        socket.off('error', reject);
        socket.on('error', (e) => this.#fail(e));
        this.#socket = socket;
        resolve(socket);
      });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.on('data', (data: Buffer) => {
        this.#chunks.push(data);
        this.#received += data.length;
        this.#parse();
      });
      socket.on('close', () => {
        if (this.#socket === socket) this.#socket = null;
        this.#fail(new Error('connection closed by the server'));
      });
    });
  }

  async send(request: Buffer): Promise<RawAnswer> {
    if (this.#waiting) throw new Error('RawClient sends one request at a time');
    const socket = this.#socket ?? (await this.#connect());
    return new Promise((resolve, reject) => {
      this.#waiting = { t0: process.hrtime.bigint(), resolve, reject };
      socket.write(request);
    });
  }

  /** Like `send`, but fails unless the answer is a 200 (with the given X-Cache, if any). */
  async expect(request: Buffer, cache?: 'HIT' | 'MISS'): Promise<RawAnswer> {
    const a = await this.send(request);
    if (a.status !== 200) throw new Error(`${request.toString('latin1', 0, 60)}...: ${a.status}`);
    if (cache && a.headers['x-cache'] !== cache)
      throw new Error(`X-Cache ${a.headers['x-cache']}, expected ${cache}`);
    return a;
  }

  #parse(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    if (!this.#head) {
      const joined = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
      this.#chunks = [joined];
      const end = joined.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = joined.toString('latin1', 0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      if (headers['content-length'] === undefined) {
        this.#fail(new Error('RawClient needs answers with Content-Length'));
        return;
      }
      const status = Number(lines[0].split(' ')[1]);
      this.#head = { size: end + 4, status, headers, length: Number(headers['content-length']) };
    }
    const { size, status, headers, length } = this.#head;
    if (this.#received < size + length) return;
    const ms = Number(process.hrtime.bigint() - waiting.t0) / 1e6;
    // Keep-alive with one request at a time: nothing follows the answer.
    this.#chunks = [];
    this.#received = 0;
    this.#head = null;
    this.#waiting = null;
    waiting.resolve({ ms, status, headers, bytes: length });
  }

  #fail(e: Error): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    this.#chunks = [];
    this.#received = 0;
    this.#head = null;
    waiting?.reject(e);
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }
}

/** The value below which a fraction `q` of the samples lie (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
