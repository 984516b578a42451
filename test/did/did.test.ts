/**
 * The difference-in-differences sample read from the warehouse (src/indicators/did.ts): who is
 * treated, who is a control, what is left out and why, on a purpose-built network; the estimates
 * by hand on it; `cafe-impact did` as a user runs it; the run's did.<outcome> figure and `explain`.
 *
 * The network (communes: real INSEE codes of the Marne):
 *   51001  cafés CA (associative, opened 2020-05-01) and CB (entrepreneurial, 2021-01-10): cohort 2020 (the earliest)
 *   51002  café CC opened 2022-03-01, closed 2022-09-01: cohort 2022 (intention to treat)
 *   51003  café CD, itinerant only                   → itinerant_only
 *   51004  café CE without opened_on                 → no_opening_date
 *   51005  café CF opened 2024-02-01                 → opened_after_to (the outcome ends in 2023)
 *   51006  café CG opened 2018-06-01                 → no_pre_period (the outcome starts in 2018)
 *   51007  candidate pending, 51008 candidate declined: the controls
 *   51009  candidate "opened" without a café          → opened_without_cafe
 *   51010  candidate pending without the outcome      → no_outcome
 *   51002  also a declined candidate: a café commune is treated whether or not it is a candidate
 *
 * The outcome x.y (2018 … 2023; 51008's 2023 value withheld, empty):
 *   51001  10 11 13 14 15 16       51007   5  6  6  7  8  8
 *   51002  20 20 21 22 25 25       51008   8  8  9  9 10  –
 * By hand: ATT(2020, 2021) = (14 − 11) − ((7 − 6) + (9 − 8))/2 = 2 (one treated commune: SE
 * undefined); ATT(2022, 2022) = (25 − 22) − ((8 − 7) + (10 − 9))/2 = 2; ATT(2020, 2023) uses
 * 51007 alone: (16 − 11) − (8 − 6) = 3. n_obs = 6 + 6 + 6 + 5 = 23, 4 clusters.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/core/period.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { estimateDid } from '../../src/indicators/did.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { twfe } from '../../src/stats/twfe.ts';
import { cli } from '../helpers/cli.ts';
import { folder, ingest, tempDir } from '../helpers/warehouse.ts';

const CAFES = [
  'cafe_id,name,commune_insee,lat,lon,model,stage,opened_on,closed_on',
  'CA,A,51001,49.0,4.0,associative,operating,2020-05-01,',
  'CB,B,51001,49.0,4.0,entrepreneurial,operating,2021-01-10,',
  'CC,C,51002,49.1,4.0,associative,transition,2022-03-01,2022-09-01',
  'CD,D,51003,49.2,4.0,itinerant,operating,2021-04-01,',
  'CE,E,51004,49.3,4.0,participative,definition,,',
  'CF,F,51005,49.4,4.0,associative,recruitment,2024-02-01,',
  'CG,G,51006,49.5,4.0,associative,operating,2018-06-01,',
].join('\n');
const CANDIDATES = ['commune_insee,applied_on,outcome', '51007,2019-01-01,pending', '51008,2019-02-01,declined', '51009,2019-03-01,opened', '51010,2020-01-01,pending', '51002,2019-05-01,declined'].join('\n');
const VALUES: Record<string, (number | null)[]> = {
  '51001': [10, 11, 13, 14, 15, 16], '51002': [20, 20, 21, 22, 25, 25], '51003': [1, 1, 1, 1, 1, 1], '51004': [2, 2, 2, 2, 2, 2],
  '51005': [3, 3, 3, 3, 3, 4], '51006': [4, 5, 5, 5, 5, 5], '51007': [5, 6, 6, 7, 8, 8], '51008': [8, 8, 9, 9, 10, null], '51009': [7, 7, 7, 7, 7, 7],
};
const INDICATORS = ['commune_insee,year,indicator,value', ...Object.entries(VALUES).flatMap(([c, ys]) => ys.map((v, k) => `${c},${2018 + k},x.y,${v ?? ''}`))].join('\n');

let path: string;
beforeAll(async () => {
  path = join(tempDir('did-'), 'w.duckdb');
  const wh = await Warehouse.open(path);
  try {
    const r = await ingest(wh, folder({ 'cafes.csv': CAFES, 'candidates.csv': CANDIDATES, 'commune_indicators.csv': INDICATORS }), '2023-Q1');
    expect(r.status, r.message).toBe('loaded');
  } finally {
    wh.close();
  }
});

async function withWh<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await Warehouse.open(path);
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

describe('the difference-in-differences sample', () => {
  it('treats café communes from their earliest opening, takes candidates without a café as controls, and says what it left out', async () => {
    const r = await withWh((wh) => estimateDid(wh, { outcome: 'x.y' }));
    expect([r.from, r.to]).toEqual([2018, 2023]);
    expect(r.cohorts).toEqual([{ group: 2020, communes: 1 }, { group: 2022, communes: 1 }]);
    expect(r.controls).toBe(2);
    expect(Object.fromEntries(r.excluded.map((x) => [x.reason, x.communes]))).toEqual({
      no_opening_date: 1, itinerant_only: 1, opened_without_cafe: 1, opened_after_to: 1, no_pre_period: 1, no_outcome: 1,
    });
    expect(r.excluded.find((x) => x.reason === 'no_pre_period')!.message).toMatch(/cohort 2018/);
    expect([r.n_obs, r.n_clusters]).toEqual([23, 4]);
  });

  it('gives the hand-computed group-time effects, and the TWFE of exactly the kept rows', async () => {
    const r = await withWh((wh) => estimateDid(wh, { outcome: 'x.y' }));
    const cell = (g: number, t: number) => r.att_gt.find((c) => c.group === g && c.time === t)!;
    expect(cell(2020, 2021)).toMatchObject({ n_treated: 1, n_control: 2, se: null });
    expect(cell(2020, 2021).att).toBeCloseTo(2, 12);
    expect(cell(2022, 2022).att).toBeCloseTo(2, 12);
    expect(cell(2020, 2023)).toMatchObject({ n_control: 1 });
    expect(cell(2020, 2023).att).toBeCloseTo(3, 12);
    // the TWFE of the 23 rows written out above (treated from the cohort year on)
    const rows = Object.entries(VALUES).filter(([c]) => ['51001', '51002', '51007', '51008'].includes(c))
      .flatMap(([c, ys]) => ys.flatMap((v, k) => (v === null ? [] : [{ unit: c, time: 2018 + k, y: v, treated: (c === '51001' && 2018 + k >= 2020) || (c === '51002' && 2018 + k >= 2022) ? 1 : 0 }])));
    expect(rows).toHaveLength(23);
    expect(r.estimate).toBeCloseTo(twfe(rows).estimate, 12);
  });

  it('--to leaves out the communes treated later; --from leaves out the cohorts it starts on or after', async () => {
    const to = await withWh((wh) => estimateDid(wh, { outcome: 'x.y', to: 2021 }));
    expect(to.cohorts).toEqual([{ group: 2020, communes: 1 }]);
    expect(to.excluded.find((x) => x.reason === 'opened_after_to')!.communes).toBe(2); // 51002 (2022), 51005 (2024)
    expect(to.n_obs).toBe(4 + 4 + 4); // 51001, 51007, 51008 in 2018–2021
    const from = withWh((wh) => estimateDid(wh, { outcome: 'x.y', from: 2020 }));
    // 2020 has no year before it from 2020 on, nor has 2018: cohort 2022 alone
    await expect(from).resolves.toMatchObject({ cohorts: [{ group: 2022, communes: 1 }] });
    expect((await from).excluded.find((x) => x.reason === 'no_pre_period')!.communes).toBe(2);
  });

  it('refuses an unknown outcome naming the ones the warehouse has, and a panel without a treated commune', async () => {
    await expect(withWh((wh) => estimateDid(wh, { outcome: 'nope.x' }))).rejects.toThrow(/no commune_indicators value for nope\.x \(the warehouse has: x\.y\)/);
    await expect(withWh((wh) => estimateDid(wh, { outcome: 'x.y', to: 2019 }))).rejects.toThrow(/no treated commune left/);
    // the well-being index as an outcome needs yearly runs with it for two years at least: none here
    await expect(withWh((wh) => estimateDid(wh, { outcome: 'wellbeing.index' }))).rejects.toThrow(/wellbeing\.index needs yearly runs with the index for at least two years; no yearly run has it/);
  });
});

describe('cafe-impact did', () => {
  it('--json prints one object with the interface fields', async () => {
    const r = await cli('--warehouse', path, 'did', '--outcome', 'x.y', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ['outcome', 'estimate', 'se', 'ci_low', 'ci_high', 'n_obs', 'n_clusters', 'att_gt', 'att_simple', 'att_simple_se', 'event_study', 'excluded']) expect(j).toHaveProperty(k);
    expect(Object.keys(j.att_gt[0]).sort()).toEqual(['group', 'n_control', 'n_treated', 'se', 'att', 'time'].sort());
    expect(Object.keys(j.event_study[0])).toEqual(expect.arrayContaining(['event_time', 'att', 'se']));
    expect(j.n_obs).toBe(23);
  });
  it('prints the sample, the estimates and the assumptions; bad years are a one-line usage error', async () => {
    const r = await cli('--warehouse', path, 'did', '--outcome', 'x.y');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 treated communes \(by opening year: 2020: 1, 2022: 1\), 2 control communes/);
    expect(r.stdout).toMatch(/Left out:[\s\S]*1 candidate marked opened without a café/);
    expect(r.stdout).toMatch(/Assumptions:[\s\S]*Parallel trends/);
    const bad = await cli('--warehouse', path, 'did', '--outcome', 'x.y', '--from', '20x9');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/--from 20x9: expected a year/);
    const swapped = await cli('--warehouse', path, 'did', '--outcome', 'x.y', '--from', '2022', '--to', '2020');
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toMatch(/--from 2022 is after --to 2020/);
  });
});

describe('the run publishes did.<outcome>', () => {
  it('for the outcomes of did.outcomes: the TWFE estimate with its interval, and explain shows the cells', async () => {
    const config = defaultConfig();
    config.did.outcomes = ['x.y', 'none.here'];
    const direct = await withWh((wh) => estimateDid(wh, { outcome: 'x.y', to: 2023, asOf: '2023-12-31' }));
    const run = await withWh((wh) => runPeriod(wh, parsePeriod('2023'), { config }));
    expect(run.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['did_not_estimated', 'did_no_pre_period']));
    const figs = await withWh((wh) => wh.all<Record<string, unknown>>("SELECT * FROM figures WHERE run_id = $1 AND indicator LIKE 'did.%'", [run.runId]));
    expect(figs).toHaveLength(1);
    expect(figs[0]).toMatchObject({ indicator: 'did.x.y', scope: 'network', scope_id: null, unit: 'effect', ci_level: 0.95, suppressed: false });
    expect(figs[0]!.value).toBeCloseTo(direct.estimate, 12);
    expect(figs[0]!.se).toBeCloseTo(direct.se!, 12);
    expect(Number(figs[0]!.n)).toBe(4);
    const x = await cli('--warehouse', path, 'explain', 'did.x.y', '--period', '2023', '--lang', 'en');
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout).toMatch(/Café's effect on x\.y/);
    expect(x.stdout).toMatch(/att_gt\s+2020\s+2021\s+2\s+1\s+2/);
    expect(x.stdout).toMatch(/no_outcome|1 control commune without x\.y in 2018–2023 left out/);
  });
});
