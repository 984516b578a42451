/**
 * The five templates on the golden network (test/helpers/report-network.ts), read back as the
 * text a reader sees (tags stripped), and the report command as a user runs it. Values by hand
 * (test/helpers/golden-network.ts):
 * - region 44 (Grand Est) holds C1 and C2: km_saved = C1 (15 × 11.119508 + 2 × 33.358524 = 233.51)
 *   + C2 (200.146) = 433.66 → "434 km"; C3 (Ain, region 84) 4 × 22.239016 + 1 × 22.239016 (post P1…
 *   as the run says) — only region 44 is asserted;
 * - programme guinguette_mobile: E1 (20 May, 52448, 300) and E2 (20 June, 52045, 200): 2 events,
 *   500 people, associations A1 A2 A3 → 3, producers P1 P2 → 2;
 * - C2 has 2 residents: "secret statistique" at café scope; the network's 6 are published;
 * - DiD on golden.y: ATT(2021, 2021) = 2 by hand (test/helpers/golden-network.ts); the TWFE over
 *   2020–2022 is the run's figure, shown with its SE and interval.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/core/period.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { loadReportData } from '../../src/reports/build.ts';
import { readBoundaries } from '../../src/reports/map.ts';
import { renderReport } from '../../src/reports/render.ts';
import { loadTemplate } from '../../src/reports/template.ts';
import { WARNING_WORDS } from '../../src/reports/words.ts';
import { unload } from '../../src/loads/loads.ts';
import { cli } from '../helpers/cli.ts';
import { CAFES } from '../helpers/golden-network.ts';
import { HOSTILE, renderFrom, reportWarehouse, reportWarehouses } from '../helpers/report-network.ts';
import { folder, ingest, tempDir } from '../helpers/warehouse.ts';

let golden: string;
let hostile: string;
beforeAll(async () => {
  ({ golden, hostile } = await reportWarehouses());
}, 120_000);

const html = async (path: string, template: string, o: { lang?: 'fr' | 'en'; for?: string; boundaries?: GeoJSON.FeatureCollection } = {}) => (await renderFrom(path, template, o)) as string;

/** What a reader reads: no markup, no chart, no code (identifiers, formulas, hashes). */
const readable = (h: string, o: { code?: boolean } = {}) =>
  h
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(o.code ? /$^/ : /<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<\/?span[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the report templates', () => {
  it('annual --for region:44: the region\'s figures beside the network\'s, its cafés on the map', async () => {
    const t = readable(await html(golden, 'annual', { for: 'region:44' }));
    expect(t).toContain('Chiffres clés du réseau — Grand Est — 2023');
    expect(t).toMatch(/Kilomètres évités — total 434 km 523 km/);
    expect(t).toContain('Les cafés par étape : 2 cafés ; en activité (2)');
  });

  it('programme: its events, people, partners and dates; quarters said missing', async () => {
    const t = readable(await html(golden, 'programme', { for: 'programme:guinguette_mobile' }));
    expect(t).toContain('En 2023, le programme Guinguette mobile compte 2 événements, qui ont réuni 500 personnes, avec 3 associations et 2 producteurs.');
    expect(t).toContain('2 événements du 20 mai 2023 au 20 juin 2023, dans 2 communes.');
    expect(t).toMatch(/20 mai 2023 Saint-Dizier concert Guinguette mobile/);
    expect(t).toContain('pas de calcul pour 2e trimestre 2023');
  });

  it('itinerant without --for: each itinerant café, its communes and dates (the hostile name as text)', async () => {
    const h = await html(hostile, 'itinerant');
    expect(h).not.toContain(HOSTILE);
    expect(h).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const t = readable(h);
    expect(t).toContain(`En 2023, ${HOSTILE} a tenu 2 événements qui ont réuni 500 personnes, avec 3 associations et 2 producteurs.`);
    expect(t).toMatch(/20 juin 2023 Bettancourt-la-Ferrée bal Guinguette mobile/);
    // E1 in C2's own commune is placed at the café; E2's commune has no known position: said
    expect(t).toContain('Les communes visitées : 1 commune visitée ; Guinguette mobile (1)');
    expect(t).toContain('1 commune visitée sans position connue (commune_positions), non représenté sur la carte.');
    // the golden network has no itinerant café: the default says so
    const wh = await Warehouse.open(golden, { readOnly: true, migrate: false });
    await expect(renderReport(wh, loadTemplate('itinerant'), { period: parsePeriod('2023'), lang: 'fr', format: 'html' })).rejects.toThrow(/found nothing to report on .* \(no itinerant café\)/);
    wh.close();
  });

  it('cohesion: access, the survey estimate with its interval, the DiD with its SE and assumptions; a section without figures says so', async () => {
    const t = readable(await html(golden, 'cohesion'));
    expect(t).toMatch(/Kilomètres évités — pain 367 km/);
    // 12 respondents in 51356 (≥ 10): one commune estimated
    expect(t).toMatch(/Satisfaction de vie \(enquête, 0–10\) 1 communes estimées ; médiane/);
    expect(t).toMatch(/Effet du café sur golden\.y \(différence de différences\) [\d,]+ [\d,]+ \[-?[\d,]+ ; [\d,]+\] 4/);
    expect(t).toContain('Tendances parallèles : sans café');
    const wh = await Warehouse.open(golden, { readOnly: true, migrate: false });
    const data = await loadReportData(wh, parsePeriod('2023'));
    wh.close();
    const did = data.figures.find((f) => f.indicator === 'did.golden.y')!;
    expect(t).toContain(`${did.value!.toFixed(3).replace('.', ',')} ${did.se!.toFixed(3).replace('.', ',')}`);
    // without did.outcomes, the section stays and says why
    const plain = join(tempDir(), 'w.duckdb');
    const w2 = await Warehouse.open(plain);
    const { ingestGolden } = await import('../helpers/golden-network.ts');
    await ingestGolden(w2, { atm: true });
    const { runPeriod } = await import('../../src/runs/run.ts');
    const { defaultConfig } = await import('../../src/runs/config.ts');
    await runPeriod(w2, parsePeriod('2023'), { config: defaultConfig() });
    w2.close();
    const t2 = readable(await html(plain, 'cohesion'));
    expect(t2).toContain('L’effet estimé du café');
    expect(t2).toContain('Pas d’effet estimé dans ce calcul : la configuration (did.outcomes) n’en demande aucun.');
    expect(t2).toMatch(/pas d’estimation dans ce calcul \(il faut l’enquête/);
  }, 60_000);

  it('cafe-sheet: the café beside the network; its 2 residents "secret statistique", never a number', async () => {
    const t = readable(await html(golden, 'cafe-sheet', { for: 'cafe:C2' }));
    expect(t).toMatch(/Habitants mobilisés secret statistique 6 personnes/);
    expect(t).toMatch(/Kilomètres évités — total 200 km 523 km/);
    expect(t).toContain('« secret statistique » : le nombre concerne moins de 5 personnes');
    expect(t).not.toMatch(/Habitants mobilisés 2 /);
  });

  it('reads the rows as the run saw them: a later café list changes no report of that run; an unloaded input refuses', async () => {
    const path = await reportWarehouse();
    const wh = await Warehouse.open(path);
    try {
      // a new café list after the run: C1 renamed and moved to another stage
      await ingest(wh, folder({ 'cafes.csv': CAFES.replace('C1,Café Un,51356,48.0,4.0,associative,operating', 'C1,Café Renommé,51356,48.0,4.0,associative,transition') }), '2023-Q4');
      const data = await loadReportData(wh, parsePeriod('2023'));
      expect(data.cafes.find((c) => c.cafe_id === 'C1')).toMatchObject({ name: 'Café Un', stage: 'operating' });
      expect(data.tablesRead).toEqual(new Set(['cafes', 'commune_positions', 'events', 'figures', 'loads', 'meta', 'questionnaire', 'ref_communes', 'ref_departments', 'ref_regions', 'run_warnings', 'runs']));
      // take out the events the run read: the report would no longer match its rows
      const eventsLoad = data.run.inputs.find((i) => i.dataset === 'events')!.load_id;
      await unload(wh, eventsLoad);
      await expect(loadReportData(wh, parsePeriod('2023'))).rejects.toThrow(new RegExp(`read load ${eventsLoad}, unloaded since`));
    } finally {
      wh.close();
    }
  }, 60_000);

  it('no English word in a French report, no French sentence in an English one', async () => {
    // words that betray English prose (identifiers, formulas and hashes are code: left out)
    const english = /\b(the|and|of|with|from|by|for|this|that|run|figures?|network|suppressed|confidential|warnings?|quarter|none|not|no data|computed|people|events?|kilometres|saved|trips?|yes|true|false)\b/i;
    for (const [template, path, f] of [['annual', golden, null], ['cohesion', golden, null], ['cafe-sheet', golden, 'cafe:C2'], ['itinerant', hostile, null], ['programme', golden, 'programme:guinguette_mobile']] as const) {
      const t = readable(await html(path, template, { for: f ?? undefined })).replace(HOSTILE, '');
      const hit = english.exec(t);
      expect(hit ? t.slice(Math.max(0, hit.index - 60), hit.index + 60) : null, template).toBeNull();
      const en = readable(await html(path, template, { lang: 'en', for: f ?? undefined }));
      expect(/\b(les|des|du|pour|avec|calcul|réseau|secret statistique|trimestre)\b/i.exec(en)?.[0] ?? null, `${template} (en)`).toBeNull();
    }
  }, 60_000);

  it('a template\'s chart spec is editable: its vega-lite file changes the chart, not the figures', async () => {
    const dir = tempDir();
    cpSync(new URL('../../reports/annual', import.meta.url).pathname, join(dir, 'annual'), { recursive: true });
    const spec = JSON.parse(readFileSync(join(dir, 'annual', 'km.vl.json'), 'utf8'));
    spec.layer[0].mark.color = '#aa3377';
    writeFileSync(join(dir, 'annual', 'km.vl.json'), JSON.stringify(spec));
    const wh = await Warehouse.open(golden, { readOnly: true, migrate: false });
    try {
      const render = async (t: ReturnType<typeof loadTemplate>) => (await renderReport(wh, t, { period: parsePeriod('2023'), lang: 'fr', format: 'html' })).content as string;
      const km = (h: string) => /<section aria-labelledby="s-km">[\s\S]*?<\/section>/.exec(h)![0];
      const shipped = km(await render(loadTemplate('annual')));
      const edited = km(await render(loadTemplate('annual', dir)));
      expect(shipped).toContain('fill="#2f6f8f"');
      expect(edited).toContain('fill="#aa3377"');
      expect(edited).not.toContain('fill="#2f6f8f"');
      // the same figures and text alternative either way
      expect(/aria-label="([^"]*)"/.exec(edited)![1]).toBe(/aria-label="([^"]*)"/.exec(shipped)![1]);
      // the map's file likewise: its points' opacity
      writeFileSync(join(dir, 'annual', 'map.vl.json'), JSON.stringify({ layer: [{}, { mark: { opacity: 0.35 } }] }));
      const mapOf = (h: string) => /<section aria-labelledby="s-map">[\s\S]*?<\/section>/.exec(h)![0];
      expect(mapOf(await render(loadTemplate('annual')))).not.toContain('opacity="0.35"');
      expect(mapOf(await render(loadTemplate('annual', dir)))).toContain('opacity="0.35"');
      writeFileSync(join(dir, 'annual', 'km.vl.json'), '{ "width": ');
      expect(() => loadTemplate('annual', dir)).toThrow(/km\.vl\.json: not a valid report template/);
    } finally {
      wh.close();
    }
  });

  it('every run warning code has its words in both languages', () => {
    // the codes the pipeline emits (src/runs/run.ts, src/indicators/*): collected from the sources
    const codes = new Set<string>();
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.ts')) for (const m of readFileSync(join(d, e.name), 'utf8').matchAll(/code: '([a-z_]+)', subject/g)) codes.add(m[1]!);
      }
    };
    walk(new URL('../../src', import.meta.url).pathname);
    const didReasons = /reason: ('[a-z_]+'(?: \| '[a-z_]+')*);/.exec(readFileSync(new URL('../../src/indicators/did.ts', import.meta.url), 'utf8'))![1]!.match(/[a-z_]+/g)!;
    for (const r of didReasons) codes.add(`did_${r}`);
    expect(codes.size).toBeGreaterThan(15);
    expect([...codes].filter((c) => !WARNING_WORDS[c])).toEqual([]);
  });
});

