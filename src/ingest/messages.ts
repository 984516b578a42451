/**
 * The catalogue of rejection reasons and ingest messages. Tests compare against these
 * functions, so a wording change is made once.
 */
import type { Column, SqlType } from '../contract/columns.ts';

const TYPE_NAMES: Record<SqlType, string> = {
  VARCHAR: 'text',
  BIGINT: 'whole number',
  DOUBLE: 'number',
  DATE: 'date',
  TIMESTAMP: 'date and time',
  TIMESTAMPTZ: 'date and time',
  'VARCHAR[]': 'list',
  BOOLEAN: 'true/false value',
};

export const reasons = {
  required: () => 'is required',
  notType: (t: SqlType, format?: string) => `is not a ${TYPE_NAMES[t]}${format ? ` (expected ${format})` : ''}`,
  notInEnum: (values: readonly string[]) => `is not one of: ${values.join(', ')}`,
  belowMin: (min: number) => `is below the minimum (${min})`,
  aboveMax: (max: number) => `is above the maximum (${max})`,
  tooShort: (n: number) => `is shorter than ${n} characters`,
  tooLong: (n: number) => `is longer than ${n} characters`,
  badFormat: (c: Column) =>
    c.commune
      ? 'is not a commune code (5 characters, e.g. 51356 or 2A004)'
      : c.siren
        ? 'is not a SIREN (9 digits)'
        : c.pseudonym
          ? 'is not a pseudonymous key (letters, digits, _ and -, at least 4 characters)'
          : 'is not an identifier (letters, digits, _ . -)',
  sirenKey: () => 'is not a valid SIREN (its Luhn check digit is wrong)',
  unknownCommune: () => 'is not a commune in the official list (COG, @etalab/decoupage-administratif)',
  unknownCafe: () => 'is not a known cafe_id (neither in the warehouse nor in this folder\'s cafes file)',
  outsidePeriod: (label: string) => `outside period ${label}`,
  looksLikePhone: () => 'looks like a phone number: people are identified by pseudonymous keys only',
  duplicateKey: (key: string[]) => `duplicate key (${key.join(', ')}): several rows of this file share it`,
  fieldCount: (found: number, expected: number) => `has ${found} fields, expected ${expected}`,
  noNumber: (name: string) => `${name} must be a number`,
  unterminatedQuote: () => 'unterminated quote: a quoted field opens on this line and does not close as a well-formed record; the line is rejected and reading resumes on the next line',
  invalidUtf8: (offset: number) => `holds bytes that are not UTF-8 (first at byte offset ${offset} of the file)`,
  nulByte: (offset: number) => `holds a NUL byte (at byte offset ${offset} of the file)`,
  strayCarriageReturn: (offset: number) => `holds a carriage return inside the line (at byte offset ${offset} of the file)`,
  notFinite: () => 'is not a finite number (NaN and infinities are refused)',
  outOfRange: () => 'is out of the range of numbers (exponent too large or too small)',
  emptyWithDefault: (dflt: unknown) => `is empty (a missing value; the default ${String(dflt)} applies only when the column is absent from the file)`,
  lineTooLong: (bytes: number, max: number) => `the record is ${bytes} bytes long, more than the ${max} bytes a record may hold`,
  booleanNotNumber: () => 'is a true/false value, not a number',
  badJsonLine: (msg: string) => `is not a JSON object: ${msg}`,
} as const;

export const fileErrors = {
  missingColumns: (file: string, cols: string[]) =>
    `${file}: missing required column${cols.length > 1 ? 's' : ''} ${cols.join(', ')}`,
  directIdentifier: (file: string, col: string) =>
    `${file}: column "${col}" carries a direct identifier of a person; people must be identified by pseudonymous keys only (person_key / respondent_key made by the office) — remove the column and ingest again, or derive the key from it with --pseudonymise`,
  identifierValue: (file: string, line: number | string, col: string, kind: string) =>
    `${file}: line ${line}, column ${col} holds ${kind}; people must be identified by pseudonymous keys only — nothing of this file was stored or archived (the value is not repeated here)`,
  duplicateHeader: (file: string, col: string) => `${file}: column "${col}" appears twice in the header`,
  undeclaredItem: (file: string, col: string) =>
    `${file}: column "${col}" is not an item of the questionnaire (declare it in questionnaire.csv)`,
  threshold: (file: string, rejected: number, read: number, threshold: number) =>
    `${file}: ${rejected} of ${read} rows rejected (${pct(rejected, read, threshold)}), above the ${pct(threshold, 1)} threshold`,
  twoFormats: (dataset: string, files: string[]) => `two files for dataset ${dataset}: ${files.join(', ')} (keep one)`,
  empty: (file: string) => `${file}: the file is empty (no header line)`,
  notText: (file: string, looksLike: string) => `${file}: not a text file (looks like ${looksLike})`,
  emptyDated: (file: string, dataset: string, period: string, rows: number) =>
    `${file}: no data row; loading it would remove the ${rows} ${dataset} rows of ${period} — give --allow-empty ${dataset} to empty the period`,
  shrink: (file: string, dataset: string, period: string, before: number, after: number) =>
    `${file}: would remove ${before - after} of the ${before} ${dataset} rows of ${period} (keeping ${after}); a load that removes more than half of a period's rows needs --allow-shrink`,
  emptyReference: (file: string) => `${file}: no data row; nothing changed`,
  badJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
  notRecords: (file: string, detail: string) => `${file}: expected an array of JSON objects (${detail})`,
  badParquet: (file: string) => `${file}: not a readable Parquet file (corrupt or truncated)`,
  unreadable: (file: string, why: string) => `${file}: cannot be read (${why})`,
  historyRewrite: (file: string, dataset: string, from: string, period: string) =>
    `${file}: ${dataset} has versions valid from ${from}, after the start of ${period}; ingesting it for ${period} would rewrite history — unload the later load first`,
} as const;

/**
 * A share as a percentage, with as many decimals as it takes to tell it from `against` (so
 * 5.008 % above a 5 % threshold does not print as "5.0 %, above the 5 % threshold").
 */
export function pct(part: number, whole: number, against?: number): string {
  if (whole === 0) return '0 %';
  const v = (100 * part) / whole;
  let digits = v < 10 ? 1 : 0;
  if (against !== undefined) {
    const a = 100 * against;
    while (digits < 6 && v !== a && Number(v.toFixed(digits)) === Number(a.toFixed(digits))) digits++;
  }
  return `${v.toFixed(digits)} %`;
}
