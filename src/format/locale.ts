/**
 * Numbers, units, dates and labels for people, in French (the default) or English: the one place
 * every output for people formats them (terminal tables, the staff workbook, reports). Machine
 * outputs (JSON, the raw columns of CSV) never go through here.
 *
 * Numbers are rounded **half-up** at the unit's decimals (src/format/units.ts): Intl's
 * `halfExpand`, half away from zero, which is half-up for the figures (never negative). ICU
 * rounds the number as written (its shortest decimal form), not its binary expansion: 2.25 →
 * "2,3"; 1.005 (stored 1.00499999…) → "1,01", as a person rounding "1.005" would. Counts never
 * show decimals.
 *
 * French groups thousands with a plain space, not the narrow no-break space (U+202F) of CLDR:
 * spreadsheets do not read U+202F as a digit separator and many fonts of funders' documents lack
 * it. English groups with a comma.
 *
 * Worked by hand:
 *   formatValue(390733.4, 'km', 'fr') = "390 733 km"        formatValue(390733.4, 'km', 'en') = "390,733 km"
 *   formatValue(9.7549, 'laps', 'fr') = "9,8 fois le tour de la Terre"   (391 300 / 40 075.017 = 9.76 → 9.8)
 *   formatValue(1234.5, 'EUR', 'fr')  = "1 235 €"            formatValue(1234.5, 'EUR', 'en') = "€1,235"
 *   formatValue(1, 'people', 'fr')    = "1 personne"         formatValue(94, 'people', 'en') = "94 people"
 *   formatDate('2026-12-01', 'fr')    = "1er décembre 2026"  formatDate('2026-12-01', 'en') = "December 1, 2026"
 */
import type { Lang, Text } from '../core/vocabulary.ts';
import { unitDef } from './units.ts';

export type { Lang, Text };

/** The one term, per language, for a figure published without its value (statistical secrecy). */
export const SUPPRESSED: Text = { fr: 'secret statistique', en: 'suppressed (confidential)' };

/** Decimals a unit is shown with; 2 for a unit not declared (the conformance test keeps every published unit declared). */
export function decimalsOf(unit: string): number {
  return unitDef(unit)?.decimals ?? 2;
}

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, decimals: number, grouping: boolean): Intl.NumberFormat {
  const key = `${lang}${decimals}${grouping}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: grouping, roundingMode: 'halfExpand' } as Intl.NumberFormatOptions);
    numberFormats.set(key, f);
  }
  return f;
}

/** The number alone, rounded half-up at `decimals`: "378 000", "9,8" / "378,000", "9.8"; "" for null. */
export function formatNumber(value: number | bigint | null | undefined, decimals: number, lang: Lang = 'fr'): string {
  if (value === null || value === undefined) return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  const s = numberFormat(lang, decimals, true).format(n).replace(/[\u202F\u00A0]/g, ' ');
  // A small negative rounding to zero gives "-0" (or "-0,0"): show it as zero.
  return /^-0([.,]0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A number whose decimals are its own (counts, distances in a table): up to `maxDecimals`, none
 * shown when it is whole: "34 000", "11,12" / "34,000", "11.12".
 */
export function formatPlain(value: number | bigint | null | undefined, lang: Lang = 'fr', maxDecimals = 3): string {
  if (value === null || value === undefined) return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const key = `plain${lang}${maxDecimals}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: maxDecimals, roundingMode: 'halfExpand' } as Intl.NumberFormatOptions);
    numberFormats.set(key, f);
  }
  return f.format(n).replace(/[\u202F\u00A0]/g, ' ');
}

/** The value a cell shows, as a number: rounded half-up at `decimals` like `formatNumber`. */
export function roundHalfUp(value: number, decimals: number): number {
  const r = Number(numberFormat('en', decimals, false).format(value));
  return Object.is(r, -0) ? 0 : r;
}

/** The unit's name for people, singular when the number calls for it. */
export function unitName(unit: string, lang: Lang = 'fr', value?: number): string {
  const u = unitDef(unit);
  if (!u) return unit;
  if (value !== undefined && u.one) {
    const r = roundHalfUp(value, u.decimals);
    // French: singular below 2 ("0 personne", "1 personne"); English: for 1 alone.
    if (lang === 'fr' ? Math.abs(r) < 2 : r === 1) return u.one[lang];
  }
  return u[lang];
}

/** A figure with its unit, for people: "390 733 km", "9,8 fois le tour de la Terre", "1 235 €"; "" for null. */
export function formatValue(value: number | bigint | null | undefined, unit: string, lang: Lang = 'fr', opts: { decimals?: number } = {}): string {
  if (value === null || value === undefined) return '';
  const n = Number(value);
  const d = opts.decimals ?? decimalsOf(unit);
  const s = formatNumber(n, d, lang);
  if (s === '') return '';
  if (unit === 'EUR') return lang === 'fr' ? `${s} €` : s.startsWith('-') ? `-€${s.slice(1)}` : `€${s}`;
  return `${s} ${unitName(unit, lang, n)}`;
}

const MONTHS: Record<Lang, string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** The calendar date in Paris of an instant, or a date given as YYYY-MM-DD. */
function parisDate(d: Date | string): { y: number; m: number; day: number } {
  if (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    return { y, m, day };
  }
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(d));
  const [y, m, day] = parts.split('-').map(Number) as [number, number, number];
  return { y, m, day };
}

/** "1er décembre 2026" / "December 1, 2026" (instants are dated in Paris). */
export function formatDate(d: Date | string, lang: Lang = 'fr'): string {
  const { y, m, day } = parisDate(d);
  const month = MONTHS[lang][m - 1]!;
  return lang === 'fr' ? `${day === 1 ? '1er' : day} ${month} ${y}` : `${month} ${day}, ${y}`;
}

/** A period for people: "2023", "2e trimestre 2023" / "Q2 2023". */
export function formatPeriod(label: string, lang: Lang = 'fr'): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!m) return label;
  return lang === 'fr' ? `${m[2] === '1' ? '1er' : `${m[2]}e`} trimestre ${m[1]}` : `Q${m[2]} ${m[1]}`;
}