const GEO = new URL('../../../shared/data/geo/departements-version-simplifiee.geojson', import.meta.url).pathname;
const hasGeo = existsSync(GEO);
if (!hasGeo) {
  if (process.env.CI === 'true') throw new Error(`${GEO} is missing: with CI=true the shared data is required`);
  console.warn(`${GEO} is absent: the map-with-boundaries test is skipped`);
}

describe.runIf(hasGeo)('the map over real boundaries (IGN simplified departments, ../shared/data/geo)', () => {
  it('keeps metropolitan France, rewinds the polygons for vega, draws the cafés over them', async () => {
    const b = await readBoundaries(GEO);
    // 96 metropolitan departments; the overseas ones left out
    expect(b.features.length).toBe(96);
    const { booleanClockwise } = await import('@turf/turf');
    // vega wants the exterior ring clockwise (RFC 7946 says counter-clockwise): rewound
    const ring = (b.features[0]!.geometry as GeoJSON.Polygon).coordinates[0] ?? (b.features[0]!.geometry as GeoJSON.MultiPolygon).coordinates[0]![0]!;
    expect(booleanClockwise(ring as [number, number][])).toBe(true);
    const h = await html(golden, 'annual', { boundaries: b });
    const map = /<section aria-labelledby="s-map">[\s\S]*?<\/section>/.exec(h)![0];
    // one path per department plus the three cafés' symbols; no note about missing boundaries
    expect((map.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(96 + 3);
    expect(map).not.toContain('Sans contours');
    // the hexagon is not a filled rectangle: the first department path is not the plot's frame
    expect(map).not.toMatch(/<path[^>]*d="M0,0h\d+v\d+h-\d+Z"[^>]*fill="#eef2f4"/);
  });

  it('zooms on a region\'s cafés: only the departments around them are drawn', async () => {
    const b = await readBoundaries(GEO);
    const map = /<section aria-labelledby="s-map">[\s\S]*?<\/section>/.exec(await html(golden, 'annual', { for: 'region:44', boundaries: b }))![0];
    // C1 (48.0 N, 4.0 E) and C2 (48.0 N, 5.0 E) ± 0.3°: the Marne, the Haute-Marne, the Aube, the Meuse and a few neighbours, not 96
    const paths = (map.match(/<path/g) ?? []).length;
    expect(paths).toBeGreaterThanOrEqual(2 + 3);
    expect(paths).toBeLessThan(20);
  });

  it('refuses boundaries that are not polygons in longitude/latitude, in one line', async () => {
    const dir = folder({ 'points.geojson': JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [2, 48] } }] }), 'l93.geojson': JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[700000, 6600000], [710000, 6600000], [710000, 6610000], [700000, 6600000]]] } }] }) });
    await expect(readBoundaries(join(dir, 'points.geojson'))).rejects.toThrow(/no Polygon or MultiPolygon feature/);
    await expect(readBoundaries(join(dir, 'l93.geojson'))).rejects.toThrow(/longitude\/latitude expected, not projected coordinates/);
  });
});

