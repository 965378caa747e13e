/**
 * Accessibility audit with axe-core injected into the page: no serious or
 * critical violation, in light and in dark mode, on the empty page and with
 * a result on screen (options, stats, viewer toolbar and list).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mark, shapes } from './fixtures.js';
import { closeClean, uiSession, upload } from './page.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const { violations, passes } = await page.evaluate<{ violations: Violation[]; passes: number }>(
    `axe.run(document).then((r) => ({ violations: r.violations, passes: r.passes.length }))`,
  );
  // axe ran its rules (a page it could not audit would pass nothing).
  expect(passes).toBeGreaterThan(10);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('web UI: accessibility (axe-core)', () => {
  // axe-core is injected as an inline script, which the page's CSP forbids.
  const session = uiSession({}, { bypassCSP: true });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no serious violation in ${scheme} mode`, async () => {
      const page = await session.open();
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousViolations(page)).toEqual([]);
      await upload(page, await shapes(), await mark(1));
      await page.waitForFunction(
        `document.querySelector('[data-testid="batch-count"]')?.textContent === '2 of 2 done'`,
      );
      await page.getByText('More options').click();
      expect(await seriousViolations(page)).toEqual([]);
      await closeClean(page);
    }, 60_000);
  }
});
