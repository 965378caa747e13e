/**
 * The engine in the page (issue 13): local mode converts in a Web Worker with
 * nothing uploaded and gives the service's SVG byte for byte (same options,
 * same pixels: PNGs, which every decoder reads alike); the live preview's
 * latency is measured (written to the console for docs/BENCHMARKS.md, never
 * asserted); and the installed app shell opens and converts with the
 * service gone and the browser offline.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { logo512, shapes, synthPhoto, type Fixture } from './fixtures.js';
import { closeClean, downloadSvg, uiSession, upload } from './page.js';

async function serviceSvg(url: string, fixture: Fixture, query: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(fixture.buffer)], { type: fixture.mimeType }), fixture.name);
  const response = await fetch(`${url}/api/convert?${query}`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  return response.text();
}

/** Waits until the result on screen is made with the options on screen (the stale note comes and goes). */
async function settled(page: Page): Promise<void> {
  await page.getByTestId('result-stale').waitFor({ state: 'detached' });
}

/** Records, in the page, the time from each input event on #detail to each new preview's pixels. */
async function measurePreviews(page: Page): Promise<void> {
  await page.evaluate(`if (!window.previewTimes) {
    window.previewTimes = [];
    document.querySelector('#detail').addEventListener('input', () => { window.changedAt = performance.now(); }, { capture: true });
    const seen = new Set();
    new MutationObserver(() => {
      const img = document.querySelector('img[data-testid="preview"]');
      if (!img || seen.has(img.src) || window.changedAt === undefined) return;
      seen.add(img.src);
      const entry = { scale: img.dataset.scale, side: img.dataset.side, key: img.dataset.key, from: window.changedAt };
      // Pixels are new once the image is decoded and the next frame is drawn. A preview replaced
      // before then (its decode rejects) still counts, at the frame after it was dropped.
      img.decode().catch(() => undefined).then(() => requestAnimationFrame(() => {
        window.previewTimes.push({ scale: entry.scale, side: entry.side, key: entry.key, ms: performance.now() - entry.from });
      }));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
  }`);
}

interface Timing {
  scale: string;
  side: string;
  key: string;
  ms: number;
}

/** Moves the detail slider and waits for the previews traced at these sides (larger side in px). */
async function previewTimes(page: Page, value: string, sides: number[]): Promise<Timing[]> {
  await page.locator('#detail').fill(value);
  const wanted = JSON.stringify(sides.map(String));
  await page
    .waitForFunction(
      `${wanted}.every((s) => window.previewTimes.some((t) => t.side === s && t.key.includes('detail=${value}')))`,
      undefined,
      { timeout: 60_000 },
    )
    .catch(async (error: unknown) => {
      const seen = JSON.stringify(await page.evaluate('window.previewTimes'));
      throw new Error(`no previews at ${wanted} for detail=${value}; seen ${seen}`, { cause: error });
    });
  const all = await page.evaluate<Timing[]>('window.previewTimes');
  return all.filter((t) => t.key.includes(`detail=${value}`));
}

describe('web UI: the engine in the browser, under the service’s Content-Security-Policy', () => {
  // The real policy: the module worker, blob: results and downloads must work under it.
  const session = uiSession({}, { bypassCSP: false });

  it('converts in local mode without uploading, byte-identical to the service', async () => {
    const page = await session.open();
    const sent: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/convert') || path.startsWith('/api/upload')) sent.push(path);
    });
    await page.getByRole('checkbox', { name: 'Local mode' }).check();
    const fixture = await shapes();
    await upload(page, fixture);
    await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
    expect((await downloadSvg(page)).svg).toBe(await serviceSvg(session.service.url, fixture, 'preset=auto'));

    await page.getByRole('radio', { name: 'Binary' }).check();
    await page.locator('#detail').fill('0.8');
    await settled(page);
    const binary = await downloadSvg(page);
    expect(binary.svg).toBe(
      await serviceSvg(session.service.url, fixture, 'preset=auto&color_mode=binary&detail=0.8'),
    );

    await page.getByRole('radio', { name: 'Colour' }).check();
    await page.getByRole('checkbox', { name: 'Choose the number of colours automatically' }).uncheck();
    await settled(page);
    const colour = await downloadSvg(page);
    expect(colour.svg).toBe(
      await serviceSvg(session.service.url, fixture, 'preset=auto&color_mode=color&colors=8&detail=0.8'),
    );
    expect(sent).toEqual([]);
    await closeClean(page);
  }, 90_000);
});

