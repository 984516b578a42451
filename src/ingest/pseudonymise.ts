/**
 * Pseudonymising at the door: `ingest --pseudonymise <dataset>.<column>` turns a column holding
 * e-mails, phone numbers or names into the dataset's pseudonymous key (`person_key`,
 * `respondent_key`):
 *
 *   key = first 32 hex characters of HMAC-SHA-256(secret, normalised value)
 *
 * normalised: e-mails trimmed, lower-cased, NFC; phone numbers reduced to their digits in the
 * `+33…` form; names trimmed, lower-cased, accents and repeated spaces folded. The secret comes
 * from `CAFE_IMPACT_PSEUDONYM_KEY` (at least 32 bytes); the load records its id (a hash of it),
 * never the secret. The clear column is dropped: what DuckDB reads, what is archived and what
 * `reload` reads again is the pseudonymised copy, whose records keep their physical lines.
 */
import { createHash, createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { headerKey, type Column } from '../contract/columns.ts';
import { UserError } from '../core/errors.ts';
import { pseudonymErrors } from '../core/messages.ts';
import { csvRow, withCsv } from '../io/csv.ts';
import { identifierWord, personalKind } from './personal.ts';

export const PSEUDONYM_KEY_ENV = 'CAFE_IMPACT_PSEUDONYM_KEY';
export const MIN_KEY_BYTES = 32;

export interface PseudonymSpec {
  dataset: string;
  column: string;
}

/** Parses `survey.email` (repeatable, or comma-separated). */
export function parsePseudonymSpecs(values: string[], datasets: Record<string, { people?: boolean }>): PseudonymSpec[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean).map((v) => {
    const m = /^([a-z_]+)\.(.+)$/.exec(v);
    if (!m) throw new UserError(pseudonymErrors.badSpec(v));
    if (!datasets[m[1]!]?.people) throw new UserError(pseudonymErrors.notPeople(v, m[1]!));
    return { dataset: m[1]!, column: m[2]! };
  });
}

/** The secret, refused when absent or too short. */
export function pseudonymSecret(env = process.env): Buffer {
  const k = env[PSEUDONYM_KEY_ENV];
  if (!k) throw new UserError(pseudonymErrors.noKey(PSEUDONYM_KEY_ENV, MIN_KEY_BYTES));
  const b = Buffer.from(k, 'utf8');
  if (b.length < MIN_KEY_BYTES) throw new UserError(pseudonymErrors.shortKey(PSEUDONYM_KEY_ENV, b.length, MIN_KEY_BYTES));
  return b;
}

/** The id a load records for the secret: a hash of it (it cannot give the secret back). */
export function keyId(secret: Buffer): string {
  return createHash('sha256').update('cafe-impact pseudonym key id\0').update(secret).digest('hex').slice(0, 16);
}

export type ValueKind = 'email' | 'phone' | 'name';

/** How a clear value is normalised before hashing (METHODOLOGY: "Pseudonymisation"). */
export function normaliseClear(value: string, kind: ValueKind): string {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase().normalize('NFC');
  if (kind === 'phone') {
    const d = v.replace(/[^\d+]/g, '');
    const digits = d.replace(/^\+/, '');
    if (d.startsWith('+')) return `+${digits.replace(/^(33)0/, '$1')}`;
    if (digits.startsWith('0033')) return `+33${digits.slice(4).replace(/^0/, '')}`;
    if (digits.startsWith('33') && digits.length === 11) return `+${digits}`;
    if (digits.startsWith('0') && digits.length === 10) return `+33${digits.slice(1)}`;
    if (digits.length === 9) return `+33${digits}`;
    return `+${digits}`;
  }
  return v.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

/** What a column holds, from its name, else from its first non-empty value. */
export function kindOf(column: string, sample: string | undefined): ValueKind {
  const w = identifierWord(column);
  if (w && /mail|courriel|mel/.test(w)) return 'email';
  if (w && /phone|tel|mobile|portable|gsm|fax/.test(w)) return 'phone';
  const k = personalKind(sample);
  return k === 'an e-mail address' ? 'email' : k === 'a phone number' ? 'phone' : 'name';
}

export function pseudonym(secret: Buffer, value: string, kind: ValueKind): string {
  return createHmac('sha256', secret).update(normaliseClear(value, kind), 'utf8').digest('hex').slice(0, 32);
}


/**
 * Writes the pseudonymised copy of a CSV file: the clear column replaced by the key column
 * (same position), every record on its original physical line (blank lines pad).
 */
export async function pseudonymiseCsv(src: string, dst: string, spec: PseudonymSpec, keyColumn: Column, secret: Buffer): Promise<{ rows: number; kind: ValueKind }> {
  return withCsv(src, async (csv) => {
    const idx = csv.header.findIndex((h) => h.trim() === spec.column.trim() || headerKey(h) === headerKey(spec.column));
    if (idx < 0) throw new UserError(pseudonymErrors.noColumn(src.split('/').pop()!, spec.dataset, spec.column, csv.header));
    if (csv.header.some((h) => headerKey(h) === keyColumn.name)) {
      throw new UserError(pseudonymErrors.keyColumnPresent(src.split('/').pop()!, keyColumn.name, spec.dataset, spec.column));
    }
    const d = csv.delimiter;
    const out = createWriteStream(dst);
    const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
    const header = csv.header.map((h, i) => (i === idx ? keyColumn.name : h));
    let line = csv.headerLine;
    await write(`${'\n'.repeat(csv.headerLine - 1)}${csvRow(header, d)}\n`);
    let rows = 0;
    let kind: ValueKind | undefined;
    for await (const r of csv.records) {
      if (r.line > line + 1) await write('\n'.repeat(r.line - line - 1));
      const clear = r.fields[idx] ?? '';
      kind ??= clear.trim() ? kindOf(spec.column, clear) : undefined;
      const fields = r.fields.map((f, i) => (i === idx ? (clear.trim() ? pseudonym(secret, clear, kind ?? kindOf(spec.column, clear)) : '') : f));
      const text = csvRow(fields, d);
      await write(`${text}\n`);
      line = r.line + (text.match(/\n/g)?.length ?? 0);
      rows++;
    }
    await new Promise<void>((r) => out.end(() => r()));
    return { rows, kind: kind ?? 'name' };
  });
}
