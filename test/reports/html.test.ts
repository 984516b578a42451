/**
 * The annual report as HTML (src/reports/build.ts → html.ts, reports/annual/template.json) on the golden
 * network, read back as text. Expected figures by hand (test/indicators/golden.test.ts):
 * km_saved.bread = 15 × 11.119508 + 20 × 5.559754 + 4 × 22.239016 = 366.943764 km → "367 km";
 * with the ATM (7 cash uses × 11.119508 km = 77.836556 km), km_saved = 444.78032 + 77.836556 =
 * 522.616876 km → "523 km" (French and English alike: no thousands).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/core/period.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { renderReport } from '../../src/reports/render.ts';
import { loadTemplate } from '../../src/reports/template.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { cli } from '../helpers/cli.ts';
import { ingestGolden } from '../helpers/golden-network.ts';
import { tempDir } from '../helpers/warehouse.ts';

let path: string;
beforeAll(async () => {
  path = join(tempDir('report-'), 'w.duckdb');
  const wh = await Warehouse.open(path);
  try {
    await ingestGolden(wh, { atm: true });
    await runPeriod(wh, parsePeriod('2023-Q1'), { config: defaultConfig() });
    await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
  } finally {
    wh.close();
  }
});

const render = async (lang: 'fr' | 'en') => {
  const wh = await Warehouse.open(path, { readOnly: true, migrate: false });
  try {
    return (await renderReport(wh, loadTemplate('annual'), { period: parsePeriod('2023'), lang, format: 'html' })).content as string;
  } finally {
    wh.close();
  }
};

describe('the annual report in HTML', () => {
  it('shows the run\'s figures in words, in French by default and in English', async () => {
    const fr = await render('fr');
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('<tr><th scope="row">Kilomètres évités — pain</th><td class="n">367 km</td></tr>');
    expect(fr).toMatch(/En <span class="v">2023<\/span>, les cafés du réseau ont évité <span class="v">523 km<\/span> de trajets/);
    const en = await render('en');
    expect(en).toContain('<html lang="en">');
    expect(en).toMatch(/In <span class="v">2023<\/span>, the network&#39;s cafés saved residents <span class="v">523 km<\/span> of travel/); // ' escaped as &#39;
  });

  it('is self-contained: a strict policy, no script, no request to another file or the network', async () => {
    const html = await render('fr');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/); // only the SVG namespaces
    // landmarks, headings, table headers, the chart's text alternative
    for (const tag of ['<header>', '<main>', '<footer>', '<h1>', '<h2 id="s-km">', '<th scope="col">', '<svg role="img" aria-label="']) expect(html).toContain(tag);
  });

  it('takes quarters from the quarterly runs of the same method and parameters, and says why the others are missing', async () => {
    const html = await render('fr');
    const quarters = html.slice(html.indexOf('id="s-quarters"'), html.indexOf('id="s-appendix"'));
    // 2023-Q1 ran: its network total is the Q1 uses × distances; the other quarters have no run
    expect(quarters).toMatch(/<th scope="col" class="n">1er trimestre 2023<\/th>|<th scope="col" class="n">T1 2023<\/th>/);
    expect(quarters).toMatch(/pas de calcul pour .*2023/);
  });

  it('the same run gives the same bytes; the CLI writes it', async () => {
    expect(await render('fr')).toBe(await render('fr'));
    const out = join(tempDir(), 'annual.html');
    const r = await cli('--warehouse', path, 'report', '--period', '2023', '--template', 'annual', '--format', 'html', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const list = await cli('--warehouse', path, 'report', '--list', '--lang', 'en');
    expect(list.stdout).toMatch(/^annual\s+The network's key figures \(network, --for region:<id>, --for department:<id>\) — /);
    // the five templates of the issue, each with whom it is for
    expect(list.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['annual', 'cafe-sheet', 'cohesion', 'itinerant', 'programme']);
    expect(list.stdout).toMatch(/^cafe-sheet\s+Café sheet \(--for cafe:<id>\)/m);
    const bad = await cli('--warehouse', path, 'report', '--period', '2023', '--template', 'nope', '--output', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no report template nope \(one of annual, cafe-sheet, cohesion, itinerant, programme/);
  });
});
