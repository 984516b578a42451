/**
 * Difference-in-differences with staggered openings, as pure functions (METHODOLOGY.md,
 * section 15): two-way fixed effects (src/stats/twfe.ts) beside the group-time effects of
 * Callaway & Sant'Anna (2021) against never-treated controls, with a **universal** base period.
 *
 * For each cohort g (units first treated in year g) and year t ≠ g − 1, over the units observed
 * in both t and g − 1:
 *
 *   ATT(g,t) = [Ȳ_g(t) − Ȳ_g(g−1)] − [Ȳ_C(t) − Ȳ_C(g−1)]
 *   SE²      = s²_g / n_g + s²_C / n_C      (sample variances, n − 1, of the long differences)
 *
 * Each unit's contribution (influence) to a cell is d_i / n_g for a treated unit and −d_j / n_C
 * for a control, d the long difference Y(t) − Y(g−1): the cell is the sum of its contributions
 * and its SE² above is Σ over the two groups of n/(n − 1) · Σ (ψᵢ − ψ̄)². An aggregation
 * θ = Σ w_c ATT_c has the contributions ψᵢ = Σ w_c ψᵢ,c and the same variance formula with the
 * groups "units of cohort g" (each cohort) and "controls", over the units that enter at least one
 * of the cells combined: so cells sharing units (a cohort's cells share its base year) are not
 * taken as independent. Units are independent of one another, a unit's years correlate freely;
 * the weights are taken as known (their estimation is ignored).
 *
 * - `simple`: the post-opening cells (t ≥ g), each weighted by its cohort's size (the units of the
 *   cohort in the panel), as R's `did::aggte(type = "simple")` weights them.
 * - event study: for each e = t − g (e = −1 is the base, not listed), the cells at e, cohorts
 *   weighted by size.
 * - parallel trends: the pre-opening cells (t < g − 1) should be zero; the joint Wald test
 *   W = θ' V⁺ θ ~ χ²(rank V), V their covariance from the contributions above (a generalised
 *   inverse, so a singular V — more cells than units — still gives a test on its rank).
 *
 * Worked example (test/stats/did.test.ts): cohort 2021 {A, B}, controls {C, D}, years 2020–2021:
 * A 10 → 13, B 12 → 14 (d = 3, 2), C 5 → 6, D 7 → 7 (d = 1, 0): ATT(2021, 2021) = 2.5 − 0.5 = 2,
 * SE² = 0.5/2 + 0.5/2 = 0.5.
 */
import { chiSquaredUpper } from './chi-squared.ts';
import { twfe, type TwfeResult } from './twfe.ts';

export interface DidObservation {
  unit: string;
  time: number;
  y: number;
}

export interface DidUnit {
  unit: string;
  /** First treated year; null: never treated (a control). */
  cohort: number | null;
}

export interface AttGt {
  group: number;
  time: number;
  att: number;
  /** NaN when a side has a single unit (no variance). */
  se: number;
  n_treated: number;
  n_control: number;
}

export interface Aggregate {
  att: number;
  se: number;
}

export interface EventTimeEffect extends Aggregate {
  event_time: number;
  /** Cohorts with a cell at that event time. */
  cohorts: number;
}

export interface JointTest {
  /** Pre-opening cells tested. */
  cells: number;
  statistic: number;
  df: number;
  p_value: number;
}

export interface DidEstimates {
  twfe: TwfeResult;
  attGt: AttGt[];
  /** Null when no cell is after an opening. */
  simple: Aggregate | null;
  eventStudy: EventTimeEffect[];
  /** Null when there is no pre-opening cell (every cohort's first year is its base). */
  pretrend: JointTest | null;
  /** Units of each cohort in the panel. */
  cohortSizes: Map<number, number>;
}

interface Cell extends AttGt {
  /** Contribution of every unit (0 outside the cell). */
  psi: Float64Array;
  member: Uint8Array;
}

