/**
 * Reads one input file into a temporary staging table with DuckDB's own readers (explicit
 * types from the contract, rejects captured), and lists the rows DuckDB itself rejected.
 *
 * The staging table keeps the file's record order (DuckDB preserves insertion order), so its
 * `rowid` is the ordinal of the record among those DuckDB accepted.
 */
import { statSync } from 'node:fs';
import type { Column, SqlType } from '../contract/columns.ts';
import { ident, literal } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { reasons } from '../core/messages.ts';
import type { Dialect } from './sniff.ts';
import { splitRecords } from '../io/csv.ts';
import { numberProblem } from './numbers.ts';
import { MAX_RECORD_BYTES } from './scan.ts';

export type FileFormat = 'csv' | 'parquet' | 'json' | 'ndjson';

/** How a staged column maps to the contract. */
export interface StagedColumn {
  column: Column;
  /** Present in the file (else filled with the default or NULL). */
  present: boolean;
}

export interface ReaderReject {
  /** DuckDB's `line` of the record (CSV): header, records and blank lines counted once each. */
  duckLine?: number;
  /** 1-based record number (for formats without lines: parquet row, JSON element). */
  record?: number;
  column?: string;
  value?: string;
  reason: string;
  rawLine?: string;
  /** Found by checking the numbers of a record DuckDB rejected for another cell, not by DuckDB. */
  fromText?: boolean;
}

export interface CsvReadOptions {
  dialect: Dialect;
  /** File-order list of (staging name, read type). */
  fileColumns: { name: string; type: SqlType }[];
  dateFormat?: string;
  timestampFormat?: string;
  /** Instants carry UTC offsets: read as TIMESTAMPTZ, converted to Paris time in the checks. */
  withOffsets?: boolean;
  decimalComma: boolean;
  /** Numbers parsed by DuckDB's reader as DOUBLE: the fast path of numbers.ts (typedNumberSql). */
  typedNumbers?: boolean;
}

/**
 * Type DuckDB's reader is given. Lists are split later. Instants are stored as Paris wall-clock
 * TIMESTAMP (no per-row time-zone conversion on tens of millions of sales); a file whose
 * instants carry offsets is read as TIMESTAMPTZ and converted. (read_csv also silently yields
 * NULL for TIMESTAMPTZ with a `timestampformat`, measured with DuckDB 1.5.6.)
 * Numbers are read as text and converted by one strict SQL expression (numbers.ts), the same for
 * every format: DuckDB's reader would take "2.5" into a BIGINT as 3, "1e-400" as 0, "1_000" as
 * 1000, and NaN or inf as numbers.
 */
const readType = (t: SqlType, withOffsets = false): string =>
  t === 'VARCHAR[]' || t === 'BIGINT' || t === 'DOUBLE' ? 'VARCHAR' : t === 'TIMESTAMP' && withOffsets ? 'TIMESTAMPTZ' : t;

