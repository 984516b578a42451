/**
 * A small, strict-enough CSV reader for official open-data files (INSEE, La Poste, data.gouv).
 *
 * - encoding: UTF-8 with or without BOM, UTF-16 with a BOM, otherwise Windows-1252 when the
 *   bytes are not valid UTF-8 (older INSEE and spreadsheet exports);
 * - delimiter: `,`, `;` or tab, whichever occurs most in the header line (outside quotes);
 * - RFC 4180 quoting: `"…"` fields, `""` for a quote, delimiters and line breaks inside quotes;
 * - every record keeps the physical line where it starts (1-based, as a text editor shows it),
 *   so a record with an embedded line break does not shift the numbers of the next ones.
 *
 * The files are at most a few tens of MB: everything is read in memory.
 */
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { InputError } from '../errors.ts';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** Physical line where the record starts (1-based). */
  line: number;
  fields: string[];
  /** The record's text as in the file (several physical lines if a quoted field spans them). */
  raw: string;
}

export interface CsvTable {
  file: string;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Column names, trimmed. */
  header: string[];
  headerLine: number;
  /** Data records; blank lines are not records. */
  records: CsvRecord[];
}

/** Decodes file bytes: BOMs first, then UTF-8 if valid, else Windows-1252. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: b.toString('utf8', 3), encoding: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: iconv.decode(b.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: iconv.decode(b.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(b, 'win1252'), encoding: 'windows-1252' };
  }
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The delimiter occurring most often (outside quotes) in the first non-blank line; `,` if none. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (started) break;
    } else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
    if (ch !== '\n' && ch !== '\r' && ch !== ' ') started = true;
  }
  let best: CsvDelimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * Parses CSV text into a header and records. Lenient where files commonly are (text after a
 * closing quote is kept as is), strict where data would be lost: an unterminated quoted field
 * throws an InputError naming the line where it opens.
 */
export function parseCsv(text: string, opts: { file?: string; delimiter?: CsvDelimiter } = {}): Omit<CsvTable, 'encoding'> {
  const file = opts.file ?? '<text>';
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  const all: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const isEnd = (c: number) => c === delim || c === CR || c === LF;

  while (i < n) {
    const startLine = line;
    const startPos = i;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        i++;
        let buf = '';
        let seg = i;
        for (;;) {
          if (i >= n) throw new InputError({ file, line: startLine, reason: 'a quoted field opened on this line is never closed' });
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              buf += text.slice(seg, i + 1);
              i += 2;
              seg = i;
              continue;
            }
            buf += text.slice(seg, i);
            i++;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        const rest = i;
        while (i < n && !isEnd(text.charCodeAt(i))) i++;
        value = buf + text.slice(rest, i);
      } else {
        const s = i;
        while (i < n && !isEnd(text.charCodeAt(i))) i++;
        value = text.slice(s, i);
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      break;
    }
    const endPos = i;
    if (i < n) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
    if (endPos === startPos) continue; // blank line
    all.push({ line: startLine, fields, raw: text.slice(startPos, endPos) });
  }

  const head = all.shift();
  if (!head) throw new InputError({ file, reason: 'the file is empty (no header line)' });
  return { file, delimiter, header: head.fields.map((h) => h.trim()), headerLine: head.line, records: all };
}

/** Reads and parses a CSV file (see the module comment for what is detected). */
export async function readCsv(file: string): Promise<CsvTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new InputError({ file, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
  }
  const { text, encoding } = decodeText(bytes);
  return { ...parseCsv(text, { file }), encoding };
}

/** Index of the first column whose name matches one of `names` (case-insensitive), or -1. */
export function findColumn(header: string[], ...names: string[]): number {
  const lower = header.map((h) => h.toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

/** Like findColumn, but a missing column is an InputError naming what was expected. */
export function requireColumn(table: Pick<CsvTable, 'file' | 'header' | 'headerLine'>, what: string, ...names: string[]): number {
  const i = findColumn(table.header, ...names);
  if (i < 0) {
    throw new InputError({
      file: table.file,
      line: table.headerLine,
      reason: `no ${what} column (expected one of ${names.join(', ')}; found ${table.header.join(', ')})`,
    });
  }
  return i;
}

/**
 * Why a record's field count does not fit the header, or null. Extra fields that are all empty
 * (a trailing delimiter) are tolerated; anything else means shifted or truncated columns.
 */
export function fieldCountProblem(headerLength: number, rec: CsvRecord): string | null {
  const got = rec.fields.length;
  if (got === headerLength) return null;
  if (got > headerLength && rec.fields.slice(headerLength).every((f) => f.trim() === '')) return null;
  return `has ${got} fields where the header has ${headerLength} (a stray delimiter or a truncated line)`;
}
