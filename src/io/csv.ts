/**
 * A small CSV reader for official open-data files (INSEE, La Poste, data.gouv).
 *
 * - encoding: UTF-8 with or without BOM, UTF-16 with a BOM, otherwise Windows-1252 when the
 *   bytes are not valid UTF-8 anywhere in the file (older INSEE and spreadsheet exports);
 * - delimiter: `,`, `;` or tab, whichever occurs most in the header line (outside quotes);
 * - RFC 4180 quoting: `"…"` fields, `""` for a quote, delimiters and line breaks inside quotes;
 * - every record keeps the physical line where it starts (1-based, as a text editor shows it),
 *   so a record with an embedded line break does not shift the numbers of the next ones.
 *
 * `readCsv` loads a whole file (fine up to a few tens of MB); `openCsv` streams the records in
 * bounded memory, for the national BPE file (hundreds of MB, millions of lines).
 */
import { isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { InputError } from '../core/errors.ts';
import { inputReasons } from '../core/messages.ts';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** Physical line where the record starts (1-based). */
  line: number;
  fields: string[];
  /** The record's text as in the file (several physical lines if a quoted field spans them). */
  raw: string;
}

/** What the importers read: a header and records, in memory or streamed. */
export interface CsvInput {
  file: string;
  /** Column names, trimmed. */
  header: string[];
  headerLine: number;
  /** Data records; blank lines are not records. */
  records: Iterable<CsvRecord> | AsyncIterable<CsvRecord>;
}

export interface CsvTable extends CsvInput {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  records: CsvRecord[];
}

export interface CsvStream extends CsvInput {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Single pass; the file is closed when the iteration ends (or is abandoned by `break`). */
  records: AsyncIterable<CsvRecord>;
  /** Closes the file (idempotent): call it in a `finally` in case records are never iterated. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------- encoding

/** Decodes file bytes: BOMs first, then UTF-8 if valid, else Windows-1252. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = bomOf(b);
  if (bom) return { text: iconv.decode(b.subarray(bom.length), bom.encoding), encoding: bom.encoding };
  if (isUtf8(b)) return { text: b.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(b, 'win1252'), encoding: 'windows-1252' };
}

function bomOf(b: Uint8Array): { encoding: CsvEncoding; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** Bytes at the end of `b` that start a UTF-8 sequence the chunk cuts (0 to 3). */
export function cutUtf8Tail(b: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const byte = b[b.length - k]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

// ---------------------------------------------------------------- delimiter and records

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
 * Parses the complete records of `text` from `pos` into `out`. Unless `final`, a record that
 * reaches the end of the text without its line break is left for the next chunk: the returned
 * position and line are where it starts. Lenient where files commonly are (text after a closing
 * quote is kept), strict where data would be lost (an unterminated quote at the end throws).
 */
function parseRecords(text: string, pos: number, line: number, delim: number, final: boolean, file: string, out: CsvRecord[]): { pos: number; line: number } {
  const n = text.length;
  let i = pos;
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
          if (i >= n) {
            if (!final) return { pos: startPos, line: startLine };
            throw new InputError({ file, line: startLine, reason: inputReasons.unclosedQuote() });
          }
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (i + 1 >= n && !final) return { pos: startPos, line: startLine }; // `"` or `""`? next chunk says
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
        for (let c = text.charCodeAt(i); i < n && c !== delim && c !== LF && c !== CR; c = text.charCodeAt(++i));
        value = buf + text.slice(rest, i);
      } else {
        const s = i;
        for (let c = text.charCodeAt(i); i < n && c !== delim && c !== LF && c !== CR; c = text.charCodeAt(++i));
        value = text.slice(s, i);
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      break;
    }
    // The record ends at a line break or at the end of the text; a CR as the last character may
    // be the first half of a CRLF.
    if (!final && (i >= n || (text.charCodeAt(i) === CR && i + 1 >= n))) return { pos: startPos, line: startLine };
    const endPos = i;
    if (i < n) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
    if (endPos > startPos) out.push({ line: startLine, fields, raw: text.slice(startPos, endPos) });
  }
  return { pos: i, line };
}

/**
 * The fields of each record of CSV text, blank lines skipped: the one tokenizer, for a file's
 * sniffed head and for a rejected line shown field by field. Never throws: a record still open
 * at the end of the text (a head cut inside a quoted field, a rejected line with a stray quote)
 * is read as if its quote closed there, so its fields are what a person would read.
 */
export function splitRecords(text: string, delimiter: string, max = Infinity): string[][] {
  const out: CsvRecord[] = [];
  const d = delimiter.charCodeAt(0);
  if (Number.isFinite(max)) {
    // Only the head is needed (a sniffed sample): parse up to the max-th line break, and read the
    // record it cuts, if any, as open at the end (never more than `max` records either way).
    let cut = -1;
    for (let k = 0; k < max; k++) {
      cut = text.indexOf('\n', cut + 1);
      if (cut === -1) break;
    }
    if (cut !== -1 && cut + 1 < text.length) text = text.slice(0, cut + 1);
  }
  const { pos } = parseRecords(text, 0, 1, d, false, '<text>', out);
  if (pos < text.length) {
    const rest = text.slice(pos);
    try {
      parseRecords(rest, 0, 1, d, true, '<text>', out);
    } catch {
      parseRecords(`${rest}"`, 0, 1, d, true, '<text>', out);
    }
  }
  return out.slice(0, max).map((r) => r.fields);
}

