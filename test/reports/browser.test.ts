/**
 * The HTML report opened as a person opens it: in a real headless browser (Debian's chromium
 * through playwright-core, never a browser download). No console error, no request but the file
 * itself, the chart rendered, the headline figures visible, readable on a phone and on a desktop
 * (screenshots kept in .test-artifacts/), and an accessibility check (axe-core) without a serious
 * violation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/core/period.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { renderHtml } from '../../src/reports/html.ts';
import { loadTemplate } from '../../src/reports/template.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { ingestGolden } from '../helpers/golden-network.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir } from '../helpers/warehouse.ts';

const ARTIFACTS = new URL('../../.test-artifacts/', import.meta.url).pathname;
const hasChromium = requireTool('chromium', 'chromium');

describe.runIf(hasChromium)('the annual report in Chromium', () => {
  let file: string;
  beforeAll(async () => {
    const path = join(tempDir('browser-'), 'w.duckdb');
    const wh = await Warehouse.open(path);
    try {
      await ingestGolden(wh, { atm: true });
      await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
      file = join(tempDir(), 'annual.html');
      writeFileSync(file, (await renderHtml(wh, loadTemplate('annual'), { period: '2023', lang: 'fr' })).html);
    } finally {
      wh.close();
    }
  });

  it('opens without a console error or a request, shows the figures and the chart, at phone and desktop widths; axe finds no serious violation', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [name, width, height] of [['phone', 375, 812], ['desktop', 1280, 900]] as const) {
        const page = await browser.newPage({ viewport: { width, height } });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(file).href);
        expect(errors).toEqual([]);
        expect(requests).toEqual([pathToFileURL(file).href]);
        // 366.943764 km of bread by hand (test/indicators/golden.test.ts) → "367 km"
        await expect(page.getByRole('row', { name: /Kilomètres évités — pain\s+367 km/ }).isVisible()).resolves.toBe(true);
        const chart = page.locator('figure svg').first();
        const box = await chart.boundingBox();
        expect(box!.width).toBeGreaterThan(100);
        expect(box!.width).toBeLessThanOrEqual(width); // no horizontal overflow of the chart
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: join(ARTIFACTS, `annual-${name}.png`), fullPage: true });
        await page.close();
      }
      // axe-core, injected past the report's own policy (which forbids every script)
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
      const result = (await page.evaluate(async () => (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run())) as { violations: { id: string; impact: string; nodes?: unknown[] }[] };
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      expect(serious).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  }, 120_000);
});
