/**
 * `cafe-impact run --period P`: builds the models for a period and publishes its figures.
 *
 *   completeness (a quarter without service_uses?) ─► models in dependency order, checks after each
 *     (the last, mart_figures, adds the complementary suppression to int_figures' small cells)
 *     ─► warnings (cafés without position, services without facility, far alternatives,
 *        suppliers without position) ─► one transaction: runs, figures, run_km_detail, run_did_cells, run_warnings
 *     ─► the warehouse's snapshot published for readers (src/db/snapshot.ts), after a failed run too
 *
 * A yearly figure is computed from the year's rows, never from quarterly figures. Figures are
 * exact sums converted once to DOUBLE, so the same inputs give the same values to the last bit.
 */
import { randomBytes } from 'node:crypto';
import { type Config, defaultConfig, METHOD_VERSION } from './config.ts';
import { columnsOf } from '../contract/columns.ts';
import { DATASETS } from '../contract/datasets.ts';
import { inPeriodSql } from '../ingest/write.ts';
import { ident, validOnSql } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { publishSnapshot } from '../db/snapshot.ts';
import { applyDescriptions } from '../db/descriptions.ts';
import { EXIT, UserError } from '../core/errors.ts';
import { runErrors } from '../core/messages.ts';
import { intFiguresModel } from '../figures/int-figures.ts';
import { martFiguresModel } from '../figures/mart-figures.ts';
import type { IndicatorFamily } from '../indicators/family.ts';
import { nearestFacilityModel } from '../indicators/nearest-facility.ts';
import { MODEL_WARNING_TABLES } from '../indicators/figures-table.ts';
import { surveyModel } from '../indicators/survey-estimates.ts';
import { wellbeingModel } from '../indicators/wellbeing-index.ts';
import { didModel } from '../indicators/did.ts';
import { FAMILIES, suppressionGroups } from '../indicators/registry.ts';
import { emptyQuarters } from '../loads/loads.ts';
import { datasetsRead, loadSqlModels, MODELS_DIR, runModels, type Model, type ModelTiming, type SqlParam } from '../models/runner.ts';
import { daysIn, quartersOf, type Period } from '../core/period.ts';
import { codeVersion } from '../core/version.ts';

export interface RunWarning {
  code: string;
  subject: string | null;
  message: string;
}

export interface RunResult {
  runId: string;
  period: string;
  warnings: RunWarning[];
  timings: ModelTiming[];
  figures: number;
}

/**
 * The models of a run: the SQL files (staging, marts, one figures model per indicator family),
 * the TypeScript models, and the union of the families' figures with their suppression.
 * `families` and `modelsDir` are the project's own unless a caller (a test) adds to them.
 */
export function allModels(o: { families?: readonly IndicatorFamily[]; modelsDir?: string; config?: Config } = {}): Model[] {
  const families = o.families ?? FAMILIES;
  const config = o.config ?? defaultConfig();
  return [...loadSqlModels(o.modelsDir ?? MODELS_DIR), nearestFacilityModel, surveyModel(config), wellbeingModel(config), didModel(config), intFiguresModel(families), martFiguresModel(suppressionGroups(families))];
}

/** The SQL parameters of the models for a period and a configuration. */
export function modelParams(period: Period, config: Config): Record<string, SqlParam> {
  return {
    start: { date: period.start },
    end: { date: period.end },
    last: { date: period.last },
    days: daysIn(period),
    earth_radius_km: config.km.earth_radius_km,
    self_radius_km: config.km.self_radius_km,
    trip_factor: (config.km.round_trip ? 2 : 1) * config.km.detour_factor,
    earth_circumference_km: config.km.earth_circumference_km,
    local_radius_km: config.suppliers.local_radius_km,
    min_cell: config.disclosure.min_cell,
    min_respondents: config.survey.min_respondents,
  };
}

export function newRunId(now = new Date()): string {
  return `R${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}-${randomBytes(3).toString('hex')}`;
}

