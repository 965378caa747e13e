/**
 * The web UI in a real browser (Debian's Chromium through playwright-core)
 * against the real service, started by the test: convert and re-convert,
 * compare at high zoom, the debounce, and a colour picture (which also makes
 * the screenshots kept in docs/screenshots with UPDATE_SCREENSHOTS=1).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { compareToOriginal } from '../../src/quality/index.js';
import { decode, emoji, shapes } from './fixtures.js';
import { PHONE, shotPath } from './harness.js';
import { closeClean, downloadSvg, SVG_START, switchMode, uiSession, upload } from './page.js';

function percent(text: string): number {
  return Number(text.replace('%', ''));
}

/** Size and position of the original and the SVG layers, which must always agree. */
async function layerBoxes(page: Page): Promise<string[]> {
  return page
    .locator('.pane img.layer')
    .evaluateAll((images) => images.map((img) => img.getAttribute('style') ?? ''));
}

describe('web UI: convert and compare', () => {
  const session = uiSession();

  it('converts an image, re-converts when the mode changes, and downloads an SVG that renders like the original', async () => {
    const page = await session.open();
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
    await page
      .locator(`img.layer-svg:not([src=${JSON.stringify(binarySrc)}])`)
      .first()
      .waitFor();

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

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy SVG' }).click();
    await page.getByRole('status').getByText('SVG copied to the clipboard.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(svg);

    await page.screenshot({ path: shotPath('convert.png') });
    await closeClean(page);
  }, 90_000);

  it('compares at high zoom: synchronised panes, pixelated original, keyboard split, path outlines', async () => {
    const page = await session.open();
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const zoom = () => page.getByTestId('zoom-value').inputValue().then(percent);

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
    await expect.poll(zoom).not.toBe(before);
    expect(await zoom()).toBeLessThan(before);

    const originalPane = page.getByRole('group', { name: 'Original' });
    await originalPane.focus();
    await page.keyboard.press('0');
    // Fit: the whole image, as large as the pane allows (a 240 px image is enlarged).
    const fitted = await zoom();
    const fittedBox = await page.locator('.pane img.layer').first().boundingBox();
    const paneBox = await originalPane.boundingBox();
    if (!fittedBox || !paneBox) throw new Error('nothing on screen');
    expect(Math.max(fittedBox.width / paneBox.width, fittedBox.height / paneBox.height)).toBeCloseTo(0.94, 1);
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
    const page = await session.open();
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/convert')) sent.push(new URL(r.url()).search);
    });
    for (const value of ['0.6', '0.7', '0.8']) await page.locator('#detail').fill(value);
    await page.waitForResponse((r) => r.url().includes('detail=0.8'));
    await page.waitForTimeout(800);
    expect(sent).toEqual(['?preset=auto&detail=0.8']);
    await closeClean(page);
  }, 60_000);

  it('converts a colour picture faithfully (the screenshots for the docs)', async () => {
    const page = await session.open();
    const fixture = await emoji('1f99c', 'parrot.png', 360);
    await upload(page, fixture);
    await page.getByRole('img', { name: 'SVG of parrot.png' }).waitFor();
    await switchMode(page, 'Colour', 'color');
    const { svg } = await downloadSvg(page);
    const fidelity = compareToOriginal(await decode(fixture.buffer), svg);
    expect(fidelity.ssim).toBeGreaterThan(0.85);
    await page.mouse.move(0, 0);
    await page.evaluate('window.scrollTo(0, 0)');
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
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: shotPath('ui-phone.png', true) });
    await closeClean(page);
  }, 90_000);
});
