/**
 * Two-way fixed effects: y ~ treated + unit FE + time FE by least squares, with the standard
 * error clustered by unit as R's `sandwich::vcovCL(lm(y ~ treated + factor(unit) +
 * factor(time)), cluster = ~unit, type = "HC1")` computes it (CR1):
 *
 *   V = (X'X)⁻¹ (Σ_g X_g'e_g e_g'X_g) (X'X)⁻¹ · G/(G − 1) · (N − 1)/(N − K)
 *
 * with K counting the intercept, the treatment and every fixed-effect dummy (C + T columns for C
 * units and T times). By Frisch–Waugh–Lovell, the treatment's coefficient and its element of V
 * come from the treatment and the outcome with both fixed effects partialled out (a within
 * transformation, here by alternating projections, which also serves unbalanced panels), without
 * building the C + T dummy columns:
 *
 *   β = Σ x̃ᵢỹᵢ / Σ x̃ᵢ²,   eᵢ = ỹᵢ − βx̃ᵢ,   V_ββ = Σ_g (Σ_{i∈g} x̃ᵢeᵢ)² / (Σ x̃ᵢ²)² · G/(G − 1) · (N − 1)/(N − K)
 *
 * Interval: β ± t(0.975, G − 1) · SE. With N = K (no residual degree of freedom) the SE is NaN,
 * as in R. Tested against R (test/reference/twfe.R).
 */
import { studentTQuantile } from './student-t.ts';

export interface PanelRow {
  unit: string;
  time: number;
  y: number;
  /** 1 when treated in that time, else 0. */
  treated: number;
}

export interface TwfeResult {
  estimate: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  nObs: number;
  nClusters: number;
  /** Columns of the full regression: intercept, treatment and every fixed-effect dummy. */
  k: number;
}

/** Removes unit and time means alternately until the largest change is below `tol` (a within transformation). */
function demean(v: Float64Array, unitOf: Int32Array, timeOf: Int32Array, nUnits: number, nTimes: number, tol = 1e-13): Float64Array {
  const x = Float64Array.from(v);
  const scale = Math.max(1e-300, ...Array.from(x, Math.abs));
  for (let iter = 0; iter < 10_000; iter++) {
    let change = 0;
    for (const [groupOf, n] of [[unitOf, nUnits], [timeOf, nTimes]] as const) {
      const sum = new Float64Array(n);
      const count = new Float64Array(n);
      for (let i = 0; i < x.length; i++) {
        sum[groupOf[i]!]! += x[i]!;
        count[groupOf[i]!]!++;
      }
      for (let g = 0; g < n; g++) {
        const m = sum[g]! / count[g]!;
        change = Math.max(change, Math.abs(m));
        sum[g] = m;
      }
      for (let i = 0; i < x.length; i++) x[i]! -= sum[groupOf[i]!]!;
    }
    if (change < tol * scale) break;
  }
  return x;
}

export function twfe(rows: readonly PanelRow[]): TwfeResult {
  const units = [...new Set(rows.map((r) => r.unit))].sort();
  const times = [...new Set(rows.map((r) => r.time))].sort((a, b) => a - b);
  const uIndex = new Map(units.map((u, i) => [u, i]));
  const tIndex = new Map(times.map((t, i) => [t, i]));
  const unitOf = Int32Array.from(rows, (r) => uIndex.get(r.unit)!);
  const timeOf = Int32Array.from(rows, (r) => tIndex.get(r.time)!);
  const xt = demean(Float64Array.from(rows, (r) => r.treated), unitOf, timeOf, units.length, times.length);
  const yt = demean(Float64Array.from(rows, (r) => r.y), unitOf, timeOf, units.length, times.length);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < rows.length; i++) {
    sxx += xt[i]! * xt[i]!;
    sxy += xt[i]! * yt[i]!;
  }
  if (!(sxx > 1e-12)) throw new RangeError('twfe: the treatment does not vary within units and times (no identifying variation)');
  const beta = sxy / sxx;
  const score = new Float64Array(units.length);
  for (let i = 0; i < rows.length; i++) score[unitOf[i]!]! += xt[i]! * (yt[i]! - beta * xt[i]!);
  let meat = 0;
  for (const s of score) meat += s * s;
  const N = rows.length;
  const G = units.length;
  const K = units.length + times.length; // intercept + treatment + (C − 1) + (T − 1)
  const v = (meat / (sxx * sxx)) * (G / (G - 1)) * ((N - 1) / (N - K));
  const se = Math.sqrt(v);
  const t = studentTQuantile(0.975, G - 1);
  return { estimate: beta, se, ciLow: beta - t * se, ciHigh: beta + t * se, nObs: N, nClusters: G, k: K };
}
