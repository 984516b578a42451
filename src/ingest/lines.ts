/**
 * Physical line numbers for CSV records. DuckDB's reject `line` counts the header, records and
 * blank lines, not the lines a text editor shows (a quoted field with a newline shifts it), so
 * rejected rows are placed by scanning the bytes once: a record starts at the first byte of a
 * non-blank line outside quotes. Only run when a file has rejects, and only as far as the last.
 */
import { open } from 'node:fs/promises';

export interface RecordIndex {
  /** Byte offset where each data record starts (header excluded). */
  starts: number[];
  /** Physical line (1-based) where each data record starts. */
  lines: number[];
  /** DuckDB's `line` for each data record: header, records and blank lines counted once each. */
  duck: number[];
}

/**
 * Scans `path` and indexes its data records (after the header, blank lines skipped), stopping
 * once `needRecords` records are indexed and `needByte` has been passed.
 */
export async function indexRecords(path: string, opts: { needRecords?: number; needDuckLine?: number } = {}): Promise<RecordIndex> {
  const needRecords = opts.needRecords ?? Infinity;
  const needDuckLine = opts.needDuckLine ?? 0;
  const starts: number[] = [];
  const lines: number[] = [];
  const duck: number[] = [];
  let duckLine = 0;
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
          duckLine++;
          if (headerSeen) {
            starts.push(pos + i);
            lines.push(line);
            duck.push(duckLine);
          } else headerSeen = true;
        }
        if (b === 0x22) inQuotes = !inQuotes;
        else if (b === 0x0a) {
          line++;
          if (!inQuotes) {
            atLineStart = true;
            if (starts.length >= needRecords && duckLine >= needDuckLine) return { starts, lines, duck };
          }
        }
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { starts, lines, duck };
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
