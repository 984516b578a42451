/**
 * The load log seen from outside: what is loaded per dataset and period (`status`), the rows
 * that were rejected and why (`rejects`), and taking a load back out (`unload`).
 */
import { columnsOf } from '../contract/columns.ts';
import { DATASETS } from '../contract/datasets.ts';
import { storedTable } from '../db/ddl.ts';
import { ident } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { publishSnapshot } from '../db/snapshot.ts';
import { UserError } from '../core/errors.ts';
import { loadErrors } from '../core/messages.ts';
import { inPeriodSql } from '../ingest/write.ts';
import type { Period } from '../core/period.ts';

export interface StatusRow {
  dataset: string;
  kind: 'dated' | 'reference';
  period: string | null;
  rows: number;
  loads: number;
  last_load: string | null;
  last_loaded_at: string | null;
}

/** Rows per dataset and quarter (dated) or current rows (reference), with the loads behind them. */
export async function status(wh: Warehouse): Promise<StatusRow[]> {
  const out: StatusRow[] = [];
  for (const def of Object.values(DATASETS)) {
    const t = ident(def.name);
    if (def.kind === 'dated') {
      const contract = columnsOf(def.schema);
      const dateCol = ident(def.dateColumn!);
      const isTs = contract.find((c) => c.name === def.dateColumn)?.sqlType === 'TIMESTAMP';
      const day = isTs ? `CAST(${dateCol} AS DATE)` : dateCol;
      const rows = await wh.all<{ period: string; rows: number; loads: number; last_load: string }>(
        `SELECT p.period, p.rows, p.loads, l.load_id AS last_load FROM (
           SELECT year(${day}) || '-Q' || quarter(${day}) AS period, count(*) AS rows, count(DISTINCT _load) AS loads, max(_load) AS last_no
           FROM ${t} GROUP BY ALL) p LEFT JOIN loads l ON l.load_no = p.last_no ORDER BY p.period`,
      );
      for (const r of rows) {
        const at = await wh.scalar<string | null>('SELECT ended_at::VARCHAR FROM loads WHERE load_id = $1', [r.last_load]);
        out.push({ dataset: def.name, kind: 'dated', period: r.period, rows: r.rows, loads: r.loads, last_load: r.last_load, last_loaded_at: at ?? null });
      }
    } else {
      const r = await wh.one<{ rows: number; versions: number; loads: number; last_load: string | null }>(
        `SELECT r.rows, r.versions, r.loads, l.load_id AS last_load FROM (
           SELECT count(*) FILTER (WHERE _valid_to IS NULL) AS rows, count(*) AS versions, count(DISTINCT _load) AS loads, max(_load) AS last_no FROM ${t}
         ) r LEFT JOIN loads l ON l.load_no = r.last_no`,
      );
      if (!r || r.versions === 0) continue;
      const at = await wh.scalar<string | null>('SELECT ended_at::VARCHAR FROM loads WHERE load_id = $1', [r.last_load]);
      out.push({ dataset: def.name, kind: 'reference', period: null, rows: r.rows, loads: r.loads, last_load: r.last_load, last_loaded_at: at ?? null });
    }
  }
  return out;
}

export interface LoadRow {
  load_id: string;
  command: string;
  period: string | null;
  status: string;
  started_at: string;
  files: number;
  read: number;
  accepted: number;
  rejected: number;
  message: string | null;
}

export async function listLoads(wh: Warehouse, limit = 20): Promise<LoadRow[]> {
  return wh.all<LoadRow>(
    `SELECT l.load_id, l.command, l.period, l.status, l.started_at::VARCHAR AS started_at,
            count(f.file_name) AS files, coalesce(sum(f.rows_read), 0)::BIGINT AS read,
            coalesce(sum(f.accepted), 0)::BIGINT AS accepted, coalesce(sum(f.rejected), 0)::BIGINT AS rejected, l.message
     FROM loads l LEFT JOIN load_files f USING (load_id)
     GROUP BY ALL ORDER BY max(l.started_at) DESC LIMIT $1`,
    [limit],
  );
}

export interface RejectListRow {
  load_id: string;
  load_status: string;
  dataset: string;
  file_name: string;
  line: number | null;
  column_name: string | null;
  raw_value: string | null;
  reason: string;
  raw_line: string | null;
}

/**
 * Rejected rows of the loads for a period (latest attempt per dataset by default, so a file
 * fixed and re-ingested no longer lists its old rejects; `all` lists every attempt).
 */
