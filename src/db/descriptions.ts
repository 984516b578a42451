/**
 * A warehouse that explains itself: a description for every table, view and column, written
 * into the warehouse with `COMMENT ON` (so `duckdb_tables()`, `duckdb_columns()` and any SQL
 * client show it) and into docs/WAREHOUSE.md (`npm run warehouse-doc`; a test fails when it is
 * stale), from one source:
 *   - the data contract (src/contract/datasets.ts) for the dataset tables and their columns;
 *   - the models' headers (models/, the TypeScript models) for the model tables, with the run
 *     and period whose results they hold;
 *   - the definitions below for the load log, the runs, the reference lists, the views, and the
 *     columns the pipeline adds (`_load`, `_valid_from`, `_valid_to`…).
 */
import { columnsOf } from '../contract/columns.ts';
import { DATASETS } from '../contract/datasets.ts';
import type { Model } from '../models/runner.ts';
import { literal, ident } from './sql.ts';
import type { Warehouse } from './warehouse.ts';

/** Columns the pipeline adds to the dataset tables. */
const SYSTEM_COLUMNS: Record<string, string> = {
  _load: 'Load that brought the row (loads.load_no; see loads.load_id)',
  _valid_from: 'Reference version: first day it is valid (null: since the first load)',
  _valid_to: 'Reference version: first day it is no longer valid (null: the current version)',
  _closed: 'Load that closed this version (loads.load_no), null while current',
};

/** Meanings of the column names used across the pipeline's own tables (a table may override one). */
const COLUMNS: Record<string, string> = {
  run_id: 'Run of the models that computed it (runs.run_id)',
  load_id: 'Load (ingest attempt) it belongs to (loads.load_id)',
  load_no: 'Number of the load, in order (the _load of the rows it brought)',
  indicator: 'Indicator id (METHODOLOGY.md appendix A; `cafe-impact explain <indicator>`)',
  scope: 'Breakdown: network, region, department, cafe, model, stage, service, contract, programme, commune',
  scope_id: 'Code within the scope (region or department code, café id, INSEE commune…); null for the network',
  scope_label: 'Name of the scope item (region, department, café or commune name), null for the network',
  value: 'The figure, unrounded; null when suppressed (secret statistique)',
  people: 'Distinct people (or respondents) the cell describes, for the suppression rule; null when it counts none',
  unit: 'Unit of the value (src/format/units.ts)',
  ci_low: 'Lower bound of the interval (at ci_level)',
  ci_high: 'Upper bound of the interval (at ci_level)',
  se: 'Standard error',
  n: 'Observations behind the estimate (respondents, communes)',
  ci_level: 'Level of the interval (0.95, 0.90)',
  suppressed: 'True when the value is withheld (secret statistique)',
  method_version: 'Version of the indicators\' method (src/runs/config.ts)',
  code_version: 'Package version and commit of the code that wrote it',
  period: 'Period: a year (2023) or a quarter (2023-Q2)',
  period_start: 'First day of the period',
  period_end: 'Day after the period\'s last day',
  started_at: 'When it started',
  ended_at: 'When it ended',
  status: 'Outcome',
  message: 'Message (errors, counts, warnings)',
  code: 'Code',
  subject: 'What it is about (a café, a service, a quarter, an indicator)',
  cafe_id: 'Café (cafes.cafe_id)',
  commune_insee: 'INSEE code of the commune',
  commune_name: 'Name of the commune',
  department: 'Department code',
  department_name: 'Department name',
  region: 'Region code',
  region_name: 'Region name',
  service: 'Service (bread, cash, post…)',
  facility_id: 'Nearest other facility offering the service (facilities.facility_id)',
  facility_source: 'Source of that facility (bpe, laposte, a GeoJSON…)',
  distance_km: 'Crow-fly (haversine) distance, km',
  position_source: 'Where the position comes from: the row\'s own coordinates, or its commune\'s centroid',
  skipped_self: 'Facilities within km.self_radius_km of the café, taken to be the café itself and skipped',
  uses: 'Uses of the service',
  km: 'Kilometres saved: distance × uses × trip factor',
  lat: 'Latitude, WGS84 decimal degrees',
  lon: 'Longitude, WGS84 decimal degrees',
  name: 'Name',
  kind: 'Kind',
  source: 'Where the row comes from',
  dataset: 'Dataset (the data contract\'s name)',
  file_name: 'Name of the file',
  line: 'Line of the file (1 = the header)',
  reason: 'Why it was rejected',
  person_key: 'Pseudonymous key of the person (never a name, e-mail or phone)',
  role: 'Role',
  contract: 'Contract type',
  fte: 'Full-time equivalent of the contract',
  start_on: 'Start of the contract',
  end_on: 'End of the contract (null while it runs)',
  siren: 'SIREN of the business',
  legal_form: 'Legal form',
  spend_eur: 'Spend, euros',
  date: 'Day',
  model: 'Operating model of the café',
  stage: 'Lifecycle stage of the café',
  opened_on: 'Opening date',
  closed_on: 'Closing date',
  event_id: 'Event (events.event_id)',
  attendance: 'People present',
  association_ids: 'Associations involved',
  producer_ids: 'Producers involved',
  programme: 'Programme of the event',
  respondent_key: 'Pseudonymous key of the respondent',
  wave_date: 'Date of the survey wave',
  item_id: 'Questionnaire item (questionnaire.item_id)',
  year: 'Year',
  key: 'Key',
  version: 'Version',
  cohort: 'Opening cohort g (year of the first opening)',
  event_time: 'Years since opening (t − g)',
  att: 'Effect estimate (ATT)',
  n_treated: 'Treated communes',
  n_control: 'Control communes',
  note: 'Detail',
  population: 'Inhabitants',
  label: 'Label',
  dimension: 'Well-being dimension',
  direction: 'positive, or negative when a high value means less well-being',
  scale_min: 'Lowest answer on the scale',
  scale_max: 'Highest answer on the scale',
  sex: 'Sex',
  age_band: 'Age band',
  layer: 'Layer of the model: staging, marts, figures',
  activity: 'Kind of co-construction activity',
  lines: 'Lines of the till export summed',
  days_in_period: 'Days of the contract inside the period',
  fte_days: 'FTE × days of the contract inside the period',
  spend_lines: 'Lines of the suppliers file summed',
  local: 'True when within suppliers.local_radius_km of the café',
  rows: 'Rows it holds',
  ms: 'Time it took, milliseconds',
};

