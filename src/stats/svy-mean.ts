/**
 * The weighted mean of a survey variable and its standard error by linearisation on a raked
 * design, as R's `svymean(~y, design, na.rm = TRUE)` computes it on the design `rake()` returns
 * (survey 4.1: `svymean.survey.design2`, `svyrecvar`, `onestage`), for a design with one stage,
 * no strata and no finite-population correction (`svydesign(ids = ~1, weights = ~w0)`):
 *
 *   ȳ = Σ wᵢyᵢ / Σ wᵢ                         over the units that answered (the others weigh 0)
 *   zᵢ = wᵢ (yᵢ − ȳ) / Σ w                     0 for a unit that did not answer
 *   10 sweeps, for each margin m of the raking (its last pass's weights w⁽ᵐ⁾):
 *       zᵢ ← zᵢ − w⁽ᵐ⁾ᵢ · mean_{j in i's category of m} ( zⱼ / w⁽ᵐ⁾ⱼ )
 *   SE² = n/(n − 1) · Σᵢ (zᵢ − z̄)²             n = every unit of the design, answered or not
 *
 * The sweeps remove the part of the variance the calibration explains (Lumley 2010, §7.4;
 * without them the SE is too large). A proportion is the mean of a 0/1 variable.
 */
export interface Calibration {
  /** Category of each unit in each margin of the raking. */
  categories: readonly (readonly number[])[];
  /** Weights after each margin's step of the raking's last pass (RakeResult.marginWeights). */
  marginWeights: readonly (readonly number[])[];
}

export interface SvyMean {
  mean: number;
  se: number;
  /** Units that answered. */
  n: number;
}

export function svyMean(y: readonly (number | null)[], weights: readonly number[], cal: Calibration, sweeps = 10): SvyMean | null {
  const N = weights.length;
  let sw = 0;
  let swy = 0;
  let answered = 0;
  for (let i = 0; i < N; i++) {
    const v = y[i];
    if (v === null || v === undefined) continue;
    sw += weights[i]!;
    swy += weights[i]! * v;
    answered++;
  }
  if (answered === 0 || sw === 0) return null;
  const mean = swy / sw;
  let z = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const v = y[i];
    z[i] = v === null || v === undefined ? 0 : (weights[i]! * (v - mean)) / sw;
  }
  for (let s = 0; s < sweeps; s++) {
    for (let m = 0; m < cal.categories.length; m++) {
      const cat = cal.categories[m]!;
      const psw = cal.marginWeights[m]!;
      const k = Math.max(...cat) + 1;
      const sum = new Float64Array(k);
      const count = new Float64Array(k);
      for (let i = 0; i < N; i++) {
        sum[cat[i]!]! += z[i]! / psw[i]!;
        count[cat[i]!]!++;
      }
      const next = new Float64Array(N);
      for (let i = 0; i < N; i++) next[i] = z[i]! - psw[i]! * (sum[cat[i]!]! / count[cat[i]!]!);
      z = next;
    }
  }
  let zbar = 0;
  for (let i = 0; i < N; i++) zbar += z[i]!;
  zbar /= N;
  let ss = 0;
  for (let i = 0; i < N; i++) ss += (z[i]! - zbar) ** 2;
  const variance = N > 1 ? (N / (N - 1)) * ss : 0;
  return { mean, se: Math.sqrt(variance), n: answered };
}
