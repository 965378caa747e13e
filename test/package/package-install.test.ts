/**
 * The package as a user gets it: `npm pack` makes the tarball (from the
 * dist/ the global setup built), `npm install --offline` puts it in a fresh
 * project, and that project uses `image2svg` and `image2svg/node` from Node
 * (JavaScript and TypeScript against the shipped .d.ts) and `image2svg` from
 * a page bundled by Vite and run in Chromium. Offline: the project's other
 * dependencies are this checkout's installed copies (file: links), so the
 * install fetches nothing and takes seconds.
 */
import { execFileSync } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { CHROMIUM } from '../e2e/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let project: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'image2svg-pack-'));
  project = join(dir, 'project');
  await mkdir(project);
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT),
  ) as { filename: string; files: { path: string }[] }[];
  const files = packed[0].files.map((f) => f.path);
  expect(files).toContain('dist/engine/index.js');
  expect(files).toContain('dist/engine/index.d.ts');
  expect(files).toContain('dist/node/index.d.ts');
  const dependencies = Object.fromEntries(
    Object.keys(pkg.dependencies).map((name) => [name, `file:${join(ROOT, 'node_modules', name)}`]),
  );
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies }),
  );
  run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed[0].filename)],
    project,
  );
  // A 300 ppi PNG: 600x300 pixels are 2x1 inches.
  await sharp({ create: { width: 600, height: 300, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: await sharp({ create: { width: 300, height: 150, channels: 3, background: '#000000' } })
          .png()
          .toBuffer(),
        left: 150,
        top: 75,
      },
    ])
    .withMetadata({ density: 300 })
    .png()
    .toFile(join(project, 'box.png'));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const NODE_CONSUMER = `
import { vectorize, ENGINE_VERSION } from 'image2svg';
import { convertFile, convertBuffer, decodeImage, DecodeError } from 'image2svg/node';
import { readFileSync } from 'node:fs';

const data = new Uint8ClampedArray(8 * 8 * 4);
for (let i = 0; i < 64; i++) {
  const ink = i % 8 >= 2 && i % 8 < 6 && i >= 16 && i < 48;
  data.set(ink ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
}
const engine = vectorize({ width: 8, height: 8, data });
const file = await convertFile('box.png', { units: 'mm' });
const buffer = await convertBuffer(readFileSync('box.png'), { mode: 'color' });
const decoded = await decodeImage(readFileSync('box.png'));
let decodeError = null;
try { await decodeImage(new Uint8Array([1, 2, 3])); } catch (e) { decodeError = e instanceof DecodeError ? e.code : String(e); }
let deep = null;
try { await import('image2svg/dist/server/main.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({
  version: ENGINE_VERSION,
  engineSvg: engine.svg,
  fileSvg: file.data,
  density: file.image.density,
  bufferPaths: buffer.stats.paths,
  decoded: [decoded.raster.width, decoded.raster.height, decoded.format],
  decodeError,
  deep,
}));
`;

const TS_CONSUMER = `
import { vectorize, type VectorizeOptions, type VectorizeResult } from 'image2svg';
import { convertFile, type ConvertFileResult, type DecodedImage } from 'image2svg/node';

const options: VectorizeOptions = { mode: 'color', units: 'mm', dpi: 300 };
const r: VectorizeResult = vectorize({ width: 1, height: 1, data: new Uint8ClampedArray(4) }, options);
const f: Promise<ConvertFileResult> = convertFile('x.png', { mode: 'binary' });
const n: number = r.stats.paths;
export type { DecodedImage };
export { f, n };
// @ts-expect-error: not an option
vectorize({ width: 1, height: 1, data: new Uint8ClampedArray(4) }, { colours: 3 });
`;

describe('the packed package', () => {
  it('works from Node through both entry points of its exports map', async () => {
    await writeFile(join(project, 'consumer.mjs'), NODE_CONSUMER);
    const out = JSON.parse(run(process.execPath, ['consumer.mjs'], project)) as Record<string, unknown>;
    expect(out.engineSvg).toMatch(/^<svg [^>]*viewBox="0 0 8 8"[^>]*><path fill="#000000" d="m/);
    // 600 px at the file's 300 ppi are 2 in = 50.8 mm; the viewBox stays in pixels.
    expect(out.density).toBe(300);
    expect(out.fileSvg).toContain('viewBox="0 0 600 300" width="50.8mm" height="25.4mm"');
    expect(out.bufferPaths).toBeGreaterThanOrEqual(1);
    expect(out.decoded).toEqual([600, 300, 'png']);
    expect(out.decodeError).toBe('UNSUPPORTED_FORMAT');
    expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks a TypeScript consumer against the shipped declarations', async () => {
    await writeFile(join(project, 'consumer.ts'), TS_CONSUMER);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const types = [
      '--typeRoots',
      join(ROOT, 'node_modules/@types'),
      '--types',
      'node',
      '--skipLibCheck',
      'false',
    ];
    expect(run(process.execPath, [tsc, ...args, ...types, 'consumer.ts'], project)).toBe('');
  });

  it('bundles the engine entry for a browser page that vectorizes in Chromium', async () => {
    await writeFile(
      join(project, 'index.html'),
      '<!doctype html><html><body><script type="module" src="./page.js"></script></body></html>',
    );
    await writeFile(
      join(project, 'page.js'),
      `import { vectorize } from 'image2svg';
const data = new Uint8ClampedArray(16 * 16 * 4);
for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) {
  const ink = (x - 8) ** 2 + (y - 8) ** 2 < 25;
  data.set(ink ? [200, 0, 0, 255] : [0, 0, 0, 0], (y * 16 + x) * 4);
}
window.result = vectorize({ width: 16, height: 16, data }, { mode: 'color' }).svg;`,
    );
    const outDir = join(project, 'web');
    await build({
      root: project,
      logLevel: 'silent',
      configFile: false,
      build: { outDir, emptyOutDir: true, minify: false },
    });
    const server: Server = createServer((req, res) => {
      const path = join(outDir, req.url === '/' ? 'index.html' : (req.url ?? '').split('?')[0]);
      readFile(path).then(
        (body) => {
          const type = extname(path) === '.js' ? 'text/javascript' : 'text/html';
          res.writeHead(200, { 'Content-Type': type }).end(body);
        },
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${port}/`);
      const svg = await page.waitForFunction(() => (globalThis as unknown as { result?: string }).result);
      expect(errors).toEqual([]);
      expect(await svg.jsonValue()).toMatch(/^<svg [^>]*viewBox="0 0 16 16"[^>]*><path fill="#c80000"/);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