export async function runPeriod(
  wh: Warehouse,
  period: Period,
  o: {
    config: Config;
    strict?: boolean;
    onModel?: (t: ModelTiming) => void;
    onWarning?: (w: RunWarning) => void;
    /** The indicator families and the models folder: the project's unless given (tests). */
    families?: readonly IndicatorFamily[];
    modelsDir?: string;
  },
): Promise<RunResult> {
  const runId = newRunId();
  const warnings: RunWarning[] = [];
  const warn = (w: RunWarning) => {
    warnings.push(w);
    o.onWarning?.(w);
  };
  const startedAt = new Date().toISOString();
  const parameters = { ...o.config };

  if (period.kind === 'year') {
    const empty = await emptyQuarters(wh, 'service_uses', quartersOf(period));
    for (const q of empty) warn({ code: 'empty_quarter', subject: q, message: `no service_uses for ${q}: kilometres saved for ${period.label} miss that quarter` });
    if (empty.length && o.strict) throw new UserError(runErrors.strictEmptyQuarters(empty, period.label), { exitCode: EXIT.runStopped });
  }
  const nCafes = await wh.scalar<number>('SELECT count(*) FROM cafes');
  if (nCafes === 0) throw new UserError(runErrors.noCafe());

  const models = allModels({ families: o.families, modelsDir: o.modelsDir, config: o.config });
  let timings: ModelTiming[];
  try {
    timings = await runModels(wh, models, modelParams(period, o.config), o.onModel);
  } catch (e) {
    await recordFailedRun(wh, { runId, period, startedAt, parameters, message: (e as Error).message });
    await publishSnapshot(wh).catch(() => undefined); // never hides the run's own error
    throw e;
  }
  for (const w of await collectWarnings(wh, o.config)) warn(w);
  const inputs = await runInputs(wh, period, datasetsRead(models, Object.keys(DATASETS)));

  const figures = await wh.transaction(async () => {
    await wh.run(`INSERT INTO runs VALUES ($1, $2, $3::TIMESTAMPTZ, now(), 'succeeded', $4, $5, $6::JSON, $7::JSON, NULL)`, [
      runId, period.label, startedAt, codeVersion(), METHOD_VERSION, JSON.stringify(parameters), JSON.stringify(inputs),
    ]);
    const n = await wh.exec(
      `INSERT INTO figures (run_id, indicator, scope, scope_id, scope_label, period, value, unit, ci_low, ci_high, se, n, ci_level, suppressed, method_version)
       SELECT $1, indicator, scope, scope_id, scope_label, $2, value, unit, ci_low, ci_high, se, n, ci_level, suppressed, $3 FROM mart_figures`,
      [runId, period.label, METHOD_VERSION],
    );
    await wh.run(
      `INSERT INTO run_km_detail
       SELECT $1, n.cafe_id, n.service, n.position_source, n.facility_id, n.facility_source, n.distance_km, n.skipped_self, n.status,
              k.uses, CAST(k.km AS DOUBLE)
       FROM int_nearest_facility n LEFT JOIN mart_km_saved k ON k.cafe_id = n.cafe_id AND k.service = n.service`,
      [runId],
    );
    await wh.run('INSERT INTO run_did_cells SELECT $1, * FROM int_did_cells', [runId]);
    const layer = new Map(models.map((m) => [m.name, m.layer]));
    for (const t of timings) await wh.run('INSERT INTO run_models VALUES ($1, $2, $3, $4, $5, $6)', [runId, period.label, t.model, layer.get(t.model) ?? '', t.rows, t.ms]);
    for (const w of warnings) await wh.run('INSERT INTO run_warnings VALUES ($1, $2, $3, $4)', [runId, w.code, w.subject, w.message]);
    return n;
  });
  await applyDescriptions(wh, models);
  await publishSnapshot(wh);
  return { runId, period: period.label, warnings, timings, figures };
}

async function recordFailedRun(wh: Warehouse, r: { runId: string; period: Period; startedAt: string; parameters: unknown; message: string }): Promise<void> {
  await wh.run(`INSERT INTO runs VALUES ($1, $2, $3::TIMESTAMPTZ, now(), 'failed', $4, $5, $6::JSON, '[]'::JSON, $7)`, [
    r.runId, r.period.label, r.startedAt, codeVersion(), METHOD_VERSION, JSON.stringify(r.parameters), r.message,
  ]);
}

