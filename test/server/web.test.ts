import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefersHtml } from '../../src/server/app.js';
import { makeApp } from './helpers.js';

let app: FastifyInstance;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'image2svg-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>image2svg</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  app = await makeApp({ API_KEY_REQUIRED: 'true', API_KEYS: 'a-key-for-tests' }, { webRoot: root });
});
afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true });
});

describe('the web UI', () => {
  it('answers index.html to a browser at /, JSON to API clients, and JSON at /api always', async () => {
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await app.inject({ url: '/', headers: { accept: browser } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>image2svg</title>');
    expect((await app.inject({ url: '/', headers: { accept: 'application/json' } })).json().name).toBe(
      'image2svg',
    );
    expect((await app.inject({ url: '/api/', headers: { accept: browser } })).json().name).toBe('image2svg');
  });

  it('serves the assets without an API key, and 404s missing files as JSON', async () => {
    const js = await app.inject('/assets/app.js');
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log(1)');
    const missing = await app.inject('/assets/nope.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
  });

  it('ranks the Accept header', () => {
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/json, text/html')).toBe(false);
    expect(prefersHtml('text/html, application/json')).toBe(true);
  });
});
