/**
 * A warehouse that explains itself (src/db/descriptions.ts): every table, view and column
 * described, the comments readable by any SQL client on the snapshot, docs/WAREHOUSE.md current,
 * and the analysis views (migration 009).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/core/period.ts';
import { snapshotPath } from '../../src/db/snapshot.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { describedTables, warehouseMarkdown } from '../../src/runs/warehouse-doc.ts';
import { ingestGolden, ingestGoldenSurvey } from '../helpers/golden-network.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('descriptions', () => {
  it('cover every table, view and column of a warehouse that has run', async () => {
    const missing = (await describedTables()).flatMap((o) => [...(o.description ? [] : [o.name]), ...o.columns.filter((c) => !c.description).map((c) => `${o.name}.${c.name}`)]);
    expect(missing).toEqual([]);
  });

  it('docs/WAREHOUSE.md is generated from them (run `npm run warehouse-doc` after a change)', async () => {
    expect(readFileSync(new URL('../../docs/WAREHOUSE.md', import.meta.url), 'utf8')).toBe(await warehouseMarkdown());
  });

  it('are comments any SQL client reads on the snapshot; the views give the latest run, current cafés, answers with their items, and what each model table holds', async () => {
    const path = join(tempDir('describe-'), 'w.duckdb');
    const wh = await Warehouse.open(path);
    let second: string;
    try {
      await ingestGolden(wh);
      await ingestGoldenSurvey(wh);
      await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
      second = (await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() })).runId;
    } finally {
      wh.close();
    }
    const snap = await Warehouse.open(snapshotPath(path), { readOnly: true, migrate: false });
    try {
      expect(await snap.scalar("SELECT comment FROM duckdb_columns() WHERE table_name = 'cafes' AND column_name = 'opened_on'")).toBe('Opening date');
      expect(await snap.scalar("SELECT comment FROM duckdb_columns() WHERE table_name = 'cafes' AND column_name = '_valid_to'")).toMatch(/no longer valid/);
      expect(await snap.scalar("SELECT comment FROM duckdb_tables() WHERE table_name = 'loads'")).toMatch(/^The load log/);
      expect(await snap.scalar("SELECT comment FROM duckdb_tables() WHERE table_name = 'stg_cafes'")).toMatch(/^Model stg_cafes \(staging\)/);
      expect(await snap.scalar("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND comment IS NULL")).toBe(0);
      expect(await snap.scalar("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND comment IS NULL")).toBe(0);
      expect(await snap.scalar("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND database_name = current_database() AND comment IS NULL")).toBe(0);
      // two runs of 2023: the view shows the second only
      expect(await snap.all('SELECT DISTINCT run_id FROM v_figures_latest')).toEqual([{ run_id: second }]);
      expect(await snap.scalar('SELECT count(*) FROM v_figures_latest')).toBe(await snap.scalar('SELECT count(*) FROM figures WHERE run_id = $1', [second]));
      expect(await snap.all("SELECT run_id, period FROM v_model_tables WHERE model = 'mart_km_saved'")).toEqual([{ run_id: second, period: '2023' }]);
      expect(await snap.scalar('SELECT count(*) FROM v_cafes_current')).toBe(3);
      // answers with their items: the golden survey's 12 respondents × 3 items, labelled
      expect(await snap.all("SELECT item_id, count(*) AS n, min(label) AS label FROM v_survey_answers GROUP BY ALL ORDER BY item_id")).toEqual([
        { item_id: 'distrust', n: 12, label: 'Méfiance' }, { item_id: 'life_satisfaction', n: 12, label: 'Satisfaction' }, { item_id: 'trust', n: 12, label: 'Confiance' },
      ]);
    } finally {
      snap.close();
    }
  });
});
