/**
 * One streaming pass over a CSV file's bytes, before DuckDB reads it, that finds what DuckDB's
 * reader would get wrong silently or fail on as a whole — and turns each into a rejected line:
 *
 * - a quoted field that does not close into a well-formed record (DuckDB would read the rest
 *   of the file into it): the physical line where it opens is rejected and the scan resumes on
 *   the next line; a quoted field spanning lines that closes into a record with the header's
 *   number of fields is legal;
 * - a NUL byte, a carriage return inside a line (outside quotes), a record longer than
 *   `MAX_RECORD_BYTES`: the line (record) is rejected;
 * - bytes that are not UTF-8 (in a file decided to be UTF-8): the line is rejected.
 *
 * It also counts the physical lines (header, blank, records), so the ingestion can state and
 * check the identity `header + blank + lines of accepted and rejected records = file lines`,
 * and cross-check its count of records against the one DuckDB reads.
 *
 * Quote rules are DuckDB's (RFC 4180): a quote opens a quoted field only at the start of a field;
 * inside, `""` is a quote; elsewhere a quote is a literal character.
 *
 * Speed: lines are found with `Buffer.indexOf` (native); a line is looked at byte by byte only
 * when its chunk holds a quote, a carriage return or a NUL.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { reasons } from '../core/messages.ts';

/** Records longer than this are rejected (DuckDB is given `max_line_size` above it). */
export const MAX_RECORD_BYTES = 1 << 20;
/**
 * A quoted field still open after this many bytes is taken for a stray quote; below it, a record
 * that closes well-formed but is longer than MAX_RECORD_BYTES is rejected as too long.
 */
const MAX_QUOTED_SCAN = 16 << 20;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const NUL = 0x00;
const UNDERSCORE = 0x5f;

export interface LineReject {
  /** Physical line (1-based) where the rejected record starts. */
  line: number;
  /** Physical lines it spans (blanked in the copy DuckDB reads). */
  span: number;
  reason: string;
  rawLine: string;
}

export interface ScanResult {
  /** Physical lines of the file (a last line without a newline counts). */
  totalLines: number;
  headerLines: number;
  blankLines: number;
  /** Records the scan passes on to DuckDB, and the physical lines they span. */
  records: number;
  recordLines: number;
  /** Records spanning several lines (quoted newlines): start line → lines spanned. */
  multiLine: Map<number, number>;
  rejects: LineReject[];

  /** Line ends are carriage returns alone (old Mac files): the copy DuckDB reads uses LF. */
  crOnly: boolean;
  /** Fields in the header record. */
  headerFields: number;
  /** Blank lines before the header (DuckDB would take the first as the header). */
  leadingBlank: number;
  /** Lines ending in CRLF and lines ending in a bare LF both occur (DuckDB refuses the mix). */
  mixedLineEnds: boolean;
  /**
   * A line after the header holds an underscore. DuckDB's reader takes "1_000" for 1000 when it
   * parses a number itself, so numbers are read that way only from files without one (numbers.ts).
   * (Looked for with memchr over the bytes after the header, ~0.01 s on 400 MB.)
   */
  underscore: boolean;
}

export interface ScanOptions {
  delimiter: string;
  /** Skip a UTF-8 byte order mark at the start. */
  bom?: boolean;
}

/**
 * The record's text for the rejects table: as in the file, but for NUL bytes, written `\0`
 * (a DuckDB VARCHAR cannot hold them); printing escapes the other control characters.
 */
function shown(buf: Buffer): string {
  // eslint-disable-next-line no-control-regex
  return buf.toString('utf8').replace(/\u0000/g, '\\0');
}

/**
 * Scans a CSV file. `newline` is decided from the head: LF when the head holds one (CRLF lines
 * are LF lines ending in CR), else CR when it holds one (CR-only files).
 */
