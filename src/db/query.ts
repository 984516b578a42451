/**
 * `cafe-impact query "<SQL>"`: the researcher's SQL on the published snapshot, read-only in
 * every sense. Three locks, each tested (test/db/query.test.ts):
 *   1. the snapshot is opened with `access_mode = READ_ONLY` (no write reaches a file);
 *   2. with `enable_external_access = false` and `lock_configuration = true`: no table function
 *      reads a file (`read_csv`, `read_parquet`, `glob`, a quoted path…), no COPY, EXPORT,
 *      ATTACH, INSTALL or LOAD reaches the file system, and no SET can undo it;
 *   3. a statement check before anything runs: exactly one statement, of type SELECT or EXPLAIN
 *      as DuckDB's own parser classifies it, and not a PRAGMA (a read-only instance still accepts
 *      SET, PRAGMA and temporary tables: they are refused here).
 * Parquet output is written by the tool (a COPY of the checked query, run by a separate instance
 * that attaches the snapshot read-only), never by the user's SQL.
 *
 * Values are typed: integers as JSON numbers up to 2⁵³ and as strings beyond; DATE as
 * `yyyy-mm-dd`; TIMESTAMP (Paris wall-clock time in this warehouse) and TIMESTAMPTZ as ISO 8601
 * with the Paris offset (`2023-05-01T10:00:00+02:00`).
 */
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.ts';
import { queryErrors } from '../core/messages.ts';
import { withScratchDb } from './export-parquet.ts';
import { literal } from './sql.ts';
import { toPlain } from './warehouse.ts';

/** DuckDB's StatementType values allowed (node-bindings' enum: SELECT = 1, EXPLAIN = 4). */
const ALLOWED = new Map([[1, 'SELECT'], [4, 'EXPLAIN']]);
const TYPE_NAMES: Record<number, string> = {
  2: 'INSERT', 3: 'UPDATE', 5: 'DELETE', 6: 'PREPARE', 7: 'CREATE', 8: 'EXECUTE', 9: 'ALTER', 10: 'TRANSACTION', 11: 'COPY', 12: 'ANALYZE',
  13: 'SET', 14: 'CREATE FUNCTION', 15: 'DROP', 16: 'EXPORT', 17: 'PRAGMA', 18: 'VACUUM', 19: 'CALL', 20: 'SET', 21: 'INSTALL/LOAD',
  23: 'EXTENSION', 25: 'ATTACH', 26: 'DETACH', 28: 'COPY DATABASE', 29: 'UPDATE EXTENSIONS', 30: 'MERGE INTO',
};

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

async function guarded(path: string): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      access_mode: 'READ_ONLY',
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
  } catch (e) {
    throw new UserError(queryErrors.cannotOpen(path, (e as Error).message.split('\n')[0]!));
  }
  const conn = await instance.connect();
  // the zone first, then nothing can be set any more (external access cannot be re-enabled anyway)
  await conn.run(`SET TimeZone = 'Europe/Paris'`);
  await conn.run('SET lock_configuration = true');
  return { instance, conn };
}

/** Refuses what is not one read-only statement; returns the statement's kind. */
async function check(conn: DuckDBConnection, sql: string): Promise<string> {
  // DuckDB's extraction fails without a message on a query with no statement at all
  if (!sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|;/g, '').trim()) throw new UserError(queryErrors.oneStatement(0));
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    throw new UserError(queryErrors.invalid((e as Error).message.split('\n')[0]!));
  }
  if (extracted.count !== 1) throw new UserError(queryErrors.oneStatement(extracted.count));
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    if (/file system operations are disabled|external access/i.test(msg)) throw new UserError(queryErrors.refused('reads or writes files', msg));
    throw new UserError(queryErrors.invalid(msg));
  }
  const type = Number(prepared.statementType);
  prepared.destroySync?.();
  if (/^\s*(\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*pragma\b/i.test(sql)) throw new UserError(queryErrors.refused('PRAGMA', null));
  const kind = ALLOWED.get(type);
  if (!kind) throw new UserError(queryErrors.refused(TYPE_NAMES[type] ?? `statement type ${type}`, null));
  return kind;
}

export async function runQuery(path: string, sql: string): Promise<QueryResult> {
  const { instance, conn } = await guarded(path);
  try {
    await check(conn, sql);
    let reader;
    try {
      reader = await conn.runAndReadAll(sql);
    } catch (e) {
      throw new UserError(queryErrors.failed((e as Error).message.split('\n')[0]!));
    }
    const types = reader.columnTypes();
    return {
      columns: reader.columnNames().map((name, i) => ({ name, type: types[i]!.toString() })),
      rows: reader.getRowsJS().map((r) => r.map((v, i) => typed(v, types[i]!.typeId))),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Writes the checked query's result as Parquet (DuckDB's writer, the snapshot attached read-only). */
export async function queryToParquet(path: string, sql: string, output: string): Promise<number> {
  const g = await guarded(path);
  try {
    await check(g.conn, sql);
  } finally {
    g.conn.closeSync();
    g.instance.closeSync();
  }
  return withScratchDb(async (conn) => {
    try {
      const r = await conn.run(`COPY (${sql}) TO ${literal(output)} (FORMAT parquet)`);
      return Number(r.rowsChanged);
    } catch (e) {
      throw new UserError(queryErrors.failed((e as Error).message.split('\n')[0]!));
    }
  }, { snapshot: path });
}

const PARIS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' });

/** Paris's offset from UTC at an instant, in minutes ("GMT+02:00" → 120). */
function parisOffset(ms: number): number {
  const name = PARIS.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function isoWithOffset(utcMs: number, offsetMin: number): string {
  const local = new Date(utcMs + offsetMin * 60_000).toISOString().replace(/\.000Z$|Z$/, '');
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** A DuckDB value as JSON and CSV show it (see the module's comment). */
export function typed(v: unknown, typeId: DuckDBTypeId): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint' || (v instanceof Date && typeId === DuckDBTypeId.DATE)) return toPlain(v, typeId); // the warehouse's own rules
  if (v instanceof Date) {
    if (typeId === DuckDBTypeId.TIMESTAMP || typeId === DuckDBTypeId.TIMESTAMP_S || typeId === DuckDBTypeId.TIMESTAMP_MS || typeId === DuckDBTypeId.TIMESTAMP_NS) {
      // wall-clock Paris time read as if UTC: the offset is the one in force at that wall time
      const wall = v.getTime();
      const guess = parisOffset(wall);
      const offset = parisOffset(wall - guess * 60_000);
      return isoWithOffset(wall - offset * 60_000, offset);
    }
    return isoWithOffset(v.getTime(), parisOffset(v.getTime()));
  }
  if (Array.isArray(v)) return v.map((x) => typed(x, DuckDBTypeId.VARCHAR));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typed(x, DuckDBTypeId.VARCHAR)]));
  return v;
}
