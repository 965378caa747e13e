/**
 * Page-level helpers shared by the browser tests: a session (service +
 * browser for one test file), opening the UI, uploading, waiting for a
 * re-conversion, downloading, and the service's own answers to compare with.
 */
import { readFileSync } from 'node:fs';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Fixture } from './fixtures.js';
import {
  buildWebIfStale,
  DESKTOP,
  launchBrowser,
  startService,
  type Browser,
  type BrowserOptions,
  type RunningService,
} from './harness.js';

export const SVG_START = /^(<\?xml[^>]*\?>\s*)?<svg\b/;

export interface Session {
  readonly service: RunningService;
  open(viewport?: { width: number; height: number }): Promise<Page>;
}

/** Starts the service (with `env`) and a browser before the file's tests, and stops both after. */
export function uiSession(env: Record<string, string> = {}, browserOptions: BrowserOptions = {}): Session {
  let service: RunningService | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    buildWebIfStale();
    [service, browser] = await Promise.all([startService(env), launchBrowser(browserOptions)]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });
  return {
    get service() {
      if (!service) throw new Error('the service is not running');
      return service;
    },
    open: (viewport = DESKTOP) => {
      if (!service || !browser) throw new Error('the session did not start');
      return openPage(browser, service, viewport);
    },
  };
}

const pageErrors = new WeakMap<Page, string[]>();

async function openPage(
  browser: Browser,
  service: RunningService,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  // Each test's page starts with nothing kept from another (settings, local mode, key); a reload keeps them.
  await page.addInitScript(`if (!sessionStorage.getItem('e2e-page')) {
    localStorage.clear();
    sessionStorage.setItem('e2e-page', '1');
  }`);
  // The page runs under the service's CSP (UI_CSP): anything the UI needs and the policy blocks is an error.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${service.url}/`);
  await page.getByRole('button', { name: 'Choose images' }).waitFor();
  return page;
}

/** Closes the page and fails the test if a script in it threw, or the page's CSP blocked something. */
export async function closeClean(page: Page): Promise<void> {
  await page.close();
  expect(pageErrors.get(page)).toEqual([]);
}

export async function upload(page: Page, ...files: Fixture[]): Promise<void> {
  await page.setInputFiles(
    '#file-input',
    files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })),
  );
}

/** The service's own answer for an upload, to compare the UI's message with. */
export async function serviceError(service: RunningService, file: Fixture) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.name);
  const response = await fetch(`${service.url}/api/convert`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as { code: string; message: string } };
}

/** Picks a mode and waits until the result made with it is on screen; answers the service's response. */
export async function switchMode(
  page: Page,
  label: 'Binary' | 'Grayscale' | 'Colour',
  param: string,
): Promise<Response> {
  const previous = await page.locator('img.layer-svg').getAttribute('src');
  const response = page.waitForResponse((r) => new URL(r.url()).searchParams.get('color_mode') === param);
  await page.getByRole('radio', { name: label }).check();
  const answer = await response;
  // A locator wait, not waitForFunction with a string: the UI's CSP forbids the eval that would need.
  await page
    .locator(
      previous === null ? 'img.layer-svg[src]' : `img.layer-svg:not([src=${JSON.stringify(previous)}])`,
    )
    .first()
    .waitFor();
  return answer;
}

export async function downloadSvg(page: Page): Promise<{ name: string; svg: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download SVG' }).click(),
  ]);
  return { name: download.suggestedFilename(), svg: readFileSync(await download.path(), 'utf8') };
}

/**
 * Records in the page every distinct value `expression` takes (evaluated on
 * each DOM change) under `window[name]`; read them back with `page.evaluate(name)`.
 */
export async function recordValues(page: Page, name: string, expression: string): Promise<void> {
  await page.evaluate(`{
    const seen = (window[${JSON.stringify(name)}] = []);
    new MutationObserver(() => {
      const value = ${expression};
      if (value !== undefined && value !== null && seen[seen.length - 1] !== value) seen.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }`);
}
