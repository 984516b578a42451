/**
 * Raking (iterative proportional fitting) of survey weights to population margins, as R's
 * `survey::rake()` does it (Lumley, survey 4.1, R/survey.R): passes of post-stratification, one
 * margin after the other, each multiplying the weights of a category by
 * population(category) / Σ weights(category), until the weighted table crossing every margin's
 * categories changes, between two passes, by less than `epsilon` — taken as a share of the
 * initial weights' total when below 1, as R reads it — or after `maxit` passes.
 *
 * Pure: no database, no clock. Units are given by their category index in each margin.
 *
 * Worked example (test/stats/survey.test.ts): 4 respondents (F young, F old, M young, M young),
 * initial weight 25 each; margins sex F 60, M 40 and age young 70, old 30. Pass 1, sex: F holds
 * 50 → ×1.2 (30, 30), M 50 → ×0.8 (20, 20); age: young holds 30 + 20 + 20 = 70 → ×1, old 30 →
 * ×1. The table moved from the initial one, so pass 2: every factor is 1, the table does not move:
 * converged after 2 passes with weights 30, 30, 20, 20.
 */

export interface RakeMargin {
  /** Category of each unit (0 … population.length − 1). */
  category: readonly number[];
  /** Population of each category. */
  population: readonly number[];
}

export interface RakeResult {
  weights: number[];
  /** Passes made (R's `iter`: the passes before the one that converged, plus that one). */
  passes: number;
  converged: boolean;
  /**
   * The weights after each margin's step of the last pass (R keeps them in the design's
   * `postStrata` as the "raking" calibration that `svymean`'s variance removes).
   */
  marginWeights: number[][];
}

export function rake(initial: readonly number[], margins: readonly RakeMargin[], o: { maxit?: number; epsilon?: number } = {}): RakeResult {
  const maxit = o.maxit ?? 10;
  const n = initial.length;
  for (const m of margins) if (m.category.length !== n) throw new RangeError('rake: every margin needs a category for each unit');
  const total0 = initial.reduce((a, b) => a + b, 0);
  const eps = (o.epsilon ?? 1) < 1 ? (o.epsilon ?? 1) * total0 : (o.epsilon ?? 1);
  // The joint table: one cell per combination of categories that the margins define.
  const sizes = margins.map((m) => m.population.length);
  const cellOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let k = 0; k < margins.length; k++) c = c * sizes[k]! + margins[k]!.category[i]!;
    cellOf[i] = c;
  }
  const cells = sizes.reduce((a, b) => a * b, 1);
  const table = (w: readonly number[]) => {
    const t = new Float64Array(cells);
    for (let i = 0; i < n; i++) t[cellOf[i]!]! += w[i]!;
    return t;
  };
  let w = [...initial];
  let old = table(w);
  let passes = 0;
  let converged = false;
  let marginWeights: number[][] = [];
  while (passes < maxit) {
    marginWeights = [];
    for (const m of margins) {
      const sums = new Float64Array(m.population.length);
      for (let i = 0; i < n; i++) sums[m.category[i]!]! += w[i]!;
      for (let c = 0; c < sums.length; c++) {
        if (sums[c] === 0 && m.population[c]! > 0) throw new RangeError(`rake: category ${c} has population but no unit (merge it first)`);
      }
      // R: prob / (Pop / Freq), weight = 1 / prob
      w = w.map((x, i) => x * (m.population[m.category[i]!]! / sums[m.category[i]!]!));
      marginWeights.push([...w]);
    }
    const now = table(w);
    let delta = 0;
    for (let c = 0; c < cells; c++) delta = Math.max(delta, Math.abs(old[c]! - now[c]!));
    if (delta < eps) {
      converged = true;
      passes++;
      break;
    }
    old = now;
    passes++;
  }
  return { weights: w, passes, converged, marginWeights };
}
