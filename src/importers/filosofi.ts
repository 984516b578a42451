/**
 * INSEE Filosofi commune file (e.g. `base-cc-filosofi-2021`: `CODGEO;NBMENFISC21;…;MED21;…`)
 * → long `commune_indicators` rows {commune_insee, year, indicator, value}.
 *
 * - Indicator code: the column name without its 2-digit year suffix, lowercased, prefixed:
 *   MED21 → `filosofi.med`, TP60AGE121 → `filosofi.tp60age1`, D121 → `filosofi.d1`.
 * - Year: from that suffix, 21 → 2021 (every indicator column must carry the same one).
 * - `s` (withheld by statistical secrecy), `nd` (not available: communes that did not exist in
 *   the tax year) and empty cells → value null, never 0. Decimal comma → number.
 *
 * The unit of `read` is the cell (one per commune × indicator), so that
 * read = rows + skipped + rejects holds; `lines` gives the communes read.
 */
import { UserError } from '../core/errors.ts';
import { importErrors } from '../core/messages.ts';
import { fieldCountProblem, withCsv, requireColumn, type CsvInput } from '../io/csv.ts';
import { newResult, normalizeInsee, parseDecimal, reject, skip, type ImportOptions, type ImportResult } from './types.ts';

/** Cell values meaning "no value" in INSEE files (secret, not available, not significant…). */
const MISSING = new Set(['', 's', 'nd', 'nc', 'ns', 'na', 'so']);

/** Text columns that are not indicators. */
const LABEL_COLUMNS = new Set(['libgeo', 'lib', 'nom', 'libelle', 'nom_commune']);

export interface FilosofiColumn { index: number; column: string; indicator: string; /** when the column gives its own year */ year?: number }

/** Indicator columns of a Filosofi header and the year their suffix gives. */
export function filosofiColumns(header: string[], codeIndex: number, year?: number, file = '<filosofi>'): { year: number; columns: FilosofiColumn[] } {
  const candidates = header.map((column, index) => ({ column, index })).filter(({ column, index }) => index !== codeIndex && !LABEL_COLUMNS.has(column.toLowerCase()));
  if (candidates.length === 0) throw new UserError(importErrors.filosofiNoIndicators(file, header[codeIndex]));
  const suffixes = new Set(candidates.map(({ column }) => /^(.+?)(\d{2})$/.exec(column)?.[2] ?? ''));
  const [suffix] = suffixes;
  if (suffixes.size === 1 && suffix) {
    const fromColumns = 2000 + Number(suffix);
    if (year !== undefined && year !== fromColumns) {
      throw new UserError(importErrors.filosofiYearMismatch(file, fromColumns, suffix, year));
    }
    return {
      year: fromColumns,
      columns: candidates.map(({ column, index }) => ({ index, column, indicator: `filosofi.${column.slice(0, -2).toLowerCase()}` })),
    };
  }
  if (year === undefined) {
    const odd = candidates.filter(({ column }) => !column.endsWith(suffix ?? '')).map(({ column }) => column);
    throw new UserError(importErrors.filosofiNoYear(file, odd));
  }
  return { year, columns: candidates.map(({ column, index }) => ({ index, column, indicator: `filosofi.${column.toLowerCase()}` })) };
}

export async function convertFilosofi(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withCsv(file, (csv) => filosofiFromCsv(csv, opts));
}

/** Conversion of already parsed or streamed records of a Filosofi table; no I/O of its own. */
export async function filosofiFromCsv(table: CsvInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const { header } = table;
  const cCode = requireColumn(table, 'commune code', 'CODGEO', 'code_insee', 'COM');
  const { year, columns } = filosofiColumns(header, cCode, opts.year, table.file);
  return communeColumnsFromCsv(table, cCode, columns, year);
}

/**
 * The indicator columns of a table whose columns are named `<name>_<year>`: `pattern` captures
 * the name and the year, `names` maps a known name to the indicator's (`<prefix>.<name>`); the
 * other columns are not indicators. None at all: the file is refused, naming its code column.
 */
export function yearColumns(table: Pick<CsvInput, 'file' | 'header'>, codeIndex: number, pattern: RegExp, names: Record<string, string>, prefix: string): FilosofiColumn[] {
  const columns: FilosofiColumn[] = [];
  table.header.forEach((column, index) => {
    const m = pattern.exec(column);
    if (m && names[m[1]!]) columns.push({ index, column, indicator: `${prefix}.${names[m[1]!]}`, year: Number(m[2]) });
  });
  if (columns.length === 0) throw new UserError(importErrors.filosofiNoIndicators(table.file, table.header[codeIndex]));
  return columns;
}

/**
 * The rows of an INSEE table with one line per commune and one column per indicator (Filosofi,
 * the shares of population far from facilities…): one commune_indicators row per commune ×
 * column, missing markers (s, nd, empty…) as null, never 0.
 */
export async function communeColumnsFromCsv(
  table: CsvInput,
  cCode: number,
  columns: FilosofiColumn[],
  year: number,
  /** A line that is not a commune's (a total): the reason it is skipped, or null. */
  skipLine: (code: string) => string | null = () => null,
): Promise<ImportResult> {
  const { header } = table;
  const result = newResult('commune_indicators');
  result.lines = 0;
  const firstLine = new Map<string, number>();
  for await (const rec of table.records) {
    result.lines++;
    result.read += columns.length;
    const f = (c: number) => (rec.fields[c] ?? '').trim();
    const rejectLine = (reason: string, column?: number) => {
      for (const col of columns) {
        reject(result, { line: rec.line, reason: `${reason} (${col.column} not converted)`, rawLine: rec.raw,
          ...(column !== undefined ? { column: header[column] ?? '', value: f(column) } : {}) });
      }
    };

    const countProblem = fieldCountProblem(header.length, rec);
    if (countProblem) { rejectLine(countProblem); continue; }
    const why = skipLine(f(cCode));
    if (why) {
      for (let k = 0; k < columns.length; k++) skip(result, why);
      continue;
    }
    const code = normalizeInsee(f(cCode));
    if (!code) { rejectLine(code === null ? 'no commune code' : 'is not an INSEE commune code', cCode); continue; }
    const seen = firstLine.get(code);
    if (seen !== undefined) { rejectLine(`duplicate commune (first on line ${seen})`, cCode); continue; }
    firstLine.set(code, rec.line);

    for (const col of columns) {
      const raw = f(col.index);
      let value: number | null = null;
      if (!MISSING.has(raw.toLowerCase())) {
        // Spaces are thousands separators in some INSEE exports ("25 820").
        value = parseDecimal(raw.replace(/[\s\u00a0\u202f]/g, ''));
        if (value === null || Number.isNaN(value)) {
          reject(result, { line: rec.line, column: col.column, value: raw, reason: 'is not a number (nor s / nd for a withheld value)', rawLine: rec.raw });
          continue;
        }
      }
      result.rows.push({ commune_insee: code, year: col.year ?? year, indicator: col.indicator, value, _line: rec.line });
    }
  }
  return result;
}
