/**
 * Physical line numbers for CSV records. DuckDB's reject `line` counts the header, records and
 * blank lines, not the lines a text editor shows (a quoted field with a newline shifts it), so
 * rejected rows are placed by scanning the bytes once: a record starts at the first byte of a
 * non-blank line outside quotes. Quotes follow DuckDB's rules (a quote opens a quoted field only
 * at the start of a field; `bre"ad` is a literal quote). Only run when a file has rejects, and
 * only as far as the last.
 */
import { open } from 'node:fs/promises';

export interface RecordIndex {
  /** Byte offset where each data record starts (header excluded). */
  starts: number[];
  /** Physical line (1-based) where each data record starts. */
  lines: number[];
  /** DuckDB's `line` for each data record: header, records and blank lines counted once each. */
  duck: number[];
  /** Byte offset where each data record ends (its line end, or the end of the file). */
  ends: number[];
}

/**
 * Scans `path` and indexes its data records (after the header, blank lines skipped), stopping
 * once `needRecords` records are indexed and `needByte` has been passed.
 */
export async function indexRecords(path: string, opts: { needRecords?: number; needDuckLine?: number; delimiter?: string } = {}): Promise<RecordIndex> {
  const delim = (opts.delimiter ?? ',').charCodeAt(0);
  const needRecords = opts.needRecords ?? Infinity;
  const needDuckLine = opts.needDuckLine ?? 0;
  const starts: number[] = [];
  const lines: number[] = [];
  const duck: number[] = [];
  const ends: number[] = [];
  let duckLine = 0;
  let atFieldStart = true;
  const fh = await open(path, 'r');
  const buf = Buffer.alloc(4 << 20);
  let pos = 0;
  let line = 1;
  let inQuotes = false;
  let atLineStart = true;
  let headerSeen = false;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      let i = 0;
      if (pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
      for (; i < bytesRead; i++) {
        const b = buf[i]!;
        if (atLineStart && !inQuotes) {
          if (b === 0x0a) {
            line++;
            duckLine++; // a blank line: DuckDB counts it
            continue;
          }
          if (b === 0x0d) continue;
          atLineStart = false;
          atFieldStart = true;
          duckLine++;
          if (headerSeen) {
            starts.push(pos + i);
            lines.push(line);
            duck.push(duckLine);
          } else headerSeen = true;
        }
        if (inQuotes) {
          if (b === 0x22) inQuotes = false; // a doubled quote closes and reopens: same effect
          else if (b === 0x0a) line++;
          continue;
        }
        if (b === 0x22 && atFieldStart) inQuotes = true;
        atFieldStart = b === delim;
        if (b === 0x0a) {
          line++;
          atLineStart = true;
          if (headerSeen && starts.length > ends.length) ends.push(pos + i);
          if (starts.length >= needRecords && duckLine >= needDuckLine) return { starts, lines, duck, ends };
        }
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  if (starts.length > ends.length) ends.push(pos);
  return { starts, lines, duck, ends };
}

/** Index of the data record DuckDB numbers `duckLine` (the last one at or before it). */
export function recordAtDuckLine(idx: RecordIndex, duckLine: number): number {
  let lo = 0;
  let hi = idx.duck.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (idx.duck[mid]! <= duckLine) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
