/**
 * The contract's rules, compiled to SQL over a staging table. Every rule comes from the zod
 * schema (enums, bounds, formats, required) or the dataset's definition (keys, SIREN, commune,
 * café, period, cross-field rules); each has its message in `messages.ts`.
 *
 * Produces a view with the final typed values (defaults filled, lists split, commune codes of
 * merged communes mapped to the current commune) and a query listing the rows that break a rule,
 * with the indexes of the rules they break.
 */
import type { Column } from '../contract/columns.ts';
import type { DatasetDef } from '../contract/datasets.ts';
import { ident, literal } from '../db/sql.ts';
import type { Period } from '../period.ts';
import { reasons } from './messages.ts';
import { humanTs } from './stage.ts';

export interface Problem {
  column: string;
  reason: string;
}

export interface Checks {
  view: string;
  viewSql: string;
  params: [];
  badSql: string;
  mappedSql: string;
  problems: Problem[];
}

const sqlLiteral = (v: unknown): string => (typeof v === 'number' ? String(v) : literal(String(v)));

export function buildChecks(def: DatasetDef, contract: Column[], present: Column[], o: { table: string; period: Period; timestampFormat?: string }): Checks {
  const view = `${o.table}_v`;
  const isPresent = new Set(present.map((c) => c.name));
  const joins: string[] = [];
  // Temporary tables number rows from a large offset: _rn is the 0-based record ordinal.
  const select: string[] = [`s.rowid - (SELECT min(rowid) FROM ${ident(o.table)}) AS _rn`];
  contract.forEach((c, i) => {
    const col = `s.${ident(c.name)}`;
    let expr: string;
    if (!isPresent.has(c.name)) {
      expr = c.default !== undefined ? `CAST(${sqlLiteral(c.default)} AS ${c.sqlType})` : `CAST(NULL AS ${c.sqlType})`;
      if (def.periodEndDefault === c.name) expr = `DATE ${literal(o.period.last)}`;
    } else if (c.commune) {
      joins.push(`LEFT JOIN ref_commune_codes _cc${i} ON _cc${i}.code = ${col}`);
      expr = `_cc${i}.current_code`;
    } else if (c.sqlType === 'VARCHAR[]') {
      expr = `coalesce(list_filter(list_transform(string_split(${col}, '|'), x -> trim(x)), x -> x <> ''), [])`;
    } else if (c.sqlType === 'BIGINT') {
      expr = `CASE WHEN ${col} = trunc(${col}) AND abs(${col}) < 9e15 THEN CAST(${col} AS BIGINT) END`;
    } else if (c.sqlType === 'TIMESTAMPTZ') {
      // Without an offset, an instant is Paris wall-clock time (the session's time zone).
      const fmt = o.timestampFormat ? `try_strptime(${col}::VARCHAR, ${literal(o.timestampFormat)})::TIMESTAMPTZ, ` : '';
      expr = `coalesce(${fmt}try_cast(${col} AS TIMESTAMPTZ))`;
    } else if (def.periodEndDefault === c.name) {
      expr = `coalesce(${col}, DATE ${literal(o.period.last)})`;
    } else if (c.sqlType === 'VARCHAR') {
      expr = `trim(${col})`;
    } else expr = col;
    select.push(`${expr} AS ${ident(c.name)}`);
    // The value as the file gave it, for the rejects table (whole numbers are staged as DOUBLE).
    const shown = c.sqlType === 'BIGINT' ? `CASE WHEN ${col} = trunc(${col}) THEN CAST(${col} AS HUGEINT)::VARCHAR ELSE ${col}::VARCHAR END` : `${col}::VARCHAR`;
    select.push(`${isPresent.has(c.name) ? shown : 'NULL::VARCHAR'} AS ${ident(`_v_${c.name}`)}`);
  });
  const viewSql = `CREATE OR REPLACE TEMP VIEW ${ident(view)} AS SELECT ${select.join(', ')} FROM ${ident(o.table)} s ${joins.join(' ')}`;

  const problems: Problem[] = [];
  const conds: string[] = [];
  const add = (column: string, cond: string, reason: string) => {
    problems.push({ column, reason });
    conds.push(`CASE WHEN coalesce(${cond}, false) THEN ${problems.length - 1} END`);
  };
  for (const c of contract) {
    const v = ident(c.name);
    const raw = ident(`_v_${c.name}`);
    if (c.required || (c.default === undefined && def.key?.includes(c.name))) add(c.name, `${raw} IS NULL OR ${raw} = ''`, reasons.required());
    if (!isPresent.has(c.name)) continue;
    if (c.sqlType === 'BIGINT') add(c.name, `${raw} IS NOT NULL AND ${v} IS NULL`, reasons.notType(c.sqlType));
    if (c.sqlType === 'TIMESTAMPTZ') add(c.name, `${raw} IS NOT NULL AND ${v} IS NULL`, reasons.notType(c.sqlType, humanTs(o.timestampFormat)));
    if (c.enum) add(c.name, `${v} NOT IN (${c.enum.map((e) => literal(e)).join(', ')})`, reasons.notInEnum(c.enum));
    if (c.min !== undefined) add(c.name, `${v} < ${c.min}`, reasons.belowMin(c.min));
    if (c.max !== undefined) add(c.name, `${v} > ${c.max}`, reasons.aboveMax(c.max));
    if (c.commune) {
      add(c.name, `NOT regexp_full_match(${raw}, ${literal(c.pattern ?? '.*')})`, reasons.badFormat(c));
      add(c.name, `regexp_full_match(${raw}, ${literal(c.pattern ?? '.*')}) AND ${v} IS NULL`, reasons.unknownCommune());
      continue;
    }
    if (c.minLength !== undefined && c.minLength > 1) add(c.name, `length(${v}) < ${c.minLength}`, reasons.tooShort(c.minLength));
    if (c.maxLength !== undefined) add(c.name, `length(${v}) > ${c.maxLength}`, reasons.tooLong(c.maxLength));
    if (c.pattern && c.sqlType === 'VARCHAR') add(c.name, `NOT regexp_full_match(${v}, ${literal(c.pattern)})`, reasons.badFormat(c));
    if (c.siren) add(c.name, `regexp_full_match(${v}, ${literal(c.pattern ?? '.*')}) AND NOT luhn_ok(${v})`, reasons.sirenKey());
    if (c.pseudonym) add(c.name, `regexp_full_match(${v}, '(0033|33|0)[1-9][0-9]{8}')`, reasons.looksLikePhone());
  }
  if (def.cafeColumn) add(def.cafeColumn, `${ident(def.cafeColumn)} NOT IN (SELECT cafe_id FROM cafes)`, reasons.unknownCafe());
  for (const r of def.rules ?? []) if (isPresent.has(r.column) || contract.some((c) => c.name === r.column && c.default !== undefined)) add(r.column, `NOT (${r.sql})`, r.reason);
  if (def.kind === 'dated' && def.dateColumn) {
    const d = ident(def.dateColumn);
    const dateCol = contract.find((c) => c.name === def.dateColumn)!;
    const [lo, hi] = dateCol.sqlType === 'TIMESTAMPTZ'
      ? [`TIMESTAMPTZ ${literal(`${o.period.start} 00:00:00`)}`, `TIMESTAMPTZ ${literal(`${o.period.end} 00:00:00`)}`]
      : [`DATE ${literal(o.period.start)}`, `DATE ${literal(o.period.end)}`];
    add(def.dateColumn, `${d} IS NOT NULL AND NOT (${d} >= ${lo} AND ${d} < ${hi})`, reasons.outsidePeriod(o.period.label));
  }
  const key = def.kind === 'reference' ? def.key : def.unique;
  let dup = '';
  if (key?.length) {
    dup = `, count(*) OVER (PARTITION BY ${key.map(ident).join(', ')}) AS _dup`;
    add(key[key.length - 1]!, `_dup > 1`, reasons.duplicateKey(key));
  }
  const values = contract.map((c) => ident(`_v_${c.name}`)).join(', ');
  const badSql = `SELECT _rn, problems, ${values} FROM (
      SELECT *, list_filter([${conds.join(', ')}], x -> x IS NOT NULL) AS problems FROM (SELECT *${dup} FROM ${ident(view)})
    ) WHERE len(problems) > 0 ORDER BY _rn`;
  const communeCols = present.filter((c) => c.commune);
  const mappedSql = communeCols.length
    ? `SELECT ${communeCols.map((c) => `(SELECT count(*) FROM ${ident(o.table)} s JOIN ref_commune_codes m ON m.code = s.${ident(c.name)} WHERE m.code <> m.current_code)`).join(' + ')}`
    : 'SELECT 0';
  return { view, viewSql, params: [], badSql, mappedSql, problems };
}
