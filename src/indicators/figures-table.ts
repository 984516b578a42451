/**
 * What the TypeScript figures models (fig_survey, fig_wellbeing, fig_did) write: a table with the figures
 * models' fixed columns plus the uncertainty ones (src/indicators/family.ts), and a table of the
 * warnings the run reports (int_<model>_warnings, read by src/runs/run.ts).
 */
import type { Warehouse } from '../db/warehouse.ts';

export interface FigureRow {
  indicator: string;
  scope: string;
  scope_id: string | null;
  scope_label: string | null;
  value: number | null;
  /** Distinct people the cell describes (suppression), null when it counts none. */
  people: number | null;
  ci_low: number | null;
  ci_high: number | null;
  se: number | null;
  n: number | null;
  ci_level: number | null;
}

export interface ModelWarning {
  code: string;
  subject: string | null;
  message: string;
}

/** The warnings tables of the TypeScript figures models, in the order the run reports them. */
export const MODEL_WARNING_TABLES = ['int_survey_warnings', 'int_wellbeing_warnings', 'int_did_warnings'] as const;

export async function writeFiguresTable(wh: Warehouse, table: string, rows: readonly FigureRow[]): Promise<void> {
  await wh.run(`CREATE OR REPLACE TABLE ${table} (indicator VARCHAR, scope VARCHAR, scope_id VARCHAR, scope_label VARCHAR, value DOUBLE, people BIGINT,
    ci_low DOUBLE, ci_high DOUBLE, se DOUBLE, n BIGINT, ci_level DOUBLE)`);
  const app = await wh.conn.createAppender(table);
  const text = (v: string | null) => (v === null ? app.appendNull() : app.appendVarchar(v));
  const num = (v: number | null) => (v === null ? app.appendNull() : app.appendDouble(v));
  const int = (v: number | null) => (v === null ? app.appendNull() : app.appendBigInt(BigInt(v)));
  for (const r of rows) {
    text(r.indicator);
    text(r.scope);
    text(r.scope_id);
    text(r.scope_label);
    num(r.value);
    int(r.people);
    num(r.ci_low);
    num(r.ci_high);
    num(r.se);
    int(r.n);
    num(r.ci_level);
    app.endRow();
  }
  app.closeSync();
}

export async function writeWarnings(wh: Warehouse, table: (typeof MODEL_WARNING_TABLES)[number], warnings: readonly ModelWarning[]): Promise<void> {
  await wh.run(`CREATE OR REPLACE TABLE ${table} (code VARCHAR, subject VARCHAR, message VARCHAR)`);
  for (const w of warnings) await wh.run(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [w.code, w.subject, w.message]);
}
