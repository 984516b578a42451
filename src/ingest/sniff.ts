/**
 * Looks at the head of a CSV file the way an analyst would, to tell DuckDB how to read it:
 * encoding (UTF-8, with or without BOM, or Windows-1252 as Excel's French exports write it),
 * separator (`,` `;` or tab), header, date format (ISO or dd/mm/yyyy, per file) and decimal
 * separator (`.` or `,`).
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { detectDelimiter, splitRecords } from '../io/csv.ts';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

export interface Dialect {
  encoding: Encoding;
  delimiter: ',' | ';' | '\t';
  /** Header names as written (trimmed, BOM removed). */
  header: string[];
  /** Sample of data records (after the header), as split fields. */
  sample: string[][];
  /** Physical line of the header (1 unless blank lines precede it). */
  headerLine: number;
}

const SNIFF_BYTES = 256 * 1024;

/** Reads the head of a file and detects its dialect. */
export async function sniffCsv(path: string): Promise<Dialect> {
  const fh = await open(path, 'r');
  let head: Buffer;
  let complete: boolean;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead);
    complete = bytesRead < SNIFF_BYTES;
  } finally {
    await fh.close();
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const body = bom ? head.subarray(3) : head;
  const encoding: Encoding = bom ? 'utf-8-bom' : utf8Prefix(body, complete) ? 'utf-8' : 'windows-1252';
  const text = encoding === 'windows-1252' ? iconv.decode(body, 'win1252') : body.toString('utf8');
  // Drop a possibly cut last record when the file is longer than the sniffed head.
  const usable = complete ? text : text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));
  let headerLine = 1;
  let start = 0;
  while (start < usable.length && (usable[start] === '\n' || usable[start] === '\r')) {
    if (usable[start] === '\n') headerLine++;
    start++;
  }
  const firstLine = usable.slice(start, usable.indexOf('\n', start) === -1 ? undefined : usable.indexOf('\n', start));
  const delimiter = detectDelimiter(firstLine);
  const records = splitRecords(usable.slice(start), delimiter, 201);
  const header = (records[0] ?? []).map((h) => h.trim());
  return { encoding, delimiter, header, sample: records.slice(1), headerLine };
}

/** True when the buffer is valid UTF-8, allowing a multi-byte character cut at the end. */
export function utf8Prefix(buf: Buffer, complete: boolean): boolean {
  if (isUtf8(buf)) return true;
  if (complete) return false;
  for (let cut = 1; cut <= 3 && cut < buf.length; cut++) if (isUtf8(buf.subarray(0, buf.length - cut))) return true;
  return false;
}

const DMY = /^\d{1,2}\/\d{1,2}\/\d{4}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DMY_TIME = /^(\d{1,2}\/\d{1,2}\/\d{4})[ T](\d{1,2}:\d{2})(:\d{2})?$/;

/** `%d/%m/%Y` when the sampled dates are written day first, else ISO (DuckDB's default). */
export function detectDateFormat(values: string[]): '%d/%m/%Y' | '%Y-%m-%d' | undefined {
  const v = values.map((x) => x.trim()).filter(Boolean);
  if (v.length === 0) return undefined;
  const dmy = v.filter((x) => DMY.test(x)).length;
  const iso = v.filter((x) => ISO_DATE.test(x)).length;
  if (dmy === 0 && iso === 0) return undefined;
  return dmy > iso ? '%d/%m/%Y' : '%Y-%m-%d';
}

/** `%d/%m/%Y %H:%M:%S` (or without seconds) when timestamps are written day first. */
export function detectTimestampFormat(values: string[]): string | undefined {
  const v = values.map((x) => x.trim()).filter(Boolean);
  const m = v.map((x) => DMY_TIME.exec(x)).filter((x): x is RegExpExecArray => x !== null);
  if (m.length === 0 || m.length * 2 < v.length) return undefined;
  return m.filter((x) => x[3]).length * 2 >= m.length ? '%d/%m/%Y %H:%M:%S' : '%d/%m/%Y %H:%M';
}

/** True when sampled instants carry a UTC offset (`Z`, `+02:00`): they are converted to Paris time. */
export function detectOffsets(values: string[]): boolean {
  return values.some((x) => /\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$/i.test(x.trim()));
}

/** True when sampled numbers use a decimal comma (`12,5`). */
export function detectDecimalComma(values: string[]): boolean {
  const v = values.map((x) => x.trim()).filter(Boolean);
  return v.some((x) => /^-?\d+,\d+$/.test(x)) && !v.some((x) => /^-?\d+\.\d+$/.test(x));
}
