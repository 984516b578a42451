/**
 * A composite well-being index in the OECD regional well-being style, with its uncertainty by
 * Monte Carlo as the JRC / COINr handbook on composite indicators describes (OECD-JRC, *Handbook
 * on Constructing Composite Indicators*, 2008, §6–7). Pure: no database, no clock; the draws come
 * from a seeded generator, so the same inputs and seed give the same intervals.
 *
 * Point estimate (the defaults):
 *   score of an indicator = 10 · (x − min)/(max − min), clipped to [0, 10], reversed (10 − score)
 *                           for a negative direction; min/max are the indicator's fixed bounds
 *   dimension             = mean of its indicators' scores (those present)
 *   index                 = Σ_d w_d · dimension_d / Σ_d w_d   (equal weights by default)
 *   a unit missing a whole dimension gets no index, unless `reweight` (then Σ over present ones)
 *
 * Each Monte Carlo draw: every indicator with a standard error is drawn from N(x, se²) truncated
 * to its bounds; every dimension weight is multiplied by U(0.75, 1.25) and the weights
 * renormalised; the normalisation is min–max (as above) or percentile rank (the unit's mid-rank
 * among the units with a value, scaled to 0–10, direction-aware) with equal odds. The intervals
 * are the 5th and 95th percentiles of the draws; the rank (1 = highest index, ties averaged) is
 * taken in each draw too.
 *
 * Worked example (test/stats/composite-index.test.ts): two indicators of one dimension each,
 * a = 7 on [0, 10] (positive) and b = 30 % on [0, 100] (negative): scores 7 and 10 − 3 = 7;
 * dimensions 7 and 7; index 7.
 */
import { Rng } from './prng.ts';

export interface IndexIndicator {
  code: string;
  dimension: string;
  direction: 'positive' | 'negative';
  min: number;
  max: number;
}

export interface IndexUnitValue {
  value: number;
  /** Standard error of the value (a survey mean); absent or 0: no sampling uncertainty. */
  se?: number | null;
}

export interface IndexOptions {
  /** Dimension weights (equal by default). */
  weights?: Record<string, number>;
  missing?: 'exclude' | 'reweight';
  draws?: number;
  seed?: number;
}

export interface IndexResult {
  unit: string;
  /** Per dimension: score and its 90 % band. */
  dimensions: Record<string, { value: number; low: number; high: number }>;
  index: { value: number; low: number; high: number } | null;
  rank: { value: number; low: number; high: number } | null;
}

/** Min–max score of `x` on [min, max], 0–10, clipped, direction-aware. */
export function minMaxScore(x: number, min: number, max: number, direction: 'positive' | 'negative'): number {
  const s = Math.min(10, Math.max(0, (10 * (x - min)) / (max - min)));
  return direction === 'negative' ? 10 - s : s;
}

/** 0-based mid-ranks of values in ascending order, ties averaged: [3, 9, 3, 1] → [1.5, 3, 1.5, 0]. */
export function midRanks(values: readonly number[]): number[] {
  const n = values.length;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** Percentile-rank scores (0–10) of values: mid-ranks (ties averaged) over n − 1, direction-aware. */
export function percentileRankScores(values: readonly number[], direction: 'positive' | 'negative'): number[] {
  const n = values.length;
  if (n === 1) return [5];
  const out = midRanks(values).map((r) => (10 * r) / (n - 1));
  return direction === 'negative' ? out.map((s) => 10 - s) : out;
}

/** Ranks, 1 = highest, ties averaged. */
export function ranksDescending(values: readonly number[]): number[] {
  const n = values.length;
  return midRanks(values).map((r) => n - r);
}

/** The p-th percentile (type 7, as R's quantile default and numpy's: linear between order statistics). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Standard normal truncated to [a, b] (in z units), by rejection, then clamped after 100 tries. */
function truncatedNormal(rng: Rng, mean: number, sd: number, a: number, b: number): number {
  for (let t = 0; t < 100; t++) {
    const x = rng.normal(mean, sd);
    if (x >= a && x <= b) return x;
  }
  return Math.min(b, Math.max(a, mean));
}

/**
 * One evaluation of the index over every unit, given the values, weights and normalisation.
 * Returns per unit: dimensions (undefined when missing) and index (null when not computable).
 */
function evaluate(
  indicators: readonly IndexIndicator[],
  units: readonly string[],
  values: (number | undefined)[][], // [indicator][unit]
  weights: Record<string, number>,
  normalisation: 'minmax' | 'rank',
  missing: 'exclude' | 'reweight',
  dims: readonly string[],
): { dims: (number | undefined)[][]; index: (number | null)[] } {
  const scores: (number | undefined)[][] = indicators.map((ind, k) => {
    const v = values[k]!;
    if (normalisation === 'minmax') return v.map((x) => (x === undefined ? undefined : minMaxScore(x, ind.min, ind.max, ind.direction)));
    const present = v.map((x, u) => [x, u] as const).filter(([x]) => x !== undefined) as [number, number][];
    const r = percentileRankScores(present.map(([x]) => x), ind.direction);
    const out: (number | undefined)[] = units.map(() => undefined);
    present.forEach(([, u], i) => (out[u] = r[i]));
    return out;
  });
  const dimScores = dims.map((d) =>
    units.map((_, u) => {
      const s = indicators.map((ind, k) => (ind.dimension === d ? scores[k]![u] : undefined)).filter((x): x is number => x !== undefined);
      return s.length ? s.reduce((a, b) => a + b, 0) / s.length : undefined;
    }),
  );
  const index = units.map((_, u) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < dims.length; i++) {
      const s = dimScores[i]![u];
      if (s === undefined) {
        if (missing === 'exclude') return null;
        continue;
      }
      num += weights[dims[i]!]! * s;
      den += weights[dims[i]!]!;
    }
    return den > 0 ? num / den : null;
  });
  return { dims: dimScores, index };
}

