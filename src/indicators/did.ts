/**
 * Did the café make a difference? The difference-in-differences sample read from the warehouse
 * and its estimates (src/stats/did.ts; METHODOLOGY.md, section 15), for `cafe-impact did` and
 * for the run's `did.<outcome>` figures (fig_did).
 *
 * The sample:
 *   - treated: the commune of each non-itinerant café, from the calendar year of its opening
 *     (the earliest of the commune's cafés); a closure does not end treatment (intention to
 *     treat); a café without `opened_on` is left out;
 *   - controls: candidate communes (`candidates`, outcome pending or declined) with no café of
 *     any model: never treated;
 *   - the outcome: a `commune_indicators` code (or `wellbeing.index`, from the latest successful
 *     run of each year), one observation per commune and year where it is present; years: its
 *     full range unless `from` / `to` narrow it;
 *   - left out, with counts: communes treated after `to`, cohorts with no observed year before
 *     their opening, communes without the outcome in the years, candidates marked opened without
 *     a café in the list, communes whose only cafés have no opening date or are itinerant.
 */
import { UserError } from '../core/errors.ts';
import { didErrors } from '../core/messages.ts';
import { validOnSql } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { TsModel } from '../models/runner.ts';
import type { Config } from '../runs/config.ts';
import { writeFiguresTable, writeWarnings, type FigureRow, type ModelWarning } from './figures-table.ts';
import { didEstimates, type AttGt, type DidObservation, type DidUnit } from '../stats/did.ts';

export interface DidOptions {
  outcome: string;
  from?: number;
  to?: number;
  /** Reference rows (cafés, candidates, commune indicators) valid that day (YYYY-MM-DD); default: the current ones. */
  asOf?: string;
}

export interface DidExclusion {
  reason: 'no_opening_date' | 'itinerant_only' | 'opened_without_cafe' | 'opened_after_to' | 'no_pre_period' | 'no_outcome';
  communes: number;
  message: string;
}

export interface DidSample {
  outcome: string;
  from: number;
  to: number;
  cohorts: { group: number; communes: number }[];
  controls: number;
  observations: DidObservation[];
  units: DidUnit[];
  excluded: DidExclusion[];
}

export interface DidResult {
  outcome: string;
  method: string;
  /** TWFE: outcome ~ treated + commune FE + year FE, SE clustered by commune (CR1). */
  estimate: number;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  ci_level: number;
  n_obs: number;
  n_clusters: number;
  k: number;
  from: number;
  to: number;
  cohorts: { group: number; communes: number }[];
  controls: number;
  att_gt: (Omit<AttGt, 'se'> & { se: number | null })[];
  att_simple: number | null;
  att_simple_se: number | null;
  event_study: { event_time: number; att: number; se: number | null; cohorts: number }[];
  pretrend_test: { cells: number; statistic: number; df: number; p_value: number; covariance: string } | null;
  excluded: DidExclusion[];
  assumptions: string[];
}

export const DID_ASSUMPTIONS = [
  'Parallel trends: without a café, the treated communes\' outcome would have moved like the candidate communes\' (the pre-opening effects below test it).',
  'No anticipation: the outcome does not move before the opening year; every cohort is compared with the year before it opened (a universal base period; R\'s did package defaults to a varying base for the pre-opening cells, the post-opening cells are the same).',
  'Intention to treat: a café that closed still counts as treated from its opening on.',
  'Controls are candidate communes (pending or declined) without a café: comparable applicants, not all rural communes; if the communes that obtained a café were on a different path, the estimate is biased.',
  'Two-way fixed effects with openings spread over years and effects changing over time can mislead (already-treated communes serve as controls; Goodman-Bacon 2021): compare it with att_simple (Callaway & Sant\'Anna 2021).',
  'Standard errors: clustered by commune; communes independent of one another, a commune\'s years correlated freely; the aggregations take their weights (cohort sizes) as known.',
];

export const PRETREND_COVARIANCE =
  'pre-opening cells jointly, covariance estimated from each commune\'s contributions to the cells (communes independent, a commune\'s years correlated freely); Wald test with a generalised inverse, χ² on its rank';

const year = (d: unknown): number | null => (d === null || d === undefined ? null : Number(String(d).slice(0, 4)));

export interface TreatmentAssignment {
  /** Treated communes and their cohort (year of the earliest non-itinerant dated opening). */
  cohortOf: Map<string, number>;
  /** Candidate communes (pending, declined) without a café. */
  controls: Set<string>;
  /** Communes with a café of any model. */
  withCafe: Set<string>;
  excluded: DidExclusion[];
}

