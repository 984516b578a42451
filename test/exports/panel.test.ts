/**
 * Exports for R, Python and Stata, read by software the project did not write: R re-estimates the
 * demo's difference-in-differences from the exported CSV panel (equal to `cafe-impact did` to
 * 1e-6; test/reference/panel-did.R), apache-arrow reads the Arrow file, DuckDB reads the Parquet
 * panel and the Hive-partitioned warehouse export back (same rows and sums as the warehouse).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/core/period.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { generateDemo, DEMO_DID } from '../../src/demo/generate.ts';
import { stataName } from '../../src/exports/panel.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { cli } from '../helpers/cli.ts';
import { ingestGolden, ingestGoldenSurvey } from '../helpers/golden-network.ts';
import { requireTool } from '../helpers/tools.ts';
import { ingest, tempDir } from '../helpers/warehouse.ts';

const csvRows = (text: string) => text.trim().split('\n').map((l) => l.split(','));

describe('export panel on the demo network', () => {
  let path: string;
  let out: string;
  beforeAll(async () => {
    const data = join(tempDir('panel-demo-'), 'data');
    await generateDemo({ out: data, scale: 1, salesLinesPerDay: 0 });
    path = join(tempDir('panel-'), 'w.duckdb');
    const wh = await Warehouse.open(path);
    try {
      // the reference folder holds the cafés, the candidates and the commune panel
      expect((await ingest(wh, join(data, 'reference'), '2023-Q1')).status).toBe('loaded');
    } finally {
      wh.close();
    }
    out = tempDir('panel-out-');
    for (const format of ['csv', 'parquet', 'arrow']) {
      const r = await cli('--warehouse', path, 'export', 'panel', '--format', format, '--output', join(out, format));
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);

  it('has Stata-safe, unique names and a codebook entry for every column', () => {
    const header = readFileSync(join(out, 'csv', 'panel.csv'), 'utf8').split('\n')[0]!.split(',');
    expect(header.slice(0, 8)).toEqual(['commune_insee', 'commune_name', 'department', 'region', 'year', 'cohort', 'treated', 'did_sample']);
    expect(header).toContain(stataName(DEMO_DID.outcome));
    for (const h of header) expect(h).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
    expect(new Set(header).size).toBe(header.length);
    const book = JSON.parse(readFileSync(join(out, 'csv', 'codebook.json'), 'utf8')) as { variable: string; label: string; source: string }[];
    expect(book.map((b) => b.variable)).toEqual(header);
    for (const b of book) expect(b.label.length, b.variable).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'csv', 'codebook.md'), 'utf8')).toContain(`| \`${stataName(DEMO_DID.outcome)}\` |`);
  });

  const hasR = requireTool('Rscript', 'r-base-core r-cran-sandwich');
  it.runIf(hasR)('R re-estimates the DiD from the CSV panel: equal to cafe-impact did to 1e-6', async () => {
    const did = await cli('--warehouse', path, 'did', '--outcome', DEMO_DID.outcome, '--json');
    expect(did.code, did.stderr).toBe(0);
    const ours = JSON.parse(did.stdout) as { estimate: number; se: number; n_obs: number; n_clusters: number };
    const res = join(tempDir(), 'r.csv');
    const r = spawnSync('Rscript', [new URL('../reference/panel-did.R', import.meta.url).pathname, join(out, 'csv', 'panel.csv'), stataName(DEMO_DID.outcome), res], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [estimate, se, n, clusters] = csvRows(readFileSync(res, 'utf8'))[1]!.map((x) => Number(x.replace(/"/g, '')));
    expect([n, clusters]).toEqual([ours.n_obs, ours.n_clusters]);
    expect(Math.abs(ours.estimate - estimate!) / Math.abs(estimate!)).toBeLessThan(1e-6);
    expect(Math.abs(ours.se - se!) / se!).toBeLessThan(1e-6);
  });

  it('the Arrow and Parquet panels hold the CSV panel (apache-arrow, DuckDB)', async () => {
    const csv = csvRows(readFileSync(join(out, 'csv', 'panel.csv'), 'utf8'));
    const col = csv[0]!.indexOf(stataName(DEMO_DID.outcome));
    const sum = csv.slice(1).reduce((s, r) => s + (r[col] === '' ? 0 : Number(r[col])), 0);
    const { tableFromIPC } = await import('apache-arrow');
    const t = tableFromIPC(readFileSync(join(out, 'arrow', 'panel.arrow')));
    expect(t.numRows).toBe(csv.length - 1);
    const v = t.getChild(stataName(DEMO_DID.outcome))!.toArray() as Float64Array;
    const nulls = t.getChild(stataName(DEMO_DID.outcome))!.nullCount;
    expect(nulls).toBe(csv.slice(1).filter((r) => r[col] === '').length);
    let arrowSum = 0;
    for (let i = 0; i < t.numRows; i++) if (t.getChild(stataName(DEMO_DID.outcome))!.get(i) !== null) arrowSum += v[i]!;
    expect(arrowSum).toBeCloseTo(sum, 6);
    const wh = await Warehouse.open(':memory:');
    try {
      const p = await wh.one<{ n: number; s: number; treated: number }>(`SELECT count(*) AS n, sum("${stataName(DEMO_DID.outcome)}") AS s, sum(treated) AS treated FROM read_parquet('${join(out, 'parquet', 'panel.parquet')}')`);
      expect(p!.n).toBe(csv.length - 1);
      expect(p!.s).toBeCloseTo(sum, 6);
      expect(p!.treated).toBe(csv.slice(1).filter((r) => r[6] === '1').length);
    } finally {
      wh.close();
    }
  });
});

describe('export panel applies suppression; export warehouse round-trips through Parquet', () => {
  let path: string;
  beforeAll(async () => {
    path = join(tempDir('export-golden-'), 'w.duckdb');
    const wh = await Warehouse.open(path);
    try {
      await ingestGolden(wh);
      await ingestGoldenSurvey(wh);
      const config = defaultConfig();
      config.survey.min_respondents = 20; // the golden survey has 12 respondents: every estimate suppressed
      await runPeriod(wh, parsePeriod('2023'), { config });
    } finally {
      wh.close();
    }
  });

  it('a suppressed survey estimate is empty in the panel, its row still there', async () => {
    const dir = tempDir();
    expect((await cli('--warehouse', path, 'export', 'panel', '--output', dir)).code).toBe(0);
    const rows = csvRows(readFileSync(join(dir, 'panel.csv'), 'utf8'));
    const h = rows[0]!;
    const row = rows.find((r) => r[0] === '51356' && r[4] === '2023')!;
    expect(row).toBeDefined();
    expect(h).toContain('survey_life_satisfaction');
    expect(row[h.indexOf('survey_life_satisfaction')]).toBe('');
    // nothing of a suppressed estimate leaks: its SE and n are withheld too (no such column here)
    for (const k of ['survey_life_satisfaction_se', 'survey_life_satisfaction_n']) if (h.includes(k)) expect(row[h.indexOf(k)]).toBe('');
  });

  it('every dataset as Hive-partitioned Parquet that DuckDB reads back with the same rows and sums', async () => {
    const dir = tempDir();
    const r = await cli('--warehouse', path, 'export', 'warehouse', '--format', 'parquet', '--output', dir);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { dataset: string; period: string | null; file: string; rows: number; sha256: string }[] };
    expect(manifest.files.some((f) => f.file.startsWith('dataset=service_uses/period=2023-Q1/'))).toBe(true);
    const wh = await Warehouse.open(path, { readOnly: true, migrate: false }).catch(() => null);
    const snap = await Warehouse.open(join(path, '..', 'published', 'w.duckdb'), { readOnly: true, migrate: false });
    wh?.close();
    const mem = await Warehouse.open(':memory:');
    try {
      for (const [dataset, expr] of [['service_uses', 'sum(uses)'], ['staff', 'sum(fte)'], ['cafes', 'count(*)'], ['survey_answers', 'sum(value)']] as const) {
        const table = dataset;
        const want = await snap.scalar(`SELECT ${expr} FROM ${table}`);
        const glob = join(dir, `dataset=${dataset}`, manifest.files.find((f) => f.dataset === dataset)!.period ? '*/*.parquet' : '*.parquet');
        expect(await mem.scalar(`SELECT ${expr} FROM read_parquet('${glob}', hive_partitioning = true)`), dataset).toEqual(want);
      }
      // the partitions: service_uses by quarter, as the manifest says
      const parts = await mem.all(`SELECT period, count(*) AS n FROM read_parquet('${join(dir, 'dataset=service_uses', '*', '*.parquet')}', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`);
      expect(parts).toEqual(manifest.files.filter((f) => f.dataset === 'service_uses').map((f) => ({ period: f.period, n: f.rows })));
    } finally {
      snap.close();
      mem.close();
    }
  });
});
