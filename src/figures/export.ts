/**
 * Export of impact figures for staff (CSV; the workbook is workbook.ts) and machines (JSON). Pure functions: no
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
import { UserError } from '../core/errors.ts';
import { exportErrors } from '../core/messages.ts';
import { SCOPES, type Figure, type RunProvenance } from './types.ts';
import { scopeLabel, scopeName } from '../format/labels.ts';
import { decimalsOf, formatNumber, unitName, type Lang } from '../format/locale.ts';
import type { IndicatorFamily } from '../indicators/family.ts';
import { FAMILIES, indicatorDef } from '../indicators/registry.ts';
import { csvRow } from '../io/csv.ts';

// ---------------------------------------------------------------------------------------------
// Normalisation and order

/** A figure with its numbers guaranteed to be finite `number`s or null. */
type CleanFigure = Figure;

function toNumber(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') throw new UserError(exportErrors.notNumber(what, typeof v));
  if (!Number.isFinite(n)) throw new UserError(exportErrors.notFinite(what, n));
  // -0 would print as "-0" in JSON.
  return Object.is(n, -0) ? 0 : n;
}

function clean(f: Figure, prov: RunProvenance): CleanFigure {
  const where = `${f.indicator} / ${f.scope} / ${f.scope_id ?? '(réseau)'}`;
  if (f.run_id !== prov.run_id) {
    throw new UserError(exportErrors.otherRun(where, f.run_id, prov.run_id));
  }
  if (f.method_version !== prov.method_version) {
    throw new UserError(exportErrors.otherMethod(where, f.method_version, prov.method_version));
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
    se: suppressed ? null : toNumber(f.se, `se of ${where}`),
    n: suppressed ? null : toNumber(f.n, `n of ${where}`),
    ci_level: suppressed ? null : toNumber(f.ci_level, `ci_level of ${where}`),
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

/** The figures checked against the run's provenance, numbers cleaned, in the one order of every export. */
export function sortFigures(figures: Figure[], prov: RunProvenance): CleanFigure[] {
  return figures.map((f) => clean(f, prov)).sort(compareFigures);
}

/** The run's parameters with keys sorted recursively (see `canonical`). */
export function canonicalParameters(prov: RunProvenance): unknown {
  return canonical(prov.parameters ?? {});
}

/**
 * A JSON-ready copy of `v` with object keys sorted recursively (plain `<`), bigints turned into
 * numbers and Dates into ISO strings, so that the output never depends on construction order.
 */
function canonical(v: unknown, path = 'parameters'): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new UserError(exportErrors.parameterNotFinite(path, v));
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
  throw new UserError(exportErrors.cannotExport(path, typeof v));
}

type CleanInput = { dataset: string; file: string; sha256: string; load_id: string };

/** Inputs in a fixed key order, sorted by dataset, file, load, sha256 (their order carries no meaning). */
export function cleanInputs(prov: RunProvenance): CleanInput[] {
  return prov.inputs
    .map((i) => ({ dataset: i.dataset, file: i.file, sha256: i.sha256, load_id: i.load_id }))
    .sort((a, b) => cmpStr(a.dataset, b.dataset) || cmpStr(a.file, b.file) || cmpStr(a.load_id, b.load_id) || cmpStr(a.sha256, b.sha256));
}

// ---------------------------------------------------------------------------------------------
// JSON

/**
 * All figures as one pretty-printed JSON array (2 spaces, trailing newline). Each element has the
 * keys `indicator, scope, scope_id, scope_label, period, value, unit, ci_low, ci_high, se, n,
 * ci_level, suppressed, run_id, method_version, parameters, inputs` in that order (se, n and
 * ci_level null where they do not apply); `parameters` and `inputs` are the
 * run's, repeated on every element so that each one stands alone. Same input (in any order) →
 * byte-identical output.
 */
export function figuresToJson(figures: Figure[], prov: RunProvenance): string {
  const parameters = canonical(prov.parameters ?? {});
  const inputs = cleanInputs(prov);
  const rows = sortFigures(figures, prov).map((f) => ({
    indicator: f.indicator,
    scope: f.scope,
    scope_id: f.scope_id,
    scope_label: f.scope_label,
    period: f.period,
    value: f.value,
    unit: f.unit,
    ci_low: f.ci_low,
    ci_high: f.ci_high,
    se: f.se,
    n: f.n,
    ci_level: f.ci_level,
    suppressed: f.suppressed,
    run_id: f.run_id,
    method_version: f.method_version,
    parameters,
    inputs,
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Numbers for people: src/format/locale.ts (the one module; half-up at the unit's decimals)

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

const HEADER: Record<Lang, readonly string[]> = {
  fr: ['indicateur', 'périmètre', 'code', 'libellé', 'période', 'valeur', 'unité', 'valeur brute', 'intervalle bas', 'intervalle haut', 'erreur type', 'effectif', 'niveau de confiance', 'secret statistique', 'run', 'méthode', 'indicateur (libellé)', 'périmètre (libellé)', 'unité (libellé)'],
  en: ['indicator', 'scope', 'code', 'label', 'period', 'value', 'unit', 'raw value', 'interval low', 'interval high', 'standard error', 'n', 'confidence level', 'suppressed', 'run', 'method', 'indicator (label)', 'scope (label)', 'unit (label)'],
};

/**
 * Figures as CSV for staff opening it in a spreadsheet: UTF-8 with a BOM (else Excel reads accents
 * as Windows-1252), CRLF line ends (also after the last row). French (the default): `;`
 * separated, decimal comma, French header; English (`lang: 'en'`): `,` separated, decimal point.
 *
 * The machine-friendly columns come first and keep their places (codes, the raw value): `valeur`
 * is the value rounded half-up at the unit's decimals, without the unit ("378 000",
 * src/format/locale.ts), `valeur brute` the unrounded number without thousands separator
 * ("378000,4"), the interval bounds, the standard error and the interval's level unrounded
 * likewise, `effectif` the respondents or observations behind an estimate (blank where none of
 * these apply), `secret statistique` "oui"/"non" (value blank when "oui"). Then the labels for people: the indicator's declared label, the scope in
 * words and the unit's name. Every cell goes through `neutraliseFormula` (so "-3" is written
 * "'-3", see there), then fields are quoted by the one rule of src/io/csv.ts (`csvField`).
 */
export function figuresToCsv(figures: Figure[], prov: RunProvenance, opts: { lang?: Lang; families?: readonly IndicatorFamily[] } = {}): string {
  const lang = opts.lang ?? 'fr';
  const sep = lang === 'fr' ? ';' : ',';
  const raw = (v: number | null) => (lang === 'fr' ? rawFrench(v) : v === null ? '' : plainDecimal(v));
  const families = opts.families ?? FAMILIES;
  const labels = new Map<string, string>();
  const labelOf = (id: string) => {
    if (!labels.has(id)) labels.set(id, indicatorDef(id, families)?.label[lang] ?? '');
    return labels.get(id)!;
  };
  const yes = lang === 'fr' ? ['oui', 'non'] : ['yes', 'no'];
  const lines = [csvRow(HEADER[lang], sep)];
  for (const f of sortFigures(figures, prov)) {
    const cells = [
      f.indicator,
      f.scope,
      f.scope_id ?? '',
      f.scope_label ?? '',
      f.period,
      formatNumber(f.value, decimalsOf(f.unit), lang),
      f.unit,
      raw(f.value),
      raw(f.ci_low),
      raw(f.ci_high),
      raw(f.se),
      f.n === null ? '' : String(f.n),
      raw(f.ci_level),
      f.suppressed ? yes[0]! : yes[1]!,
      f.run_id,
      f.method_version,
      labelOf(f.indicator),
      f.scope === 'network' ? scopeLabel(f.scope, null, null, lang) : `${scopeName(f.scope, lang)}${lang === 'fr' ? ' : ' : ': '}${scopeLabel(f.scope, f.scope_id, f.scope_label, lang)}`,
      unitName(f.unit, lang),
    ];
    lines.push(csvRow(cells.map(neutraliseFormula), sep));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
