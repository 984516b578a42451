/**
 * The survey estimates as a run publishes them (src/indicators/survey-estimates.ts): respondents
 * and answers ingested like any file, margins from the `population` dataset, and the figures
 * compared with R's survey package run on the same respondents (test/reference/survey.R), the
 * edge rules applied by hand to R's input: respondents of sex other/undisclosed left out, an age
 * band without respondent merged into the next younger one, the census year the latest ≤ the wave.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGE_BANDS } from '../../src/contract/datasets.ts';
import { parsePeriod } from '../../src/core/period.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { Rng } from '../../src/stats/prng.ts';
import { runFigures } from '../../src/figures/store.ts';
import type { Figure } from '../../src/figures/types.ts';
import { mergeEmptyBands } from '../../src/indicators/survey-estimates.ts';
import { defaultConfig } from '../../src/runs/config.ts';
import { runPeriod, type RunWarning } from '../../src/runs/run.ts';
import { requireTool } from '../helpers/tools.ts';
import { CAFES_CSV, folder, ingest, tempDir, tempWarehouse } from '../helpers/warehouse.ts';

const QUESTIONNAIRE = [
  'item_id,label,scale_min,scale_max,direction,dimension',
  'life_satisfaction,Satisfaction,0,10,positive,life',
  'trust,Confiance,1,5,positive,trust',
  'distrust,Méfiance,1,5,negative,trust',
].join('\n');

interface Resp { key: string; commune: string; sex: string; age: string; life: number | null; trust: number | null; distrust: number | null }

// 51356: 30 respondents (2 of sex other/undisclosed), every band; 52448: 14, none aged 75+;
// 01001: 6 (fewer than survey.min_respondents = 10: suppressed).
function respondents(): Resp[] {
  const rng = new Rng(7);
  const out: Resp[] = [];
  const make = (commune: string, n: number, bands: readonly string[], odd = 0) => {
    for (let i = 0; i < n; i++) {
      const sex = i < odd ? (i % 2 ? 'other' : 'undisclosed') : i % 2 ? 'F' : 'M';
      const age = bands[i % bands.length]!;
      const trust = rng.int(1, 5);
      out.push({ key: `R${commune}${i}`, commune, sex, age, life: rng.chance(0.1) ? null : rng.int(0, 10), trust, distrust: rng.chance(0.1) ? null : Math.max(1, Math.min(5, 6 - trust + rng.int(-1, 1))) });
    }
  };
  make('51356', 30, AGE_BANDS, 2);
  make('52448', 14, AGE_BANDS.slice(0, 5));
  make('01001', 6, AGE_BANDS);
  return out;
}

// population by sex × band: census 2020 and 2022 (2022 is used for a 2023 wave; 2024 is not)
function population(): string {
  const rows = ['commune_insee,year,sex,age_band,population'];
  for (const [commune, size] of [['51356', 600], ['52448', 300], ['01001', 200]] as const) {
    for (const year of [2020, 2022, 2024]) {
      AGE_BANDS.forEach((b, i) => {
        rows.push(`${commune},${year},F,${b},${((size * (i + 2)) / 27 + year - 2020 + 0.25).toFixed(2)}`);
        rows.push(`${commune},${year},M,${b},${((size * (8 - i)) / 33 + (year - 2020) / 2).toFixed(2)}`);
      });
    }
  }
  return rows.join('\n');
}

const cell = (v: number | null) => (v === null ? '' : String(v));
let wh: Warehouse;
let figures: Figure[];
let warnings: RunWarning[];
const people = respondents();
beforeAll(async () => {
  wh = await tempWarehouse();
  await ingest(wh, folder({ 'cafes.csv': CAFES_CSV, 'questionnaire.csv': QUESTIONNAIRE, 'population.csv': population() }), '2023-Q1');
  const survey = ['respondent_key,commune_insee,wave_date,sex,age_band,life_satisfaction,trust,distrust', ...people.map((p) => `${p.key},${p.commune},2023-05-20,${p.sex},${p.age},${cell(p.life)},${cell(p.trust)},${cell(p.distrust)}`)].join('\n');
  await ingest(wh, folder({ 'survey.csv': survey }), '2023');
  const run = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
  figures = await runFigures(wh, run.runId);
  warnings = run.warnings;
});

const fig = (indicator: string, commune: string) => figures.find((f) => f.indicator === indicator && f.scope === 'commune' && f.scope_id === commune);

describe('survey estimates in a run', () => {
  it('apply the edge rules visibly', () => {
    expect(warnings.find((w) => w.code === 'survey_sex_left_out' && w.subject === '51356')?.message).toBe(
      'commune 51356: 2 respondents of sex other or undisclosed left out of the weighted estimates (the census margins know F and M only)',
    );
    expect(warnings.find((w) => w.code === 'survey_bands_merged' && w.subject === '52448')?.message).toContain('(75+ → 65-74)');
    // 6 respondents < 10: published suppressed, no value, interval, SE or n
    expect(fig('survey.life_satisfaction', '01001')).toMatchObject({ suppressed: true, value: null, se: null, n: null, ci_low: null });
    expect(fig('survey.life_satisfaction', '51356')).toMatchObject({ suppressed: false, unit: 'score', ci_level: 0.95 });
  });

  it('merges an empty band into the next younger one, the youngest into the next older', () => {
    // populations of the six bands; respondents 0 in 75+ and in 15-24
    const { target, merged } = mergeEmptyBands([10, 20, 30, 40, 50, 60], [0, 3, 3, 3, 3, 0]);
    expect(merged).toEqual(['15-24 → 25-39', '75+ → 65-74']);
    expect(target).toEqual([1, 1, 2, 3, 4, 4]);
  });

  const hasR = requireTool('Rscript', 'r-base-core r-cran-survey');
  it.runIf(hasR)('equal R survey on the same respondents: means, SEs, the share ≥ 7, to 1e-6', () => {
    const dir = tempDir('svy-run-');
    // R's input, the rules applied by hand: F/M only; 52448's 75+ margin added to 65-74; census 2022
    const kept = people.filter((p) => (p.sex === 'F' || p.sex === 'M') && p.commune !== '01001');
    const band = (p: Resp) => (p.commune === '52448' && p.age === '75+' ? '65-74' : p.age);
    const pop = population().split('\n').slice(1).map((l) => l.split(',')).filter((r) => r[1] === '2022' && r[0] !== '01001');
    const n = (c: string) => kept.filter((p) => p.commune === c).length;
    const N = (c: string) => pop.filter((r) => r[0] === c).reduce((s, r) => s + Number(r[4]), 0);
    writeFileSync(join(dir, 'units.csv'), ['commune,unit,sex,age_band,w0,y1,y2,p1', ...kept.map((p, i) => `${p.commune},${i},${p.sex},${band(p)},${N(p.commune) / n(p.commune)},${p.life ?? 'NA'},${p.trust ?? 'NA'},${p.life === null ? 'NA' : p.life >= 7 ? 1 : 0}`)].join('\n'));
    const margins = ['commune,margin,category,population'];
    for (const c of ['51356', '52448']) {
      for (const s of ['F', 'M']) margins.push(`${c},sex,${s},${pop.filter((r) => r[0] === c && r[2] === s).reduce((t, r) => t + Number(r[4]), 0)}`);
      for (const b of AGE_BANDS) {
        const into = c === '52448' && b === '75+' ? null : b;
        if (!into) continue;
        const from = c === '52448' && b === '65-74' ? ['65-74', '75+'] : [b];
        margins.push(`${c},age_band,${b},${pop.filter((r) => r[0] === c && from.includes(r[3]!)).reduce((t, r) => t + Number(r[4]), 0)}`);
      }
    }
    writeFileSync(join(dir, 'margins.csv'), margins.join('\n'));
    const r = spawnSync('Rscript', [new URL('../reference/survey.R', import.meta.url).pathname, join(dir, 'units.csv'), join(dir, 'margins.csv'), join(dir, 'out.csv')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const ref = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map((x) => x.replace(/^"|"$/g, '')));
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    const ours: Record<string, string> = { y1: 'survey.life_satisfaction', y2: 'survey.trust', p1: 'survey.life_satisfaction.share_ge_7' };
    let compared = 0;
    for (const [commune, what, key, value, se] of ref) {
      if (what !== 'mean') continue;
      const f = fig(ours[key!]!, commune!)!;
      expect(rel(f.value!, Number(value)), `${commune} ${key} mean`).toBeLessThan(1e-6);
      expect(rel(f.se!, Number(se)), `${commune} ${key} se`).toBeLessThan(1e-6);
      // the 95 % interval: mean ± 1.959964 · SE
      expect(f.ci_low).toBeCloseTo(Number(value) - 1.959964 * Number(se), 9);
      compared++;
    }
    expect(compared).toBe(6);
    // n: the answers to the item (life_satisfaction has missing answers)
    expect(fig('survey.life_satisfaction', '51356')!.n).toBe(kept.filter((p) => p.commune === '51356' && p.life !== null).length);
  });

  it('the well-being index: min–max scores on the questionnaire scales, dimensions, index and rank', async () => {
    // A run whose index has two dimensions: life (life_satisfaction, 0–10) and trust (trust
    // positive, distrust negative, 1–5). Expected from the run's own survey means by the formula.
    const c = defaultConfig();
    const config = { ...c, index: { ...c.index, draws: 200, indicators: [
      { code: 'survey.life_satisfaction', dimension: 'life', direction: 'positive' as const },
      { code: 'survey.trust', dimension: 'trust', direction: 'positive' as const },
      { code: 'survey.distrust', dimension: 'trust', direction: 'negative' as const },
    ] } };
    const run = await runPeriod(wh, parsePeriod('2023'), { config });
    const fs = await runFigures(wh, run.runId);
    const at = (i: string, commune: string) => fs.find((f) => f.indicator === i && f.scope_id === commune);
    const expected: Record<string, number> = {};
    for (const commune of ['51356', '52448']) {
      const life = (10 * (at('survey.life_satisfaction', commune)!.value! - 0)) / 10;
      const trust = ((10 * (at('survey.trust', commune)!.value! - 1)) / 4 + (10 - (10 * (at('survey.distrust', commune)!.value! - 1)) / 4)) / 2;
      expect(at('wellbeing.life', commune)!.value).toBeCloseTo(life, 12);
      expect(at('wellbeing.trust', commune)!.value).toBeCloseTo(trust, 12);
      expected[commune] = (life + trust) / 2;
      const ix = at('wellbeing.index', commune)!;
      expect(ix.value).toBeCloseTo(expected[commune]!, 12);
      expect(ix).toMatchObject({ unit: 'score10', ci_level: 0.9 });
      expect(ix.ci_low!).toBeLessThanOrEqual(ix.ci_high!);
    }
    // the suppressed commune (6 respondents) has no index
    expect(at('wellbeing.index', '01001')).toBeUndefined();
    // ranks: 1 for the higher index of the two
    const first = expected['51356']! > expected['52448']! ? '51356' : '52448';
    expect(at('wellbeing.rank', first)!.value).toBe(1);
    // seeded: the same run again gives the same bands
    const again = await runFigures(wh, (await runPeriod(wh, parsePeriod('2023'), { config })).runId);
    expect(again.find((f) => f.indicator === 'wellbeing.index' && f.scope_id === first)!.ci_low).toBe(at('wellbeing.index', first)!.ci_low);
  });

  it('Cronbach’s alpha of the trust scale, distrust reversed, over every respondent', () => {
    // reversed distrust = 1 + 5 − answer; listwise over all 50 respondents (other sexes included)
    const rows = people.filter((p) => p.trust !== null && p.distrust !== null).map((p) => [p.trust!, 6 - p.distrust!]);
    const v = (xs: number[]) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1); };
    const alpha = 2 * (1 - (v(rows.map((r) => r[0]!)) + v(rows.map((r) => r[1]!))) / v(rows.map((r) => r[0]! + r[1]!)));
    const f = figures.find((x) => x.indicator === 'survey.alpha.trust' && x.scope === 'network')!;
    expect(f.value).toBeCloseTo(alpha, 12);
    expect(f.n).toBe(rows.length);
  });
});
