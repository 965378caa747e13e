/**
 * The web UI in a real browser (Debian's Chromium through playwright-core)
 * against the real service, started by the test: convert and re-convert,
 * compare at high zoom, batch through background jobs, refused files, phone
 * width, and the API key flow. Screenshots of each case are written to a
 * temporary folder (and to docs/screenshots with UPDATE_SCREENSHOTS=1).
 */
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareToOriginal } from '../../src/quality/index.js';
import { decode, emoji, largeBmp, mark, notAnImage, shapes, type Fixture } from './fixtures.js';
import {
  buildWebIfStale,
  DESKTOP,
  launchBrowser,
  PHONE,
  shotPath,
  startService,
  type Browser,
  type RunningService,
} from './harness.js';

const SVG_START = /^(<\?xml[^>]*\?>\s*)?<svg\b/;

const pageErrors = new WeakMap<Page, string[]>();

/** Closes the page and fails the test if a script in it threw. */
async function closeClean(page: Page): Promise<void> {
  await page.close();
  expect(pageErrors.get(page)).toEqual([]);
}

async function openPage(
  browser: Browser,
  service: RunningService,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${service.url}/`);
  await page.getByRole('button', { name: 'Choose images' }).waitFor();
  return page;
}

async function upload(page: Page, ...files: Fixture[]): Promise<void> {
  await page.setInputFiles(
    '#file-input',
    files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })),
  );
}

/** The service's own answer for an upload, to compare the UI's message with. */
async function serviceError(service: RunningService, file: Fixture, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }), file.name);
  const response = await fetch(`${service.url}/api/convert`, { method: 'POST', body: form, headers });
  return { status: response.status, body: (await response.json()) as { code: string; message: string } };
}

/** Picks a mode and waits until the result made with it is on screen; answers the service's response. */
async function switchMode(page: Page, label: 'Binary' | 'Grayscale' | 'Colour', param: string) {
  const previous = await page.locator('img.layer-svg').getAttribute('src');
  const response = page.waitForResponse((r) => new URL(r.url()).searchParams.get('color_mode') === param);
  await page.getByRole('radio', { name: label }).check();
  const answer = await response;
  await page.waitForFunction(
    `document.querySelector('img.layer-svg')?.getAttribute('src') !== ${JSON.stringify(previous)}`,
  );
  return answer;
}

async function downloadSvg(page: Page): Promise<{ name: string; svg: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download SVG' }).click(),
  ]);
  return { name: download.suggestedFilename(), svg: readFileSync(await download.path(), 'utf8') };
}

function percent(text: string): number {
  return Number(text.replace('%', ''));
}

async function layerBoxes(page: Page): Promise<string[]> {
  return page
    .locator('.pane img.layer')
    .evaluateAll((images) => images.map((img) => img.getAttribute('style') ?? ''));
}

describe('web UI against the real service', () => {
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    buildWebIfStale();
    [service, browser] = await Promise.all([startService(), launchBrowser()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('converts an image, re-converts when the mode changes, and downloads an SVG that renders like the original', async () => {
    const page = await openPage(browser, service);
    const fixture = await shapes();
    await upload(page, fixture);
    const svgImage = page.getByRole('img', { name: 'SVG of shapes.png' });
    await svgImage.waitFor();
    const binarySrc = await svgImage.getAttribute('src');
    expect(binarySrc).toMatch(/^blob:/);

    const colourRequest = page.waitForRequest(
      (r) => r.url().includes('/api/convert?') && new URL(r.url()).searchParams.get('color_mode') === 'color',
    );
    const colourResponse = page.waitForResponse((r) => r.url().includes('color_mode=color'));
    await page.getByRole('radio', { name: 'Colour' }).check();
    await colourRequest;
    // The previous result stays on screen until the new one arrives.
    expect(await svgImage.getAttribute('src')).toBe(binarySrc);
    const response = await colourResponse;
    expect(response.status()).toBe(200);
    await page.waitForFunction(
      `document.querySelector('img.layer-svg')?.getAttribute('src') !== ${JSON.stringify(binarySrc)}`,
    );

    const headers = response.headers();
    const stat = (name: string) => page.locator(`[data-stat="${name}"]`).innerText();
    expect(await stat('paths')).toBe(Number(headers['x-paths']).toLocaleString('en-US'));
    expect(await stat('nodes')).toBe(Number(headers['x-nodes']).toLocaleString('en-US'));
    expect(await stat('cache')).toBe(headers['x-cache']);

    const { name, svg } = await downloadSvg(page);
    expect(name).toBe('shapes.svg');
    expect(svg).toMatch(SVG_START);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const fidelity = compareToOriginal(await decode(fixture.buffer), svg);
    expect(fidelity.ssim).toBeGreaterThan(0.9);
    expect(fidelity.deltaE).toBeLessThan(5);

    await page.screenshot({ path: shotPath('convert.png') });
    await closeClean(page);
  }, 90_000);

  it('compares at high zoom: synchronised panes, pixelated original, keyboard split, path outlines', async () => {
    const page = await openPage(browser, service);
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const zoom = () => page.getByTestId('zoom-value').innerText().then(percent);

    while ((await zoom()) < 800) await page.getByRole('button', { name: 'Zoom in' }).click();
    const [originalBox, svgBox] = await layerBoxes(page);
    expect(svgBox).toBe(originalBox);
    expect(await page.locator('.pane img.layer').first().getAttribute('class')).toContain('is-pixelated');

    const svgPane = page.getByTestId('svg-pane');
    const box = await svgPane.boundingBox();
    if (!box) throw new Error('the SVG pane has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 - 30, { steps: 4 });
    await page.mouse.up();
    const [movedOriginal, movedSvg] = await layerBoxes(page);
    expect(movedSvg).toBe(movedOriginal);
    expect(movedSvg).not.toBe(svgBox);

    const before = await zoom();
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.mouse.wheel(0, 300);
    await page.waitForFunction(
      `document.querySelector('[data-testid="zoom-value"]')?.textContent !== '${before}%'`,
    );
    expect(await zoom()).toBeLessThan(before);

    const originalPane = page.getByRole('group', { name: 'Original' });
    await originalPane.focus();
    await page.keyboard.press('0');
    expect(await zoom()).toBeLessThanOrEqual(100);
    const fitted = await zoom();
    await page.keyboard.press('+');
    expect(await zoom()).toBeGreaterThan(fitted);
    await page.keyboard.press('0');

    await page.getByRole('radio', { name: 'Split' }).check();
    const divider = page.getByRole('slider', { name: /Split position/ });
    await divider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    expect(await divider.getAttribute('aria-valuenow')).toBe('40');
    await page.keyboard.press('End');
    expect(await divider.getAttribute('aria-valuenow')).toBe('100');
    expect(await page.locator('.split-clip').getAttribute('style')).toContain('inset(0px 0px 0px 100%)');
    await page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('PageUp');
    expect(await divider.getAttribute('aria-valuenow')).toBe('50');

    await page.getByRole('checkbox', { name: 'Outline paths' }).check();
    const outlinePaths = page.locator('.layer-outline svg path');
    await outlinePaths.first().waitFor();
    expect(await outlinePaths.count()).toBeGreaterThan(0);
    expect(
      await page.evaluate("getComputedStyle(document.querySelector('.layer-outline svg path')).fill"),
    ).toBe('none');
    expect(await page.locator('.layer-outline script').count()).toBe(0);
    for (let i = 0; i < 8; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.screenshot({ path: shotPath('compare.png') });
    await closeClean(page);
  }, 90_000);

  it('waits for the options to settle, then converts once', async () => {
    const page = await openPage(browser, service);
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/convert')) sent.push(new URL(r.url()).search);
    });
    for (const value of ['0.6', '0.7', '0.8']) await page.locator('#detail').fill(value);
    await page.waitForResponse((r) => r.url().includes('detail=0.8'));
    await page.waitForTimeout(800);
    expect(sent).toEqual(['?detail=0.8']);
    await closeClean(page);
  }, 60_000);

  it('runs a batch through background jobs with a progress bar that reaches 100%, and zips the results', async () => {
    const page = await openPage(browser, service);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    // Every value the batch bar shows, recorded in the page as it changes.
    await page.evaluate(`{
      const seen = (window.progressSeen = []);
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="batch-progress"]');
        const value = Number(bar?.getAttribute('aria-valuenow'));
        if (bar && seen[seen.length - 1] !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    }`);
    const files = await Promise.all([1, 2, 3].map(mark));
    await upload(page, ...files);
    await page.getByTestId('batch-progress').waitFor();
    await page.screenshot({ path: shotPath('batch-running.png') });
    await page.waitForFunction(
      `document.querySelector('[data-testid="batch-count"]')?.textContent === '3 of 3 done'`,
    );

    expect(await page.getByTestId('batch-progress').getAttribute('aria-valuenow')).toBe('100');
    const seen = await page.evaluate<number[]>('window.progressSeen');
    expect(seen[0]).toBeLessThan(100);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(
      await page.getByTestId('file-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state'))),
    ).toEqual(['done', 'done', 'done']);
    expect(requests.filter((r) => r === 'POST /api/convert/background')).toHaveLength(3);
    expect(requests.some((r) => /^GET \/api\/tasks\/[^/]+\/events$/.test(r))).toBe(true);
    expect(requests.filter((r) => r === 'POST /api/convert')).toHaveLength(0);

    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all (.zip)' }).click(),
    ]);
    const entries = unzipSync(readFileSync(await zip.path()));
    expect(Object.keys(entries).sort()).toEqual(['mark-1.svg', 'mark-2.svg', 'mark-3.svg']);
    for (const data of Object.values(entries)) expect(strFromU8(data)).toMatch(SVG_START);

    const [single] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the SVG of mark-2.png' }).click(),
    ]);
    expect(single.suggestedFilename()).toBe('mark-2.svg');
    expect(readFileSync(await single.path(), 'utf8')).toBe(strFromU8(entries['mark-2.svg']));
    await page.screenshot({ path: shotPath('batch-done.png') });
    await closeClean(page);
  }, 90_000);

  it('converts a colour picture faithfully (the screenshots for the docs)', async () => {
    const page = await openPage(browser, service);
    const fixture = await emoji('1f99c', 'parrot.png', 360);
    await upload(page, fixture);
    await page.getByRole('img', { name: 'SVG of parrot.png' }).waitFor();
    await switchMode(page, 'Colour', 'color');
    const { svg } = await downloadSvg(page);
    const fidelity = compareToOriginal(await decode(fixture.buffer), svg);
    expect(fidelity.ssim).toBeGreaterThan(0.85);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shotPath('ui-desktop.png', true) });

    await page.getByRole('radio', { name: 'Split' }).check();
    // Zoom in between the parrot's eye and beak, where curves meet corners, and put the divider there.
    const image = await page.locator('.pane img.layer').first().boundingBox();
    if (!image) throw new Error('the original is not on screen');
    const spot = { x: image.x + (image.width * 60) / 360, y: image.y + (image.height * 80) / 360 };
    await page.mouse.move(spot.x, spot.y);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -120);
    const handle = await page.locator('.split-handle').boundingBox();
    if (!handle) throw new Error('the divider is not on screen');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(spot.x, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shotPath('ui-split.png', true) });

    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.screenshot({ path: shotPath('ui-phone.png', true) });
    await closeClean(page);
  }, 90_000);

  it('uploads a large file in chunks, then converts it in the background with one progress bar', async () => {
    const page = await openPage(browser, service);
    const requests: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) requests.push(`${r.method()} ${url.pathname}${url.search}`);
    });
    // Every state text of the image, e.g. "35% · upload", recorded in the page as it changes.
    await page.evaluate(`{
      const seen = (window.statesSeen = []);
      new MutationObserver(() => {
        const text = document.querySelector('.file-state')?.textContent;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }`);
    const big = largeBmp('scan.bmp', 1800, 1600);
    expect(big.buffer.length).toBeGreaterThan(8 * 1024 * 1024);
    await upload(page, big);
    await page.getByRole('img', { name: 'SVG of scan.bmp' }).waitFor({ timeout: 60_000 });

    const chunks = requests.filter((r) => r === 'POST /api/upload/chunked');
    expect(chunks).toHaveLength(Math.ceil(big.buffer.length / (1024 * 1024)));
    expect(
      requests.filter((r) => /^POST \/api\/upload\/chunked\/ui-[0-9a-f]{24}\/complete$/.test(r)),
    ).toHaveLength(1);
    expect(
      requests.filter((r) => /^POST \/api\/convert\/background\?upload_id=ui-[0-9a-f]{24}$/.test(r)),
    ).toHaveLength(1);
    expect(requests.some((r) => r.startsWith('POST /api/convert?'))).toBe(false);

    const states = await page.evaluate<string[]>('window.statesSeen');
    const percents = states
      .map((t) => /^(\d+)%/.exec(t)?.[1])
      .filter((p) => p !== undefined)
      .map(Number);
    expect(states.some((t) => / · upload$/.test(t))).toBe(true);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(states.at(-1)).toMatch(/^SVG · /);
    const { svg } = await downloadSvg(page);
    expect(svg).toMatch(/viewBox="0 0 1800 1600"/);
    await closeClean(page);
  }, 120_000);

  it('shows the service’s own message next to a file it refuses', async () => {
    const refused = notAnImage();
    const answer = await serviceError(service, refused);
    expect(answer.status).toBe(415);

    const page = await openPage(browser, service);
    await upload(page, refused);
    const message = page.getByTestId('file-error');
    await message.waitFor();
    expect(await message.innerText()).toBe(answer.body.message);
    expect(await page.getByRole('alert').innerText()).toContain(answer.body.code);
    await page.screenshot({ path: shotPath('refused.png') });
    await closeClean(page);
  }, 60_000);

  it('fits a phone-width screen and labels every control', async () => {
    const page = await openPage(browser, service, PHONE);
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    await page.getByRole('slider', { name: /Split position/ }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.screenshot({ path: shotPath('phone.png') });

    await page.getByText('More options').click();
    const unlabelled = await page.evaluate<string[]>(`
      [...document.querySelectorAll('input, select, textarea, button, [role="slider"]')]
        .filter((el) => el.type !== 'file')
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
          (el.tagName === 'BUTTON' && el.textContent.trim())))
        .map((el) => el.outerHTML.slice(0, 80))
    `);
    expect(unlabelled).toEqual([]);
    await closeClean(page);
  }, 60_000);
});

describe('web UI with a service that requires an API key', () => {
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    buildWebIfStale();
    [service, browser] = await Promise.all([
      startService({ API_KEY_REQUIRED: 'true', API_KEYS: 'test-key' }),
      launchBrowser(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('asks for the key on 401, sends it only in the X-API-Key header, and remembers it', async () => {
    const fixture = await shapes();
    const refused = await serviceError(service, fixture);
    expect(refused.status).toBe(401);

    const page = await openPage(browser, service);
    const urls: string[] = [];
    const keyHeaders: (string | undefined)[] = [];
    page.on('request', (r) => {
      urls.push(r.url());
      if (r.url().includes('/api/convert')) keyHeaders.push(r.headers()['x-api-key']);
    });
    await upload(page, fixture);
    const dialog = page.getByRole('dialog', { name: 'This service needs an API key' });
    await dialog.waitFor();
    expect(await dialog.getByRole('alert').innerText()).toBe(refused.body.message);
    await page.screenshot({ path: shotPath('api-key-prompt.png') });

    await page.getByLabel('API key', { exact: true }).fill('test-key');
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    expect(keyHeaders).toEqual([undefined, 'test-key']);
    expect(await page.evaluate("localStorage.getItem('image2svg.apiKey')")).toBe('test-key');

    await page.reload();
    await upload(page, fixture);
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'API key set' }).isVisible()).toBe(true);
    expect(keyHeaders.at(-1)).toBe('test-key');
    expect(urls.filter((u) => u.includes('test-key'))).toEqual([]);
    await closeClean(page);
  }, 90_000);
});
