/**
 * The contract's rules, compiled to SQL over a staging table. Every rule comes from the zod
 * schema (enums, bounds, formats, required) or the dataset's definition (keys, SIREN, commune,
 * café, period, cross-field rules); each has its message in `src/core/messages.ts`.
 *
 * Produces a view with the final typed values (defaults filled, lists split, commune codes of
 * merged communes mapped to the current commune) and a query listing the rows that break a rule,
 * with the indexes of the rules they break.
 */
import type { Column } from '../contract/columns.ts';
import type { DatasetDef } from '../contract/datasets.ts';
import { ident, literal } from '../db/sql.ts';
import type { Period } from '../core/period.ts';
import { reasons } from '../core/messages.ts';
import { badNumberSql, numberSql } from './numbers.ts';
import { phoneLikeSql } from './personal.ts';

export interface Problem {
  column: string;
  reason: string;
  /** The cell is not a valid number: the reason is told from its text (`numberProblem`). */
  number?: boolean;
}

export interface Checks {
  /** Final typed values (what is written), with `_rn` and the staged values `_s_<col>`. */
  view: string;
  /** The view plus what only the checks need (is the café known). */
  checked: string;
  viewSql: string;
  /** Rows breaking a rule: `_rn` and the indexes of the rules (`problems`). */
  badSql: string;
  /** The rejected rows' values as written in the file (`_v_<col>`), given the table of badSql's rows. */
  valuesSql: (badTable: string) => string;
  mappedSql: string;
  problems: Problem[];
}

/** The café ids a row may name: the warehouse's cafés and those of this folder's cafes file. */
const KNOWN_CAFES = 'SELECT cafe_id FROM cafes UNION SELECT cafe_id FROM _folder_cafes';

/**
 * SQL: the distinct values of `column` in `rows` (a table or subquery) that no café has — one
 * aggregate over the rows and a join of its few groups, instead of a join of every row.
 */
export function unknownCafesSql(rows: string, column: string): string {
  return `SELECT d.c FROM (SELECT DISTINCT ${ident(column)} AS c FROM ${rows}) d ANTI JOIN (${KNOWN_CAFES}) k ON k.cafe_id = d.c WHERE d.c IS NOT NULL ORDER BY d.c`;
}

const sqlLiteral = (v: unknown): string => (typeof v === 'number' ? String(v) : literal(String(v)));

/**
 * The final typed value of each contract column, from a source aliased `s` holding the file's
 * columns as DuckDB read them: defaults for absent or empty cells, lists split, whole numbers
 * checked (2.5 → NULL, a reject), commune codes of merged communes mapped through the returned
 * joins (unless `rawCommunes`), instants with offsets converted to Paris time.
 */
export function valueExprs(
  def: DatasetDef,
  contract: Column[],
  present: Column[],
  o: { period: Period; withOffsets?: boolean; rawCommunes?: boolean; decimalComma?: boolean; parsedColumns?: boolean },
): { exprs: string[]; joins: string[] } {
  const isPresent = new Set(present.map((c) => c.name));
  const joins: string[] = [];
  const exprs = contract.map((c, i) => {
    const col = `s.${ident(c.name)}`;
    const dflt = c.default !== undefined ? `CAST(${sqlLiteral(c.default)} AS ${c.sqlType})` : undefined;
    if (!isPresent.has(c.name)) {
      if (def.periodEndDefault === c.name) return `DATE ${literal(o.period.last)}`;
      return dflt ?? `CAST(NULL AS ${c.sqlType})`;
    }
    if (c.commune && !o.rawCommunes) {
      joins.push(`LEFT JOIN ref_commune_codes _cc${i} ON _cc${i}.code = ${col}`);
      return `_cc${i}.current_code`;
    }
    if (c.sqlType === 'VARCHAR[]') return `coalesce(list_filter(list_transform(string_split(${col}, '|'), x -> trim(x)), x -> x <> ''), [])`;
    // Numbers arrive as text: the value, or NULL (empty, or not a valid number: a reject). An
    // empty cell is a missing value, not the default (which is for an absent column).
    if (c.sqlType === 'BIGINT' || c.sqlType === 'DOUBLE') {
      // `parsedColumns`: the source also holds each number parsed once, as `__p_<column>`.
      return numberSql(col, c.sqlType, o.decimalComma ?? false, o.parsedColumns ? `s.${ident(`__p_${c.name}`)}` : undefined);
    }
    // Instants with an offset, read as TIMESTAMPTZ: their Paris wall-clock time.
    if (c.sqlType === 'TIMESTAMP' && o.withOffsets) return `timezone('Europe/Paris', CAST(${col} AS TIMESTAMPTZ))`;
    if (def.periodEndDefault === c.name) return `coalesce(${col}, DATE ${literal(o.period.last)})`;
    return col;
  });
  return { exprs, joins };
}