/** Parses CSV text held in memory into a header and records. */
export function parseCsv(text: string, opts: { file?: string; delimiter?: CsvDelimiter } = {}): Omit<CsvTable, 'encoding'> {
  const file = opts.file ?? '<text>';
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const all: CsvRecord[] = [];
  parseRecords(text, 0, 1, delimiter.charCodeAt(0), true, file, all);
  const head = all.shift();
  if (!head) throw new InputError({ file, reason: inputReasons.emptyCsv() });
  return { file, delimiter, header: head.fields.map((h) => h.trim()), headerLine: head.line, records: all };
}

// ---------------------------------------------------------------- files

async function openFile(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (e) {
    throw new InputError({ file, reason: inputReasons.unreadable((e as NodeJS.ErrnoException).code ?? (e as Error).message) });
  }
}

async function* byteChunks(handle: FileHandle, from: number, size: number): AsyncGenerator<Buffer> {
  let position = from;
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    const { bytesRead } = await handle.read(buf, 0, size, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/** Encoding of a file and the length of its BOM; without a BOM, a full pass checks UTF-8. */
async function sniffEncoding(handle: FileHandle, size: number): Promise<{ encoding: CsvEncoding; skip: number }> {
  const head = Buffer.alloc(3);
  await handle.read(head, 0, 3, 0);
  const bom = bomOf(head);
  if (bom) return { encoding: bom.encoding, skip: bom.length };
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of byteChunks(handle, 0, size)) {
    const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const cut = cutUtf8Tail(b);
    if (!isUtf8(b.subarray(0, b.length - cut))) return { encoding: 'windows-1252', skip: 0 };
    carry = Buffer.from(b.subarray(b.length - cut));
  }
  return { encoding: carry.length ? 'windows-1252' : 'utf-8', skip: 0 };
}

async function* textChunks(handle: FileHandle, encoding: CsvEncoding, skip: number, size: number): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding);
  for await (const chunk of byteChunks(handle, skip, size)) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Opens a CSV file, hands its stream to `fn`, and closes the file whatever happens. */
export async function withCsv<T>(file: string, fn: (csv: CsvStream) => Promise<T>): Promise<T> {
  const csv = await openCsv(file);
  try {
    return await fn(csv);
  } finally {
    await csv.close();
  }
}

/**
 * Opens a CSV file and streams its records: bounded memory whatever the file size (two passes
 * over the bytes when there is no BOM: one to tell UTF-8 from Windows-1252, one to parse).
 */
export async function openCsv(file: string, opts: { chunkSize?: number } = {}): Promise<CsvStream> {
  const size = opts.chunkSize ?? 4 << 20;
  const handle = await openFile(file);
  let closed = false;
  const close = async () => {
    if (!closed) { closed = true; await handle.close(); }
  };
  try {
    const { encoding, skip } = await sniffEncoding(handle, size);
    const chunks = textChunks(handle, encoding, skip, size);
    let pending = '';
    let done = false;
    const pull = async () => {
      const r = await chunks.next();
      if (r.done) done = true;
      else pending += r.value;
    };

    // Header: enough text for its line (and the delimiter), then its record.
    while (!done && !/[\r\n]/.test(pending.replace(/^[\r\n]+/, ''))) await pull();
    if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
    const delimiter = detectDelimiter(pending);
    const delim = delimiter.charCodeAt(0);
    const first: CsvRecord[] = [];
    let at = { pos: 0, line: 1 };
    for (;;) {
      at = parseRecords(pending, 0, 1, delim, done, file, first);
      if (first.length > 0 || done) break;
      await pull();
    }
    const head = first.shift();
    if (!head) throw new InputError({ file, reason: inputReasons.emptyCsv() });
    // The header pass may have parsed data records already: replay them, then go on.
    async function* records(): AsyncGenerator<CsvRecord> {
      try {
        yield* first;
        let { pos, line } = at;
        while (!done) {
          pending = pending.slice(pos);
          await pull();
          const out: CsvRecord[] = [];
          ({ pos, line } = parseRecords(pending, 0, line, delim, done, file, out));
          yield* out;
        }
      } finally {
        await close();
      }
    }
    return { file, encoding, delimiter, header: head.fields.map((h) => h.trim()), headerLine: head.line, records: records(), close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Reads a whole CSV file into memory (see the module comment for what is detected). */
export async function readCsv(file: string, opts: { chunkSize?: number } = {}): Promise<CsvTable> {
  const { close, ...stream } = await openCsv(file, opts);
  try {
    const records: CsvRecord[] = [];
    for await (const rec of stream.records) records.push(rec);
    return { ...stream, records };
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------- columns

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
export function requireColumn(input: Pick<CsvInput, 'file' | 'header' | 'headerLine'>, what: string, ...names: string[]): number {
  const i = findColumn(input.header, ...names);
  if (i < 0) {
    throw new InputError({
      file: input.file,
      line: input.headerLine,
      reason: inputReasons.noColumn(what, names, input.header),
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

// ---------------------------------------------------------------- writing

/**
 * One CSV field, the one quoting rule of every file the project writes (figures, rejects,
 * reference exports, pseudonymised copies): RFC 4180 quotes, with `"` doubled, around a value
 * holding the delimiter, a quote, CR or LF, or starting or ending with white space (which readers
 * such as DuckDB and spreadsheets may otherwise trim); null and undefined are an empty field.
 *
 *   csvField('a;b', ';') → "a;b" quoted · csvField('say "hi"') → "say ""hi""" · csvField(' 12') → " 12" quoted
 *   csvField('a;b') → a;b (`;` is not the delimiter) · csvField(null) → (empty) · csvField(2.5) → 2.5
 */
export function csvField(v: unknown, delimiter: string = ','): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return s.includes(delimiter) || /["\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV record (without its line end): `csvField` of each value, joined by the delimiter. */
export function csvRow(values: readonly unknown[], delimiter: string = ','): string {
  return values.map((v) => csvField(v, delimiter)).join(delimiter);
}