export function compositeIndex(
  indicators: readonly IndexIndicator[],
  data: ReadonlyMap<string, ReadonlyMap<string, IndexUnitValue>>, // unit → indicator code → value
  o: IndexOptions = {},
): IndexResult[] {
  const units = [...data.keys()].sort();
  const dims = [...new Set(indicators.map((i) => i.dimension))];
  const base: Record<string, number> = Object.fromEntries(dims.map((d) => [d, o.weights?.[d] ?? 1]));
  const missing = o.missing ?? 'exclude';
  const values = indicators.map((ind) => units.map((u) => data.get(u)!.get(ind.code)?.value));
  const ses = indicators.map((ind) => units.map((u) => data.get(u)!.get(ind.code)?.se ?? 0));
  const point = evaluate(indicators, units, values, base, 'minmax', missing, dims);

  const draws = o.draws ?? 1000;
  const rng = new Rng(o.seed ?? 1);
  const dimDraws = dims.map(() => units.map(() => [] as number[]));
  const indexDraws = units.map(() => [] as number[]);
  const rankDraws = units.map(() => [] as number[]);
  for (let t = 0; t < draws; t++) {
    const v = indicators.map((ind, k) =>
      units.map((u, j) => {
        const x = values[k]![j];
        if (x === undefined) return undefined;
        const se = ses[k]![j]!;
        return se > 0 ? truncatedNormal(rng, x, se, ind.min, ind.max) : x;
      }),
    );
    const raw = Object.fromEntries(dims.map((d) => [d, base[d]! * rng.uniform(0.75, 1.25)]));
    const total = Object.values(raw).reduce((a, b) => a + b, 0);
    const w = Object.fromEntries(dims.map((d) => [d, raw[d]! / total]));
    const e = evaluate(indicators, units, v, w, rng.next() < 0.5 ? 'minmax' : 'rank', missing, dims);
    e.dims.forEach((col, i) => col.forEach((s, u) => s !== undefined && dimDraws[i]![u]!.push(s)));
    const ranked = units.map((_, u) => u).filter((u) => e.index[u] !== null);
    const r = ranksDescending(ranked.map((u) => e.index[u]!));
    ranked.forEach((u, i) => {
      indexDraws[u]!.push(e.index[u]!);
      rankDraws[u]!.push(r[i]!);
    });
  }
  const band = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { low: quantile(s, 0.05), high: quantile(s, 0.95) };
  };
  const withIndex = units.map((_, u) => u).filter((u) => point.index[u] !== null);
  const pointRanks = ranksDescending(withIndex.map((u) => point.index[u]!));
  return units.map((unit, u) => {
    const dimensions: IndexResult['dimensions'] = {};
    dims.forEach((d, i) => {
      const s = point.dims[i]![u];
      if (s !== undefined && dimDraws[i]![u]!.length) dimensions[d] = { value: s, ...band(dimDraws[i]![u]!) };
    });
    const ix = point.index[u];
    const at = withIndex.indexOf(u);
    return {
      unit,
      dimensions,
      index: ix === null || ix === undefined || !indexDraws[u]!.length ? null : { value: ix, ...band(indexDraws[u]!) },
      rank: at === -1 || !rankDraws[u]!.length ? null : { value: pointRanks[at]!, ...band(rankDraws[u]!) },
    };
  });
}
