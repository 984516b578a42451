/**
 * A query result as an Arrow IPC file (the "file" format, readable by pyarrow, R arrow,
 * apache-arrow's `tableFromIPC`, Polars): DuckDB here has no Arrow extension, so the table is
 * built with apache-arrow from the typed result (src/db/query.ts). Columns: integers as Int64
 * (exact), other numbers as Float64, booleans as Bool, dates as Date32, timestamps as
 * Timestamp(ms) in UTC, everything else (text, lists, structs as JSON) as Utf8.
 */
import { Bool, DateDay, Float64, Int64, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { QueryResult } from './query.ts';

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|UHUGEINT)$/;
const FLOAT = /^(FLOAT|DOUBLE|DECIMAL.*)$/;

export function resultToArrowIpc(r: QueryResult): Uint8Array {
  const columns: Record<string, Vector> = {};
  r.columns.forEach((c, i) => {
    const values = r.rows.map((row) => row[i] ?? null);
    let type: DataType;
    let data: unknown[];
    if (INTEGER.test(c.type)) {
      type = new Int64();
      data = values.map((v) => (v === null ? null : BigInt(v as number | string)));
    } else if (FLOAT.test(c.type)) {
      type = new Float64();
      data = values.map((v) => (v === null ? null : Number(v)));
    } else if (c.type === 'BOOLEAN') {
      type = new Bool();
      data = values;
    } else if (c.type === 'DATE') {
      type = new DateDay();
      data = values.map((v) => (v === null ? null : new Date(`${v as string}T00:00:00Z`)));
    } else if (/^TIMESTAMP/.test(c.type)) {
      type = new TimestampMillisecond('UTC');
      data = values.map((v) => (v === null ? null : new Date(v as string).getTime()));
    } else {
      type = new Utf8();
      data = values.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)));
    }
    columns[c.name] = vectorFromArray(data as never[], type);
  });
  return tableToIPC(new Table(columns), 'file');
}
