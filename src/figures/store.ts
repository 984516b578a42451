/** Reading published figures back: the latest successful run of a period and its provenance. */
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../core/errors.ts';
import { figureErrors } from '../core/messages.ts';
import type { Figure, RunProvenance } from './types.ts';

export interface RunRecord extends RunProvenance {
  /** When the run started, ISO 8601 (UTC). */
  started_at: string;
  warnings: { code: string; subject: string | null; message: string }[];
}

export async function latestRun(wh: Warehouse, period: string): Promise<RunRecord> {
  const r = await wh.one<{ run_id: string; method_version: string; code_version: string; parameters: string; inputs: string; started_ms: number | bigint }>(
    `SELECT run_id, method_version, code_version, parameters::VARCHAR AS parameters, inputs::VARCHAR AS inputs, epoch_ms(started_at) AS started_ms
     FROM runs WHERE period = $1 AND status = 'succeeded' ORDER BY started_at DESC, run_id DESC LIMIT 1`,
    [period],
  );
  if (!r) throw new UserError(figureErrors.noSuccessfulRun(period));
  const warnings = await wh.all<{ code: string; subject: string | null; message: string }>(
    'SELECT code, subject, message FROM run_warnings WHERE run_id = $1 ORDER BY code, subject',
    [r.run_id],
  );
  return { run_id: r.run_id, period, started_at: new Date(Number(r.started_ms)).toISOString(), method_version: r.method_version, code_version: r.code_version, parameters: JSON.parse(r.parameters), inputs: JSON.parse(r.inputs), warnings };
}

export async function runFigures(wh: Warehouse, runId: string): Promise<Figure[]> {
  return wh.all<Figure>(
    `SELECT indicator, scope, scope_id, scope_label, period, value, unit, ci_low, ci_high, se, n, ci_level, suppressed, run_id, method_version
     FROM figures WHERE run_id = $1 ORDER BY indicator, scope, scope_id NULLS FIRST`,
    [runId],
  );
}

export interface RunSummary {
  run_id: string;
  period: string;
  status: string;
  method_version: string;
  figures: number;
  warnings: number;
}

/** The latest runs, newest first, with their numbers of figures and warnings. */
export async function listRuns(wh: Warehouse, limit = 20): Promise<RunSummary[]> {
  return wh.all<RunSummary>(
    `SELECT r.run_id, r.period, r.status, r.method_version,
            (SELECT count(*) FROM figures f WHERE f.run_id = r.run_id) AS figures,
            (SELECT count(*) FROM run_warnings w WHERE w.run_id = r.run_id) AS warnings
     FROM runs r ORDER BY r.started_at DESC, r.run_id DESC LIMIT $1`,
    [limit],
  );
}