export async function scanCsv(path: string, o: ScanOptions): Promise<ScanResult> {
  const delim = o.delimiter.charCodeAt(0);
  const res: ScanResult = { totalLines: 0, headerLines: 0, blankLines: 0, records: 0, recordLines: 0, multiLine: new Map(), rejects: [], crOnly: false, headerFields: 0, leadingBlank: 0, mixedLineEnds: false, underscore: false };
  let crlf = false;
  let bareLf = false;
  let nl = LF;
  let headerDone = false;
  // Where the header record ends, and up to where the bytes after it were searched for "_".
  let headerEnd = Infinity;
  let searchedTo = 0;
  const searchUnderscore = (data: Buffer, dataOffset: number, to: number) => {
    const from = Math.max(searchedTo, headerEnd);
    if (!res.underscore && to > from && data.subarray(from - dataOffset, to - dataOffset).indexOf(UNDERSCORE) !== -1) res.underscore = true;
    searchedTo = Math.max(searchedTo, to);
  };

  // The record being assembled: its physical lines (without their line end) and where each
  // starts in the file. A record is complete when a line ends outside quotes.
  interface Piece { b: Buffer; off: number; ln: number }
  let rec: Piece[] = [];
  let recBytes = 0;
  let inQuotes = false;
  let fields = 1;
  let bad: string | null = null;
  // A closing quote followed by something else than a delimiter or the line's end.
  let malformed = false;
  // A line longer than MAX_RECORD_BYTES is skipped to its end without buffering.
  let longLine: { line: number; bytes: number; head: Buffer } | null = null;

  const reject = (startLine: number, span: number, reason: string, raw: Buffer) => {
    res.rejects.push({ line: startLine, span, reason, rawLine: shown(raw.subarray(0, 4096)) });
  };
  const reset = () => {
    rec = [];
    recBytes = 0;
    inQuotes = false;
    fields = 1;
    bad = null;
    malformed = false;
  };

  /** Byte-level look at one line (quotes, stray CR, NUL, UTF-8), continuing the record's state. */
  const inspect = (buf: Buffer, off: number, continuing: boolean): void => {
    if (!bad && !isUtf8(buf)) bad = reasons.invalidUtf8(off + firstInvalidUtf8(buf));
    let atFieldStart = !continuing;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (inQuotes) {
        if (b === QUOTE) {
          if (buf[i + 1] === QUOTE) i++;
          else {
            inQuotes = false;
            if (i + 1 < buf.length && buf[i + 1] !== delim) malformed = true;
          }
        } else if (b === NUL && !bad) bad = reasons.nulByte(off + i);
        continue;
      }
      if (b === QUOTE && atFieldStart) {
        inQuotes = true;
        atFieldStart = false;
        continue;
      }
      atFieldStart = false;
      if (b === delim) {
        fields++;
        atFieldStart = true;
      } else if (b === NUL && !bad) bad = reasons.nulByte(off + i);
      else if ((b === CR || (nl === CR && b === LF)) && !bad) bad = reasons.strayCarriageReturn(off + i);
    }
  };

  /** The record is complete (it ends outside quotes). Returns lines to read again, if any. */
  const finish = (): Piece[] => {
    const pieces = rec;
    const span = pieces.length;
    const startLine = pieces[0]!.ln;
    const raw = span === 1 ? pieces[0]!.b : Buffer.concat(pieces.flatMap((p, i) => (i ? [Buffer.from('\n'), p.b] : [p.b])));
    const unclosed = inQuotes;
    const nFields = fields;
    const why = bad;
    const odd = malformed;
    reset();
    if (!headerDone && !unclosed) {
      headerDone = true;
      res.headerLines = span;
      headerEnd = pieces[span - 1]!.off + pieces[span - 1]!.b.length;
      // (lines after it already passed unsearched: a header found after a stray quote's replay)
      if (headerEnd < searchedTo) res.underscore = true;
      res.headerFields = nFields;
      return [];
    }
    // A quoted field that does not close into a well-formed record: a stray quote. Reject the
    // line where it opened and read the following lines again as records of their own.
    if (unclosed || (span > 1 && (odd || nFields !== res.headerFields))) {
      reject(startLine, 1, reasons.unterminatedQuote(), pieces[0]!.b);
      return pieces.slice(1);
    }
    if (why) {
      reject(startLine, span, why, raw);
      return [];
    }
    if (raw.length > MAX_RECORD_BYTES) {
      reject(startLine, span, reasons.lineTooLong(raw.length, MAX_RECORD_BYTES), raw);
      return [];
    }
    res.records++;
    res.recordLines += span;
    if (span > 1) res.multiLine.set(startLine, span);
    return [];
  };

  /** One physical line (without its line end), looked at byte by byte (fastLines takes the plain ones). */
  const onLine = (buf: Buffer, ln: number, off: number): void => {
    const continuing = rec.length > 0;
    const endsCr = nl === LF && buf.length > 0 && buf[buf.length - 1] === CR;
    if (endsCr) crlf = true;
    else if (off >= 0 && nl === LF) bareLf = true;
    const body = endsCr ? buf.subarray(0, buf.length - 1) : buf;
    if (!continuing && body.length === 0) {
      res.blankLines++;
      if (!headerDone) res.leadingBlank++;
      return;
    }
    rec.push({ b: body, off, ln });
    recBytes += body.length + 1;
    inspect(body, off, continuing);
    if (inQuotes && recBytes <= MAX_QUOTED_SCAN) return;
    // Complete, or a quoted field grown past a record's size (a stray quote): finish it.
    replay(finish());
  };

  /** Lines read again as records of their own, after a stray quote was found in a record. */
  const replay = (pieces: Piece[]): void => {
    for (const p of pieces) onLine(p.b, p.ln, p.off);
  };

  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    // One buffer for the whole file: the unfinished last line of a chunk (at most a record's
    // size: longer lines are skipped unbuffered) is moved to its start and the next chunk read
    // after it. (A new buffer per chunk cost more than the scan itself: allocation, page faults.)
    // The next chunk is read (by libuv's thread pool) into a second buffer while this one is
    // scanned, then copied after the carried bytes: measured, waiting for each read took a third
    // of the scan's time, the copy a tenth of that.
    const CHUNK = 4 << 20;
    const buf = Buffer.allocUnsafe(CHUNK + MAX_QUOTED_SCAN + 1);
    const spare = Buffer.allocUnsafe(CHUNK);
    const readAt = async (at: number): Promise<number> => (at < size ? (await fh.read(spare, 0, CHUNK, at)).bytesRead : 0);
    let carryLen = 0;
    let carryOffset = o.bom ? 3 : 0;
    let pos = carryOffset;
    let line = 0;
    let decided = false;
    let next = readAt(pos);
    next.catch(() => undefined); // awaited below; never an unhandled rejection
    for (;;) {
      const bytesRead = await next;
      spare.copy(buf, carryLen, 0, bytesRead);
      pos += bytesRead;
      next = readAt(pos);
      next.catch(() => undefined);
      const eof = bytesRead === 0;
      const data = buf.subarray(0, carryLen + bytesRead);
      const dataOffset = carryOffset;
      if (!decided) {
        // LF files (CRLF ones too) unless the head holds a CR and no LF.
        const head = data.subarray(0, Math.min(data.length, 1 << 20));
        if (head.indexOf(LF) === -1 && head.indexOf(CR) !== -1) {
          nl = CR;
          res.crOnly = true;
        }
        decided = true;
      }
      // Lines of a chunk with no quote, NUL or invalid byte need no byte-level look (a CR then
      // only needs checking at the line's end).
      const lastNl = data.lastIndexOf(nl);
      const whole = lastNl === -1 ? data.subarray(0, 0) : data.subarray(0, lastNl);
      const quickChunk = whole.indexOf(QUOTE) === -1 && whole.indexOf(NUL) === -1 && isUtf8(whole);
      const crInChunk = whole.indexOf(nl === LF ? CR : LF) !== -1;
      let start = 0;
      for (;;) {
        if (quickChunk && headerDone && rec.length === 0 && !longLine) {
          // The common case, in a tight loop of its own: blank lines and one-line records.
          const f = fastLines(data, start, nl, crInChunk);
          line += f.lines;
          res.totalLines += f.lines;
          res.blankLines += f.blanks;
          res.records += f.lines - f.blanks;
          res.recordLines += f.lines - f.blanks;
          if (f.crlf) crlf = true;
          if (f.bareLf) bareLf = true;
          start = f.stop;
        }
        if (longLine) {
          const e = data.indexOf(nl, start);
          if (e === -1) {
            longLine.bytes += data.length - start;
            start = data.length;
            break;
          }
          longLine.bytes += e - start;
          line++;
          res.totalLines++;
          reject(longLine.line, 1, reasons.lineTooLong(longLine.bytes, MAX_RECORD_BYTES), longLine.head);
          longLine = null;
          start = e + 1;
          continue;
        }
        const e = data.indexOf(nl, start);
        if (e === -1) break;
        // A line fastLines left: the header, a line of an open record, or one needing a look.
        line++;
        res.totalLines++;
        onLine(data.subarray(start, e), line, dataOffset + start);
        start = e + 1;
      }
      searchUnderscore(data, dataOffset, dataOffset + start);
      if (eof) {
        if (start < data.length) {
          line++;
          res.totalLines++;
          const lastBare = bareLf;
          onLine(data.subarray(start), line, dataOffset + start); // a last line without a line end
          bareLf = lastBare; // it has no line end at all
        }
        searchUnderscore(data, dataOffset, dataOffset + data.length);
        if (longLine) {
          line++;
          res.totalLines++;
          reject(longLine.line, 1, reasons.lineTooLong(longLine.bytes, MAX_RECORD_BYTES), longLine.head);
          longLine = null;
        }
        // A record still open at the end of the file: its quote never closed.
        while (rec.length) {
          inQuotes = true;
          replay(finish());
        }
        break;
      }
      // Keep what the next chunk completes (the buffers of an open record point into `data`).
      if (rec.length) rec = rec.map((p) => ({ ...p, b: Buffer.from(p.b) }));
      carryLen = data.length - start;
      carryOffset = dataOffset + start;
      if (rec.length && recBytes + carryLen > MAX_QUOTED_SCAN) {
        // A quoted field still open after MAX_QUOTED_SCAN bytes: a stray quote.
        inQuotes = true;
        replay(finish());
      }
      if (rec.length === 0 && carryLen > MAX_RECORD_BYTES) {
        // A line already longer than a record may be, still without its end: skip it unbuffered.
        longLine = { line: line + 1, bytes: carryLen, head: Buffer.from(data.subarray(start, start + 4096)) };
        res.underscore = true; // its bytes are skipped unseen (it is rejected)
        carryLen = 0;
        carryOffset = pos;
      } else data.copyWithin(0, start);
    }
  } finally {
    await fh.close();
  }
  res.rejects.sort((a, b) => a.line - b.line);
  res.mixedLineEnds = crlf && bareLf;
  return res;
}

