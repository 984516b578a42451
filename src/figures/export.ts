/**
 * Export of impact figures for staff (CSV, XLSX) and machines (JSON). Pure functions: no
 * database, no console, no clock.
 *
 * Common rules, whatever the format:
 * - Rows are sorted by indicator, then scope (in the order of `SCOPES`), then scope_id (null
 *   first, then plain `<` string comparison, never locale-dependent), then period and unit, and
 *   finally by the row's own JSON text, so that the order is total and a shuffled input gives
 *   byte-identical output.
 * - Numbers arriving as `bigint` (DuckDB BIGINT) are converted to `number`. A non-finite number
 *   (NaN, Infinity) is refused: a figure that cannot be computed must be `null`, not NaN.
 * - A suppressed figure (statistical secrecy) never shows a number: value and interval are
 *   blanked even if the row still carries them.
 * - Every figure must belong to the run described by `prov` (same run_id and method_version),
 *   otherwise the provenance attached to it would be false: a mismatch throws.
 */
import { UserError } from '../errors.ts';
import { SCOPES, type Figure, type RunProvenance } from './types.ts';
import { unitDef } from '../indicators/units.ts';
import { csvRow } from '../util/csv.ts';

// ---------------------------------------------------------------------------------------------
// Normalisation and order

/** A figure with its numbers guaranteed to be finite `number`s or null. */
type CleanFigure = Figure;

function toNumber(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') throw new UserError(`export: ${what} is not a number (${typeof v})`);
  if (!Number.isFinite(n)) throw new UserError(`export: ${what} is not finite (${String(n)}); use null for a value that cannot be computed`);
  // -0 would print as "-0" in JSON.
  return Object.is(n, -0) ? 0 : n;
}

function clean(f: Figure, prov: RunProvenance): CleanFigure {
  const where = `${f.indicator} / ${f.scope} / ${f.scope_id ?? '(réseau)'}`;
  if (f.run_id !== prov.run_id) {
    throw new UserError(`export: figure ${where} comes from run ${f.run_id}, not from run ${prov.run_id} whose provenance is attached`);
  }
  if (f.method_version !== prov.method_version) {
    throw new UserError(`export: figure ${where} has method ${f.method_version}, the run's provenance says ${prov.method_version}`);
  }
  const suppressed = f.suppressed === true;
  return {
    indicator: f.indicator,
    scope: f.scope,
    scope_id: f.scope_id ?? null,
    scope_label: f.scope_label ?? null,
    period: f.period,
    value: suppressed ? null : toNumber(f.value, `value of ${where}`),
    unit: f.unit,
    ci_low: suppressed ? null : toNumber(f.ci_low, `ci_low of ${where}`),
    ci_high: suppressed ? null : toNumber(f.ci_high, `ci_high of ${where}`),
    suppressed,
    run_id: f.run_id,
    method_version: f.method_version,
  };
}

/** Plain code-unit comparison (`<`), independent of locale and ICU version. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scopeRank(s: string): number {
  const i = (SCOPES as readonly string[]).indexOf(s);
  return i === -1 ? SCOPES.length : i;
}

function compareFigures(a: CleanFigure, b: CleanFigure): number {
  return (
    cmpStr(a.indicator, b.indicator) ||
    scopeRank(a.scope) - scopeRank(b.scope) ||
    cmpStr(a.scope, b.scope) ||
    (a.scope_id === b.scope_id ? 0 : a.scope_id === null ? -1 : b.scope_id === null ? 1 : cmpStr(a.scope_id, b.scope_id)) ||
    cmpStr(a.period, b.period) ||
    cmpStr(a.unit, b.unit) ||
    // Last resort, so the order is total (duplicates in the input stay deterministic).
    cmpStr(JSON.stringify(a), JSON.stringify(b))
  );
}

function prepare(figures: Figure[], prov: RunProvenance): CleanFigure[] {
  return figures.map((f) => clean(f, prov)).sort(compareFigures);
}

/**
 * A JSON-ready copy of `v` with object keys sorted recursively (plain `<`), bigints turned into
 * numbers and Dates into ISO strings, so that the output never depends on construction order.
 */
function canonical(v: unknown, path = 'parameters'): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new UserError(`export: ${path} is not finite (${String(v)})`);
    return Object.is(v, -0) ? 0 : v;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x, i) => canonical(x, `${path}[${i}]`));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(cmpStr)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === 'function') continue; // JSON.stringify would drop them
      out[k] = canonical(x, `${path}.${k}`);
    }
    return out;
  }
  throw new UserError(`export: ${path} cannot be exported (${typeof v})`);
}