/** The `read_csv(...)` call for a file: explicit types, the detected dialect, rejects captured in `<rej>_rej`. */
export function csvReaderSql(path: string, rej: string, o: CsvReadOptions): string {
  const typeOf = (t: SqlType) => (o.typedNumbers && (t === 'BIGINT' || t === 'DOUBLE') ? 'DOUBLE' : readType(t, o.withOffsets));
  const cols = o.fileColumns.map((c) => `${literal(c.name)}: ${literal(typeOf(c.type))}`).join(', ');
  const args = [
    `columns = {${cols}}`,
    'header = true',
    'auto_detect = false',
    `delim = ${literal(o.dialect.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'store_rejects = true',
    `rejects_table = ${literal(`${rej}_rej`)}`,
    `rejects_scan = ${literal(`${rej}_scan`)}`,
    `max_line_size = ${2 * MAX_RECORD_BYTES + 16}`,
  ];
  if (o.dateFormat) args.push(`dateformat = ${literal(o.dateFormat)}`);
  if (o.timestampFormat) args.push(`timestampformat = ${literal(o.timestampFormat)}`);
  return `read_csv(${literal(path)}, ${args.join(', ')})`;
}

/** `CREATE TEMP TABLE <table> AS SELECT * FROM read_csv(...)`, returning DuckDB's rejects. */
export async function stageCsv(wh: Warehouse, path: string, table: string, o: CsvReadOptions): Promise<ReaderReject[]> {
  await wh.run(`CREATE TEMP TABLE ${ident(table)} AS SELECT * FROM ${csvReaderSql(path, table, o)}`);
  return readerRejects(wh, table, o);
}

/** The rows DuckDB's reader rejected (kept in `<rej>_rej`), with our reasons; drops the rejects tables. */
export async function readerRejects(wh: Warehouse, rej: string, o: CsvReadOptions): Promise<ReaderReject[]> {
  const table = rej;
  const rows = await wh.all<{ line: number; column_idx: number | null; column_name: string | null; error_type: string; csv_line: string | null; error_message: string }>(
    `SELECT line, column_idx, column_name, error_type::VARCHAR AS error_type, csv_line, error_message
     FROM ${ident(`${table}_rej`)} ORDER BY line, column_idx`,
  );
  await wh.run(`DROP TABLE IF EXISTS ${ident(`${table}_rej`)}; DROP TABLE IF EXISTS ${ident(`${table}_scan`)}`);
  const byName = new Map(o.fileColumns.map((c) => [c.name, c.type]));
  // DuckDB reads numbers as text, so it never refuses one: in a record it rejects for another
  // cell, the numbers are checked here too, so the reject lists every broken rule.
  const extra: ReaderReject[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (r.error_type !== 'CAST' || r.csv_line === null || seen.has(r.line)) continue;
    seen.add(r.line);
    const fields = splitRecords(r.csv_line, o.dialect.delimiter)[0] ?? [];
    o.fileColumns.forEach((c, i) => {
      if (c.type !== 'BIGINT' && c.type !== 'DOUBLE') return;
      const why = numberProblem(fields[i], c.type, o.decimalComma);
      if (why && why !== 'missing') extra.push({ duckLine: r.line, column: c.name, value: fields[i], reason: why, rawLine: r.csv_line ?? undefined, fromText: true });
    });
  }
  return [...rows.map((r) => {
    const fields = r.csv_line !== null ? (splitRecords(r.csv_line, o.dialect.delimiter)[0] ?? []) : [];
    const name = r.column_name ?? undefined;
    const type = name ? byName.get(name) : undefined;
    let reason: string;
    if (r.error_type === 'CAST' && type) {
      reason = reasons.notType(type, type === 'DATE' ? humanDate(o.dateFormat) : type === 'TIMESTAMP' ? humanTs(o.timestampFormat) : undefined);
    } else if (r.error_type === 'MISSING COLUMNS' || r.error_type === 'TOO MANY COLUMNS') {
      reason = reasons.fieldCount(fields.length, o.fileColumns.length);
    } else {
      reason = r.error_message.split('\n')[0]!;
    }
    const isFieldError = r.error_type === 'CAST';
    return {
      duckLine: r.line,
      column: isFieldError ? name : undefined,
      value: isFieldError && r.column_idx !== null ? fields[r.column_idx - 1] : undefined,
      reason,
      rawLine: r.csv_line ?? undefined,
    };
  }), ...extra];
}

function humanDate(fmt?: string): string {
  return fmt === '%d/%m/%Y' ? 'dd/mm/yyyy, as in the rest of this file' : 'yyyy-mm-dd';
}
export function humanTs(fmt?: string): string {
  return fmt ? 'dd/mm/yyyy hh:mm:ss, as in the rest of this file' : 'ISO 8601, e.g. 2023-04-02 10:15:00';
}

/**
 * DuckDB's reader for a Parquet file, or for the normalised NDJSON copy of a JSON input
 * (json.ts: every value a string, keys named as the contract does), read with explicit columns.
 */
function otherReaderSql(path: string, format: Exclude<FileFormat, 'csv'>, columns?: Column[]): string {
  if (format === 'parquet') return `read_parquet(${literal(path)})`;
  const cols = (columns ?? []).map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ');
  return `read_json(${literal(path)}, format = 'newline_delimited', records = true${cols ? `, columns = {${cols}}` : ''})`;
}

/**
 * Parquet and JSON: DuckDB reads them with their own types; each contract column is cast with
 * TRY_CAST and a value that does not cast is a reject. The ordinal comes from the reader.
 */
export async function stageOther(
  wh: Warehouse,
  path: string,
  format: Exclude<FileFormat, 'csv'>,
  table: string,
  present: Column[],
): Promise<ReaderReject[]> {
  const src = otherReaderSql(path, format, present);
  const sel = present
    .map((c) => {
      const raw = ident(c.name);
      // Numbers stay text here: the checks convert them, the same way for every format.
      const typed = c.sqlType === 'VARCHAR[]'
        ? `CASE WHEN typeof(${raw}) LIKE '%[]' THEN array_to_string(${raw}::VARCHAR[], '|') ELSE ${raw}::VARCHAR END`
        : c.sqlType === 'BIGINT' || c.sqlType === 'DOUBLE'
          ? `CASE WHEN typeof(${raw}) = 'JSON' THEN json_extract_string(${raw}, '$') ELSE ${raw}::VARCHAR END`
          : `TRY_CAST(${raw} AS ${c.sqlType === 'TIMESTAMP' ? 'TIMESTAMPTZ' : c.sqlType})`;
      return `${typed} AS ${raw}, ${raw}::VARCHAR AS ${ident(`_raw_${c.name}`)}`;
    })
    .join(', ');
  // No record at all (an empty array): an empty table with the columns.
  const empty = format !== 'parquet' && statSync(path).size === 0;
  await wh.run(
    empty
      ? `CREATE TEMP TABLE ${ident(`${table}_all`)} AS SELECT 0::BIGINT AS _record, ${present.map((c) => `NULL::VARCHAR AS ${ident(c.name)}, NULL::VARCHAR AS ${ident(`_raw_${c.name}`)}`).join(', ') || '1 AS _none'} LIMIT 0`
      : `CREATE TEMP TABLE ${ident(`${table}_all`)} AS SELECT row_number() OVER () AS _record, ${sel} FROM ${src}`,
  );
  const failed = present.filter((c) => !['VARCHAR', 'VARCHAR[]', 'BIGINT', 'DOUBLE'].includes(c.sqlType));
  const cond = failed.map((c) => `(${ident(c.name)} IS NULL AND ${ident(`_raw_${c.name}`)} IS NOT NULL)`).join(' OR ') || 'false';
  const bad = await wh.all<Record<string, unknown> & { _record: number }>(`SELECT * FROM ${ident(`${table}_all`)} WHERE ${cond} ORDER BY _record`);
  const keep = present.map((c) => ident(c.name)).join(', ') || '_record';
  await wh.run(`CREATE TEMP TABLE ${ident(table)} AS SELECT ${keep} FROM ${ident(`${table}_all`)} WHERE NOT (${cond}) ORDER BY _record`);
  await wh.run(`DROP TABLE ${ident(`${table}_all`)}`);
  return bad.map((r) => {
    const c = failed.find((f) => r[f.name] === null && r[`_raw_${f.name}`] !== null)!;
    return { record: r._record, column: c.name, value: unjson(String(r[`_raw_${c.name}`])), reason: reasons.notType(c.sqlType) };
  });
}

/** Column names in a Parquet file (for the header checks CSV files get from the sniffer). */
export async function parquetColumns(wh: Warehouse, path: string): Promise<string[]> {
  const rows = await wh.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${otherReaderSql(path, 'parquet')}`);
  return rows.map((r) => r.column_name);
}

/** A JSON string value as read (`"lots"` → `lots`). */
function unjson(v: string): string {
  if (v.startsWith('"') && v.endsWith('"')) {
    try {
      return String(JSON.parse(v));
    } catch {
      return v;
    }
  }
  return v;
}
