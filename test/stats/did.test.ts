/**
 * Group-time effects and their aggregations (src/stats/did.ts) against values computed by hand
 * on a panel written out below; the χ² tail against R; the generalised-inverse Wald statistic by
 * hand on 2 × 2 matrices.
 *
 * The panel (years 2019–2021; cohort 2020: A, B; cohort 2021: E, F; never treated: C, D):
 *
 *        2019  2020  2021
 *   A      5     8     9      cohort 2020
 *   B      7     9    13      cohort 2020
 *   E      2     4     8      cohort 2021
 *   F      6     6     9      cohort 2021
 *   C      2     3     4      control
 *   D      4     4     7      control
 *
 * Long differences from the base g − 1 and the cells (SE² = s²_g/n_g + s²_C/n_C):
 *   (2020, 2020): A 3, B 2 (mean 2.5, s² 0.5) − C 1, D 0 (0.5, 0.5)   → 2,    SE² 0.5
 *   (2020, 2021): A 4, B 6 (5, 2)             − C 2, D 3 (2.5, 0.5)   → 2.5,  SE² 1 + 0.25 = 1.25
 *   (2021, 2019): E −2, F 0 (−1, 2)           − C −1, D 0 (−0.5, 0.5) → −0.5, SE² 1 + 0.25 = 1.25
 *   (2021, 2021): E 4, F 3 (3.5, 0.5)         − C 1, D 3 (2, 2)       → 1.5,  SE² 0.25 + 1 = 1.25
 * att_simple: the three post cells, weights 2/6 each (cohort sizes 2, 2): (2 + 2.5 + 1.5)/3 = 2.
 *   Contributions ψ = Σ w·d/n (treated), −Σ w·d/n (controls):
 *   A (1/3)(3/2 + 4/2) = 7/6, B (1/3)(2/2 + 6/2) = 4/3 → 2 · 2 · (1/12)² = 1/36;
 *   E (1/3)(4/2) = 2/3, F (1/3)(3/2) = 1/2            → 2 · 2 · (1/12)² = 1/36;
 *   C −(1/3)(1/2 + 2/2 + 1/2) = −2/3, D −(1/3)(0 + 3/2 + 3/2) = −1 → 2 · 2 · (1/6)² = 1/9;
 *   SE² = 1/36 + 1/36 + 4/36 = 1/6.
 * Event study e = 0: cells (2020, 2020) and (2021, 2021), weights ½: 1.75;
 *   A ¾, B ½ → 2·2·(1/8)² = 1/16; E 1, F ¾ → 1/16; C −½(½ + ½) = −½, D −½(0 + 3/2) = −¾ → 1/16;
 *   SE² = 3/16. e = 1: the cell (2020, 2021); e = −2: the cell (2021, 2019).
 * Parallel trends: one pre cell, W = 0.25/1.25 = 0.2 on 1 df, p = pchisq(0.2, 1, lower.tail =
 * FALSE) = 0.65472084601857694 (R 4).
 */
import { describe, expect, it } from 'vitest';
import { chiSquaredUpper } from '../../src/stats/chi-squared.ts';
import { didEstimates, waldPseudoInverse, type DidObservation, type DidUnit } from '../../src/stats/did.ts';

const table: [string, number | null, number, number, number][] = [
  ['A', 2020, 5, 8, 9], ['B', 2020, 7, 9, 13], ['E', 2021, 2, 4, 8], ['F', 2021, 6, 6, 9], ['C', null, 2, 3, 4], ['D', null, 4, 4, 7],
];
const units: DidUnit[] = table.map(([unit, cohort]) => ({ unit, cohort }));
const panel: DidObservation[] = table.flatMap(([unit, , ...ys]) => ys.map((y, k) => ({ unit, time: 2019 + k, y })));

