/**
 * Numbers, the same rules in every format. Every input's numeric cells arrive as text (CSV
 * read as VARCHAR, Parquet and JSON values cast to VARCHAR), and one SQL expression turns the
 * text into the value or NULL; the reason of a NULL is then told from the text by
 * `numberProblem`, for the rejected rows only.
 *
 * Refused, with their reason: NaN and ±Infinity (spelled out), an exponent out of the range of
 * doubles (1e309 would be Infinity, 1e-400 would be 0), digit separators (`1_000`, which DuckDB's
 * cast accepts), true/false, and in a whole-number column anything with a fractional part (2.7,
 * which a cast to BIGINT would round to 3) or beyond ±9·10^15 (where doubles stop being exact).
 */
import type { SqlType } from '../contract/columns.ts';
import { reasons } from '../core/messages.ts';

/** Largest whole number accepted: doubles represent every integer up to 2^53 ≈ 9.007e15. */
export const MAX_WHOLE = 9e15;

/**
 * The text of a number cell, with a decimal comma made a point. Not trimmed: DuckDB's cast
 * ignores surrounding spaces itself, and `trim` on every cell cost 0.3 s per 5 M rows (measured).
 */
function normSql(raw: string, decimalComma: boolean): string {
  return decimalComma ? `replace(${raw}, ',', '.')` : raw;
}

/** SQL: the cell's text parsed as a double (NULL when it does not parse). */
export function parsedSql(raw: string, decimalComma: boolean): string {
  return `TRY_CAST(${normSql(raw, decimalComma)} AS DOUBLE)`;
}

/**
 * SQL: the value of a numeric cell given as text `raw`, or NULL when the cell is empty or is
 * not a valid number of the type (the checks then tell which from the text). `parsed` is the
 * cell parsed as a double (`parsedSql`), or a column holding it, so that it is computed once.
 */
export function numberSql(raw: string, type: SqlType, decimalComma: boolean, parsed = parsedSql(raw, decimalComma)): string {
  const t = normSql(raw, decimalComma);
  const p = parsed;
  // `isfinite` refuses NaN and infinities whether spelled out or overflowed; 0 from a mantissa
  // with a non-zero digit is an underflow (1e-400). CASE, not AND: DuckDB evaluates a branch
  // only for the rows that reach it, so the regular expression runs on zeros alone.
  const ok = `CASE WHEN ${p} IS NULL OR NOT isfinite(${p}) THEN false WHEN ${p} = 0 THEN NOT contains(${t}, '_') AND NOT regexp_matches(${t}, '^[^eE]*[1-9]') ELSE NOT contains(${t}, '_') END`;
  if (type === 'BIGINT') return `CASE WHEN ${ok} AND ${p} = trunc(${p}) AND abs(${p}) < ${MAX_WHOLE} THEN CAST(${p} AS BIGINT) END`;
  return `CASE WHEN ${ok} THEN ${p} END`;
}

/** SQL: the cell holds text that is not a valid number (an empty cell is not this, but missing). */
export function badNumberSql(raw: string, value: string): string {
  // CASE: the trim runs only on the rare cells without a value.
  return `(CASE WHEN ${value} IS NOT NULL OR ${raw} IS NULL THEN false ELSE trim(${raw}) <> '' END)`;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Why the text of a cell is not a valid number of the type; `missing` for an empty cell;
 * null when it is valid.
 */
export function numberProblem(text: string | null | undefined, type: SqlType, decimalComma = false): string | 'missing' | null {
  if (text === null || text === undefined) return 'missing';
  let t = text.trim();
  if (t === '') return 'missing';
  if (decimalComma) t = t.replace(',', '.');
  if (/^(true|false)$/i.test(t)) return reasons.booleanNotNumber();
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return reasons.notFinite();
  if (!NUMBER.test(t)) return reasons.notType(type);
  const v = Number(t);
  if (!Number.isFinite(v)) return reasons.outOfRange();
  if (v === 0 && /[1-9]/.test(t.split(/[eE]/)[0]!)) return reasons.outOfRange();
  if (type === 'BIGINT') {
    if (!Number.isInteger(v)) return reasons.notType('BIGINT');
    if (Math.abs(v) >= MAX_WHOLE) return reasons.outOfRange();
  }
  return null;
}