type CleanInput = { dataset: string; file: string; sha256: string; load_id: string };

/** Inputs in a fixed key order, sorted by dataset, file, load, sha256 (their order carries no meaning). */
function cleanInputs(prov: RunProvenance): CleanInput[] {
  return prov.inputs
    .map((i) => ({ dataset: i.dataset, file: i.file, sha256: i.sha256, load_id: i.load_id }))
    .sort((a, b) => cmpStr(a.dataset, b.dataset) || cmpStr(a.file, b.file) || cmpStr(a.load_id, b.load_id) || cmpStr(a.sha256, b.sha256));
}

// ---------------------------------------------------------------------------------------------
// JSON

/**
 * All figures as one pretty-printed JSON array (2 spaces, trailing newline). Each element has the
 * keys `indicator, scope, scope_id, scope_label, period, value, unit, ci_low, ci_high, suppressed,
 * run_id, method_version, parameters, inputs` in that order; `parameters` and `inputs` are the
 * run's, repeated on every element so that each one stands alone. Same input (in any order) →
 * byte-identical output.
 */
export function figuresToJson(figures: Figure[], prov: RunProvenance): string {
  const parameters = canonical(prov.parameters ?? {});
  const inputs = cleanInputs(prov);
  const rows = prepare(figures, prov).map((f) => ({
    indicator: f.indicator,
    scope: f.scope,
    scope_id: f.scope_id,
    scope_label: f.scope_label,
    period: f.period,
    value: f.value,
    unit: f.unit,
    ci_low: f.ci_low,
    ci_high: f.ci_high,
    suppressed: f.suppressed,
    run_id: f.run_id,
    method_version: f.method_version,
    parameters,
    inputs,
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// French formatting

/**
 * Decimals a unit is shown with (src/indicators/units.ts: km, EUR and counts → 0; laps and fte
 * → 1); 2 for a unit not declared there (the conformance test keeps every published unit declared).
 */
export function defaultDecimals(unit: string): number {
  return unitDef(unit)?.decimals ?? 2;
}

/** Suffix written after the number by `formatFrench` (only where it helps reading). */
function unitSuffix(unit: string): string {
  if (unit === 'km') return ' km';
  if (unit === 'EUR') return ' €';
  return '';
}

const formatters = new Map<number, Intl.NumberFormat>();
function frFormatter(decimals: number): Intl.NumberFormat {
  let f = formatters.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, f);
  }
  return f;
}

/**
 * The French number alone, e.g. "378 000" or "9,8"; "" for null. Node's ICU separates thousands
 * with a narrow no-break space (U+202F; U+00A0 in older CLDR): we write a plain space instead,
 * because spreadsheets do not recognise U+202F as a digit separator and many fonts used in
 * funders' documents (Word templates, PDF forms) lack the glyph or render it as a box.
 */
function frenchNumber(value: number | bigint | null | undefined, unit: string, decimals?: number): string {
  const n = toNumber(value, 'value');
  if (n === null) return '';
  const d = decimals ?? defaultDecimals(unit);
  const s = frFormatter(d).format(n).replace(/[\u202F\u00A0]/g, ' ');
  // A small negative rounding to zero gives "-0" (or "-0,0"): show it as zero.
  return /^-0(,0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A figure formatted for people, in French. Decimal comma, plain space as thousands separator
 * (see `frenchNumber` for why), rounding half away from zero (Intl's default "halfExpand").
 *
 * Decimals by unit (src/indicators/units.ts): km → 0 with " km"; laps → 1; EUR → 0 with " €";
 * counts (people, suppliers, events, associations, producers) → 0; fte → 1; an undeclared unit
 * → 2. Only km and € get a suffix.
 *
 * Worked by hand:
 * - 378000.4 km  → 378000 → "378 000 km"
 * - 9.7549 laps  → 9.7549 rounded to 1 decimal = 9.8 → "9,8"
 * - 1234.5 EUR   → half expands up to 1235 → "1 235 €"
 * - 1e6 km       → "1 000 000 km"; 0 people → "0"; -1234 count → "-1 234"
 * - null (suppressed or not computable) → "" (blank cell)
 */
export function formatFrench(value: number | bigint | null | undefined, unit: string, opts: { decimals?: number } = {}): string {
  const s = frenchNumber(value, unit, opts.decimals);
  return s === '' ? '' : s + unitSuffix(unit);
}

/**
 * The unrounded number with a decimal comma and no thousands separator ("378000,4"), so that no
 * digit is lost; "" for null. Uses the shortest round-trip representation (`String(n)`), with
 * exponents written out ("1e-7" → "0,0000001").
 */
function rawFrench(value: number | null): string {
  if (value === null) return '';
  return plainDecimal(value).replace('.', ',');
}

function plainDecimal(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expStr] = m;
  const digits = int! + frac;
  const exp = Number(expStr);
  const point = 1 + exp; // position of the decimal point in `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

// ---------------------------------------------------------------------------------------------
// Formula injection

/**
 * Neutralises a cell that a spreadsheet would read as a formula: text starting with `=`, `+`,
 * `-`, `@`, tab or carriage return gets a leading single quote (OWASP "CSV injection"
 * guidance). Scope labels and codes come from data files and may be hostile, e.g. a café named
 * `=HYPERLINK("http://…","x")`.
 *
 * In CSV every cell is text, so a negative number such as "-3" also becomes "'-3": accepted
 * (the apostrophe is visible but nothing is lost). In XLSX, numbers are real number cells and
 * are never passed through this function.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

// ---------------------------------------------------------------------------------------------
// CSV and XLSX rows

const HEADER = [
  'indicateur',
  'périmètre',
  'code',
  'libellé',
  'période',
  'valeur',
  'unité',
  'valeur brute',
  'intervalle bas',
  'intervalle haut',
  'secret statistique',
  'run',
  'méthode',
] as const;

/**
 * Figures as CSV for staff opening it in French Excel: `;` separated, UTF-8 with a BOM (else
 * Excel reads accents as Windows-1252), CRLF line ends (also after the last row), French header.
 *
 * Columns: `valeur` is the rounded French text without the unit ("378 000"), `valeur brute` the
 * unrounded number with a decimal comma and no thousands separator ("378000,4"), the interval
 * bounds unrounded like `valeur brute`, `secret statistique` "oui"/"non" (value blank when
 * "oui"). Every cell goes through `neutraliseFormula` (so "-3" is written "'-3", see there), then
 * fields are quoted by the one rule of src/util/csv.ts (`csvField`: `;`, `"`, CR, LF or white space at either end; RFC 4180).
 *
 * `opts.lang`: only French exists today.
 */
export function figuresToCsv(figures: Figure[], prov: RunProvenance, opts: { lang?: 'fr' } = {}): string {
  void opts;
  const lines = [csvRow(HEADER, ';')];
  for (const f of prepare(figures, prov)) {
    const cells = [
      f.indicator,
      f.scope,
      f.scope_id ?? '',
      f.scope_label ?? '',
      f.period,
      frenchNumber(f.value, f.unit),
      f.unit,
      rawFrench(f.value),
      rawFrench(f.ci_low),
      rawFrench(f.ci_high),
      f.suppressed ? 'oui' : 'non',
      f.run_id,
      f.method_version,
    ];
    lines.push(csvRow(cells.map(neutraliseFormula), ';'));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/**
 * Excel number format for a count of decimals. Format codes are stored locale-independently
 * (`,` grouping, `.` decimal point); Excel displays them with the reader's separators, so a
 * French reader sees "378 000" and "9,8".
 */
function numFmtFor(decimals: number): string {
  return decimals <= 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

/** Rounds like `formatFrench` (Intl, half away from zero) so that the cell equals the CSV text. */
const plainFormatters = new Map<number, Intl.NumberFormat>();
function roundLikeIntl(n: number, decimals: number): number {
  let f = plainFormatters.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { useGrouping: false, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    plainFormatters.set(decimals, f);
  }
  const r = Number(f.format(n));
  return Object.is(r, -0) ? 0 : r;
}

/** Characters XML 1.0 forbids: a hostile label containing them would make an unreadable workbook. */
function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function text(s: string): string {
  return xmlSafe(neutraliseFormula(s));
}

/** A fixed date for workbook properties and zip entries: nothing variable goes into the file. */
const FIXED_DATE = new Date(0);

/**
 * Figures as an .xlsx workbook (exceljs):
 * - sheet "Chiffres": the CSV's columns; `valeur` is a number cell rounded like the CSV text with
 *   format `#,##0` (0 decimals) or `#,##0.0` (1 decimal)…; `valeur brute` the unrounded number
 *   (General format); interval bounds unrounded with the value's format; text cells neutralised;
 *   header bold and frozen, auto-filter, fixed column widths.
 * - sheet "Provenance": run, period, method, code version, each parameter (dotted path, keys
 *   sorted) and each input (dataset, file, sha256, load).
 *
 * Deterministic: workbook dates fixed, and the zip entries' timestamps (which JSZip takes from
 * the clock) are rewritten to 1980-01-01, so the same input gives byte-identical files.
 */
export async function figuresToXlsx(figures: Figure[], prov: RunProvenance): Promise<Buffer> {
  const rows = prepare(figures, prov);
  // exceljs is large: loaded when a workbook is written, not when the CLI starts
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cafe-impact';
  wb.lastModifiedBy = 'cafe-impact';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;

  const ws = wb.addWorksheet('Chiffres', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  const widths = [28, 12, 14, 32, 10, 14, 10, 18, 16, 16, 18, 26, 10];
  ws.columns = HEADER.map((h, i) => ({ header: h, key: `c${i}`, width: widths[i] }));
  ws.getRow(1).font = { bold: true, name: 'Calibri', size: 11 };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: HEADER.length } };

  for (const f of rows) {
    const d = defaultDecimals(f.unit);
    const row = ws.addRow([
      text(f.indicator),
      text(f.scope),
      f.scope_id === null ? null : text(f.scope_id),
      f.scope_label === null ? null : text(f.scope_label),
      text(f.period),
      f.value === null ? null : roundLikeIntl(f.value, d),
      text(f.unit),
      f.value,
      f.ci_low,
      f.ci_high,
      f.suppressed ? 'oui' : 'non',
      text(f.run_id),
      text(f.method_version),
    ]);
    const fmt = numFmtFor(d);
    row.getCell(6).numFmt = fmt;
    row.getCell(9).numFmt = fmt;
    row.getCell(10).numFmt = fmt;
  }

  const ps = wb.addWorksheet('Provenance', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ps.columns = [
    { header: 'rubrique', key: 'a', width: 16 },
    { header: 'clé', key: 'b', width: 30 },
    { header: 'valeur', key: 'c', width: 68 },
    { header: '', key: 'd', width: 26 },
  ];
  ps.getRow(1).font = { bold: true, name: 'Calibri', size: 11 };
  ps.addRow(['run', 'run_id', text(prov.run_id)]);
  ps.addRow(['run', 'période', text(prov.period)]);
  ps.addRow(['run', 'méthode', text(prov.method_version)]);
  ps.addRow(['run', 'version du code', text(prov.code_version)]);
  for (const [key, value] of flattenParameters(canonical(prov.parameters ?? {}))) {
    ps.addRow(['paramètre', text(key), typeof value === 'number' ? value : text(typeof value === 'string' ? value : JSON.stringify(value))]);
  }
  ps.addRow([]);
  const inputsHeader = ps.addRow(['entrée', 'jeu de données', 'fichier', 'sha256', 'chargement']);
  inputsHeader.font = { bold: true, name: 'Calibri', size: 11 };
  for (const i of cleanInputs(prov)) {
    ps.addRow(['entrée', text(i.dataset), text(i.file), text(i.sha256), text(i.load_id)]);
  }
  ps.getColumn(5).width = 26;

  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimestamps(buf);
}

/** Parameters as [dotted path, leaf] pairs; arrays and empty objects are leaves (shown as JSON). */
function flattenParameters(v: unknown, prefix = ''): [string, unknown][] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
    return Object.entries(v).flatMap(([k, x]) => flattenParameters(x, prefix ? `${prefix}.${k}` : k));
  }
  return prefix ? [[prefix, v]] : [];
}

/**
 * Sets every entry's DOS modification time in a zip to 1980-01-01 00:00 (the DOS epoch), in both
 * the local headers and the central directory. Headers are not covered by the CRC, so the
 * archive stays valid.
 */
function fixZipTimestamps(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // year 1980 + 0, month 1, day 1
  // End of central directory: signature 0x06054b50, within the last 65 557 bytes.
  let eocd = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 65557); i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('xlsx: end of central directory not found');
  const count = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('xlsx: bad central directory entry');
    out.writeUInt16LE(DOS_TIME, p + 12);
    out.writeUInt16LE(DOS_DATE, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('xlsx: bad local file header');
    out.writeUInt16LE(DOS_TIME, local + 10);
    out.writeUInt16LE(DOS_DATE, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}