function meanVar(v: readonly number[]): { mean: number; variance: number } {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const variance = v.length > 1 ? v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1) : NaN;
  return { mean, variance };
}

export function didEstimates(observations: readonly DidObservation[], units: readonly DidUnit[]): DidEstimates {
  const cohortOf = new Map(units.map((u) => [u.unit, u.cohort]));
  const present = [...new Set(observations.map((o) => o.unit))].filter((u) => cohortOf.has(u)).sort();
  const index = new Map(present.map((u, i) => [u, i]));
  const obs = observations.filter((o) => index.has(o.unit));
  const n = present.length;
  /** Group of each unit for the variance: its cohort, or −1 for the controls. */
  const groupOf = Int32Array.from(present, (u) => cohortOf.get(u) ?? -1);
  const y = new Map<number, Map<number, number>>();
  for (const o of obs) {
    let m = y.get(o.time);
    if (!m) y.set(o.time, (m = new Map()));
    m.set(index.get(o.unit)!, o.y);
  }
  const times = [...y.keys()].sort((a, b) => a - b);
  const cohortSizes = new Map<number, number>();
  for (const g of groupOf) if (g !== -1) cohortSizes.set(g, (cohortSizes.get(g) ?? 0) + 1);
  const cohorts = [...cohortSizes.keys()].sort((a, b) => a - b);
  const controls = present.map((_, i) => i).filter((i) => groupOf[i] === -1);

  const cells: Cell[] = [];
  for (const g of cohorts) {
    const base = y.get(g - 1);
    if (!base) continue;
    const treated = present.map((_, i) => i).filter((i) => groupOf[i] === g && base.has(i));
    for (const t of times) {
      if (t === g - 1) continue;
      const yt = y.get(t)!;
      const tr = treated.filter((i) => yt.has(i));
      const co = controls.filter((i) => yt.has(i) && base.has(i));
      if (!tr.length || !co.length) continue;
      const dT = tr.map((i) => yt.get(i)! - base.get(i)!);
      const dC = co.map((i) => yt.get(i)! - base.get(i)!);
      const a = meanVar(dT);
      const b = meanVar(dC);
      const psi = new Float64Array(n);
      const member = new Uint8Array(n);
      tr.forEach((i, k) => ((psi[i] = dT[k]! / tr.length), (member[i] = 1)));
      co.forEach((i, k) => ((psi[i] = -dC[k]! / co.length), (member[i] = 1)));
      cells.push({ group: g, time: t, att: a.mean - b.mean, se: Math.sqrt(a.variance / tr.length + b.variance / co.length), n_treated: tr.length, n_control: co.length, psi, member });
    }
  }

  const combine = (parts: { cell: Cell; w: number }[]) => {
    const psi = new Float64Array(n);
    const member = new Uint8Array(n);
    for (const { cell, w } of parts) for (let i = 0; i < n; i++) {
      psi[i]! += w * cell.psi[i]!;
      member[i] ||= cell.member[i]!;
    }
    return { att: parts.reduce((s, p) => s + p.w * p.cell.att, 0), psi, member };
  };
  const weighted = (list: Cell[]) => {
    const total = list.reduce((s, c) => s + cohortSizes.get(c.group)!, 0);
    const c = combine(list.map((cell) => ({ cell, w: cohortSizes.get(cell.group)! / total })));
    return { att: c.att, se: Math.sqrt(covariance([c.psi], c.member, groupOf)[0]![0]!) };
  };

  const post = cells.filter((c) => c.time >= c.group);
  const eventTimes = [...new Set(cells.map((c) => c.time - c.group))].sort((a, b) => a - b);
  const eventStudy = eventTimes.map((e) => {
    const at = cells.filter((c) => c.time - c.group === e);
    return { event_time: e, ...weighted(at), cohorts: at.length };
  });

  const pre = cells.filter((c) => c.time < c.group - 1 && Number.isFinite(c.se));
  let pretrend: JointTest | null = null;
  if (pre.length) {
    const member = new Uint8Array(n);
    for (const c of pre) for (let i = 0; i < n; i++) member[i] ||= c.member[i]!;
    const v = covariance(pre.map((c) => c.psi), member, groupOf);
    const { statistic, rank } = waldPseudoInverse(pre.map((c) => c.att), v);
    if (rank > 0) pretrend = { cells: pre.length, statistic, df: rank, p_value: chiSquaredUpper(statistic, rank) };
  }

  const panel = obs.map((o) => {
    const g = cohortOf.get(o.unit);
    return { unit: o.unit, time: o.time, y: o.y, treated: g !== null && g !== undefined && o.time >= g ? 1 : 0 };
  });
  return {
    twfe: twfe(panel),
    attGt: cells.map(({ psi: _p, member: _m, ...c }) => c),
    simple: post.length ? weighted(post) : null,
    eventStudy,
    pretrend,
    cohortSizes,
  };
}

