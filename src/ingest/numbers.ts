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
  if (type === 'BIGINT') return `CASE WHEN ${ok} AND ${wholeSql(p)} THEN CAST(${p} AS BIGINT) END`;
  return `CASE WHEN ${ok} THEN ${p} END`;
}

/** SQL: the parsed double `p` is a whole number doubles represent exactly (2.7 is not: no rounding to 3). */
function wholeSql(p: string): string {
  return `${p} = trunc(${p}) AND abs(${p}) < ${MAX_WHOLE}`;
}

/**
 * The fast path of large dated CSV files (ingest.ts): DuckDB's reader parses the numbers itself
 * (as DOUBLE), ~0.5 s sooner per 10 M lines than text converted by `numberSql`. It gives the
 * same values under conditions the ingestion checks, and the exact path is taken otherwise:
 * - a cell DuckDB cannot parse is a reader reject: the file is read again the exact way;
 * - NaN and infinities (spelled out or overflowed) parse: `isfinite` refuses them here too;
 * - "1_000" parses as 1000: taken only from files without an underscore (the scan says);
 * - an underflow (1e-400) parses as 0: when a number read is 0, the file is searched for what
 *   an underflow needs (`mayUnderflow`) and read again the exact way if it may hold one.
 * test/ingest/numbers-fast.test.ts compares the two parses on the texts this rule is about.
 */
export function typedNumberSql(p: string, type: SqlType): string {
  if (type === 'BIGINT') return `CASE WHEN isfinite(${p}) AND ${wholeSql(p)} THEN CAST(${p} AS BIGINT) END`;
  return `CASE WHEN isfinite(${p}) THEN ${p} END`;
}

/** The fast path's `badNumberSql`: a number parsed (`p`) but refused (`value` NULL). */
export function typedBadNumberSql(p: string, value: string): string {
  return `(${value} IS NULL AND ${p} IS NOT NULL)`;
}

/**
 * Whether a file may hold a number that underflows to 0: one needs an exponent below -307
 * ("e-" or "E-") or a run of over 250 zeros ("0.000…01", "0.000…1e+50"). Native searches of the
 * bytes, run only when some number read was 0.
 */
export async function mayUnderflow(path: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const needles = [Buffer.from('e-'), Buffer.from('E-'), Buffer.alloc(250, '0')];
  const keep = 249; // bytes kept from the previous chunk, so that no occurrence straddles two
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe((4 << 20) + keep);
    let have = 0;
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, have, buf.length - have, pos);
      if (bytesRead === 0) return false;
      pos += bytesRead;
      const data = buf.subarray(0, have + bytesRead);
      if (needles.some((n) => data.indexOf(n) !== -1)) return true;
      have = Math.min(keep, data.length);
      data.copyWithin(0, data.length - have);
    }
  } finally {
    await fh.close();
  }
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