/** Records a left-out group when it is not empty. */
const excluder = (list: DidExclusion[]) => (reason: DidExclusion['reason'], communes: number, message: string) => {
  if (communes > 0) list.push({ reason, communes, message });
};

/** Who is treated from when and who is a control, whatever the outcome (the sample's first rules). */
export async function treatmentAssignment(wh: Warehouse, valid: string): Promise<TreatmentAssignment> {
  const cafes = await wh.all<{ cafe_id: string; commune_insee: string; model: string; opened_on: string | null }>(
    `SELECT cafe_id, commune_insee, model, CAST(opened_on AS VARCHAR) AS opened_on FROM cafes WHERE ${valid}`,
  );
  const candidates = await wh.all<{ commune_insee: string; outcome: string }>(`SELECT commune_insee, outcome FROM candidates WHERE ${valid}`);
  const withCafe = new Set(cafes.map((c) => c.commune_insee));
  const cohortOf = new Map<string, number>();
  const undated = new Set<string>();
  const itinerant = new Set<string>();
  let undatedCafes = 0;
  for (const c of cafes) {
    if (c.model === 'itinerant') {
      itinerant.add(c.commune_insee);
      continue;
    }
    const y = year(c.opened_on);
    if (y === null) {
      undatedCafes++;
      undated.add(c.commune_insee);
      continue;
    }
    cohortOf.set(c.commune_insee, Math.min(y, cohortOf.get(c.commune_insee) ?? Infinity));
  }
  const excluded: DidExclusion[] = [];
  const exclude = excluder(excluded);
  const noDate = [...undated].filter((c) => !cohortOf.has(c));
  if (undatedCafes) exclude('no_opening_date', noDate.length, didErrors.noOpeningDate(undatedCafes, noDate.length));
  const itinerantOnly = [...itinerant].filter((c) => !cohortOf.has(c) && !undated.has(c)).length;
  exclude('itinerant_only', itinerantOnly, didErrors.itinerantOnly(itinerantOnly));
  const controls = new Set<string>();
  let openedWithout = 0;
  for (const c of candidates) {
    if (withCafe.has(c.commune_insee)) continue;
    if (c.outcome === 'opened') openedWithout++;
    else controls.add(c.commune_insee);
  }
  exclude('opened_without_cafe', openedWithout, didErrors.openedWithoutCafe(openedWithout));
  return { cohortOf, controls, withCafe, excluded };
}

/** Reference rows valid that day, or the current ones. */
export function validSql(asOf?: string): string {
  return asOf ? validOnSql(asOf) : '_valid_to IS NULL';
}

export async function didSample(wh: Warehouse, o: DidOptions): Promise<DidSample> {
  if (o.from !== undefined && o.to !== undefined && o.from > o.to) throw new UserError(didErrors.badYears(o.from, o.to));
  const valid = validSql(o.asOf);
  const { cohortOf, controls, excluded } = await treatmentAssignment(wh, valid);
  const obs = await outcomeRows(wh, o.outcome, valid);
  const exclude = excluder(excluded);

  const inSample = (c: string) => cohortOf.has(c) || controls.has(c);
  const sampleObs = obs.filter((r) => inSample(r.unit));
  if (!sampleObs.length) throw new UserError(didErrors.noObservation(o.outcome));
  const from = o.from ?? Math.min(...sampleObs.map((r) => r.time));
  const to = o.to ?? Math.max(...sampleObs.map((r) => r.time));

  const late = [...cohortOf].filter(([, g]) => g > to);
  exclude('opened_after_to', late.length, didErrors.openedAfterTo(late.length, to));
  for (const [c] of late) cohortOf.delete(c);

  const inYears = sampleObs.filter((r) => r.time >= from && r.time <= to && inSample(r.unit));
  const firstYear = new Map<number, number>();
  for (const r of inYears) {
    const g = cohortOf.get(r.unit);
    if (g !== undefined) firstYear.set(g, Math.min(r.time, firstYear.get(g) ?? Infinity));
  }
  const cohortsAll = [...new Set(cohortOf.values())].sort((a, b) => a - b);
  const noPre = cohortsAll.filter((g) => !((firstYear.get(g) ?? Infinity) < g));
  if (noPre.length) {
    const n = [...cohortOf.values()].filter((g) => noPre.includes(g)).length;
    exclude('no_pre_period', n, didErrors.noPrePeriod(n, noPre, from));
    for (const [c, g] of [...cohortOf]) if (noPre.includes(g)) cohortOf.delete(c);
  }
  const kept = inYears.filter((r) => inSample(r.unit));
  const observed = new Set(kept.map((r) => r.unit));
  const missingTreated = [...cohortOf.keys()].filter((c) => !observed.has(c)).length;
  const missingControls = [...controls].filter((c) => !observed.has(c)).length;
  exclude('no_outcome', missingTreated + missingControls, didErrors.noOutcome(missingTreated, missingControls, o.outcome, from, to));

  const units: DidUnit[] = [...observed].sort().map((u) => ({ unit: u, cohort: cohortOf.get(u) ?? null }));
  const sizes = new Map<number, number>();
  for (const u of units) if (u.cohort !== null) sizes.set(u.cohort, (sizes.get(u.cohort) ?? 0) + 1);
  const nControls = units.filter((u) => u.cohort === null).length;
  if (!sizes.size) throw new UserError(didErrors.noTreated(o.outcome, from, to));
  if (!nControls) throw new UserError(didErrors.noControls(o.outcome, from, to));
  return {
    outcome: o.outcome, from, to,
    cohorts: [...sizes].sort((a, b) => a[0] - b[0]).map(([group, communes]) => ({ group, communes })),
    controls: nControls,
    observations: kept.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.time - b.time)),
    units,
    excluded,
  };
}

