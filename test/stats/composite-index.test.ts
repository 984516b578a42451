/**
 * The composite index (src/stats/composite-index.ts): normalisations and the point estimate by
 * hand; the Monte Carlo by its properties (seeded, reproducible, bands containing the point when
 * nothing is uncertain but the weights and the normalisation, equal odds of the normalisations).
 */
import { describe, expect, it } from 'vitest';
import { compositeIndex, minMaxScore, percentileRankScores, quantile, ranksDescending, type IndexIndicator } from '../../src/stats/composite-index.ts';

const IND: IndexIndicator[] = [
  { code: 'a', dimension: 'life', direction: 'positive', min: 0, max: 10 },
  { code: 'b', dimension: 'access', direction: 'negative', min: 0, max: 100 },
];
const data = (rows: Record<string, Record<string, { value: number; se?: number }>>) => new Map(Object.entries(rows).map(([u, v]) => [u, new Map(Object.entries(v))]));

describe('normalisation', () => {
  it('min–max on fixed bounds, clipped, reversed for a negative direction', () => {
    expect(minMaxScore(7, 0, 10, 'positive')).toBe(7);
    expect(minMaxScore(30, 0, 100, 'negative')).toBe(7); // 10 − 3
    expect(minMaxScore(12, 0, 10, 'positive')).toBe(10); // clipped
    expect(minMaxScore(25000, 10000, 40000, 'positive')).toBe(5);
  });
  it('percentile rank: mid-ranks over n − 1, ties averaged', () => {
    // values 1, 5, 5, 9 → 0-based ranks 0, 1.5, 1.5, 3 → × 10/3
    expect(percentileRankScores([1, 5, 5, 9], 'positive')).toEqual([0, 5, 5, 10]);
    expect(percentileRankScores([1, 5, 5, 9], 'negative')).toEqual([10, 5, 5, 0]);
  });
  it('ranks: 1 = highest, ties averaged; quantile type 7 (R default)', () => {
    expect(ranksDescending([3, 9, 3, 1])).toEqual([2.5, 1, 2.5, 4]);
    // R: quantile(1:10, 0.05) = 1.45, quantile(1:10, 0.95) = 9.55
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.05)).toBeCloseTo(1.45, 12);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 12);
  });
});

describe('compositeIndex', () => {
  it('the worked example: scores 7 and 7, index 7; a unit missing a dimension gets none', () => {
    const r = compositeIndex(IND, data({ X: { a: { value: 7 }, b: { value: 30 } }, Y: { a: { value: 4 } } }), { draws: 50, seed: 3 });
    const x = r.find((u) => u.unit === 'X')!;
    expect(x.dimensions.life!.value).toBe(7);
    expect(x.dimensions.access!.value).toBe(7);
    expect(x.index!.value).toBe(7);
    expect(r.find((u) => u.unit === 'Y')!.index).toBeNull();
    // reweight: Y's index is its one dimension
    expect(compositeIndex(IND, data({ Y: { a: { value: 4 } } }), { missing: 'reweight', draws: 10 })[0]!.index!.value).toBe(4);
  });

  it('weights: (2·8 + 1·2) / 3 = 6', () => {
    const r = compositeIndex(IND, data({ X: { a: { value: 8 }, b: { value: 80 } } }), { weights: { life: 2, access: 1 }, draws: 10 });
    expect(r[0]!.index!.value).toBeCloseTo(6, 12);
  });

  it('Monte Carlo: seeded and reproducible; bands around the point; ranks among units', () => {
    const rows = data({
      A: { a: { value: 8, se: 0.4 }, b: { value: 10 } },
      B: { a: { value: 5, se: 0.6 }, b: { value: 40 } },
      C: { a: { value: 6, se: 0.5 }, b: { value: 70 } },
    });
    const r1 = compositeIndex(IND, rows, { draws: 400, seed: 11 });
    const r2 = compositeIndex(IND, rows, { draws: 400, seed: 11 });
    expect(r2).toEqual(r1);
    expect(compositeIndex(IND, rows, { draws: 400, seed: 12 })).not.toEqual(r1);
    for (const u of r1) {
      expect(u.index!.low).toBeLessThanOrEqual(u.index!.high);
      expect(u.index!.low).toBeGreaterThanOrEqual(0);
      expect(u.index!.high).toBeLessThanOrEqual(10);
      expect(u.rank!.low).toBeGreaterThanOrEqual(1);
      expect(u.rank!.high).toBeLessThanOrEqual(3);
    }
    // A: scores 8 and 9 → 8.5, the highest: rank 1
    const a = r1.find((u) => u.unit === 'A')!;
    expect(a.index!.value).toBeCloseTo(8.5, 12);
    expect(a.rank!.value).toBe(1);
  });
});
