/**
 * Faults a new user met in the web UI (issue 13), each checked in a real
 * browser against the real service: auto mode by default and saying what it
 * picked, a background switch for dark mode, no stale export during an
 * update, an image over the size limit refused before upload with an offer to
 * shrink it, the curve tolerance's real default, the list of small faults
 * (new image shown, Fit enlarges, focus after removal, names, <h1>,
 * announcements, phone, preset label) and results kept in the page.
 */
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mark, png, shapes } from './fixtures.js';
import { PHONE, shotPath } from './harness.js';
import { closeClean, uiSession, upload } from './page.js';

const svgSrc = (page: Page): Promise<string | null> => page.locator('img.layer-svg').getAttribute('src');

async function srcChanged(page: Page, previous: string | null): Promise<void> {
  await page.waitForFunction(
    `document.querySelector('img.layer-svg')?.getAttribute('src') !== ${JSON.stringify(previous)}`,
  );
}

describe('web UI: faults a new user met', () => {
  // String predicates (waitForFunction) need the page's CSP bypassed; ui-local runs under it.
  const session = uiSession({}, { bypassCSP: true });

  it('starts on auto, says which mode it picked, and lets the mode be forced', async () => {
    const page = await session.open();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/convert')) requests.push(new URL(r.url()).search);
    });
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    expect(requests).toEqual(['?preset=auto']);
    expect(await page.getByRole('radio', { name: 'Auto' }).isChecked()).toBe(true);
    // A colour logo: auto picks a colour preset and says so, in the options and in the stats.
    expect(await page.locator('#mode-help').innerText()).toMatch(/^Auto picked Colour \(the \w+ preset\)/);
    expect(await page.locator('[data-stat="mode"]').innerText()).toBe('Colour (auto)');
    const first = await svgSrc(page);
    await page.getByRole('radio', { name: 'Binary' }).check();
    await srcChanged(page, first);
    expect(requests.at(-1)).toBe('?preset=auto&color_mode=binary');
    expect(await page.locator('[data-stat="mode"]').innerText()).toBe('Binary');
    await closeClean(page);
  }, 60_000);

  it('switches the background behind the result, so binary ink shows in dark mode', async () => {
    const page = await session.open();
    await page.emulateMedia({ colorScheme: 'dark' });
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const paneBackground = () =>
      page.evaluate<string>(
        `getComputedStyle(document.querySelector('[data-testid="svg-pane"]')).backgroundColor`,
      );
    const background = page.getByRole('combobox', { name: 'Background' });
    await background.selectOption('white');
    expect(await paneBackground()).toBe('rgb(255, 255, 255)');
    await background.selectOption('black');
    expect(await paneBackground()).toBe('rgb(0, 0, 0)');
    await background.selectOption('custom');
    await page.getByLabel('Background colour').fill('#336699');
    expect(await paneBackground()).toBe('rgb(51, 102, 153)');
    // The choice is kept for the next visit.
    await page.reload();
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    expect(await paneBackground()).toBe('rgb(51, 102, 153)');
    await closeClean(page);
  }, 60_000);

  it('never exports a stale result: the batch says how many are updating and waits', async () => {
    const page = await session.open();
    await upload(page, await mark(1), await mark(2), await mark(3));
    await page.waitForFunction(
      `document.querySelector('[data-testid="batch-count"]')?.textContent === '3 of 3 done'`,
    );
    const zip = page.getByRole('button', { name: 'Download all (.zip)' });
    expect(await zip.isEnabled()).toBe(true);

    // Hold the re-conversions until the test lets them go.
    let held = 0;
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const jobs = (url: URL): boolean => url.pathname === '/api/convert/background';
    await page.route(jobs, async (route: Route) => {
      held++;
      await released;
      // A job the page gave up on meanwhile is already handled: nothing to continue.
      await route.continue().catch(() => undefined);
    });
    await page.locator('#detail').fill('0.8');
    const updating = page.getByTestId('batch-updating');
    await updating.waitFor();
    expect(await updating.innerText()).toBe('3 of 3 updating');
    expect(await zip.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Download SVG', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Copy SVG' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Download the SVG of mark-2.png' }).isDisabled()).toBe(
      true,
    );
    await expect.poll(() => held).toBeGreaterThan(0);
    release();
    await page.waitForFunction(
      `document.querySelector('[data-testid="batch-count"]')?.textContent === '3 of 3 done'`,
    );
    await updating.waitFor({ state: 'detached' });
    expect(await zip.isEnabled()).toBe(true);
    await closeClean(page);
  }, 90_000);

  it('refuses an image over the size limit before sending it, and offers to shrink it', async () => {
    const page = await session.open();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/convert')) requests.push(new URL(r.url()).search);
    });
    // 8200 px wide: over the service's default MAX_IMAGE_DIMENSION (8192), though small in bytes.
    const wide = await png(
      'banner.png',
      8200,
      12,
      '<rect x="100" y="2" width="8000" height="8" fill="#000"/>',
    );
    await upload(page, wide);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(
      'This image is 8200×12 px; the service takes at most 8192 px per side.',
    );
    expect(await alert.innerText()).not.toContain('resize=true');
    expect(requests).toEqual([]);
    await page.screenshot({ path: shotPath('too-large.png') });
    await page.getByRole('button', { name: 'Shrink to 8192 px and convert' }).click();
    // At fit zoom the banner is a hairline: wait for it to be there, not to be visible.
    await page.getByRole('img', { name: 'SVG of banner.png' }).waitFor({ state: 'attached' });
    expect(requests).toEqual(['?preset=auto&resize=true']);
    await closeClean(page);
  }, 90_000);

  it('shows the real curve tolerance (0.25 px) and reaches it', async () => {
    const page = await session.open();
    await page.getByText('More options').click();
    const slider = page.getByRole('slider', { name: 'Curve tolerance' });
    expect(await slider.getAttribute('aria-valuetext')).toBe('0.25 px');
    await slider.press('ArrowLeft');
    expect(await slider.getAttribute('aria-valuetext')).toBe('0.20 px');
    await slider.press('ArrowRight');
    expect(await slider.getAttribute('aria-valuetext')).toBe('0.25 px');
    await closeClean(page);
  }, 30_000);

  it('shows a newly added image, fits a small one large, keeps focus after a removal, and names things', async () => {
    const page = await session.open();
    expect(await page.locator('h1').innerText()).toBe('image2svg');
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    // A result is announced to screen readers.
    await page
      .getByTestId('announcer')
      .getByText(/shapes\.png: SVG ready/)
      .waitFor();

    const icon = await png('icon.png', 32, 32, '<circle cx="16" cy="16" r="12" fill="#000"/>');
    await upload(page, icon);
    await page.getByRole('img', { name: 'SVG of icon.png' }).waitFor();
    const shown = await page.locator('.pane img.layer').first().boundingBox();
    const pane = await page.getByTestId('svg-pane').boundingBox();
    if (!shown || !pane) throw new Error('nothing on screen');
    expect(shown.width).toBeGreaterThan(pane.width * 0.5);
    await page.getByRole('button', { name: 'Fit' }).click();
    expect((await page.locator('.pane img.layer').first().boundingBox())?.width).toBeCloseTo(shown.width, 0);

    await page.getByRole('button', { name: '1:1', exact: true }).click();
    expect(await page.getByTestId('zoom-value').inputValue()).toBe('100%');

    await page.getByRole('button', { name: 'Remove icon.png' }).click();
    expect(await page.evaluate('document.activeElement?.closest(".file-row")?.textContent ?? ""')).toContain(
      'shapes.png',
    );
    await page.getByRole('button', { name: 'Remove shapes.png' }).click();
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Choose images');
    await closeClean(page);
  }, 60_000);

  it('keeps the result in view on a phone after an option change', async () => {
    const page = await session.open(PHONE);
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const first = await svgSrc(page);
    const detail = page.locator('#detail');
    await detail.scrollIntoViewIfNeeded();
    await detail.fill('0.8');
    await srcChanged(page, first);
    const box = await page.getByTestId('svg-pane').boundingBox();
    if (!box) throw new Error('the result is not on screen');
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    expect(await detail.isVisible()).toBe(true);
    await page.screenshot({ path: shotPath('phone-option-change.png') });
    await closeClean(page);
  }, 60_000);

  it('shows every preset’s label whole at 1440 px', async () => {
    const page = await session.open({ width: 1440, height: 900 });
    const select = page.getByRole('combobox', { name: 'Preset' });
    const presets = await select
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? ''));
    expect(presets.length).toBeGreaterThanOrEqual(7);
    for (const preset of presets) {
      await select.selectOption(preset);
      const [text, room] = await page.evaluate<[number, number]>(`(() => {
        const s = document.querySelector('#preset');
        const style = getComputedStyle(s);
        const canvas = document.createElement('canvas').getContext('2d');
        canvas.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
        const label = s.selectedOptions[0].textContent;
        // The arrow takes about 1.5em on the right.
        const arrow = 1.5 * parseFloat(style.fontSize);
        const inner = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
        return [canvas.measureText(label).width, inner];
      })()`);
      expect(text, preset).toBeLessThanOrEqual(room);
    }
    await closeClean(page);
  }, 30_000);

  it('shows a setting seen before at once, from the page, without converting again', async () => {
    const page = await session.open();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/convert')) requests.push(new URL(r.url()).search);
    });
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    const first = await svgSrc(page);
    const initial = await page.locator('#detail').inputValue();
    await page.locator('#detail').fill('0.8');
    await srcChanged(page, first);
    const second = await svgSrc(page);
    // Back to the preset's own value: no override is sent, and the page has that result already.
    await page.locator('#detail').fill(initial);
    await page.waitForFunction(
      `document.querySelector('img.layer-svg')?.getAttribute('src') === ${JSON.stringify(first)}`,
    );
    await page.locator('#detail').fill('0.8');
    await page.waitForFunction(
      `document.querySelector('img.layer-svg')?.getAttribute('src') === ${JSON.stringify(second)}`,
    );
    expect(requests).toEqual(['?preset=auto', '?preset=auto&detail=0.8']);
    await closeClean(page);
  }, 60_000);
});