const fast = { lines: 0, blanks: 0, stop: 0, crlf: false, bareLf: false };

/**
 * Counts the complete lines of `data` from `start` that need no byte-level look, stopping before
 * the first that does (longer than a record may be, or holding a stray CR) or at the last line
 * end. A small function of its own so that V8 keeps its locals in registers.
 */
function fastLines(data: Buffer, start: number, nl: number, crInChunk: boolean): typeof fast {
  let lines = 0;
  let blanks = 0;
  let crlf = false;
  let bareLf = false;
  let s = start;
  for (;;) {
    const e = data.indexOf(nl, s);
    if (e === -1 || e - s > MAX_RECORD_BYTES) break;
    let endsCr = false;
    if (nl === LF && e > s && data[e - 1] === CR) endsCr = true;
    if (crInChunk) {
      const c = data.indexOf(nl === LF ? CR : LF, s);
      if (c !== -1 && c < (endsCr ? e - 1 : e)) break;
    }
    if (endsCr) crlf = true;
    else if (nl === LF) bareLf = true;
    if (e === s || (endsCr && e === s + 1)) blanks++;
    lines++;
    s = e + 1;
  }
  fast.lines = lines;
  fast.blanks = blanks;
  fast.stop = s;
  fast.crlf = crlf;
  fast.bareLf = bareLf;
  return fast;
}