/** Rows already written (pending load): final values but for commune codes, mapped after the checks. */
function writtenExprs(contract: Column[]): { exprs: string[]; joins: string[] } {
  const joins: string[] = [];
  const exprs = contract.map((c, i) => {
    if (!c.commune) return `s.${ident(c.name)}`;
    joins.push(`LEFT JOIN ref_commune_codes _cc${i} ON _cc${i}.code = s.${ident(c.name)}`);
    return `_cc${i}.current_code`;
  });
  return { exprs, joins };
}

/**
 * Checks over the rows of a file: staged in the temporary table `o.table` (the file as read),
 * or, with `o.written`, already written to the dataset's table `o.table` as rows of a pending
 * load. Written rows hold final values, so a value that did not survive its conversion (a whole
 * number written 2.5) shows as missing there; the ingestion tells which from the raw text.
 */
export function buildChecks(
  def: DatasetDef,
  contract: Column[],
  present: Column[],
  o: {
    table: string;
    period: Period;
    withOffsets?: boolean;
    decimalComma?: boolean;
    firstRowid: bigint | number;
    written?: { loadNo: number };
    /**
     * The café ids of these rows that no café has, when known beforehand (unknownCafesSql): the
     * checks then test each row against this list instead of joining every row with the cafés
     * (half the checks' time on 10 M sales lines).
     */
    unknownCafes?: string[];
  },
): Checks {
  const view = `${o.written ? `_pending_${o.table}` : o.table}_v`;
  const isPresent = new Set(present.map((c) => c.name));
  // Temporary tables number rows from a large offset: _rn is the 0-based record ordinal. (The
  // offset is a literal: a scalar subquery here becomes a cross product that slows every scan.)
  // Written rows: a negative load number marks a row with a cell that is not a valid number.
  const select: string[] = [`s.rowid - ${BigInt(o.firstRowid)} AS _rn`, o.written ? 's._load < 0 AS _bad_number' : 'false AS _bad_number'];
  const shownValues: string[] = [];
  const { exprs, joins } = o.written ? writtenExprs(contract) : valueExprs(def, contract, present, o);
  contract.forEach((c, i) => {
    const col = `s.${ident(c.name)}`;
    select.push(`${exprs[i]} AS ${ident(c.name)}`);
    // The value as the file gave it, for the rejects table (whole numbers are staged as DOUBLE);
    // computed for the rejected rows only.
    const shown = `${col}::VARCHAR`;
    shownValues.push(`${isPresent.has(c.name) ? shown : 'NULL::VARCHAR'} AS ${ident(`_v_${c.name}`)}`);
    // The staged value itself (no conversion: the checks stay cheap on millions of rows).
    select.push(`${isPresent.has(c.name) || o.written ? col : 'NULL'} AS ${ident(`_s_${c.name}`)}`);
  });
  // The checks read a second view that adds what only they need: whether the café is known, in
  // the warehouse or in this folder's cafes file (checked just before; a hash join, not `NOT IN (subquery)`, which is NULL-aware and several times slower).
  const checked = `${view}_chk`;
  const staged = def.cafeColumn ? `v.${ident(`_s_${def.cafeColumn}`)}` : '';
  const cafeJoin = !def.cafeColumn
    ? ` FROM ${ident(view)} v`
    : o.unknownCafes
      ? `, ${o.unknownCafes.length ? `CASE WHEN ${staged} IN (${o.unknownCafes.map(literal).join(', ')}) THEN NULL ELSE ${staged} END` : staged} AS _known_cafe FROM ${ident(view)} v`
      : `, _cafes.cafe_id AS _known_cafe FROM ${ident(view)} v LEFT JOIN (${KNOWN_CAFES}) _cafes ON _cafes.cafe_id = ${staged}`;
  const n = o.written ? Math.trunc(o.written.loadNo) : 0;
  const from = o.written ? `(SELECT rowid, * FROM ${ident(o.table)} WHERE _load IN (${n}, ${-n}))` : ident(o.table);
  const viewSql = `CREATE OR REPLACE TEMP VIEW ${ident(view)} AS SELECT ${select.join(', ')} FROM ${from} s ${joins.join(' ')};
    CREATE OR REPLACE TEMP VIEW ${ident(checked)} AS SELECT v.*${cafeJoin}`;

  const problems: Problem[] = [];
  const conds: string[] = [];
  const any: string[] = [];
  const add = (column: string, cond: string, reason: string, number = false) => {
    problems.push({ column, reason, ...(number ? { number } : {}) });
    conds.push(`CASE WHEN coalesce(${cond}, false) THEN ${problems.length - 1} END`);
    any.push(`coalesce(${cond}, false)`);
  };
  for (const c of contract) {
    const v = ident(c.name);
    const raw = ident(`_s_${c.name}`);
    const numeric = c.sqlType === 'BIGINT' || c.sqlType === 'DOUBLE';
    const text = c.sqlType === 'VARCHAR' || c.sqlType === 'VARCHAR[]' || (numeric && !o.written);
    const empty = text ? ` OR trim(${raw}) = ''` : '';
    // Written rows hold NULL for a number that was not valid: that row is marked, and the
    // ingestion tells from the file's text whether the cell was empty or why it is invalid.
    const notMarked = numeric && o.written ? ' AND NOT _bad_number' : '';
    if (c.required || (c.default === undefined && def.key?.includes(c.name))) add(c.name, `(${raw} IS NULL${empty})${notMarked}`, reasons.required());
    if (!isPresent.has(c.name)) continue;
    // A present column with a default: an empty cell is a missing value, not the default.
    if (c.default !== undefined && !c.required) add(c.name, `(${raw} IS NULL${empty})${notMarked}`, reasons.emptyWithDefault(c.default));
    if (numeric) add(c.name, o.written ? `_bad_number AND ${v} IS NULL` : badNumberSql(raw, v), reasons.notType(c.sqlType), true);
    if (c.enum) add(c.name, `${v} NOT IN (${c.enum.map((e) => literal(e)).join(', ')})`, reasons.notInEnum(c.enum));
    if (c.min !== undefined) add(c.name, `${v} < ${c.min}`, reasons.belowMin(c.min));
    if (c.max !== undefined) add(c.name, `${v} > ${c.max}`, reasons.aboveMax(c.max));
    if (c.commune) {
      add(c.name, `NOT regexp_full_match(${raw}, ${literal(c.pattern ?? '.*')})`, reasons.badFormat(c));
      add(c.name, `regexp_full_match(${raw}, ${literal(c.pattern ?? '.*')}) AND ${v} IS NULL`, reasons.unknownCommune());
      continue;
    }
    if (c.minLength !== undefined && c.minLength > 1) add(c.name, `length(${v}) < ${c.minLength}`, reasons.tooShort(c.minLength));
    if (c.maxLength !== undefined && c.name !== def.cafeColumn) add(c.name, `length(${v}) > ${c.maxLength}`, reasons.tooLong(c.maxLength));
    // A café id is checked against the cafés, which were checked against the pattern.
    if (c.pattern && c.sqlType === 'VARCHAR' && c.name !== def.cafeColumn) add(c.name, `NOT regexp_full_match(${v}, ${literal(c.pattern)})`, reasons.badFormat(c));
    if (c.siren) add(c.name, `regexp_full_match(${v}, ${literal(c.pattern ?? '.*')}) AND NOT luhn_ok(${v})`, reasons.sirenKey());
    if (c.pseudonym) {
      // (an e-mail already fails the key's pattern: `@` and `.` are not allowed)
      add(c.name, phoneLikeSql(v), reasons.looksLikePhone());
    }
  }
  if (def.cafeColumn) add(def.cafeColumn, `_s_${def.cafeColumn} IS NOT NULL AND _known_cafe IS NULL`, reasons.unknownCafe());
  for (const r of def.rules ?? []) if (r.always || isPresent.has(r.column) || contract.some((c) => c.name === r.column && c.default !== undefined)) add(r.column, `NOT (${r.sql})`, r.reason);
  if (def.kind === 'dated' && def.dateColumn) {
    const d = ident(def.dateColumn);
    const dateCol = contract.find((c) => c.name === def.dateColumn)!;
    const [lo, hi] = dateCol.sqlType === 'TIMESTAMP'
      ? [`TIMESTAMP ${literal(`${o.period.start} 00:00:00`)}`, `TIMESTAMP ${literal(`${o.period.end} 00:00:00`)}`]
      : [`DATE ${literal(o.period.start)}`, `DATE ${literal(o.period.end)}`];
    add(def.dateColumn, `${d} IS NOT NULL AND NOT (${d} >= ${lo} AND ${d} < ${hi})`, reasons.outsidePeriod(o.period.label));
  }
  const key = def.kind === 'reference' ? def.key : def.unique;
  let dup = '';
  if (key?.length) {
    dup = `, count(*) OVER (PARTITION BY ${key.map(ident).join(', ')}) AS _dup`;
    add(key[key.length - 1]!, `_dup > 1`, reasons.duplicateKey(key));
  }
  // Filter with one cheap predicate first; the list of broken rules is built for bad rows only.
  const badSql = `SELECT _rn, list_filter([${conds.join(', ')}], x -> x IS NOT NULL) AS problems
    FROM (SELECT *${dup} FROM ${ident(checked)}) WHERE ${any.join(' OR ') || 'false'}`;
  const valuesSql = (badTable: string) =>
    `SELECT b._rn, b.problems, ${shownValues.join(', ')} FROM ${ident(badTable)} b JOIN ${from} s ON s.rowid = b._rn + ${BigInt(o.firstRowid)} ORDER BY b._rn`;
  const communeCols = present.filter((c) => c.commune);
  const mappedSql = communeCols.length
    ? `SELECT ${communeCols.map((c) => `(SELECT count(*) FROM ${from} s JOIN ref_commune_codes m ON m.code = s.${ident(c.name)} WHERE m.code <> m.current_code)`).join(' + ')}`
    : 'SELECT 0';
  return { view, checked, viewSql, badSql, valuesSql, mappedSql, problems };
}
