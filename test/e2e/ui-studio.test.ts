/**
 * The studio features (issue 13) in a real browser against the real service:
 * the palette and layers panel (hide, recolour, lock), exports (PNG at a
 * scale, data URI, the service's other formats when it lists them), and
 * history (undo/redo, settings in the URL and the browser, recipes).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { compareToOriginal } from '../../src/quality/index.js';
import { decode, shapes } from './fixtures.js';
import { shotPath } from './harness.js';
import { closeClean, downloadSvg, uiSession, upload } from './page.js';

async function openWithShapes(page: Page): Promise<void> {
  await upload(page, await shapes());
  await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
}

const fills = (svg: string): string[] => [
  ...new Set([...svg.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1])),
];

describe('web UI: palette, exports and history', () => {
  // String predicates (waitForFunction) need the page's CSP bypassed; ui-local runs under it.
  const session = uiSession({}, { bypassCSP: true });

  it('lists the colours, hides and recolours a layer in the view and the export, and locks the palette', async () => {
    const page = await session.open();
    await openWithShapes(page);
    const original = (await downloadSvg(page)).svg;
    const colours = fills(original);
    const rows = page.getByTestId('palette-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(colours.length);
    // Every row has its share of the area once measured; together they make the whole picture.
    await page.waitForFunction(
      `![...document.querySelectorAll('[data-testid="palette-row"]')].some((r) => r.textContent.includes('…'))`,
    );
    const shares = await rows.evaluateAll((trs) =>
      trs.map((tr) => parseFloat(tr.children[2]?.textContent ?? '0')),
    );
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);

    const [first, second] = colours;
    await page.getByRole('checkbox', { name: `Show ${first}` }).uncheck();
    const hidden = (await downloadSvg(page)).svg;
    expect(fills(hidden)).not.toContain(first);
    expect(fills(hidden)).toContain(second);
    await page.getByRole('checkbox', { name: `Show ${first}` }).check();
    await page.getByLabel(`Recolour ${second}`).fill('#00ff00');
    const recoloured = (await downloadSvg(page)).svg;
    expect(fills(recoloured)).toContain('#00ff00');
    expect(fills(recoloured)).not.toContain(second);
    await page.screenshot({ path: shotPath('ui-palette.png', true) });

    const locked = page.waitForRequest((r) => new URL(r.url()).searchParams.has('palette'));
    await page.getByRole('button', { name: 'Lock colours' }).click();
    const palette = new URL((await locked).url()).searchParams.get('palette')?.split(',');
    expect(palette).toContain('#00ff00');
    expect(palette).toContain(first);
    await closeClean(page);
  }, 60_000);

  it('exports a PNG at a chosen scale and copies the SVG as a data URI', async () => {
    const page = await session.open();
    await openWithShapes(page);
    const { svg } = await downloadSvg(page);
    await page.getByText('More exports').click();
    await page.getByLabel('PNG scale').fill('3');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('shapes.svg.png');
    const bytes = readFileSync(await png.path());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([720, 480]);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy as data URI' }).click();
    await page.getByRole('status').getByText('Data URI copied to the clipboard.').waitFor();
    const uri = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(uri.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(uri.split(',')[1], 'base64').toString('utf8')).toBe(svg);
    // The service lists PDF, EPS and DXF under POST /convert's format parameter: each is offered, and is
    // the service's own conversion of the same image with the same options.
    for (const format of ['PDF', 'EPS', 'DXF'])
      await page.getByRole('button', { name: `Download ${format}`, exact: true }).waitFor();
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF', exact: true }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe('shapes.pdf');
    expect(readFileSync(await pdf.path(), 'latin1').startsWith('%PDF')).toBe(true);
    await closeClean(page);
  }, 60_000);

  it('offers only the formats the service lists in its API description', async () => {
    const page = await session.open();
    // A service that writes PDF but not EPS or DXF.
    await page.route(
      (url) => url.pathname === '/api/docs/json',
      (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            paths: {
              '/convert': { post: { parameters: [{ name: 'format', schema: { enum: ['svg', 'pdf'] } }] } },
            },
          }),
        }),
    );
    await page.route(
      (url) => url.pathname === '/api/convert' && url.searchParams.get('format') === 'pdf',
      (route) => route.fulfill({ contentType: 'application/pdf', body: '%PDF-1.4 test' }),
    );
    await page.reload();
    await openWithShapes(page);
    await page.getByText('More exports').click();
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe('shapes.pdf');
    expect(readFileSync(await pdf.path(), 'latin1')).toBe('%PDF-1.4 test');
    // A service that lists only PDF gets no EPS or DXF button.
    expect(await page.getByRole('button', { name: /^Download (EPS|DXF)$/ }).count()).toBe(0);
    await closeClean(page);
  }, 60_000);

  it('undoes and redoes settings, keeps them in the URL and the browser, and saves and loads recipes', async () => {
    const page = await session.open();
    await openWithShapes(page);
    const detail = page.locator('#detail');
    const initial = await detail.inputValue();
    const search = () => page.evaluate<string>('location.search');
    await detail.fill('0.8');
    await page.waitForFunction(`location.search.includes('detail=0.8')`);
    expect(await search()).toContain('preset=auto');

    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await detail.inputValue()).toBe(initial);
    await page.waitForFunction(`!location.search.includes('detail=')`);
    await page.getByRole('button', { name: 'Redo' }).click();
    expect(await detail.inputValue()).toBe('0.8');
    await page.locator('h1').click();
    await page.keyboard.press('Control+z');
    expect(await detail.inputValue()).toBe(initial);
    await page.keyboard.press('Control+Shift+z');
    expect(await detail.inputValue()).toBe('0.8');

    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save recipe' }).click(),
    ]);
    const recipe = JSON.parse(readFileSync(await saved.path(), 'utf8')) as {
      options: Record<string, string>;
    };
    expect(recipe.options).toEqual({ preset: 'auto', detail: '0.8' });

    await page.setInputFiles('[data-testid="recipe-input"]', {
      name: 'poster.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ image2svg_recipe: 1, options: { preset: 'posterize', detail: '0.9' } }),
      ),
    });
    await page.getByRole('status').getByText('Recipe loaded.').waitFor();
    expect(await page.getByRole('combobox', { name: 'Preset' }).inputValue()).toBe('posterize');
    expect(await detail.inputValue()).toBe('0.9');
    await page.waitForFunction(`location.search.includes('preset=posterize')`);

    // A link opens the same settings; without one, the browser remembers the last.
    await page.reload();
    expect(await page.getByRole('combobox', { name: 'Preset' }).inputValue()).toBe('posterize');
    expect(await page.locator('#detail').inputValue()).toBe('0.9');
    await page.goto(`${session.service.url}/`);
    expect(await page.getByRole('combobox', { name: 'Preset' }).inputValue()).toBe('posterize');
    await closeClean(page);
  }, 60_000);

  it('inspects: a typed zoom, pixel grid lines from 800%, and holding O to peek at the original', async () => {
    const page = await session.open();
    await openWithShapes(page);
    const zoomBox = page.getByRole('textbox', { name: 'Zoom level in percent' });
    await zoomBox.fill('400');
    await zoomBox.press('Enter');
    expect(await zoomBox.inputValue()).toBe('400%');
    expect(await page.getByTestId('pixel-grid').count()).toBe(0);
    await zoomBox.fill('1200%');
    await zoomBox.press('Enter');
    expect(await zoomBox.inputValue()).toBe('1200%');
    expect(await page.getByTestId('pixel-grid').count()).toBe(2);
    expect(await page.getByTestId('pixel-grid').first().getAttribute('style')).toContain(
      'background-size: 12px 12px',
    );

    const pane = page.getByTestId('svg-pane');
    await pane.focus();
    await page.keyboard.down('o');
    await pane.locator('img.layer-peek').waitFor();
    expect(await pane.locator('img.layer-svg').count()).toBe(0);
    await page.keyboard.up('o');
    await pane.locator('img.layer-svg').waitFor();
    expect(await pane.locator('img.layer-peek').count()).toBe(0);

    // The benchmark's SSIM and ΔE, measured in the page, agree with the benchmark's own (resvg) rendering.
    await page.waitForFunction(`document.querySelector('[data-stat="ssim"]')?.textContent !== '…'`);
    const shownSsim = Number(await page.locator('[data-stat="ssim"]').innerText());
    const shownDeltaE = Number(await page.locator('[data-stat="δe"]').innerText());
    const fixture = await shapes();
    const reference = compareToOriginal(await decode(fixture.buffer), (await downloadSvg(page)).svg);
    expect(Math.abs(shownSsim - reference.ssim)).toBeLessThan(0.02);
    expect(Math.abs(shownDeltaE - reference.deltaE)).toBeLessThan(0.5);
    await page.getByRole('checkbox', { name: 'Differences' }).check();
    await page.getByRole('img', { name: 'Where the SVG of shapes.png differs from the original' }).waitFor();
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.screenshot({ path: shotPath('ui-differences.png', true) });
    await closeClean(page);
  }, 60_000);
});