describe('web UI: the live preview’s latency', () => {
  // The measurement waits with string predicates, which the page's CSP forbids.
  const session = uiSession({}, { bypassCSP: true });

  it('previews a slider change at once: a 512 px logo and a 1 MP photo (measured, for the docs)', async () => {
    const page = await session.open();
    // The preview runs in both modes; local mode keeps the service out of the measurement.
    await page.getByRole('checkbox', { name: 'Local mode' }).check();
    await upload(page, await logo512());
    await page.getByRole('img', { name: 'SVG of logo-512.png' }).waitFor();
    await measurePreviews(page);
    // The first change decodes and warms the worker up; the second is what a person dragging feels.
    await previewTimes(page, '0.8', [160, 512]);
    const logo = await previewTimes(page, '0.7', [160, 512]);
    await page.getByTestId('preview').waitFor({ state: 'detached' });

    await page.getByRole('combobox', { name: 'Preset' }).selectOption('photo');
    await upload(page, await synthPhoto());
    await page.getByRole('img', { name: 'SVG of photo-1mp.png' }).waitFor({ timeout: 60_000 });
    await measurePreviews(page);
    await previewTimes(page, '0.4', [160, 400]);
    const photo = await previewTimes(page, '0.2', [160, 400]);

    const line = (name: string, times: Timing[]) =>
      `${name}: ${times.map((t) => `${t.scale} ${t.side} px ${t.ms.toFixed(0)} ms`).join(', ')}`;
    console.log(`[preview latency] ${line('logo 512 px', logo)}; ${line('photo 1 MP', photo)}`);
    for (const t of [...logo, ...photo]) expect(t.ms).toBeGreaterThan(0);
    // The preview is drawn over the stale result and says it is one.
    expect(await page.getByTestId('preview').count()).toBeLessThanOrEqual(1);
    await closeClean(page);
  }, 180_000);
});

describe('web UI: installed and offline', () => {
  const session = uiSession({}, { bypassCSP: false });

  it('has a web app manifest and opens and converts in local mode with the service gone and no network', async () => {
    const page = await session.open();
    const manifest = await page.evaluate<{ name: string; icons: { sizes: string }[] }>(
      `fetch(document.querySelector('link[rel="manifest"]').href).then((r) => r.json())`,
    );
    expect(manifest.name).toMatch(/image2svg/);
    expect(manifest.icons.some((i) => i.sizes === '512x512')).toBe(true);
    await page.getByRole('checkbox', { name: 'Local mode' }).check();
    // The service worker has installed the shell and controls the page (a promise: no string predicate,
    // which this page's script-src 'self' forbids).
    await page.evaluate(`new Promise((resolve) => {
      if (navigator.serviceWorker.controller) return resolve(true);
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
    })`);

    await session.service.stop();
    await page.context().setOffline(true);
    try {
      await page.reload();
      await page.getByRole('button', { name: 'Choose images' }).waitFor();
      await page.getByText('The service is not reachable.').waitFor();
      await upload(page, await shapes());
      await page.getByRole('img', { name: 'SVG of shapes.png' }).waitFor();
      expect(await page.locator('[data-stat="cache"]').innerText()).toBe('—');
      expect((await downloadSvg(page)).svg).toMatch(/^<svg\b/);
    } finally {
      await page.context().setOffline(false);
    }
    await closeClean(page);
  }, 90_000);
});