/** What the models could not do, named café by café: never a silent zero. */
async function collectWarnings(wh: Warehouse, config: Config): Promise<RunWarning[]> {
  const out: RunWarning[] = [];
  const noFacility = await wh.all<{ service: string; cafes: number; uses: number | null }>(
    `SELECT n.service, count(*) AS cafes, sum(k.uses)::BIGINT AS uses FROM int_nearest_facility n
     LEFT JOIN mart_km_saved k ON k.cafe_id = n.cafe_id AND k.service = n.service
     WHERE n.status = 'no_facility' GROUP BY n.service ORDER BY n.service`,
  );
  for (const r of noFacility) {
    out.push({
      code: 'no_facility',
      subject: r.service,
      message: `no ${r.service} facility in the warehouse for ${r.cafes} café${r.cafes > 1 ? 's' : ''}: their ${r.uses ?? 0} ${r.service} uses count in no km_saved figure (import ${r.service === 'cash' ? 'an ATM GeoJSON: cafe-impact reference import geojson <file>' : 'the BPE or La Poste file: cafe-impact reference import bpe|laposte <file>'})`,
    });
  }
  const noPosition = await wh.all<{ cafe_id: string; name: string; uses: number | null }>(
    `SELECT c.cafe_id, c.name, (SELECT sum(uses)::BIGINT FROM mart_km_saved k WHERE k.cafe_id = c.cafe_id) AS uses
     FROM stg_cafes c WHERE c.position_source IS NULL ORDER BY c.cafe_id`,
  );
  for (const r of noPosition) {
    out.push({ code: 'no_position', subject: r.cafe_id, message: `café ${r.cafe_id} (${r.name}) has no coordinates and its commune no position: its ${r.uses ?? 0} uses count in no km_saved figure` });
  }
  const fromCommune = await wh.all<{ cafe_id: string; name: string }>(`SELECT cafe_id, name FROM stg_cafes WHERE position_source = 'commune' ORDER BY cafe_id`);
  for (const r of fromCommune) out.push({ code: 'commune_position', subject: r.cafe_id, message: `café ${r.cafe_id} (${r.name}) has no coordinates: its commune's centroid was used` });
  const far = await wh.all<{ cafe_id: string; service: string; distance_km: number; facility_id: string }>(
    `SELECT cafe_id, service, distance_km, facility_id FROM int_nearest_facility WHERE status = 'ok' AND distance_km > $1 ORDER BY cafe_id, service`,
    [config.km.far_warning_km],
  );
  for (const r of far) {
    out.push({
      code: 'far_facility',
      subject: `${r.cafe_id}/${r.service}`,
      message: `café ${r.cafe_id}: nearest ${r.service} alternative ${r.facility_id} is ${r.distance_km.toFixed(1)} km away (over ${config.km.far_warning_km} km): check the facilities file covers the area`,
    });
  }
  for (const t of MODEL_WARNING_TABLES) for (const w of await wh.all<RunWarning>(`SELECT code, subject, message FROM ${t} ORDER BY code, subject`)) out.push(w);
  const noSupplierPos = await wh.scalar<number>(`SELECT count(DISTINCT siren) FROM mart_suppliers WHERE distance_km IS NULL`);
  if (noSupplierPos > 0) {
    out.push({ code: 'supplier_position', subject: null, message: `${noSupplierPos} supplier${noSupplierPos > 1 ? 's' : ''} without a position (theirs or their café's): not counted as local` });
  }
  return out;
}

/**
 * The input files behind a period's rows: every load that brought a row of `datasets` (the
 * datasets the models read, see datasetsRead; the others, e.g. sales, do not enter the figures).
 */
export async function runInputs(wh: Warehouse, p: Period, datasets: string[]): Promise<{ dataset: string; file: string; sha256: string; load_id: string }[]> {
  if (datasets.length === 0) return [];
  const parts: string[] = [];
  for (const def of datasets.map((n) => DATASETS[n]!)) {
    const t = ident(def.name);
    if (def.kind === 'dated') {
      parts.push(`SELECT DISTINCT '${def.name}' AS dataset, _load FROM ${t} WHERE ${inPeriodSql(def, columnsOf(def.schema), p)}`);
    } else {
      parts.push(
        `SELECT DISTINCT '${def.name}' AS dataset, _load FROM ${t} WHERE ${validOnSql(p.last)}`,
      );
    }
  }
  return wh.all(
    `SELECT u.dataset, f.file_name AS file, f.sha256, l.load_id
     FROM (${parts.join(' UNION ALL ')}) u JOIN loads l ON l.load_no = u._load JOIN load_files f ON f.load_id = l.load_id AND f.dataset = u.dataset
     ORDER BY u.dataset, f.file_name, l.load_id`,
  );
}
