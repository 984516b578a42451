/**
 * Personal data at the door. People datasets (`participation`, `staff`, `survey`, any dataset
 * marked `people`) hold people only under pseudonymous keys made by the office, so:
 *
 * - a column whose name names a direct identifier (FR or EN: nom, prénom, name, e-mail, courriel,
 *   téléphone, phone, portable, adresse, date de naissance, birth…; case, accents, separators
 *   and camelCase folded) is refused, and the whole file with it;
 * - a value that looks like an e-mail address or a French phone number (any separators, +33,
 *   0033) in any column but the person key refuses the file, naming the column and the line —
 *   never the value;
 * - a person key shaped like a phone number or an e-mail is a rejected row (checks.ts), its
 *   value redacted in the rejects.
 *
 * Nothing of a refused file is stored or archived (ingest.ts). `suppliers.name` is a business
 * name, public in the SIRENE register, and suppliers is not a people dataset: out of scope.
 */
import type { Column } from '../contract/columns.ts';
import { ident, literal } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../core/errors.ts';
import { withCsv } from '../io/csv.ts';
import { fileErrors } from '../core/messages.ts';

/** Words that name a direct identifier, folded (no accents, lower case). */
const WORDS = [
  'nom', 'noms', 'prenom', 'prenoms', 'name', 'names', 'firstname', 'lastname', 'surname', 'fullname', 'forename', 'patronyme',
  'email', 'emails', 'mail', 'mails', 'courriel', 'courriels', 'mel',
  'telephone', 'telephones', 'phone', 'phones', 'tel', 'mobile', 'portable', 'gsm', 'cellphone', 'fax',
  'adresse', 'adresses', 'address', 'addresses', 'rue', 'street',
  'naissance', 'birth', 'birthday', 'birthdate', 'dob', 'anniversaire',
  'nir', 'ssn', 'insee_personne', 'iban', 'passport', 'passeport',
];
/** Identifier words long enough to be found inside a run-together name (`emailaddress`). */
const INNER = ['email', 'courriel', 'prenom', 'firstname', 'lastname', 'surname', 'fullname', 'telephone', 'phone', 'adresse', 'address', 'naissance', 'birth', 'portable'];