describe('group-time effects', () => {
  const r = didEstimates(panel, units);
  it('ATT(g,t) and their SEs equal the hand values; the base cell (g, g − 1) is not listed', () => {
    expect(r.attGt.map((c) => [c.group, c.time, c.n_treated, c.n_control])).toEqual([[2020, 2020, 2, 2], [2020, 2021, 2, 2], [2021, 2019, 2, 2], [2021, 2021, 2, 2]]);
    const want = [[2, 0.5], [2.5, 1.25], [-0.5, 1.25], [1.5, 1.25]];
    r.attGt.forEach((c, i) => {
      expect(c.att).toBeCloseTo(want[i]![0]!, 12);
      expect(c.se ** 2).toBeCloseTo(want[i]![1]!, 12);
    });
  });
  it('att_simple and the event study equal the hand values', () => {
    expect(r.simple!.att).toBeCloseTo(2, 12);
    expect(r.simple!.se ** 2).toBeCloseTo(1 / 6, 12);
    expect(r.eventStudy.map((e) => [e.event_time, e.cohorts])).toEqual([[-2, 1], [0, 2], [1, 1]]);
    expect(r.eventStudy[0]!.att).toBeCloseTo(-0.5, 12);
    expect(r.eventStudy[0]!.se ** 2).toBeCloseTo(1.25, 12);
    expect(r.eventStudy[1]!.att).toBeCloseTo(1.75, 12);
    expect(r.eventStudy[1]!.se ** 2).toBeCloseTo(3 / 16, 12);
    expect(r.eventStudy[2]!.att).toBeCloseTo(2.5, 12);
    expect(r.eventStudy[2]!.se ** 2).toBeCloseTo(1.25, 12);
  });
  it('the parallel-trends test on the one pre cell is (ATT/SE)² on 1 df', () => {
    expect(r.pretrend).toMatchObject({ cells: 1, df: 1 });
    expect(r.pretrend!.statistic).toBeCloseTo(0.2, 12);
    expect(r.pretrend!.p_value).toBeCloseTo(0.65472084601857694, 12);
    expect(r.cohortSizes).toEqual(new Map([[2020, 2], [2021, 2]]));
  });
  it('uses only the units observed in both t and g − 1 (an unbalanced panel)', () => {
    // C without 2021: (2020, 2021) and (2021, 2021) have one control, D: ATT = mean(dT) − d_D, SE undefined
    const r2 = didEstimates(panel.filter((o) => !(o.unit === 'C' && o.time === 2021)), units);
    const c = r2.attGt.find((x) => x.group === 2020 && x.time === 2021)!;
    expect(c.n_control).toBe(1);
    expect(c.att).toBeCloseTo(5 - 3, 12);
    expect(Number.isNaN(c.se)).toBe(true);
    // a cohort never observed in its base year has no cell at all
    const r3 = didEstimates(panel.filter((o) => !(o.time === 2019 && (o.unit === 'A' || o.unit === 'B'))), units);
    expect(r3.attGt.filter((x) => x.group === 2020)).toEqual([]);
  });
  it('TWFE on the same panel has 6 clusters and treats from the cohort year on', () => {
    expect(r.twfe.nObs).toBe(18);
    expect(r.twfe.nClusters).toBe(6);
    expect(r.twfe.k).toBe(6 + 3); // intercept, treated, 5 unit and 2 year dummies
  });
});

describe('Wald statistic with a generalised inverse', () => {
  it('inverts a regular matrix and drops the null space of a singular one', () => {
    // [[2,1],[1,2]]⁻¹ = (1/3)[[2,−1],[−1,2]]: (1,1) gives (2 − 1 − 1 + 2)/3 = 2/3
    expect(waldPseudoInverse([1, 1], [[2, 1], [1, 2]]).statistic).toBeCloseTo(2 / 3, 12);
    // [[1,1],[1,1]]⁺ = [[1,1],[1,1]]/4: (1,1) gives 4/4 = 1, rank 1
    const s = waldPseudoInverse([1, 1], [[1, 1], [1, 1]]);
    expect(s.rank).toBe(1);
    expect(s.statistic).toBeCloseTo(1, 12);
  });
  it('χ² upper tail equals R', () => {
    // print(pchisq(x, df, lower.tail = FALSE), digits = 17) in R 4
    expect(chiSquaredUpper(3, 1)).toBeCloseTo(0.083264516663550558, 14);
    expect(chiSquaredUpper(10, 4)).toBeCloseTo(0.040427681994512805, 14);
    expect(chiSquaredUpper(0.5, 7)).toBeCloseTo(0.99944648139042513, 14);
    expect(chiSquaredUpper(40, 10) / 1.6944743930067385e-5).toBeCloseTo(1, 10);
  });
});
