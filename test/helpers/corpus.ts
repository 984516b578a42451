/**
 * The malformed-input corpus (test/fixtures/ingest/<case>/): reading each case's expected.json,
 * materialising its input folder (committed files, plus inputs generated at test time: huge
 * records, Parquet, XLSX, gzip), and the independent measures the test compares the ingestion's
 * report with: physical lines of a file, byte offsets of bad bytes, the text of a record.
 *
 * Nothing here calls the ingestion: every number is computed from the file's bytes.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { fileErrors, reasons } from '../../src/core/messages.ts';

export const CORPUS_DIR = new URL('../fixtures/ingest/', import.meta.url).pathname;

/** A message of messages.ts named by function and arguments; `"*"` is any text; `"$…"` is computed (see `resolveArg`). */
export type MessageRef = [string, ...unknown[]];

export interface RejectSpec {
  file: string;
  /** Physical line of the record's first line (CSV, NDJSON), or 1-based element / row (JSON array, Parquet). */
  line: number | null;
  /** null: no column (the record as a whole); "*": any. */
  column: string | null;
  /** A substring of the reason, or a reference to `reasons.<fn>(...args)` (a substring too). */
  reason: string | MessageRef;
  /** The raw value reported, when checked. */
  value?: string | null;
  /** Physical lines the record spans (default 1). */
  span?: number;
  /** false: do not compare raw_line (NUL bytes, invalid UTF-8, multi-megabyte records). */
  raw?: boolean | string;
}

/** A line of a generated text file: literal text, or a long record made of a repeated unit. */
export type GenLine = string | { prefix?: string; unit: string; suffix?: string; bytes?: number; count?: number };

export type Generate =
  | { kind: 'lines'; lines: GenLine[]; eol?: string; finalEol?: boolean }
  | { kind: 'parquet'; sql: string; truncateTo?: number }
  | { kind: 'xlsx'; rows: (string | number)[][] }
  | { kind: 'gzip'; text: string };

export interface CaseSpec {
  description: string;
  rule: number;
  period: string;
  args?: string[];
  /** default: cafés C1–C3 (2023-Q1) and 10 service_uses rows in 2023-Q2; cafes: the cafés only; none: an empty warehouse. */
  baseline: 'default' | 'cafes' | 'none';
  exit: 0 | 2 | 3;
  message?: string | MessageRef;
  /** Case-insensitive regular expression the message must match as well. */
  messageMatches?: string;
  /** Text the message must not hold (a binary file is never "missing required columns"). */
  messageNot?: string;
  rejects?: RejectSpec[];
  loaded?: Record<string, number>;
  unchanged?: boolean;
  /** Partial match of the JSON summary's entry for a file (encoding, delimiter, lines...). */
  summary?: Record<string, Record<string, unknown>>;
  warnings?: string[];
  /** Queries run on the warehouse after the ingest, and the rows they must return. */
  sql?: { query: string; rows: Record<string, unknown>[] }[];
  /** How to decode a file without a byte order mark (UTF-16 without BOM). */
  decode?: Record<string, 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be'>;
  generate?: Record<string, Generate>;
}

export interface Case {
  name: string;
  dir: string;
  spec: CaseSpec;
}

export function loadCases(root = CORPUS_DIR): Case[] {
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory())
    .sort()
    .map((name) => ({ name, dir: join(root, name), spec: JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as CaseSpec }));
}

// ---------------------------------------------------------------- inputs

let duck: Promise<DuckDBInstance> | undefined;

