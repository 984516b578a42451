/** The model runner: order, parameters, checks that fail the run naming the model and rows. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/runs/config.ts';
import { configErrors, runErrors } from '../../src/core/messages.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { haversineKm } from '../../src/geo/haversine.ts';
import { buildOrder, CheckFailed, datasetsRead, dependencies, loadSqlModels, render, runModels, type SqlModel } from '../../src/models/runner.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { allModels, runPeriod } from '../../src/runs/run.ts';
import { DATASETS } from '../../src/contract/datasets.ts';
import { CAFES_CSV, folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

const model = (name: string, sql: string, checks: SqlModel['checks'] = []): SqlModel => ({ type: 'sql', name, layer: 'staging', grain: 'test', description: '', checks, path: '', sql });

describe('models', () => {
  it('every model file states its grain and at least one check', () => {
    for (const m of loadSqlModels()) {
      expect(m.grain, m.name).not.toBe('');
      expect(m.checks.length, m.name).toBeGreaterThan(0);
    }
  });

  it('build in dependency order read from their SQL', () => {
    const order = buildOrder(allModels()).map((m) => m.name);
    const deps = dependencies(allModels());
    for (const [m, ds] of deps) for (const d of ds) expect(order.indexOf(d), `${d} before ${m}`).toBeLessThan(order.indexOf(m));
    expect([...deps.get('mart_km_saved')!].sort()).toEqual(['int_nearest_facility', 'stg_service_uses']);
  });

  it('the datasets a run records as its inputs are those its models read, found in their SQL', () => {
    // Expected: the list run.ts kept by hand until this test (git show 29f88a1:src/run.ts, MODEL_INPUTS),
    // checked against the FROM/JOIN clauses of models/staging/*.sql: sales, survey, candidates… enter no figure.
    // Since method 1.2.0 the survey estimates read the survey, its questionnaire and the population
    // margins, and the well-being index the commune indicators.
    expect(datasetsRead(allModels(), Object.keys(DATASETS))).toEqual(['cafes', 'commune_indicators', 'commune_positions', 'events', 'facilities', 'participation', 'population', 'questionnaire', 'service_uses', 'staff', 'suppliers', 'survey']);
    // A new model reading the survey brings it in; a CTE named like a dataset, a column named like
    // one and a dataset named in a comment do not.
    const extra = model(
      'stg_survey_answers',
      `-- reads candidates? no: only the survey
       WITH sales AS (SELECT 1 AS x) SELECT s.*, 1 AS events FROM "survey" s JOIN sales ON true`,
    );
    expect(datasetsRead([...allModels().filter((m) => m.name !== 'fig_survey' && m.name !== 'fig_wellbeing'), extra], Object.keys(DATASETS))).toEqual(['cafes', 'commune_positions', 'events', 'facilities', 'participation', 'service_uses', 'staff', 'suppliers', 'survey']);
    expect(datasetsRead([extra], Object.keys(DATASETS))).toEqual(['survey']);
  });

  it('render parameters as literals and refuse unknown ones', () => {
    expect(render('select {{a}}, {{b}}, {{c}}', { a: { date: '2023-01-01' }, b: 1.5, c: true })).toBe("select DATE '2023-01-01', 1.5, true");
    expect(() => render('select {{nope}}', {}, 'm')).toThrow('model m: unknown parameter {{nope}}');
  });

  it('a failed check fails the run, naming the model, the check and the rows', async () => {
    const wh = await Warehouse.open(':memory:');
    const models = [model('a', 'select 1 as id, 5 as x union all select 2, -3 union all select 2, 4', [{ kind: 'expression', sql: 'x >= 0' }])];
    const err = await runModels(wh, models, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailed);
    expect((err as Error).message).toBe('model a: check expression(x >= 0) failed for 1 row, e.g. {"id":2,"x":-3}');
    const dup = await runModels(wh, [model('b', 'select 1 as id union all select 1', [{ kind: 'unique', columns: ['id'] }])], {}).catch((e: Error) => e);
    expect((dup as Error).message).toBe('model b: check unique(id) failed for 1 row, e.g. {"id":1,"n":2}');
    wh.close();
  });

  it('a bad row that slipped into the warehouse stops the run at the model that sees it', async () => {
    const wh = await tempWarehouse();
    await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
    // bypass the ingestion on purpose: an employee contract with a negative FTE
    await wh.run(`INSERT INTO staff VALUES ('C1', 'PX01', DATE '2023-01-01', 'employee', 'CDI', -1, NULL, NULL, NULL, 0, NULL)`);
    const err = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^model mart_jobs: check expression\(fte_days >= 0\) failed for 1 row, e.g. \{"cafe_id":"C1","person_key":"PX01"/);
    expect(await wh.scalar(`SELECT status FROM runs ORDER BY started_at DESC LIMIT 1`)).toBe('failed');
    wh.close();
  });

  it('warn when a quarter of a yearly period has no service_uses, and fail with --strict', async () => {
    const wh = await tempWarehouse();
    await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
    await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service\nC1,2023-02-01,bread\nC1,2023-05-01,bread\n' }), '2023');
    const r = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
    expect(r.warnings.filter((w) => w.code === 'empty_quarter').map((w) => w.message)).toEqual([
      'no service_uses for 2023-Q3: kilometres saved for 2023 miss that quarter',
      'no service_uses for 2023-Q4: kilometres saved for 2023 miss that quarter',
    ]);
    await expect(runPeriod(wh, parsePeriod('2023'), { config: defaultConfig(), strict: true })).rejects.toThrow(runErrors.strictEmptyQuarters(['2023-Q3', '2023-Q4'], '2023'));
    wh.close();
  });

  it('the SQL haversine macro (suppliers) agrees with the TypeScript one (facilities)', async () => {
    const wh = await Warehouse.open(':memory:');
    const pairs = [[48.6383, 4.9496, 48.6431, 4.9983], [48.8566, 2.3522, 43.2965, 5.3698], [46, 5, 46.2, 5]] as const;
    for (const [a, b, c, d] of pairs) {
      const sql = await wh.scalar<number>('SELECT haversine_km($1, $2, $3, $4, 6371.0088)', [a, b, c, d]);
      expect(Math.abs(sql - haversineKm(a, b, c, d)) / haversineKm(a, b, c, d)).toBeLessThan(1e-12);
    }
    wh.close();
  });
});

describe('config', () => {
  it('validates the file and names the bad key', async () => {
    const { loadConfig, DEFAULT_INDEX_INDICATORS } = await import('../../src/runs/config.ts');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('../helpers/warehouse.ts');
    const f = join(tempDir(), 'c.json');
    writeFileSync(f, JSON.stringify({ km: { detour_factor: 1.23456 } }));
    expect(() => loadConfig(f)).toThrow(configErrors.invalid(f, 'km.detour_factor', 'at most 4 decimals'));
    writeFileSync(f, JSON.stringify({ km: { round_trip: true, radius: 1 } }));
    expect(() => loadConfig(f)).toThrow(`${f}: km: Unrecognized key: "radius"`);
    writeFileSync(f, JSON.stringify({ km: { round_trip: true }, suppliers: { local_radius_km: 20 } }));
    const { config } = loadConfig(f);
    // what is not given keeps its documented default
    expect(config).toEqual({
      km: { earth_radius_km: 6371.0088, self_radius_km: 0.05, round_trip: true, detour_factor: 1, far_warning_km: 50, earth_circumference_km: 40075.017 },
      suppliers: { local_radius_km: 20 },
      disclosure: { min_cell: 5 },
      survey: { min_respondents: 10, proportions: [{ item: 'life_satisfaction', at_least: 7 }] },
      index: { indicators: DEFAULT_INDEX_INDICATORS.map((i) => ({ ...i })), weights: {}, draws: 1000, seed: 1, missing: 'exclude' },
      did: { outcomes: [] },
    });
    expect(DEFAULT_INDEX_INDICATORS).toHaveLength(11);
  });
});