interface TableDoc {
  description: string;
  columns?: Record<string, string>;
}

/** The pipeline's own tables and the analysis views. */
const TABLES: Record<string, TableDoc> = {
  loads: {
    description: 'The load log: one row per ingest attempt (loaded, failed, refused, unloaded), with its period, options and code version.',
    columns: { command: 'Command that made it (ingest, import:<kind>, reload)', source: 'Folder or file ingested', options: 'Options of the command (JSON)', status: 'loaded, failed, refused or unloaded' },
  },
  load_files: {
    description: 'One row per file of a load: its size, SHA-256, archived copy, the dialect read and the counts.',
    columns: {
      size_bytes: 'Size of the file, bytes', sha256: 'SHA-256 of the file as given', archive_path: 'Archived copy (raw/, content-addressed)', format: 'csv, parquet, json or ndjson',
      encoding: 'Encoding read', delimiter: 'Field separator read', date_format: 'Date format read', decimal_separator: 'Decimal separator read',
      rows_read: 'Data rows read', accepted: 'Rows accepted', rejected: 'Rows rejected', replaced: 'Rows of earlier loads replaced (dated) or versions superseded (reference)', status: 'loaded, failed, refused or unchanged',
    },
  },
  rejects: {
    description: 'Every rejected row of every load, with its file, line, column, value and reason (`cafe-impact rejects`).',
    columns: { column_name: 'Column at fault (null: the whole row)', raw_value: 'The value as read', raw_line: 'The line as read (not kept for datasets holding people)' },
  },
  runs: {
    description: 'One row per run of the models for a period: succeeded or failed, with its method version, every parameter and the input files behind it.',
    columns: { status: 'succeeded or failed', parameters: 'Every parameter used (JSON; src/runs/config.ts)', inputs: 'Input files behind the period\'s rows: dataset, file, SHA-256, load (JSON)' },
  },
  figures: { description: 'Every published figure of every run (suppression applied). For the latest run per period: the view v_figures_latest.' },
  run_warnings: { description: 'Warnings of each run (missing facilities, empty quarters, left-out communes…).' },
  run_km_detail: {
    description: 'Per run, café and service: the nearest other facility and its distance behind kilometres saved (`cafe-impact explain km_saved`).',
    columns: { status: 'ok, or why no distance (no position, no facility)' },
  },
  run_did_cells: {
    description: 'Per run and did.<outcome> figure: the TWFE estimate, the group-time effects ATT(g,t), their aggregations and the parallel-trends test (METHODOLOGY §15).',
    columns: { kind: 'twfe, att_simple, att_gt, event or pretrend', year: 'Year t (att_gt)', att: 'Estimate (pretrend: the Wald statistic)' },
  },
  run_models: {
    description: 'Per run: every model it built, its layer, rows and time — which run and period the stg_/int_/mart_/fig_ tables hold.',
    columns: { model: 'Model (a table of that name)' },
  },
  int_did_cells: { description: 'Written by fig_did during a run: the cells behind each did.<outcome> figure, copied into run_did_cells when the run succeeds.', columns: { kind: 'twfe, att_simple, att_gt, event or pretrend', year: 'Year t (att_gt)' } },
  int_did_warnings: { description: 'Written by fig_did during a run: its warnings (left-out communes, outcomes not estimated), copied into run_warnings.' },
  int_survey_warnings: { description: 'Written by fig_survey during a run: its warnings, copied into run_warnings.' },
  int_wellbeing_warnings: { description: 'Written by fig_wellbeing during a run: its warnings, copied into run_warnings.' },
  meta: { description: 'Warehouse facts: versions of the official lists loaded, and similar keys.', columns: { value: 'Value' } },
  meta_migrations: { description: 'Schema migrations applied (src/db/migrations/).', columns: { name: 'File of the migration', applied_at: 'When it was applied' } },
  ref_communes: {
    description: 'The official list of current communes (COG, @etalab/decoupage-administratif).',
    columns: { code: 'INSEE code', department: 'Department code', region: 'Region code', population: 'Municipal population (official list)', zone: 'metro, drom or com' },
  },
  ref_departments: { description: 'Official departments.', columns: { code: 'Department code', region: 'Region code' } },
  ref_regions: { description: 'Official regions.', columns: { code: 'Region code' } },
  ref_commune_codes: { description: 'Every INSEE code ever valid (merged communes included) and the current commune it belongs to.', columns: { code: 'INSEE code (current or former)', current_code: 'Current commune' } },
  survey_answers: { description: 'The residents\' survey in long form: one row per respondent, wave and answered item.', columns: { value: 'Answer on the item\'s scale' } },
  v_figures_latest: { description: 'View: the figures of the latest successful run of each period (what `cafe-impact figures` shows).' },
  v_cafes_current: { description: 'View: the current version of each café.' },
  v_survey_answers: {
    description: 'View: survey answers in long form with their respondent\'s commune and their questionnaire item (label, scale, direction, dimension; current questionnaire).',
    columns: { label: 'Question as asked' },
  },
  v_model_tables: {
    description: 'View: for each model table (stg_, int_, mart_, fig_), the latest run that built it and the period it holds.',
    columns: { model: 'Model (a table of that name)', started_at: 'When that run started' },
  },
};

