/**
 * JSON inputs (an array of objects, or NDJSON: one object per line), checked record by record
 * before DuckDB reads them, and normalised so that every format follows the same rules:
 *
 * - a malformed JSON array, or a file that is not an array of objects, is refused as a whole
 *   (it has no lines to reject); an empty array is a valid file with no rows;
 * - an NDJSON line that is not valid JSON, or not an object, is a rejected line; the other lines
 *   load;
 * - values become text (numbers, true/false, lists joined with `|`), read by DuckDB as VARCHAR
 *   and converted by the same SQL as CSV cells; a number the JSON parser could not hold (an
 *   exponent out of range: 1e309 overflows, 1e-400 underflows to 0) keeps its literal text, so
 *   it is refused like in a CSV file;
 * - a key absent from a record takes the column's default (as an absent CSV column does); a key
 *   present with `null` is a missing value.
 *
 * The normalised copy is NDJSON with one line per record; `lineOf[i]` is the physical line of
 * record i in the user's file (NDJSON), or its element number (JSON arrays).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { headerKey, type Column } from '../contract/columns.ts';
import { UserError } from '../core/errors.ts';
import { fileErrors, jsonDetails, reasons } from '../core/messages.ts';
import { keyColumns, personalKind } from './personal.ts';
import type { LineReject } from './scan.ts';

export interface PreparedJson {
  /** The normalised NDJSON file DuckDB reads (every value a string or null). */
  path: string;
  /** Keys seen in the records, in order of first appearance. */
  keys: string[];
  rejects: LineReject[];
  /** Physical line (NDJSON) or element number (arrays) of each record passed on. */
  lineOf: number[];
}

/** A number literal whose exponent a double cannot hold, keyed `"key": literal`. */
const EXP_LITERAL = /"((?:[^"\\]|\\.)*)"\s*:\s*(-?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+)/g;

function extremeLiterals(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!/[eE][+-]?\d{3}/.test(text)) return out;
  for (const m of text.matchAll(EXP_LITERAL)) {
    const v = Number(m[2]);
    if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(m[2]!.split(/[eE]/)[0]!))) out.set(JSON.parse(`"${m[1]}"`) as string, m[2]!);
  }
  return out;
}


function textOf(v: unknown, col: Column | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && col?.sqlType === 'VARCHAR[]') return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('|');
  return JSON.stringify(v);
}

/** One record as the normalised line, or why it is refused. */
function normalise(rec: unknown, raw: string | null, contract: Column[], keys: Map<string, number>): { line: string } | { why: string } {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
    return { why: reasons.badJsonLine(`${rec === null ? 'null' : Array.isArray(rec) ? 'an array' : `a ${typeof rec}`}, not an object`) };
  }
  const obj = rec as Record<string, unknown>;
  const extreme = raw !== null ? extremeLiterals(raw) : new Map<string, string>();
  // Keys as the contract names them (the header rules: case and spaces folded).
  const out: Record<string, string | null> = {};
  for (const k of Object.keys(obj)) {
    if (!keys.has(k)) keys.set(k, keys.size);
    const name = headerKey(k);
    const col = contract.find((c) => c.name === name);
    out[name] = extreme.get(k) ?? textOf(obj[k], col);
  }
  // A key absent from this record takes the column's default, as an absent CSV column does.
  for (const c of contract) if (c.default !== undefined && !(c.name in out)) out[c.name] = String(c.default);
  return { line: JSON.stringify(out) };
}

/** Reads, checks and normalises a JSON array or NDJSON file into `dst`. */
export async function prepareJson(src: string, name: string, format: 'json' | 'ndjson', contract: Column[], dst: string, people = false): Promise<PreparedJson> {
  // People datasets: an e-mail address or a phone number outside the key columns refuses the file.
  const keyCols = keyColumns(contract);
  const guard = (rec: unknown, where: number | string) => {
    if (!people || rec === null || typeof rec !== 'object' || Array.isArray(rec)) return;
    for (const [k, v] of Object.entries(rec as Record<string, unknown>)) {
      if (keyCols.has(headerKey(k))) continue;
      const kind = personalKind(typeof v === 'string' ? v : typeof v === 'number' ? String(v) : Array.isArray(v) ? v.join(' ') : null);
      if (kind) throw new UserError(fileErrors.identifierValue(name, where, k, kind));
    }
  };
  const out = createWriteStream(dst);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  const keys = new Map<string, number>();
  const rejects: LineReject[] = [];
  const lineOf: number[] = [];
  try {
    if (format === 'json') {
      const text = (await readFile(src, 'utf8')).replace(/^\uFEFF/, '');
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (e) {
        throw new UserError(fileErrors.badJson(name, where(text, (e as Error).message)));
      }
      if (!Array.isArray(data)) throw new UserError(fileErrors.notRecords(name, jsonDetails.notArray(data)));
      if (data.length > 0 && !data.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
        throw new UserError(fileErrors.notRecords(name, jsonDetails.noObject(data.length)));
      }
      // Out-of-range literals: looked up per element only when the text holds one.
      const extreme = /[eE][+-]?\d{3}/.test(text);
      const elements = extreme ? splitTopLevel(text) : null;
      for (let i = 0; i < data.length; i++) {
        guard(data[i], `${i + 1} (element)`);
        const n = normalise(data[i], elements?.[i] ?? null, contract, keys);
        if ('why' in n) rejects.push({ line: i + 1, span: 1, reason: n.why, rawLine: JSON.stringify(data[i])?.slice(0, 4096) ?? '' });
        else {
          lineOf.push(i + 1);
          await write(`${n.line}\n`);
        }
      }
    } else {
      const rl = createInterface({ input: createReadStream(src, { encoding: 'utf8' }), crlfDelay: Infinity });
      let ln = 0;
      for await (const l of rl) {
        ln++;
        const line = ln === 1 ? l.replace(/^\uFEFF/, '') : l;
        if (line.trim() === '') continue;
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch (e) {
          rejects.push({ line: ln, span: 1, reason: reasons.badJsonLine((e as Error).message.replace(/^Unexpected/, 'unexpected')), rawLine: line.slice(0, 4096) });
          continue;
        }
        guard(rec, ln);
        const n = normalise(rec, line, contract, keys);
        if ('why' in n) rejects.push({ line: ln, span: 1, reason: n.why, rawLine: line.slice(0, 4096) });
        else {
          lineOf.push(ln);
          await write(`${n.line}\n`);
        }
      }
    }
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  return { path: dst, keys: [...keys.keys()], rejects, lineOf };
}

/** "line L, column C: message" from V8's "… at position N" (or the message alone). */
function where(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  const msg = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected/, 'unexpected');
  if (!m) return msg;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${col}: ${msg}`;
}

/** The source text of each top-level element of a JSON array (valid JSON). */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') inStr = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 2 && start < 0) start = i;
      else if (depth === 1) continue;
    } else if (ch === ']' || ch === '}') {
      if (depth === 2 && start >= 0 && (ch === '}' || ch === ']')) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
      depth--;
    } else if (depth === 1 && ch !== ',' && !/\s/.test(ch!) && start < 0) {
      // a scalar element
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== ']') j++;
      out.push(text.slice(i, j));
      i = j - 1;
    }
  }
  return out;
}