/**
 * Covariance of estimators given by their units' contributions: Σ over the groups of
 * n/(n − 1) · Σᵢ (ψᵢa − ψ̄a)(ψᵢb − ψ̄b), over the member units of each group (NaN for a group of one).
 */
export function covariance(psis: readonly Float64Array[], member: Uint8Array, groupOf: Int32Array): number[][] {
  const k = psis.length;
  const v = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < member.length; i++) if (member[i]) {
    let list = groups.get(groupOf[i]!);
    if (!list) groups.set(groupOf[i]!, (list = []));
    list.push(i);
  }
  for (const list of groups.values()) {
    const m = list.length;
    const centred = psis.map((p) => {
      const mean = list.reduce((s, i) => s + p[i]!, 0) / m;
      return list.map((i) => p[i]! - mean);
    });
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += centred[a]![j]! * centred[b]![j]!;
      const c = m > 1 ? (m / (m - 1)) * s : NaN;
      v[a]![b]! += c;
      if (b !== a) v[b]![a]! += c;
    }
  }
  return v;
}

/**
 * θ' V⁺ θ with V⁺ the Moore–Penrose inverse of the symmetric V (Jacobi eigenvalues; eigenvalues
 * below 1e-10 × the largest count as zero), and the rank of V.
 */
export function waldPseudoInverse(theta: readonly number[], v: readonly (readonly number[])[]): { statistic: number; rank: number } {
  const k = theta.length;
  const a = v.map((r) => [...r]);
  const q: number[][] = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) for (let r = p + 1; r < k; r++) {
      if (Math.abs(a[p]![r]!) < 1e-300) continue;
      const theta2 = (a[r]![r]! - a[p]![p]!) / (2 * a[p]![r]!);
      const t = Math.sign(theta2 || 1) / (Math.abs(theta2) + Math.sqrt(theta2 * theta2 + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let i = 0; i < k; i++) {
        const aip = a[i]![p]!;
        const air = a[i]![r]!;
        a[i]![p] = c * aip - s * air;
        a[i]![r] = s * aip + c * air;
      }
      for (let j = 0; j < k; j++) {
        const apj = a[p]![j]!;
        const arj = a[r]![j]!;
        a[p]![j] = c * apj - s * arj;
        a[r]![j] = s * apj + c * arj;
      }
      for (let i = 0; i < k; i++) {
        const qip = q[i]![p]!;
        const qir = q[i]![r]!;
        q[i]![p] = c * qip - s * qir;
        q[i]![r] = s * qip + c * qir;
      }
    }
  }
  const eig = a.map((r, i) => r[i]!);
  const top = Math.max(...eig.map(Math.abs));
  let statistic = 0;
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(eig[j]! > 1e-10 * top)) continue;
    rank++;
    let u = 0;
    for (let i = 0; i < k; i++) u += q[i]![j]! * theta[i]!;
    statistic += (u * u) / eig[j]!;
  }
  return { statistic, rank };
}
