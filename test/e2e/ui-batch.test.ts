/**
 * The web UI in a real browser against the real service: a batch through
 * background jobs, a large file through chunked upload, and a refused file.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { largeBmp, mark, notAnImage } from './fixtures.js';
import { shotPath } from './harness.js';
import { closeClean, downloadSvg, recordValues, serviceError, SVG_START, uiSession, upload } from './page.js';

describe('web UI: batches, large files, refusals', () => {
  const session = uiSession();

  it('runs a batch through background jobs with a progress bar that reaches 100%, and zips the results', async () => {
    const page = await session.open();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    const resultCache: string[] = [];
    page.on('response', (r) => {
      if (/^\/api\/tasks\/[^/]+\/result$/.test(new URL(r.url()).pathname) && r.status() === 200)
        resultCache.push(r.headers()['x-cache'] ?? '');
    });
    await recordValues(
      page,
      'progressSeen',
      `(() => {
        const bar = document.querySelector('[data-testid="batch-progress"]');
        return bar ? Number(bar.getAttribute('aria-valuenow')) : null;
      })()`,
    );
    const files = await Promise.all([1, 2, 3].map(mark));
    await upload(page, ...files);
    await page.getByTestId('batch-progress').waitFor();
    await page.screenshot({ path: shotPath('batch-running.png') });
    await page
      .getByTestId('batch-count')
      .filter({ hasText: /^3 of 3 done$/ })
      .waitFor();

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
    // A background result shows the X-Cache of its result, as a direct one does.
    expect(resultCache).toHaveLength(3);
    const cache = await page.locator('[data-stat="cache"]').innerText();
    expect(cache).toMatch(/^(HIT|MISS)$/);
    expect(resultCache).toContain(cache);

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

  it('uploads a large file in chunks, then converts it in the background with one progress bar', async () => {
    const page = await session.open();
    const requests: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) requests.push(`${r.method()} ${url.pathname}${url.search}`);
    });
    // Every state text of the image, e.g. "35% · upload", as it changes.
    await recordValues(page, 'statesSeen', `document.querySelector('.file-state')?.textContent`);
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
      requests.filter((r) =>
        /^POST \/api\/convert\/background\?preset=auto&upload_id=ui-[0-9a-f]{24}$/.test(r),
      ),
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

    // An option change converts the upload again by its id: not one more byte of the file goes up.
    const first = await page.getByRole('img', { name: 'SVG of scan.bmp' }).getAttribute('src');
    await page.getByText('More options').click();
    await page.getByRole('checkbox', { name: 'Shrink very large images' }).check();
    await page
      .locator(`img.layer-svg:not([src=${JSON.stringify(first)}])`)
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    expect(requests.filter((r) => r === 'POST /api/upload/chunked')).toHaveLength(chunks.length);
    const byId = requests.filter((r) => r.startsWith('POST /api/convert/background?'));
    expect(byId).toHaveLength(2);
    const ids = byId.map((r) => new URLSearchParams(r.split('?')[1]).get('upload_id'));
    expect(ids[1]).toBe(ids[0]);
    expect(byId[1]).toContain('resize=true');
    await closeClean(page);
  }, 120_000);

  it('takes images dropped anywhere on the page or pasted from the clipboard', async () => {
    const page = await session.open();
    const bytes = [...(await mark(4)).buffer];
    // Synthetic drop and paste events carrying a real PNG, as a file manager or a screenshot tool sends them.
    await page.evaluate(`{
      const file = (name) => new File([new Uint8Array(${JSON.stringify(bytes)})], name, { type: 'image/png' });
      const dropped = new DataTransfer();
      dropped.items.add(file('dropped.png'));
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dropped, bubbles: true }));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
      const pasted = new DataTransfer();
      pasted.items.add(file('image.png'));
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true }));
    }`);
    await page
      .getByTestId('batch-count')
      .filter({ hasText: /^2 of 2 done$/ })
      .waitFor();
    const names = await page.locator('.file-name').allInnerTexts();
    expect(names[0]).toBe('dropped.png');
    expect(names[1]).toMatch(/^pasted-\d{6}-1\.png$/);
    expect(await page.locator('.drop-overlay').count()).toBe(0);
    await closeClean(page);
  }, 60_000);

  it('shows the service’s own message next to a file it refuses', async () => {
    const refused = notAnImage();
    const answer = await serviceError(session.service, refused);
    expect(answer.status).toBe(415);

    const page = await session.open();
    await upload(page, refused);
    const message = page.getByTestId('file-error');
    await message.waitFor();
    expect(await message.innerText()).toBe(answer.body.message);
    expect(await page.getByRole('button', { name: 'Try notes.png again' }).count()).toBe(0);
    expect(await page.getByRole('alert').innerText()).toContain(answer.body.code);
    await page.screenshot({ path: shotPath('refused.png') });
    await closeClean(page);
  }, 60_000);
});