export interface Described {
  name: string;
  kind: 'table' | 'view';
  description: string;
  columns: { name: string; type: string; description: string | null }[];
}

/** What a table (or view) of this name is, or null. `models`: the project's models. */
export function tableDescription(name: string, models: readonly Model[]): { description: string; columns: Record<string, string> } | null {
  const dated = /^_rows_(.+)$/.exec(name);
  const def = DATASETS[dated ? dated[1]! : name];
  if (def) {
    const cols = Object.fromEntries(columnsOf(def.schema).map((c) => [c.name, c.description ?? '']));
    const what = def.kind === 'reference' ? 'versioned by load (the current version: _valid_to is null)' : `dated by ${def.dateColumn}; rows of a period replaced by each load of it`;
    const description = dated
      ? `Stored rows of dataset ${def.name} (${def.description}), pending ones of a running load included; read the view ${def.name}.`
      : `Dataset ${def.name} (data contract): ${def.description}; ${what}.${def.kind === 'dated' ? ' A view of the committed rows of _rows_' + def.name + '.' : ''}`;
    return { description, columns: { ...SYSTEM_COLUMNS, ...cols } };
  }
  const own = TABLES[name];
  if (own) return { description: own.description, columns: own.columns ?? {} };
  const m = models.find((x) => x.name === name);
  if (m) return { description: `Model ${m.name} (${m.layer}): ${m.description} Grain: ${m.grain}. Rebuilt by every run: which run and period it holds is in v_model_tables.`, columns: {} };
  return null;
}