async function writeParquet(sql: string, path: string): Promise<void> {
  duck ??= DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await (await duck).connect();
  try {
    await conn.run(`COPY (${sql}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
  }
}

export function genLine(l: GenLine): string {
  if (typeof l === 'string') return l;
  const prefix = l.prefix ?? '';
  const suffix = l.suffix ?? '';
  if (l.count !== undefined) return prefix + l.unit.repeat(l.count) + suffix;
  const fill = l.bytes! - Buffer.byteLength(prefix) - Buffer.byteLength(suffix);
  if (fill < 0 || Buffer.byteLength(l.unit) !== l.unit.length) throw new Error('generated line: bytes too small, or a non-ASCII unit');
  return prefix + l.unit.repeat(Math.ceil(fill / l.unit.length)).slice(0, fill) + suffix;
}

/** Copies a case's committed inputs (every file but expected.json) and generates the others into `out`. */
export async function materialise(c: Case, out: string): Promise<string[]> {
  const names: string[] = [];
  for (const n of readdirSync(c.dir)) {
    if (n === 'expected.json') continue;
    copyFileSync(join(c.dir, n), join(out, n));
    names.push(n);
  }
  for (const [name, g] of Object.entries(c.spec.generate ?? {})) {
    const path = join(out, name);
    if (g.kind === 'lines') {
      const eol = g.eol ?? '\n';
      writeFileSync(path, g.lines.map(genLine).join(eol) + (g.finalEol === false ? '' : eol));
    } else if (g.kind === 'parquet') {
      const tmp = `${path}.tmp.parquet`;
      await writeParquet(g.sql, tmp);
      let bytes = readFileSync(tmp);
      if (g.truncateTo !== undefined) bytes = bytes.subarray(0, g.truncateTo < 1 ? Math.floor(bytes.length * g.truncateTo) : g.truncateTo);
      writeFileSync(path, bytes);
      rmSync(tmp);
    } else if (g.kind === 'xlsx') {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('cafes');
      for (const r of g.rows) ws.addRow(r);
      writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    } else if (g.kind === 'gzip') {
      writeFileSync(path, gzipSync(Buffer.from(g.text)));
    }
    names.push(name);
  }
  return names.sort();
}

// ---------------------------------------------------------------- independent measures

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** How the test decodes a file: byte order mark, else the case's `decode`, else UTF-8 if valid, else Windows-1252. */
export function decodeFile(bytes: Buffer, hint?: TextEncoding): { text: string; encoding: TextEncoding; bomBytes: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le', bomBytes: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be', bomBytes: 2 };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(bom);
  const enc: TextEncoding = hint ?? (firstInvalidUtf8(body, 0, body.length) === -1 ? 'utf-8' : 'windows-1252');
  return { text: enc === 'utf-8' ? body.toString('utf8') : iconv.decode(body, enc === 'windows-1252' ? 'win1252' : enc), encoding: enc, bomBytes: bom };
}

/** The line terminator a text uses: `\n` (LF, CRLF, or a mix), else `\r` (old Mac files). */
function terminator(text: string): '\n' | '\r' {
  return text.includes('\n') || !text.includes('\r') ? '\n' : '\r';
}

/**
 * Physical lines as the brief defines them: the number of `\n` (of `\r` for CR-only files), plus
 * one when the file is non-empty and does not end with its terminator.
 */
export function physicalLines(bytes: Buffer, hint?: TextEncoding): number {
  const { text } = decodeFile(bytes, hint);
  if (text.length === 0) return 0;
  const t = terminator(text);
  const n = text.split(t).length - 1;
  return n + (text.endsWith(t) ? 0 : 1);
}

/**
 * Byte range [start, end) of physical lines `line` .. `line + span - 1` (1-based) of a file in
 * a single-byte-compatible encoding (UTF-8, Windows-1252), without the last line's terminator
 * (`\n`, `\r\n`, or `\r` in CR-only files).
 */
export function lineRange(bytes: Buffer, line: number, span = 1): { start: number; end: number } {
  const cr = !bytes.includes(0x0a) && bytes.includes(0x0d);
  const term = cr ? 0x0d : 0x0a;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const i = bytes.indexOf(term, start);
    if (i === -1) throw new Error(`the file has fewer than ${line} lines`);
    start = i + 1;
  }
  let end = start;
  for (let l = 0; l < span; l++) {
    const i = bytes.indexOf(term, end);
    end = i === -1 ? bytes.length : i + (l < span - 1 ? 1 : 0);
    if (i === -1) break;
  }
  if (!cr && end > start && bytes[end - 1] === 0x0d && bytes[end] === 0x0a) end--;
  return { start, end };
}

/** Offset of the first byte of [from, to) that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || i + k >= to) return i;
      const [l, h] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (x < l || x > h) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** The text of a record: its physical lines, decoded, without the last terminator. */
export function recordText(bytes: Buffer, line: number, span = 1, hint?: TextEncoding): string {
  const { text, encoding } = decodeFile(bytes, hint);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const t = terminator(text);
    const parts = text.split(t).slice(line - 1, line - 1 + span);
    return parts.join(t).replace(/\r$/, '');
  }
  const body = bytes.subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
  const off = body.length - bytes.length;
  const { start, end } = lineRange(bytes, line, span);
  const slice = body.subarray(Math.max(0, start + off), end + off);
  return encoding === 'utf-8' ? slice.toString('utf8') : iconv.decode(slice, 'win1252');
}

/** True when the record's bytes are valid UTF-8 and hold no NUL (its text can be compared). */
export function comparableRecord(bytes: Buffer, line: number, span = 1): boolean {
  const { start, end } = lineRange(bytes, line, span);
  return !bytes.subarray(start, end).includes(0) && end - start <= 65536;
}

// ---------------------------------------------------------------- messages

const WILD = '\u0000';

/** Computed arguments of a reject's reason, from the record's bytes. */
export function resolveArg(arg: unknown, bytes: Buffer | undefined, r: { line: number | null; span?: number }): unknown {
  if (typeof arg !== 'string' || !arg.startsWith('$')) return arg === '*' ? WILD : arg;
  if (!bytes || r.line === null) throw new Error(`${arg}: needs a file and a line`);
  const { start, end } = lineRange(bytes, r.line, r.span ?? 1);
  switch (arg) {
    case '$invalidUtf8':
      return firstInvalidUtf8(bytes, start, end);
    case '$nul':
      return bytes.indexOf(0, start) < end ? bytes.indexOf(0, start) : -1;
    case '$cr': {
      const i = bytes.indexOf(0x0d, start);
      return i !== -1 && i < end ? i : -1;
    }
    case '$recordBytes':
      return end - start;
    default:
      throw new Error(`unknown placeholder ${arg}`);
  }
}

/**
 * A message as a matcher: a literal substring, or `reasons.fn(...)` / `fileErrors.fn(...)` with
 * `*` arguments standing for any text. Returns a RegExp matching the message anywhere.
 */
export function messagePattern(ref: string | MessageRef, catalogue: 'reasons' | 'fileErrors', bytes?: Buffer, r?: { line: number | null; span?: number }): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (typeof ref === 'string') return new RegExp(esc(ref));
  const [fn, ...args] = ref;
  const table = (catalogue === 'reasons' ? reasons : fileErrors) as unknown as Record<string, (...a: unknown[]) => string>;
  const f = table[fn];
  if (!f) throw new Error(`messages.ts has no ${catalogue}.${fn}`);
  const text = f(...args.map((a) => resolveArg(a, bytes, r ?? { line: null })));
  return new RegExp(text.split(WILD).map(esc).join('[\\s\\S]*'));
}

/** The text a message reference stands for, for test names and failure output. */
export function describeRef(ref: string | MessageRef): string {
  return typeof ref === 'string' ? ref : `${ref[0]}(${ref.slice(1).map((a) => JSON.stringify(a)).join(', ')})`;
}