async function outcomeRows(wh: Warehouse, outcome: string, valid: string): Promise<DidObservation[]> {
  if (outcome === 'wellbeing.index') {
    // the index of each year's latest successful run (yearly periods only)
    const rows = await wh.all<{ unit: string; time: number; y: number }>(
      `WITH latest AS (SELECT period, arg_max(run_id, started_at) AS run_id FROM runs WHERE status = 'succeeded' AND regexp_full_match(period, '\\d{4}') GROUP BY period)
       SELECT f.scope_id AS unit, CAST(f.period AS INTEGER) AS time, f.value AS y FROM figures f JOIN latest l ON l.run_id = f.run_id
       WHERE f.indicator = 'wellbeing.index' AND f.scope = 'commune' AND f.value IS NOT NULL`,
    );
    const years = new Set(rows.map((r) => r.time));
    if (years.size < 2) throw new UserError(didErrors.indexWaves([...years].sort()));
    return rows.map((r) => ({ unit: r.unit, time: Number(r.time), y: Number(r.y) }));
  }
  const rows = await wh.all<{ unit: string; time: number | bigint; y: number }>(
    `SELECT commune_insee AS unit, year AS time, value AS y FROM commune_indicators WHERE ${valid} AND indicator = $1 AND value IS NOT NULL`,
    [outcome],
  );
  if (!rows.length) {
    const known = (await wh.all<{ indicator: string }>(`SELECT DISTINCT indicator FROM commune_indicators WHERE ${valid} ORDER BY 1`)).map((r) => r.indicator);
    throw new UserError(didErrors.unknownOutcome(outcome, known));
  }
  return rows.map((r) => ({ unit: r.unit, time: Number(r.time), y: Number(r.y) }));
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function estimateFromSample(s: DidSample): DidResult {
  let e;
  try {
    e = didEstimates(s.observations, s.units);
  } catch (err) {
    if (err instanceof RangeError) throw new UserError(didErrors.noVariation(s.outcome));
    throw err;
  }
  return {
    outcome: s.outcome,
    method: 'twfe_cr1+att_gt_universal_base',
    estimate: e.twfe.estimate,
    se: finite(e.twfe.se),
    ci_low: finite(e.twfe.ciLow),
    ci_high: finite(e.twfe.ciHigh),
    ci_level: 0.95,
    n_obs: e.twfe.nObs,
    n_clusters: e.twfe.nClusters,
    k: e.twfe.k,
    from: s.from,
    to: s.to,
    cohorts: s.cohorts,
    controls: s.controls,
    att_gt: e.attGt.map((c) => ({ ...c, se: finite(c.se) })),
    att_simple: e.simple?.att ?? null,
    att_simple_se: e.simple ? finite(e.simple.se) : null,
    event_study: e.eventStudy.map((x) => ({ event_time: x.event_time, att: x.att, se: finite(x.se), cohorts: x.cohorts })),
    pretrend_test: e.pretrend ? { ...e.pretrend, covariance: PRETREND_COVARIANCE } : null,
    excluded: s.excluded,
    assumptions: DID_ASSUMPTIONS,
  };
}

export async function estimateDid(wh: Warehouse, o: DidOptions): Promise<DidResult> {
  return estimateFromSample(await didSample(wh, o));
}

/**
 * The TypeScript model `fig_did`, the figures model of the DiD family (src/indicators/families/did.ts):
 * for each outcome of `did.outcomes`, the TWFE estimate over the years up to the period's, with
 * the reference rows valid on its last day; its cells into int_did_cells (kept per run in
 * run_did_cells), what the sample left out and the outcomes that could not be estimated into
 * int_did_warnings.
 */
export function didModel(config: Config): TsModel {
  const outcomes = config.did.outcomes;
  return {
    type: 'ts',
    name: 'fig_did',
    layer: 'figures',
    description: "The café's effect on each outcome of did.outcomes: two-way fixed effects with the CR1 clustered SE, and the group-time effects behind it.",
    grain: 'one row per indicator (network scope)',
    dependsOn: [],
    readsDatasets: outcomes.length ? ['cafes', 'candidates', 'commune_indicators'] : [],
    checks: [
      { kind: 'not_null', columns: ['indicator', 'scope', 'value'] },
      { kind: 'unique', columns: ['indicator', 'scope', 'scope_id'] },
    ],
    async build(wh: Warehouse, params) {
      const last = (params.last as { date: string }).date;
      const to = Number(last.slice(0, 4));
      const rows: FigureRow[] = [];
      const warnings: ModelWarning[] = [];
      const cells: DidCellRow[] = [];
      for (const outcome of outcomes) {
        const indicator = `did.${outcome}`;
        let r: DidResult;
        try {
          r = estimateFromSample(await didSample(wh, { outcome, to, asOf: last }));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          warnings.push({ code: 'did_not_estimated', subject: indicator, message: `${indicator} not published: ${e.message}` });
          continue;
        }
        for (const x of r.excluded) warnings.push({ code: `did_${x.reason}`, subject: indicator, message: `${indicator}: ${x.message}` });
        rows.push({ indicator, scope: 'network', scope_id: null, scope_label: null, value: r.estimate, people: null, ci_low: r.ci_low, ci_high: r.ci_high, se: r.se, n: r.n_clusters, ci_level: r.ci_level });
        cells.push(...didCells(indicator, r));
      }
      await writeFiguresTable(wh, 'fig_did', rows);
      await writeWarnings(wh, 'int_did_warnings', warnings);
      await wh.run(`CREATE OR REPLACE TABLE int_did_cells (indicator VARCHAR, kind VARCHAR, cohort INTEGER, year INTEGER, event_time INTEGER, att DOUBLE, se DOUBLE, n_treated INTEGER, n_control INTEGER, note VARCHAR)`);
      for (const c of cells) {
        await wh.run('INSERT INTO int_did_cells VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [c.indicator, c.kind, c.cohort, c.year, c.event_time, c.att, c.se, c.n_treated, c.n_control, c.note]);
      }
    },
  };
}

interface DidCellRow {
  indicator: string;
  kind: 'twfe' | 'att_simple' | 'att_gt' | 'event' | 'pretrend';
  cohort: number | null;
  year: number | null;
  event_time: number | null;
  att: number | null;
  se: number | null;
  n_treated: number | null;
  n_control: number | null;
  note: string | null;
}

/** The rows of run_did_cells for one result. */
export function didCells(indicator: string, r: DidResult): DidCellRow[] {
  const treated = r.cohorts.reduce((s, c) => s + c.communes, 0);
  const base = { indicator, cohort: null, year: null, event_time: null, n_treated: treated, n_control: r.controls, note: null };
  const out: DidCellRow[] = [
    { ...base, kind: 'twfe', att: r.estimate, se: r.se, note: `${r.n_obs} commune-years, ${r.n_clusters} clusters, K = ${r.k}, ${r.from}–${r.to}` },
    { ...base, kind: 'att_simple', att: r.att_simple, se: r.att_simple_se },
    ...r.att_gt.map((c) => ({ ...base, kind: 'att_gt' as const, cohort: c.group, year: c.time, att: c.att, se: c.se, n_treated: c.n_treated, n_control: c.n_control })),
    ...r.event_study.map((e) => ({ ...base, kind: 'event' as const, event_time: e.event_time, att: e.att, se: e.se, n_treated: null, n_control: null, note: `${e.cohorts} cohort${e.cohorts > 1 ? 's' : ''}` })),
  ];
  const p = r.pretrend_test;
  if (p) out.push({ ...base, kind: 'pretrend', att: p.statistic, se: null, note: `χ²(${p.df}) = ${p.statistic.toFixed(3)}, p = ${p.p_value.toFixed(4)} over ${p.cells} pre-opening cells` });
  return out;
}
