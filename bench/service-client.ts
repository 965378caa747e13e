/**
 * The service benchmark's HTTP client: one kept-alive loopback connection,
 * request bodies built once, each request timed with process.hrtime.bigint()
 * from the call to the last byte of the answer. autocannon reports whole
 * milliseconds, too coarse for a path whose cost is a fraction of one.
 */
import { Agent, request } from 'node:http';

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