/** Offset of the first byte of `buf` that is not part of a valid UTF-8 sequence. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > buf.length || !isUtf8(buf.subarray(i, i + n))) return i;
    i += n;
  }
  return buf.length;
}

/**
 * Writes the copy DuckDB reads: the rejected lines blanked (so physical line numbers stay) and
 * CR-only line ends turned into LF.
 */
export async function writeSanitized(src: string, dst: string, scan: ScanResult, bom: boolean): Promise<void> {
  const blank = new Set<number>();
  for (const r of scan.rejects) for (let k = 0; k < r.span; k++) blank.add(r.line + k);
  // Blank lines before the header move after it: DuckDB takes the first line for the header,
  // and the records keep their physical line numbers.
  const lead = scan.leadingBlank;
  const stripCr = scan.mixedLineEnds;
  const nl = scan.crOnly ? CR : LF;
  const { createWriteStream } = await import('node:fs');
  const out = createWriteStream(dst);
  const write = (b: Buffer | string) => (out.write(b) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let line = 0;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  for await (const chunk of createReadStream(src, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    if (first && bom && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    first = false;
    let start = 0;
    const parts: Buffer[] = [];
    for (;;) {
      const e = data.indexOf(nl, start);
      if (e === -1) break;
      line++;
      const end = stripCr && e > start && data[e - 1] === CR ? e - 1 : e;
      if (line > lead) {
        if (!blank.has(line)) parts.push(data.subarray(start, end));
        parts.push(Buffer.from('\n'));
        // the leading blank lines, written after the header
        if (lead && line === lead + 1) parts.push(Buffer.from('\n'.repeat(lead)));
      }
      start = e + 1;
    }
    if (parts.length) await write(Buffer.concat(parts));
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length) {
    line++;
    if (!blank.has(line)) await write(carry);
    if (lead && line === lead + 1) await write(`\n${'\n'.repeat(lead - 1)}`);
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface EncodingEvidence {
  encoding: TextEncoding;
  /** What a binary file looks like, when it is not text. */
  binary?: string;
  /** The file starts with a UTF-8 byte order mark but reads as Windows-1252. */
  bomOverWin1252?: boolean;
}

const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive, e.g. an .xlsx or .ods workbook'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty zip archive'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip-compressed file'],
  [[0x42, 0x5a, 0x68], 'a bzip2-compressed file'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'an xz-compressed file'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd-compressed file'],
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel (.xls) or Word document'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'an SQLite database'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable'],
];

/** The file starts with a UTF-8 byte order mark. */
export async function startsWithUtf8Bom(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(3);
    const { bytesRead } = await fh.read(b, 0, 3, 0);
    return bytesRead === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  } finally {
    await fh.close();
  }
}

/**
 * A text file's encoding is decided on evidence: from its head (`headEncoding`: binary
 * signatures, UTF-16 byte order marks and NUL patterns), then, for UTF-8 vs Windows-1252, from the
 * whole file (`textEncoding`).
 *
 * What a file's head decides: a binary file (`binary` says what it looks like) or UTF-16;
 * undefined for a file that is UTF-8 or Windows-1252 (`textEncoding` decides).
 */
export async function headEncoding(path: string): Promise<EncodingEvidence | undefined> {
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const b = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    head = b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be' };
  for (const [sig, what] of MAGIC) if (sig.every((x, i) => head[i] === x)) return { encoding: 'utf-8', binary: what };
  // UTF-16 without a byte order mark: ASCII text has a NUL in every other byte.
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0) evenNul++;
      if (head[2 * i + 1] === 0) oddNul++;
    }
    if (oddNul > 0.4 * pairs && evenNul < 0.05 * pairs) return { encoding: 'utf-16le' };
    if (evenNul > 0.4 * pairs && oddNul < 0.05 * pairs) return { encoding: 'utf-16be' };
    const nul = evenNul + oddNul;
    if (nul > 0.1 * Math.min(head.length, 4096)) return { encoding: 'utf-8', binary: 'binary data (many NUL bytes)' };
  }
  return undefined;
}

