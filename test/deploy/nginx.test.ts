/**
 * The frontend's and the edge's nginx configuration, run in a real nginx on
 * loopback (skipped where the machine has no nginx: scripts/install-deploy-test-tools.sh
 * provides one, or set NGINX_BIN). The templates are rendered as the nginx image's entrypoint
 * does, then checked for what the deployment relies on: the UI with its
 * single-page fallback and caching, /api passed through unchanged, streamed
 * answers not held back, and nginx's own errors answered as the service's JSON.
 * Both images run nginx unprivileged (user 101, port 8080): run as root, the
 * test starts nginx as the user `nobody`, so a config that needs root fails here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, readText, TEST_TOOLS } from './deploy-files.js';

const nginxBin = findExecutable('NGINX_BIN', 'nginx', ['/usr/sbin/nginx', `${TEST_TOOLS}/usr/sbin/nginx`]);

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const NOBODY = 65534;

function chownTree(path: string, id: number): void {
  chownSync(path, id, id);
  chmodSync(path, 0o755);
  for (const entry of readdirSync(path, { withFileTypes: true }))
    if (entry.isDirectory()) chownTree(join(path, entry.name), id);
    else chownSync(join(path, entry.name), id, id);
}

/** What the image's envsubst step does: only the listed variables are replaced, nginx's own $vars stay. */
const render = (template: string, values: Record<string, string>): string =>
  template.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

describe.skipIf(!nginxBin)('nginx configuration (frontend image and production edge)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image2svg-nginx-'));
  let nginx: ChildProcess;
  let backend: Server;
  let frontendUrl = '';
  let edgeUrl = '';
  const seen: { url: string; forwardedFor: string | undefined }[] = [];
  let releaseStream: () => void = () => undefined;

  function answer(req: IncomingMessage, res: ServerResponse): void {
    seen.push({ url: req.url ?? '', forwardedFor: req.headers['x-forwarded-for'] as string | undefined });
    if (req.url === '/api/convert/streaming') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.write('<svg xmlns="http://www.w3.org/2000/svg">');
      releaseStream = () => res.end('</svg>');
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url }));
    });
  }

  beforeAll(async () => {
    backend = createServer(answer);
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as AddressInfo).port;
    const [frontendPort, edgePort, closedPort] = [await freePort(), await freePort(), await freePort()];
    frontendUrl = `http://127.0.0.1:${frontendPort}`;
    edgeUrl = `http://127.0.0.1:${edgePort}`;

    for (const sub of ['conf.d', 'image2svg', 'html/assets', 'temp'])
      mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'html/index.html'), '<!doctype html><title>image2svg</title>');
    writeFileSync(join(dir, 'html/assets/index-3f2a.js'), 'console.log(1)');
    writeFileSync(join(dir, 'image2svg/api-proxy.conf'), readText('frontend/api-proxy.conf'));
    const values = {
      NGINX_LOCAL_RESOLVERS: '127.0.0.1',
      BACKEND_UPSTREAM: `127.0.0.1:${backendPort}`,
      FRONTEND_UPSTREAM: `127.0.0.1:${closedPort}`,
      CLIENT_MAX_BODY_SIZE: '1m',
    };
    const local = (conf: string, port: number) =>
      render(conf, values)
        .replace('listen 8080;', `listen 127.0.0.1:${port};`)
        .replace('/etc/nginx/image2svg/', `${dir}/image2svg/`)
        .replace('/usr/share/nginx/html', `${dir}/html`);
    writeFileSync(join(dir, 'conf.d/frontend.conf'), local(readText('frontend/nginx.conf'), frontendPort));
    writeFileSync(join(dir, 'conf.d/edge.conf'), local(readText('frontend/edge.conf'), edgePort));
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `${t}_temp_path ${dir}/temp/${t};`)
      .join(' ');
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; master_process off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
       events {}
       http { types { text/html html; application/javascript js; } access_log off; ${temp}
              include ${dir}/conf.d/*.conf; }`,
    );

    // As the images do: not root. nginx then cannot bind a port below 1024 nor write outside its own files.
    const unprivileged = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
    if (process.getuid?.() === 0) chownTree(dir, NOBODY);
    nginx = spawn(nginxBin!, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
      stdio: 'ignore',
      ...unprivileged,
    });
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`${frontendUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (attempt > 100 || nginx.exitCode !== null) {
        throw new Error(`nginx did not start: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await new Promise((resolve) => backend.close(resolve));
  });

  it('both configurations listen on the unprivileged port 8080', () => {
    for (const file of ['frontend/nginx.conf', 'frontend/edge.conf'])
      expect(readText(file).match(/^\s*listen\s+([^;]+);/gm), file).toEqual(['    listen 8080;']);
  });

  it('serves the UI, never cached, and falls back to it for client-side routes', async () => {
    for (const path of ['/', '/convert/settings']) {
      const res = await fetch(frontendUrl + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>image2svg</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('caches hashed assets for a year and answers 404 for a missing one', async () => {
    const asset = await fetch(`${frontendUrl}/assets/index-3f2a.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${frontendUrl}/assets/missing.js`)).status).toBe(404);
  });

  it('passes /api requests to the backend with path and query unchanged and the real client address', async () => {
    const res = await fetch(`${frontendUrl}/api/tasks/abc?wait=1`, {
      headers: { 'x-forwarded-for': '6.6.6.6' },
    });
    expect(await res.json()).toEqual({ url: '/api/tasks/abc?wait=1' });
    expect(seen.at(-1)?.forwardedFor).toBe('127.0.0.1');
  });

  it('hands a streamed answer on before the backend has finished it, uncompressed', async () => {
    const res = await fetch(`${frontendUrl}/api/convert/streaming`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBeNull();
    const reader = res.body!.getReader();
    // A buffering or compressing proxy would hold this read until the backend ends the answer, which it
    // does only after the read.
    let timer: NodeJS.Timeout | undefined;
    const heldBack = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the proxy held the streamed answer back')), 10_000);
    });
    const first = await Promise.race([reader.read(), heldBack]).finally(() => clearTimeout(timer));
    expect(new TextDecoder().decode(first.value)).toMatch(/^<svg/);
    releaseStream();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest.endsWith('</svg>')).toBe(true);
  });

  it('answers an upload over client_max_body_size with the service’s JSON 413', async () => {
    const res = await fetch(`${frontendUrl}/api/convert`, {
      method: 'POST',
      body: new Uint8Array(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({ statusCode: 413, code: 'FILE_TOO_LARGE' });
  });

  it('edge: routes /api to the backend, and answers JSON 503 with Retry-After when an upstream is down', async () => {
    expect(await (await fetch(`${edgeUrl}/api/health`)).json()).toEqual({ url: '/api/health' });
    const down = await fetch(`${edgeUrl}/`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ statusCode: 503, code: 'BACKEND_UNAVAILABLE' });
  });
});