/** Every table and view of the warehouse with its description (null where none is known). */
export async function describeWarehouse(wh: Warehouse, models: readonly Model[]): Promise<Described[]> {
  const objects = await wh.all<{ name: string; kind: 'table' | 'view' }>(
    `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
     UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
     ORDER BY 1`,
  );
  const cols = await wh.all<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`,
  );
  return objects.map((o) => {
    const d = tableDescription(o.name, models);
    return {
      name: o.name,
      kind: o.kind,
      description: d?.description ?? '',
      columns: cols.filter((c) => c.table_name === o.name).map((c) => ({ name: c.column_name, type: c.data_type, description: d?.columns[c.column_name] || COLUMNS[c.column_name] || SYSTEM_COLUMNS[c.column_name] || null })),
    };
  });
}

/**
 * Writes the descriptions as comments where they are missing or changed (a run re-creates its
 * model tables, which loses theirs). Only what differs is written: a publish after an ingest
 * writes nothing.
 */
export async function applyDescriptions(wh: Warehouse, models: readonly Model[]): Promise<number> {
  const current = new Map(
    (await wh.all<{ name: string; comment: string | null }>(
      `SELECT table_name AS name, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
       UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary`,
    )).map((r) => [r.name, r.comment]),
  );
  const colComments = new Map(
    (await wh.all<{ t: string; c: string; comment: string | null }>(
      `SELECT table_name AS t, column_name AS c, comment FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'`,
    )).map((r) => [`${r.t}.${r.c}`, r.comment]),
  );
  let written = 0;
  for (const o of await describeWarehouse(wh, models)) {
    if (o.description && current.get(o.name) !== o.description) {
      await wh.run(`COMMENT ON ${o.kind === 'view' ? 'VIEW' : 'TABLE'} ${ident(o.name)} IS ${literal(o.description)}`);
      written++;
    }
    for (const c of o.columns) {
      if (!c.description || colComments.get(`${o.name}.${c.name}`) === c.description) continue;
      await wh.run(`COMMENT ON COLUMN ${ident(o.name)}.${ident(c.name)} IS ${literal(c.description)}`);
      written++;
    }
  }
  return written;
}

/** docs/WAREHOUSE.md, from the same descriptions. */
export function warehouseDoc(objects: readonly Described[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    '# The warehouse, table by table',
    '',
    'Generated by `npm run warehouse-doc` from the descriptions the warehouse carries itself',
    '(`COMMENT ON`: `SELECT table_name, comment FROM duckdb_tables()`, `SELECT * FROM duckdb_columns()`),',
    'from one source (src/db/descriptions.ts: the data contract, the models\' headers, the load log\'s',
    'definitions). Read it on the published snapshot (`warehouse/published/<name>.duckdb`, or',
    '`cafe-impact query`), never on the warehouse the pipeline writes. A test fails when this file is stale.',
    '',
    '| table | kind | description |',
    '|---|---|---|',
    ...objects.map((o) => `| [\`${o.name}\`](#${o.name.replace(/[^a-z0-9_-]/g, '')}) | ${o.kind} | ${cell(o.description)} |`),
    '',
  ];
  for (const o of objects) {
    out.push(`## ${o.name}`, '', cell(o.description), '', '| column | type | description |', '|---|---|---|');
    for (const c of o.columns) out.push(`| \`${c.name}\` | ${c.type} | ${cell(c.description ?? '')} |`);
    out.push('');
  }
  return out.join('\n');
}
