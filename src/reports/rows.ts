/**
 * The rows behind a report, as they were when its run computed its figures: the cafés (position,
 * stage, model) and the events of the period, read from the versioned tables restricted to the
 * loads the run read (a version is current for the run when it was valid on the period's last
 * day and no load of the run had closed it; a later load does not change an earlier run's
 * report). A run whose load was unloaded since cannot be reported on: its figures would no longer
 * match its rows. Every table read is added to `read` (the report's provenance).
 */
import { UserError } from '../core/errors.ts';
import { reportErrors } from '../core/messages.ts';
import type { Period } from '../core/period.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { RunRecord } from '../figures/store.ts';

export interface CafeRow {
  cafe_id: string;
  name: string;
  commune_insee: string;
  commune_name: string;
  department: string;
  region: string;
  model: string;
  stage: string;
  lat: number | null;
  lon: number | null;
}

export interface EventRow {
  event_id: string;
  cafe_id: string;
  /** ISO date. */
  date: string;
  commune_insee: string | null;
  commune_name: string | null;
  kind: string | null;
  programme: string;
  lat: number | null;
  lon: number | null;
}

/** The `load_no`s of the run's loads; refuses when one of them was unloaded since. */
export interface LoadRow {
  load_id: string;
  load_no: number;
  status: string;
  period: string;
  /** When it was loaded, ISO 8601. */
  loaded_at: string;
}

async function runLoads(wh: Warehouse, run: RunRecord, read: Set<string>): Promise<LoadRow[]> {
  read.add('loads');
  const ids = [...new Set(run.inputs.map((i) => i.load_id))];
  const rows = await wh.all<LoadRow>(
    `SELECT load_id, load_no, status, period, strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS loaded_at FROM loads WHERE load_id IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`,
    [JSON.stringify(ids)],
  );
  const gone = ids.filter((id) => !rows.some((r) => r.load_id === id && r.status !== 'unloaded'));
  if (gone.length) throw new UserError(reportErrors.runLoadGone(run.run_id, run.period, gone));
  return rows;
}

/** SQL: version `t` current on `$last` for a run whose loads are `$loads` (JSON list). */
const current = (t: string) =>
  `${t}._load IN (SELECT unnest(from_json($loads, '["INTEGER"]')))
   AND (${t}._valid_from IS NULL OR ${t}._valid_from <= $last::DATE)
   AND (${t}._valid_to IS NULL OR $last::DATE < ${t}._valid_to OR ${t}._closed NOT IN (SELECT unnest(from_json($loads, '["INTEGER"]'))))`;

export interface RunRows {
  cafes: CafeRow[];
  events: EventRow[];
  /** The questionnaire's questions by item (survey figures are labelled by them). */
  questions: Map<string, string>;
  /** The run's loads (the data's vintages: period and date of each). */
  loads: LoadRow[];
  /** The official commune list's version (meta.decoupage_version), null when unknown. */
  communeList: string | null;
}

export async function runRows(wh: Warehouse, run: RunRecord, period: Period, read: Set<string>): Promise<RunRows> {
  const loadRows = await runLoads(wh, run, read);
  const loads = JSON.stringify(loadRows.map((l) => Number(l.load_no)));
  for (const t of ['cafes', 'commune_positions', 'ref_communes', 'events']) read.add(t);
  const cafes = await wh.all<CafeRow>(
    `WITH p AS (SELECT commune_insee, lat, lon FROM commune_positions p WHERE ${current('p')})
     SELECT c.cafe_id, c.name, c.commune_insee, rc.name AS commune_name, rc.department, rc.region, c.model, c.stage,
            coalesce(c.lat, p.lat) AS lat, coalesce(c.lon, p.lon) AS lon
     FROM cafes c JOIN ref_communes rc ON rc.code = c.commune_insee LEFT JOIN p USING (commune_insee)
     WHERE ${current('c')} ORDER BY c.cafe_id`,
    { loads, last: period.last },
  );
  const events = await wh.all<EventRow>(
    `WITH p AS (SELECT commune_insee, lat, lon FROM commune_positions p WHERE ${current('p')})
     SELECT e.event_id, e.cafe_id, strftime(e.date, '%Y-%m-%d') AS date, e.commune_insee, rc.name AS commune_name, e.kind,
            coalesce(e.programme, '(none)') AS programme, p.lat, p.lon
     FROM events e LEFT JOIN ref_communes rc ON rc.code = e.commune_insee LEFT JOIN p USING (commune_insee)
     WHERE e._load IN (SELECT unnest(from_json($loads, '["INTEGER"]'))) AND e.date >= $start::DATE AND e.date < $end::DATE
     ORDER BY e.date, e.event_id`,
    { loads, last: period.last, start: period.start, end: period.end },
  );
  read.add('questionnaire');
  const questions = new Map(
    (await wh.all<{ item_id: string; label: string }>(`SELECT item_id, label FROM questionnaire q WHERE ${current('q')}`, { loads, last: period.last })).map((q) => [q.item_id, q.label]),
  );
  read.add('meta');
  const communeList = (await wh.one<{ value: string }>("SELECT value FROM meta WHERE key = 'decoupage_version'"))?.value ?? null;
  return { cafes, events, questions, loads: loadRows, communeList };
}

/** Names of regions and departments (ref_regions, ref_departments). */
export async function placeName(wh: Warehouse, scope: 'region' | 'department', code: string, read: Set<string>): Promise<string | null> {
  const t = scope === 'region' ? 'ref_regions' : 'ref_departments';
  read.add(t);
  return (await wh.one<{ name: string }>(`SELECT name FROM ${t} WHERE code = $1`, [code]))?.name ?? null;
}
