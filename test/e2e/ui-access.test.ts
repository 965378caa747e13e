/**
 * The web UI in a real browser against the real service: phone width and
 * labels, the colours control, and the API key flow with a service that
 * requires a key.
 */
import { describe, expect, it } from 'vitest';
import { shapes } from './fixtures.js';
import { PHONE, shotPath } from './harness.js';
import { closeClean, serviceError, switchMode, uiSession, upload } from './page.js';

describe('web UI: phone width and labels', () => {
  const session = uiSession();

  it('fits a phone-width screen and labels every control', async () => {
    const page = await session.open(PHONE);
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

describe('web UI: the colours control', () => {
  const session = uiSession();

  it('reaches 256 colours with the slider or the box, in steps of one at the low end', async () => {
    const page = await session.open();
    await upload(page, await shapes());
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    await switchMode(page, 'Colour', 'color');
    const sent = (colors: string) =>
      page.waitForRequest(
        (r) => r.url().includes('/api/convert') && new URL(r.url()).searchParams.get('colors') === colors,
      );
    let request = sent('8');
    await page.getByRole('checkbox', { name: 'Choose the number of colours automatically' }).uncheck();
    await request;
    const slider = page.getByRole('slider', { name: 'Colours' });
    const box = page.getByRole('spinbutton', { name: 'Colours, exact number' });
    expect(await box.inputValue()).toBe('8');

    request = sent('256');
    await slider.press('End');
    expect(await box.inputValue()).toBe('256');
    expect(await slider.getAttribute('aria-valuetext')).toBe('256');
    await request;

    request = sent('3');
    await slider.press('Home');
    await slider.press('ArrowRight');
    expect(await box.inputValue()).toBe('3');
    await request;

    request = sent('100');
    await box.fill('100');
    expect(await slider.getAttribute('aria-valuetext')).toBe('100');
    await request;

    // Out of range: the box says so and nothing changes; leaving it shows the value in force.
    await box.fill('300');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await slider.getAttribute('aria-valuetext')).toBe('100');
    await box.press('Tab');
    expect(await box.inputValue()).toBe('100');
    await page.screenshot({ path: shotPath('colours-control.png') });
    await closeClean(page);
  }, 60_000);
});

describe('web UI with a service that requires an API key', () => {
  const session = uiSession({ API_KEY_REQUIRED: 'true', API_KEYS: 'test-key' });

  it('asks for the key on 401, sends it only in the X-API-Key header, and remembers it', async () => {
    const fixture = await shapes();
    const refused = await serviceError(session.service, fixture);
    expect(refused.status).toBe(401);

    const page = await session.open();
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
    // Not a refusal of the file itself: the row offers to try again.
    expect(await page.getByRole('button', { name: 'Try shapes.png again' }).count()).toBe(1);
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