/** A column name folded: camelCase split, accents removed, lower case, separators → spaces. */
export function foldName(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The identifier word a column name contains, or null. */
export function identifierWord(name: string): string | null {
  const folded = foldName(name);
  const tokens = folded.split(' ');
  for (const t of tokens) if (WORDS.includes(t)) return t;
  const compact = tokens.join('');
  for (const w of INNER) if (compact.includes(w)) return w;
  return null;
}

const EMAIL = /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[a-z]{2,}/i;
/** A French phone number written with separators, anywhere in a value. */
const PHONE_IN_TEXT = /(?:(?:\+|00)33[\s.\-/]*(?:\(0\)[\s.\-/]*)?|\b0)[1-9](?:[\s.\-/_]*\d{2}){4}\b/;
/** A value that is a French phone number once separators are removed (`612345678` too). */
const PHONE_COMPACT = /^(?:(?:\+|00)?33(?:\(?0\)?)?|0)?[1-9]\d{8}$/;

/** 'an e-mail address' or 'a phone number' when the value looks like one, else null. */
export function personalKind(value: string | null | undefined): 'an e-mail address' | 'a phone number' | null {
  if (!value) return null;
  const v = value.trim();
  if (v.length < 6) return null;
  if (EMAIL.test(v)) return 'an e-mail address';
  if (PHONE_COMPACT.test(v.replace(/[\s.\-_/()]/g, ''))) return 'a phone number';
  if (PHONE_IN_TEXT.test(v)) return 'a phone number';
  return null;
}

export const REDACTED = '[redacted]';

/** The text with what looks like an e-mail address or a phone number replaced by `[redacted]`. */
export function redactText(text: string): string {
  return text
    .replace(new RegExp(EMAIL.source, 'gi'), REDACTED)
    .replace(new RegExp(PHONE_IN_TEXT.source, 'g'), REDACTED)
    .replace(/(?<![\w-])(?:(?:\+|00)?33|0)?[1-9]\d{8}(?![\w-])/g, REDACTED);
}

/** Key columns of a people dataset: pseudonymous keys, checked as rows, not refusing the file. */
export function keyColumns(contract: Column[]): Set<string> {
  return new Set(contract.filter((c) => c.pseudonym).map((c) => c.name));
}

/** SQL: the key (after removing separators) is shaped like a French phone number. */
export function phoneLikeSql(v: string): string {
  return `regexp_full_match(regexp_replace(${v}, '[\\s._()/-]', '', 'g'), '((\\+|00)?33(\\(?0\\)?)?|0)?[1-9][0-9]{8}')`;
}

/** SQL: the key looks like an e-mail address. */
export function emailLikeSql(v: string): string {
  return `regexp_matches(${v}, '[^\\s@]+@[^\\s@]+\\.[A-Za-z]{2,}')`;
}

/**
 * Refuses a people file holding an e-mail address or a phone number outside its key columns,
 * naming the first one's line and column (CSV: read with the project's strict reader, before
 * DuckDB writes anything).
 */
export async function guardCsvValues(path: string, file: string, header: string[], keys: Set<string>, mapped: string[]): Promise<void> {
  await withCsv(path, async (csv) => {
    for await (const r of csv.records) {
      for (let i = 0; i < r.fields.length; i++) {
        if (keys.has(mapped[i] ?? '')) continue;
        const kind = personalKind(r.fields[i]);
        if (kind) throw new UserError(fileErrors.identifierValue(file, r.line, header[i] ?? `#${i + 1}`, kind));
      }
    }
  });
}

/** The same for a Parquet file, in SQL over its columns (nothing is written). */
export async function guardParquetValues(wh: Warehouse, path: string, file: string, columns: string[], keys: Set<string>): Promise<void> {
  for (const c of columns) {
    if (keys.has(c.trim().toLowerCase())) continue;
    const v = `CAST(${ident(c)} AS VARCHAR)`;
    const hit = await wh.one<{ n: number; kind: string }>(
      `SELECT n, CASE WHEN ${emailLikeSql('v')} THEN 'an e-mail address' ELSE 'a phone number' END AS kind
       FROM (SELECT row_number() OVER () AS n, ${v} AS v FROM read_parquet(${literal(path)}))
       WHERE ${emailLikeSql('v')} OR ${phoneLikeSql('v')} ORDER BY n LIMIT 1`,
    );
    if (hit) throw new UserError(fileErrors.identifierValue(file, `${hit.n} (row)`, c, hit.kind));
  }
}

/** Reasons that say a key is not a pseudonym: its value is never repeated in the rejects. */
const KEY_REASONS = ['looks like a phone number', 'is not a pseudonymous key'];

/**
 * A rejected row of a people dataset, redacted: the value of a key that failed as a
 * non-pseudonym is `[redacted]` wherever it appears (value, reason, raw line), and whatever
 * looks like an e-mail address or a phone number is redacted everywhere.
 */
export function redactReject<R extends { column: string | null; value: string | null; reason: string; rawLine: string | null }>(r: R, keys: Set<string>): R {
  const secrets: string[] = [];
  if (r.column && keys.has(r.column) && r.value && KEY_REASONS.some((k) => r.reason.includes(k))) secrets.push(r.value);
  // other key columns named in the reason ("; also person_key "…" looks like…")
  for (const m of r.reason.matchAll(/also (\w+) ("(?:[^"\\]|\\.)*")/g)) {
    if (keys.has(m[1]!)) {
      try {
        secrets.push(JSON.parse(m[2]!) as string);
      } catch {
        /* not a JSON string: nothing to add */
      }
    }
  }
  const hide = (t: string | null) => {
    if (t === null) return t;
    let out = t;
    for (const s of secrets) if (s) out = out.split(s).join(REDACTED);
    return redactText(out);
  };
  return { ...r, value: secrets.includes(r.value ?? '\u0000') ? REDACTED : hide(r.value), reason: hide(r.reason)!, rawLine: hide(r.rawLine) };
}
