/**
 * The byte scan's line counting (src/ingest/scan.ts) against a reference written here without
 * its chunks and fast paths: the file's text split on "\n". For files with no
 * quote, NUL or carriage return, every physical line is the header, a blank line, a record, or a
 * record rejected as longer than MAX_RECORD_BYTES — and which is which follows from the split
 * alone. The files are built to put the cases the fast path handles by itself on the 4 MiB chunk
 * boundaries: blank lines and runs of them, lines of exactly MAX_RECORD_BYTES bytes and one byte
 * more, a last line without its line end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, scanCsv } from '../../src/ingest/scan.ts';
import { mulberry32 } from '../helpers/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the scan must say of `text`, from `text.split('\n')` alone. */
function reference(text: string) {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop(); // the last line end ends the last line
  let header = -1;
  let leadingBlank = 0;
  let blank = 0;
  let records = 0;
  const tooLong: number[] = [];
  parts.forEach((l, i) => {
    if (l === '') {
      blank++;
      if (header < 0) leadingBlank++;
    } else if (header < 0) header = i;
    else if (Buffer.byteLength(l) > MAX_RECORD_BYTES) tooLong.push(i + 1);
    else records++;
  });
  return { totalLines: parts.length, blankLines: blank, leadingBlank, records, recordLines: records, tooLong };
}

async function scanOf(text: string) {
  const f = join(dir, 'f.csv');
  writeFileSync(f, text);
  const r = await scanCsv(f, { delimiter: ',' });
  return {
    totalLines: r.totalLines,
    blankLines: r.blankLines,
    leadingBlank: r.leadingBlank,
    records: r.records,
    recordLines: r.recordLines,
    tooLong: r.rejects.map((x) => x.line),
    reasons: r.rejects.map((x) => x.reason),
    mixed: r.mixedLineEnds,
  };
}

const CHUNK = 4 << 20;

describe('scanCsv counts lines as splitting the text on "\\n" does', () => {
  it('on lines of every length around the chunk boundaries, blank lines and runs of them', async () => {
    const rnd = mulberry32(20261202);
    for (let trial = 0; trial < 6; trial++) {
      let s = 'a,b,c\n';
      // ~9 MiB: two chunk boundaries, each approached with a blank line, a run of blank lines or a long line
      while (s.length < 2 * CHUNK + (1 << 20)) {
        const r = rnd();
        if (r < 0.05) s += '\n'.repeat(1 + Math.floor(rnd() * 3));
        else s += `${'x'.repeat(Math.floor(rnd() * 60))},${Math.floor(rnd() * 1000)}\n`;
        // the next chunk boundary a few bytes ahead: land a blank line or a line end right on it
        for (const b of [CHUNK, 2 * CHUNK]) {
          const gap = b - s.length;
          if (gap > 0 && gap < 8 && rnd() < 0.5) s += `${'y'.repeat(gap - 1)}\n${trial % 2 ? '\n' : ''}`;
        }
      }
      if (trial % 3 === 2) s += 'last,line,without,end';
      expect(await scanOf(s)).toEqual({ ...reference(s), reasons: [], mixed: false });
    }
  });

  it('on lines of exactly MAX_RECORD_BYTES bytes (kept) and one more (rejected), across chunks', async () => {
    const at = 'z'.repeat(MAX_RECORD_BYTES);
    const over = 'w'.repeat(MAX_RECORD_BYTES + 1);
    const s = ['h1,h2', 'a,1', at, 'b,2', '', over, at, at, '', '', 'c,3', over, over, at, 'd,4', ''].join('\n');
    const got = await scanOf(s);
    const want = reference(s);
    expect(want.tooLong).toEqual([6, 12, 13]); // by hand: the lines of MAX_RECORD_BYTES + 1 bytes
    expect(got).toEqual({ ...want, reasons: want.tooLong.map(() => expect.stringMatching(/1048577/)), mixed: false });
  });

  it('on leading blank lines and a file of blank lines only after its header', async () => {
    for (const s of ['\n\nh\n1\n', 'h\n\n\n\n', 'h\n1\n2', 'h', '\n']) expect(await scanOf(s)).toEqual({ ...reference(s), reasons: [], mixed: false });
  });
});

describe('scanCsv says whether a line after the header holds an underscore', () => {
  const flag = async (text: string) => {
    const f = join(dir, 'u.csv');
    writeFileSync(f, text);
    return (await scanCsv(f, { delimiter: ',' })).underscore;
  };
  it('not for one in the header only, wherever the rest of the file lies', async () => {
    expect(await flag('cafe_id,amount_eur\nC1,1.5\nC2,2\n')).toBe(false);
    expect(await flag(`\n\ncafe_id,amount_eur\n${'C1,1.5\n'.repeat(1 << 20)}`)).toBe(false); // 7 MiB: two chunks
  });
  it('for one in any record: the first, one across a chunk boundary, a last line without its end', async () => {
    expect(await flag('h\nC_1\n')).toBe(true);
    const before = 'h\n' + 'x,1\n'.repeat(((4 << 20) - 10) / 4); // the next line straddles 4 MiB
    expect(await flag(`${before}abcdefgh_ijklmnop\nx,2\n`)).toBe(true);
    expect(await flag(`${before}x,2\nlast_line`)).toBe(true);
    expect(await flag(`${before}x,2\nlast line`)).toBe(false);
  });
});