/**
 * UTF-8 or Windows-1252, for a file whose head is neither binary nor UTF-16, given the facts of
 * its hash pass: a file that is not valid UTF-8 is Windows-1252 only when none of its lines holds
 * a valid non-ASCII UTF-8 character; one valid UTF-8 character is evidence that the bad bytes are
 * damage, not an encoding.
 */
export async function textEncoding(path: string, facts: { utf8: boolean; bom: boolean }): Promise<EncodingEvidence> {
  if (facts.utf8) return { encoding: facts.bom ? 'utf-8-bom' : 'utf-8' };
  // Not valid UTF-8: is there any line that is valid UTF-8 and not ASCII?
  let validNonAscii = false;
  let carry: Buffer = Buffer.alloc(0);
  const { isAscii } = await import('node:buffer');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = facts.bom && carry.length === 0 && data[0] === 0xef ? 3 : 0;
    for (;;) {
      const e = data.indexOf(LF, start);
      if (e === -1) break;
      const l = data.subarray(start, e);
      if (!isAscii(l) && isUtf8(l)) validNonAscii = true;
      start = e + 1;
    }
    if (validNonAscii) break;
    carry = Buffer.from(data.subarray(start));
  }
  if (!validNonAscii && carry.length && !isAscii(carry) && isUtf8(carry)) validNonAscii = true;
  if (validNonAscii) return { encoding: facts.bom ? 'utf-8-bom' : 'utf-8' };
  return { encoding: 'windows-1252', bomOverWin1252: facts.bom };
}
