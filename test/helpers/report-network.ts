/**
 * Warehouses for the report tests: the golden network (test/helpers/golden-network.ts) with its
 * ATM, survey and DiD panel, run for 2023-Q1 and 2023 (`did.outcomes = ['golden.y']`); and a
 * hostile variant where café C2 is an itinerant café named `<img src=x onerror=alert(1)>`.
 */
import { join } from 'node:path';
import { parsePeriod } from '../../src/core/period.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { parseFor } from '../../src/reports/build.ts';
import { renderReport } from '../../src/reports/render.ts';
import { loadTemplate } from '../../src/reports/template.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { CAFES, ingestGolden, ingestGoldenPanel, ingestGoldenSurvey } from './golden-network.ts';
import { folder, ingest, tempDir } from './warehouse.ts';

export const HOSTILE = '<img src=x onerror=alert(1)>';

export async function reportWarehouse(o: { hostile?: boolean } = {}): Promise<string> {
  const path = join(tempDir('reports-'), 'w.duckdb');
  const wh = await Warehouse.open(path);
  try {
    await ingestGolden(wh, { atm: true });
    await ingestGoldenSurvey(wh);
    await ingestGoldenPanel(wh);
    if (o.hostile) {
      // a new version of the café list on the year's first day: C2 itinerant, with a name that is markup
      const cafes = CAFES.replace('C2,Café Deux,52448,48.0,5.0,entrepreneurial,operating', `C2,"${HOSTILE}",52448,48.0,5.0,itinerant,operating`);
      await ingest(wh, folder({ 'cafes.csv': cafes }), '2023-Q1');
    }
    const config = defaultConfig();
    config.did.outcomes = ['golden.y'];
    await runPeriod(wh, parsePeriod('2023-Q1'), { config });
    await runPeriod(wh, parsePeriod('2023'), { config });
  } finally {
    wh.close();
  }
  return path;
}

/** A report of 2023 rendered from the warehouse at `path`, opened read-only as the CLI does. */
export async function renderFrom(
  path: string,
  template: string,
  o: { lang?: 'fr' | 'en'; format?: 'html' | 'pdf'; for?: string | null; boundaries?: GeoJSON.FeatureCollection | null; dir?: string } = {},
): Promise<string | Buffer> {
  const wh = await Warehouse.open(path, { readOnly: true, migrate: false });
  try {
    const t = loadTemplate(template, o.dir);
    return (await renderReport(wh, t, { period: parsePeriod('2023'), lang: o.lang ?? 'fr', format: o.format ?? 'html', for: o.for ? parseFor(o.for) : null, boundaries: o.boundaries ?? null })).content;
  } finally {
    wh.close();
  }
}

/** The golden network and its hostile variant, both run (each test file builds its own: files run in parallel). */
export async function reportWarehouses(): Promise<{ golden: string; hostile: string }> {
  return { golden: await reportWarehouse(), hostile: await reportWarehouse({ hostile: true }) };
}
