/**
 * Survey statistics (src/stats): raking, the weighted mean with its linearised SE on the raked
 * design, proportions, Cronbach's alpha. Small cases by hand; the rest against R's survey
 * package (test/reference/survey.R, rerun here on data this test generates, so the reference
 * cannot drift): equal to 1e-6 relative as the issue asks; they agree to about 1e-15 (printed).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/stats/prng.ts';
import { cronbachAlpha } from '../../src/stats/cronbach-alpha.ts';
import { rake } from '../../src/stats/rake.ts';
import { svyMean } from '../../src/stats/svy-mean.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('rake', () => {
  it('the worked example: converges after 2 passes with weights 30, 30, 20, 20', () => {
    // F young, F old, M young, M young; w0 = 25; sex F 60 M 40, age young 70 old 30 (see rake.ts)
    const r = rake([25, 25, 25, 25], [
      { category: [0, 0, 1, 1], population: [60, 40] },
      { category: [0, 1, 0, 0], population: [70, 30] },
    ], { maxit: 200, epsilon: 1e-13 });
    expect(r.weights).toEqual([30, 30, 20, 20]);
    expect(r).toMatchObject({ passes: 2, converged: true });
  });

  it('meets both margins when the categories cross unevenly', () => {
    // 3 units: (F, young), (F, old), (M, old); F 50 M 50, young 40 old 60 → the only solution:
    // F-young = 40 (young), so F-old = 10 and M-old = 50.
    const r = rake([1, 1, 1], [
      { category: [0, 0, 1], population: [50, 50] },
      { category: [0, 1, 1], population: [40, 60] },
    ], { maxit: 200, epsilon: 1e-13 });
    expect(r.converged).toBe(true);
    r.weights.forEach((w, i) => expect(w).toBeCloseTo([40, 10, 50][i]!, 9));
  });

  it('refuses a category with population and no unit (to be merged first)', () => {
    expect(() => rake([1, 1], [{ category: [0, 0], population: [5, 5] }])).toThrow(/category 1 has population but no unit/);
  });
});

describe('svyMean', () => {
  it('without calibration: the textbook SE, sd/√n for equal weights', () => {
    // y = 1 2 3 4, w = 1: ȳ = 2.5; z = (−1.5, −0.5, 0.5, 1.5)/4; SE² = 4/3 · (5/16) = 5/12
    const r = svyMean([1, 2, 3, 4], [1, 1, 1, 1], { categories: [], marginWeights: [] })!;
    expect(r.mean).toBe(2.5);
    expect(r.se).toBeCloseTo(Math.sqrt(5 / 12), 15);
    expect(r.n).toBe(4);
  });

  it('a unit without an answer weighs nothing in the mean but counts in n of the design', () => {
    // y = 1, null, 3 (w = 1): ȳ = 2; z = (−1/2, 0, 1/2), z̄ = 0; SE² = 3/2 · 1/2 = 3/4
    const r = svyMean([1, null, 3], [1, 1, 1], { categories: [], marginWeights: [] })!;
    expect(r.mean).toBe(2);
    expect(r.se).toBeCloseTo(Math.sqrt(0.75), 15);
    expect(r.n).toBe(2);
  });
});

describe('cronbachAlpha', () => {
  it('the worked example: 0.952381', () => {
    // a = 1 2 3 4 (var 5/3), b = 2 2 3 5 (var 2), sums 3 4 6 9 (var 7): 2 · (1 − (11/3)/7) = 20/21
    expect(cronbachAlpha([[1, 2, 3, 4], [2, 2, 3, 5]])!.alpha).toBeCloseTo(20 / 21, 14);
    // listwise: the respondent missing b is left out
    expect(cronbachAlpha([[1, 2, 3, 4, 9], [2, 2, 3, 5, null]])).toEqual(cronbachAlpha([[1, 2, 3, 4], [2, 2, 3, 5]]));
  });
});

const hasR = requireTool('Rscript', 'r-base-core r-cran-survey');
describe.runIf(hasR)('equal to R survey 4.x (rake, svymean) on generated communes', () => {
  it('weights, means, SEs and a proportion to 1e-6 relative; alpha too', () => {
    const SEXES = ['F', 'M'];
    const AGES = ['15-24', '25-39', '40-54', '55-64', '65-74', '75+'];
    const rng = new Rng(20261202);
    const units: { commune: string; unit: number; sex: number; age: number; w0: number; y1: number; y2: number | null; p1: number }[] = [];
    const margins: { commune: string; sex: number[]; age: number[] }[] = [];
    let id = 0;
    for (const commune of ['01001', '51356', '52448']) {
      const n = rng.int(35, 60);
      // every category present at least once, then random
      const rows = Array.from({ length: n }, (_, i) => ({ sex: i < 2 ? i : rng.int(0, 1), age: i < 6 ? i : rng.int(0, 5) }));
      const sex = [rng.uniform(300, 900), rng.uniform(300, 900)];
      const ageShares = AGES.map(() => rng.uniform(0.5, 2));
      const total = sex[0]! + sex[1]!;
      const age = ageShares.map((s) => (s / ageShares.reduce((a, b) => a + b, 0)) * total);
      margins.push({ commune, sex, age });
      for (const r of rows) {
        const y1 = rng.int(0, 10);
        units.push({ commune, unit: ++id, sex: r.sex, age: r.age, w0: total / n, y1, y2: rng.chance(0.1) ? null : rng.int(1, 5), p1: y1 >= 7 ? 1 : 0 });
      }
    }
    const dir = tempDir('svy-');
    const na = (v: number | null) => (v === null ? 'NA' : String(v));
    writeFileSync(join(dir, 'units.csv'), ['commune,unit,sex,age_band,w0,y1,y2,p1', ...units.map((u) => `${u.commune},${u.unit},${SEXES[u.sex]},${AGES[u.age]},${u.w0},${u.y1},${na(u.y2)},${u.p1}`)].join('\n'));
    writeFileSync(
      join(dir, 'margins.csv'),
      ['commune,margin,category,population', ...margins.flatMap((m) => [...m.sex.map((p, i) => `${m.commune},sex,${SEXES[i]},${p}`), ...m.age.map((p, i) => `${m.commune},age_band,${AGES[i]},${p}`)])].join('\n'),
    );
    const r = spawnSync('Rscript', [new URL('../reference/survey.R', import.meta.url).pathname, join(dir, 'units.csv'), join(dir, 'margins.csv'), join(dir, 'out.csv')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const ref = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map((x) => x.replace(/^"|"$/g, '')));
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    let compared = 0;
    const worst = { weight: 0, mean: 0, se: 0 };
    for (const m of margins) {
      const us = units.filter((u) => u.commune === m.commune);
      const raked = rake(us.map((u) => u.w0), [{ category: us.map((u) => u.sex), population: m.sex }, { category: us.map((u) => u.age), population: m.age }], { maxit: 200, epsilon: 1e-13 });
      expect(raked.converged).toBe(true);
      const cal = { categories: [us.map((u) => u.sex), us.map((u) => u.age)], marginWeights: raked.marginWeights };
      for (const [, what, key, value, se] of ref.filter((x) => x[0] === m.commune)) {
        if (what === 'weight') {
          const i = us.findIndex((u) => String(u.unit) === key);
          worst.weight = Math.max(worst.weight, rel(raked.weights[i]!, Number(value)));
        } else {
          const y = us.map((u) => u[key as 'y1' | 'y2' | 'p1']);
          const e = svyMean(y, raked.weights, cal)!;
          worst.mean = Math.max(worst.mean, rel(e.mean, Number(value)));
          worst.se = Math.max(worst.se, rel(e.se, Number(se)));
        }
        compared++;
      }
    }
    console.log(`largest relative differences from R: weights ${worst.weight.toExponential(1)}, means ${worst.mean.toExponential(1)}, SEs ${worst.se.toExponential(1)}`);
    expect(worst.weight).toBeLessThan(1e-9);
    expect(worst.mean).toBeLessThan(1e-6);
    expect(worst.se).toBeLessThan(1e-6);
    const alpha = ref.find((x) => x[1] === 'alpha')!;
    expect(rel(cronbachAlpha([units.map((u) => u.y1), units.map((u) => u.y2)])!.alpha, Number(alpha[3]))).toBeLessThan(1e-9);
    expect(compared).toBe(units.length + 3 * 3);
  });
});
