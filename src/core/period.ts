/**
 * Periods: calendar date ranges in Europe/Paris time. `2023` is the year, `2023-Q2` a quarter.
 * `end` is exclusive, so a row dated d is in the period when start <= d < end.
 */
import { UserError } from './errors.ts';
import { periodErrors } from './messages.ts';

export interface Period {
  /** Canonical label: `2023` or `2023-Q2`. */
  label: string;
  kind: 'year' | 'quarter';
  year: number;
  quarter?: 1 | 2 | 3 | 4;
  /** First day, ISO `yyyy-mm-dd`. */
  start: string;
  /** Day after the last day, ISO (exclusive bound). */
  end: string;
  /** Last day, ISO (inclusive bound). */
  last: string;
}

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function lastDayOf(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Parses `2023`, `2023-Q2` (also `2023Q2`, `2023-q2`). */
export function parsePeriod(text: string): Period {
  const m = /^\s*(\d{4})(?:-?[Qq]([1-4]))?\s*$/.exec(text);
  if (!m) throw new UserError(periodErrors.badPeriod(text));
  const year = Number(m[1]);
  if (year < 1990 || year > 2100) throw new UserError(periodErrors.yearOutOfRange(text));
  if (!m[2]) return { label: `${year}`, kind: 'year', year, start: iso(year, 1, 1), end: iso(year + 1, 1, 1), last: iso(year, 12, 31) };
  const q = Number(m[2]) as 1 | 2 | 3 | 4;
  const m0 = (q - 1) * 3 + 1;
  const end = q === 4 ? iso(year + 1, 1, 1) : iso(year, m0 + 3, 1);
  return { label: `${year}-Q${q}`, kind: 'quarter', year, quarter: q, start: iso(year, m0, 1), end, last: iso(year, m0 + 2, lastDayOf(year, m0 + 2)) };
}

/** The quarters making up a period (itself when it is a quarter). */
export function quartersOf(p: Period): Period[] {
  if (p.kind === 'quarter') return [p];
  return [1, 2, 3, 4].map((q) => parsePeriod(`${p.year}-Q${q}`));
}

/** True when period a contains period b. */
export function contains(a: Period, b: Period): boolean {
  return a.start <= b.start && b.end <= a.end;
}

/** Number of days in the period. */
export function daysIn(p: Period): number {
  return (Date.parse(`${p.end}T00:00:00Z`) - Date.parse(`${p.start}T00:00:00Z`)) / 86_400_000;
}
