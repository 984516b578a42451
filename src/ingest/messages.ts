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
} as const;

export const fileErrors = {
  missingColumns: (file: string, cols: string[]) =>
    `${file}: missing required column${cols.length > 1 ? 's' : ''} ${cols.join(', ')}`,
  directIdentifier: (file: string, col: string) =>
    `${file}: column "${col}" carries a direct identifier of a person; people must be identified by pseudonymous keys only (person_key / respondent_key made by the office) — remove the column and ingest again`,
  duplicateHeader: (file: string, col: string) => `${file}: column "${col}" appears twice in the header`,
  undeclaredItem: (file: string, col: string) =>
    `${file}: column "${col}" is not an item of the questionnaire (declare it in questionnaire.csv)`,
  threshold: (file: string, rejected: number, read: number, threshold: number) =>
    `${file}: ${rejected} of ${read} rows rejected (${pct(rejected, read)}), above the ${pct(threshold, 1)} threshold`,
  badUtf8WithBom: (file: string) => `${file}: starts with a UTF-8 byte order mark but holds bytes that are not UTF-8`,
  twoFormats: (dataset: string, files: string[]) => `two files for dataset ${dataset}: ${files.join(', ')} (keep one)`,
  empty: (file: string) => `${file}: the file is empty (no header line)`,
  historyRewrite: (file: string, dataset: string, from: string, period: string) =>
    `${file}: ${dataset} has versions valid from ${from}, after the start of ${period}; ingesting it for ${period} would rewrite history — unload the later load first`,
} as const;

export function pct(part: number, whole: number): string {
  if (whole === 0) return '0 %';
  const v = (100 * part) / whole;
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} %`;
}
