/** Plain-text tables and numbers for people reading a terminal. */

const nf = new Intl.NumberFormat('en-GB');

export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : nf.format(n);
}

/** A left-aligned text table; columns holding numbers are right-aligned. */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? num(v) : String(v));
  const numeric = cols.map((c) => rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

/** Shortens a value for one line of a terminal. */
export function clip(s: string | null | undefined, n = 60): string {
  if (s === null || s === undefined) return '';
  const one = s.replace(/\r?\n/g, '⏎');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