describe('cafe-impact report as a user runs it', () => {
  it('writes PDF and HTML, every café\'s sheet with --all-cafes, and refuses what it cannot do in one line', async () => {
    const dir = tempDir();
    const pdf = join(dir, 'sheet.pdf');
    const r = await cli('--warehouse', golden, 'report', '--period', '2023', '--template', 'cafe-sheet', '--for', 'cafe:C1', '--format', 'pdf', '--output', pdf);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sheet\.pdf: cafe-sheet report of 2023 for cafe:C1, PDF \(run R/);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const all = join(dir, 'sheets');
    const a = await cli('--warehouse', golden, 'report', '--period', '2023', '--template', 'cafe-sheet', '--all-cafes', '--format', 'html', '--output', all);
    expect(a.code, a.stderr).toBe(0);
    expect(readdirSync(all).sort()).toEqual(['C1.html', 'C2.html', 'C3.html']);
    expect(readFileSync(join(all, 'C3.html'), 'utf8')).toContain('<title>Fiche du café — Café Trois — 2023</title>');
    for (const [args, message] of [
      [['--for', 'cafe'], /--for cafe: give <scope>:<id>/],
      [['--template', 'cafe-sheet', '--for', 'cafe:C9'], /--for cafe:C9: no such cafe in the run of 2023/],
      [['--template', 'cohesion', '--for', 'cafe:C1'], /the cohesion template is not made for --for cafe:… \(it accepts no --for\)/],
      [['--template', 'cafe-sheet'], /the cafe-sheet template is not made for the whole network \(give --for\)/],
      [['--template', 'annual', '--all-cafes'], /--all-cafes needs a template made for --for cafe:<id> \(annual is not\)/],
      [['--boundaries', join(dir, 'nope.geojson')], /--boundaries .*nope\.geojson: not usable as boundaries \(ENOENT/],
      [['--format', 'docx'], /option '--format <format>' argument 'docx' is invalid/],
    ] as const) {
      const bad = await cli('--warehouse', golden, 'report', '--period', '2023', ...args, '--output', join(dir, 'x.html'));
      expect(bad.code, `${args.join(' ')}: ${bad.stderr}`).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stderr.trim().split('\n').length, args.join(' ')).toBe(1);
    }
  }, 120_000);
});