export async function listRejects(wh: Warehouse, o: { period?: Period; dataset?: string; loadId?: string; all?: boolean }): Promise<RejectListRow[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (o.period) where.push(`l.period = $${params.push(o.period.label)}`);
  if (o.dataset) where.push(`r.dataset = $${params.push(o.dataset)}`);
  if (o.loadId) where.push(`r.load_id = $${params.push(o.loadId)}`);
  const latest = !(o.all || o.loadId);
  const sql = `
    WITH attempts AS (
      SELECT f.load_id, f.dataset, l.period, l.started_at FROM load_files f JOIN loads l USING (load_id) WHERE l.status <> 'unloaded'
    ), latest AS (
      SELECT load_id, dataset FROM attempts QUALIFY row_number() OVER (PARTITION BY dataset, period ORDER BY started_at DESC) = 1
    )
    SELECT r.load_id, l.status AS load_status, r.dataset, r.file_name, r.line, r.column_name, r.raw_value, r.reason, r.raw_line
    FROM rejects r JOIN loads l USING (load_id)
    ${latest ? 'JOIN latest USING (load_id, dataset)' : ''}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY l.started_at, r.dataset, r.file_name, r.line`;
  return wh.all<RejectListRow>(sql, params);
}

export interface UnloadResult {
  loadId: string;
  rowsRemoved: Record<string, number>;
  versionsReopened: Record<string, number>;
}

/**
 * Takes a load back out: removes the rows it brought and, for reference tables, reopens the
 * versions it had closed. Rows of earlier loads that it had replaced are not restored: ingest
 * their files again (they are archived; `status` shows what is now missing).
 */
export async function unload(wh: Warehouse, loadId: string): Promise<UnloadResult> {
  const load = await wh.one<{ status: string; period: string; load_no: number }>('SELECT status, period, load_no FROM loads WHERE load_id = $1', [loadId]);
  if (!load) throw new UserError(loadErrors.noLoad(loadId));
  if (load.status !== 'loaded') throw new UserError(loadErrors.notLoaded(loadId, load.status));
  const result = await wh.transaction(async () => {
    const rowsRemoved: Record<string, number> = {};
    const versionsReopened: Record<string, number> = {};
    for (const def of Object.values(DATASETS)) {
      const t = ident(storedTable(def));
      if (def.kind === 'reference') {
        const later = await wh.scalar<string | null>(
          `SELECT min(l.load_id) FROM ${t} v JOIN loads l ON l.load_no = v._closed WHERE v._load = $1 AND v._closed <> $1`,
          [load.load_no],
        );
        if (later) throw new UserError(loadErrors.replacedSince(loadId, def.name, later));
        const n = await wh.exec(`DELETE FROM ${t} WHERE _load = $1`, [load.load_no]);
        const r = await wh.exec(`UPDATE ${t} SET _valid_to = NULL, _closed = NULL WHERE _closed = $1`, [load.load_no]);
        if (n) rowsRemoved[def.name] = n;
        if (r) versionsReopened[def.name] = r;
      } else {
        const n = await wh.exec(`DELETE FROM ${t} WHERE _load = $1`, [load.load_no]);
        if (n) rowsRemoved[def.name] = n;
      }
    }
    const a = await wh.exec('DELETE FROM survey_answers WHERE _load = $1', [load.load_no]);
    if (a) rowsRemoved.survey_answers = a;
    await wh.run(`UPDATE loads SET status = 'unloaded', message = coalesce(message || '; ', '') || 'unloaded at ' || now()::VARCHAR WHERE load_id = $1`, [loadId]);
    return { loadId, rowsRemoved, versionsReopened };
  });
  await publishSnapshot(wh);
  return result;
}

/** Quarters of a period with no row of a dated dataset (for `run`'s completeness warning). */
export async function emptyQuarters(wh: Warehouse, dataset: string, quarters: Period[]): Promise<string[]> {
  const def = DATASETS[dataset]!;
  const contract = columnsOf(def.schema);
  const out: string[] = [];
  for (const q of quarters) {
    const n = await wh.scalar<number>(`SELECT count(*) FROM (SELECT 1 FROM ${ident(def.name)} WHERE ${inPeriodSql(def, contract, q)} LIMIT 1)`);
    if (n === 0) out.push(q.label);
  }
  return out;
}
