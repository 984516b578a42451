/**
 * Every template's HTML report opened as a person opens it: in a real headless browser (Debian's
 * chromium through playwright-core, never a browser download). No console error, no dialog (the
 * hostile café name stays text), no request but the file itself, every chart and map rendered,
 * the headline figures visible, readable on a phone and on a desktop without horizontal overflow
 * (screenshots kept in .test-artifacts/), and an accessibility check (axe-core) without a serious
 * violation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, renderFrom, reportWarehouses } from '../helpers/report-network.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir } from '../helpers/warehouse.ts';

const ARTIFACTS = new URL('../../.test-artifacts/', import.meta.url).pathname;
const hasChromium = requireTool('chromium', 'chromium');

// [template, --for, the hostile network?, a row the reader must see (by hand: test/reports/html.test.ts, templates.test.ts)]
const CASES = [
  ['annual', null, false, /Kilomètres évités — pain\s+367 km/],
  ['cohesion', null, false, /Kilomètres évités — pain\s+367 km/],
  ['cafe-sheet', 'cafe:C2', true, /Habitants mobilisés\s+secret statistique\s+6 personnes/],
  ['itinerant', null, true, /Personnes touchées par les événements\s+500 personnes\s+512 personnes/],
  ['programme', 'programme:guinguette_mobile', false, /Événements\s+2 événements\s+3 événements/],
] as const;

describe.runIf(hasChromium)('the reports in Chromium', () => {
  const files = new Map<string, string>();
  beforeAll(async () => {
    const { golden, hostile } = await reportWarehouses();
    for (const [template, f, h] of CASES) {
      const file = join(tempDir(), `${template}.html`);
      writeFileSync(file, await renderFrom(h ? hostile : golden, template, { for: f }));
      files.set(template, file);
    }
  }, 120_000);

  it('each opens without a console error, dialog or request, shows its figures and charts at phone and desktop widths; axe finds no serious violation', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [template, , hostile, row] of CASES) {
        const file = files.get(template)!;
        for (const [name, width, height] of [['phone', 375, 812], ['desktop', 1280, 900]] as const) {
          const page = await browser.newPage({ viewport: { width, height } });
          const errors: string[] = [];
          const requests: string[] = [];
          const dialogs: string[] = [];
          page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
          page.on('pageerror', (e) => errors.push(e.message));
          page.on('request', (r) => requests.push(r.url()));
          page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
          await page.goto(pathToFileURL(file).href);
          expect(errors, template).toEqual([]);
          expect(dialogs, template).toEqual([]);
          expect(requests, template).toEqual([pathToFileURL(file).href]);
          await expect(page.getByRole('row', { name: row }).first().isVisible(), `${template}: ${row}`).resolves.toBe(true);
          if (hostile) {
            // the name is text on the page, and no element came out of it
            await expect(page.getByText(HOSTILE).first().isVisible()).resolves.toBe(true);
            expect(await page.locator('img').count()).toBe(0);
          }
          const charts = page.locator('figure svg');
          const n = await charts.count();
          expect(n, `${template}: charts`).toBeGreaterThan(0);
          for (let i = 0; i < n; i++) {
            const box = await charts.nth(i).boundingBox();
            expect(box!.width, `${template}: chart ${i}`).toBeGreaterThan(100);
            expect(box!.width).toBeLessThanOrEqual(width);
            // drawn: marks inside, not an empty frame
            expect(await charts.nth(i).locator('path, line').count()).toBeGreaterThan(2);
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${template} ${name}: overflow`).toBeLessThanOrEqual(width);
          // row headers stay readable (found on a phone: numeric cells that never wrap crushed them to a letter a line)
          const narrowest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('th[scope=row]')].map((e) => e.getBoundingClientRect().width)));
          expect(narrowest, `${template} ${name}: narrowest row header`).toBeGreaterThanOrEqual(100);
          await page.screenshot({ path: join(ARTIFACTS, `${template}-${name}.png`), fullPage: true });
          await page.close();
        }
        // axe-core, injected past the report's own policy (which forbids every script)
        const context = await browser.newContext({ bypassCSP: true });
        const page = await context.newPage();
        await page.goto(pathToFileURL(file).href);
        await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
        const result = (await page.evaluate(async () => (globalThis as unknown as { axe: { run: () => Promise<unknown> } }).axe.run())) as { violations: { id: string; impact: string }[] };
        const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
        expect(serious, template).toEqual([]);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  }, 240_000);
});
