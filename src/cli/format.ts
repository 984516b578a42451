/** Plain-text tables and numbers for people reading a terminal. */
import type { Lang } from '../core/vocabulary.ts';
import { formatPlain } from '../format/locale.ts';

/**
 * A number for a terminal, in the reader's language (src/format/locale.ts); English by default
 * for the operational commands (ingest, status, rejects), whose messages are English.
 */
export function num(n: number | bigint | null | undefined, lang: Lang = 'en'): string {
  return formatPlain(n, lang);
}

/** A left-aligned text table; columns holding numbers are right-aligned, written in `lang`. */
export function table(rows: Record<string, unknown>[], columns?: string[], lang: Lang = 'en'): string {
  if (rows.length === 0) return lang === 'fr' ? '(aucun)' : '(none)';
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'bigint' ? num(v, lang) : printable(String(v)));
  const numeric = cols.map((c) => rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number' || typeof r[c] === 'bigint'));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

/** Shortens a value for one line of a terminal (control characters escaped, see `printable`). */
export function clip(s: string | null | undefined, n = 60): string {
  if (s === null || s === undefined) return '';
  // Cut between characters, never inside an escape such as `\x1b`.
  const parts = Array.from(s, (ch) => printable(ch));
  if (parts.join('').length <= n) return parts.join('');
  let one = '';
  for (const p of parts) {
    if (one.length + p.length > n - 1) break;
    one += p;
  }
  return `${one}…`;
}

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from the data made safe for a terminal: every control character is shown escaped, so a
 * value cannot move the cursor, change colours or forge lines. C0 controls, DEL and C1 controls
 * become `\n`, `\r`, `\t` or `\xNN` (ESC is `\x1b`, NUL `\x00`); the line and paragraph
 * separators (U+2028, U+2029) and the bidirectional embedding, override and isolate controls
 * (U+202A–U+202E, U+2066–U+2069, which reorder what is displayed) become `\uNNNN`. Every other
 * character, backslashes included, is left as it is.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return SHORT_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
