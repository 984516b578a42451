import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { decodeText, detectDelimiter, fieldCountProblem, openCsv, parseCsv, readCsv, csvField, csvRow, splitRecords } from '../../src/io/csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'cafe-ref-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decodeText', () => {
  it('reads UTF-8 with and without BOM', () => {
    const plain = Buffer.from('nom\nGenillé\n', 'utf8');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
    expect(decodeText(plain)).toEqual({ text: 'nom\nGenillé\n', encoding: 'utf-8' });
    expect(decodeText(bom)).toEqual({ text: 'nom\nGenillé\n', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    // by hand: é = 0xE9 and € = 0x80 in Windows-1252; a lone 0xE9 is invalid UTF-8
    const bytes = Buffer.from([0x47, 0x65, 0x6e, 0x69, 0x6c, 0x6c, 0xe9, 0x3b, 0x80]);
    expect(decodeText(bytes)).toEqual({ text: 'Genillé;€', encoding: 'windows-1252' });
  });
});

describe('splitRecords (the one tokenizer: sniffed heads, rejected lines)', () => {
  it('splits RFC 4180 records, blank lines skipped, at most max', () => {
    // by hand: a quoted field holding the delimiter, a doubled quote and a line break
    expect(splitRecords('a;b\n\n"x;y";"say ""hi"""\n"two\nlines";z\n', ';')).toEqual([['a', 'b'], ['x;y', 'say "hi"'], ['two\nlines', 'z']]);
    expect(splitRecords('a,b\nc,d\ne,f\n', ',', 2)).toEqual([['a', 'b'], ['c', 'd']]);
    // a quote inside a field is a literal character (DuckDB's rule), not an opening quote
    expect(splitRecords('5 "pouces",x', ',')).toEqual([['5 "pouces"', 'x']]);
  });

  it('never throws: a record left open at the end reads as if its quote closed there', () => {
    expect(splitRecords('C1,"Bar du port,12', ',')).toEqual([['C1', 'Bar du port,12']]);
    expect(splitRecords('a,b\nc,"cut\nhead', ',')).toEqual([['a', 'b'], ['c', 'cut\nhead']]);
    expect(splitRecords('last,line', ',')).toEqual([['last', 'line']]); // no line break at the end
    // with max, only the head is parsed: at most max records, a record the cut leaves open read as closed
    expect(splitRecords('a,b\n"x\ny",z\nc,d\n', ',', 2)).toEqual([['a', 'b'], ['x\n']]);
    expect(splitRecords('a,b\nc,d\ne,f', ',', 5)).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f']]);
  });
});

describe('detectDelimiter', () => {
  it('picks the most frequent of , ; tab in the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5\n')).toBe(',');
    expect(detectDelimiter('CODGEO;MED21;"a,b,c"\n')).toBe(';');
    expect(detectDelimiter('\n\na\tb\n')).toBe('\t');
    expect(detectDelimiter('single\n')).toBe(',');
  });
});

describe('parseCsv', () => {
  it('handles quotes, "" escapes, embedded newlines and keeps physical line numbers', () => {
    const text = 'id;note;x\r\n1;"a ""quoted"" word";10\r\n2;"two\r\nlines";20\r\n\r\n3;plain;30';
    const t = parseCsv(text);
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['id', 'note', 'x']);
    expect(t.headerLine).toBe(1);
    // by hand: record 2 spans lines 3-4, line 5 is blank, record 3 is on line 6
    expect(t.records.map((r) => [r.line, ...r.fields])).toEqual([
      [2, '1', 'a "quoted" word', '10'],
      [3, '2', 'two\r\nlines', '20'],
      [6, '3', 'plain', '30'],
    ]);
    expect(t.records[1]!.raw).toBe('2;"two\r\nlines";20');
  });

  it('keeps empty fields, including a trailing one', () => {
    const t = parseCsv('a,b,c\n1,,\n,,3\n');
    expect(t.records.map((r) => r.fields)).toEqual([['1', '', ''], ['', '', '3']]);
  });

  it('throws an InputError at the line where an unterminated quote opens', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"oops\n4,5\n', { file: 'x.csv' })).toThrow(InputError);
    try {
      parseCsv('a,b\n1,2\n3,"oops\n4,5\n', { file: 'x.csv' });
    } catch (e) {
      expect((e as InputError).line).toBe(3);
    }
  });

  it('reports records whose field count does not fit the header', () => {
    const t = parseCsv('a;b;c\n1;2;3\n1;2;3;\n1;2\n1;2;3;4\n');
    expect(t.records.map((r) => fieldCountProblem(3, r) === null)).toEqual([true, true, false, false]);
  });
});

describe('readCsv', () => {
  it('reads a Windows-1252 file separated by ;', async () => {
    const file = join(dir, 'w1252.csv');
    writeFileSync(file, iconv.encode('commune;libellé\r\n37110;"Château-Renault; Indre-et-Loire"\r\n', 'win1252'));
    const t = await readCsv(file);
    expect(t.encoding).toBe('windows-1252');
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['commune', 'libellé']);
    expect(t.records[0]!.fields).toEqual(['37110', 'Château-Renault; Indre-et-Loire']);
  });

  it('names the file when it cannot be read', async () => {
    await expect(readCsv(join(dir, 'absent.csv'))).rejects.toThrow(/absent\.csv.*cannot be read \(ENOENT\)/);
  });
});

describe('streaming (openCsv / readCsv in chunks)', () => {
  // Every hard case at once: multi-byte UTF-8 (2, 3 and 4 bytes), CRLF, "" escapes, line breaks
  // in quotes, blank lines, no final line break. Cutting it anywhere must not change the records.
  const text = '\r\nid;nom;note\r\n1;Genillé;"a ""b"";\r\nc"\r\n\r\n2;€ 5;"🍞"\n3;"x\ry";z\r\n4;"";""""';
  const file = join(dir, 'tricky.csv');
  writeFileSync(file, text, 'utf8');

  it('gives the same records as the in-memory parser for every chunk size', async () => {
    const expected = parseCsv(text);
    // by hand: header on line 2; records start on lines 3, 6, 7 (the lone CR in "x\ry" is a line break), 9
    expect(expected.records.map((r) => r.line)).toEqual([3, 6, 7, 9]);
    expect(expected.records.map((r) => r.fields)).toEqual([
      ['1', 'Genillé', 'a "b";\r\nc'], ['2', '€ 5', '🍞'], ['3', 'x\ry', 'z'], ['4', '', '"'],
    ]);
    for (let chunkSize = 1; chunkSize <= 24; chunkSize++) {
      const t = await readCsv(file, { chunkSize });
      expect({ chunkSize, encoding: t.encoding, header: t.header, headerLine: t.headerLine, records: t.records })
        .toEqual({ chunkSize, encoding: 'utf-8', header: expected.header, headerLine: 2, records: expected.records });
    }
  });

  it('detects Windows-1252 even when the first non-UTF-8 byte comes late', async () => {
    const w = join(dir, 'late1252.csv');
    const lines = ['code;libelle', ...Array.from({ length: 200 }, (_, k) => `${k};ligne ${k}`), '999;Non géolocalisé'];
    writeFileSync(w, iconv.encode(lines.join('\n'), 'win1252'));
    const t = await readCsv(w, { chunkSize: 64 });
    expect(t.encoding).toBe('windows-1252');
    expect(t.records.at(-1)).toEqual({ line: 202, fields: ['999', 'Non géolocalisé'], raw: '999;Non géolocalisé' });
  });

  it('reads UTF-8 and UTF-16 files with a BOM, and treats a cut UTF-8 sequence at the end as Windows-1252', async () => {
    const u8 = join(dir, 'bom8.csv');
    writeFileSync(u8, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\né,1\n')]));
    const u16 = join(dir, 'bom16.csv');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\r\né;1\r\n', 'utf16le')]));
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, Buffer.from([0x61, 0x0a, 0x62, 0xc3])); // "a\nb" + the first byte of "é"
    expect(await readCsv(u8, { chunkSize: 2 })).toMatchObject({ encoding: 'utf-8', header: ['a', 'b'], records: [{ fields: ['é', '1'] }] });
    expect(await readCsv(u16, { chunkSize: 3 })).toMatchObject({ encoding: 'utf-16le', header: ['a', 'b'], records: [{ fields: ['é', '1'] }] });
    expect(await readCsv(cut)).toMatchObject({ encoding: 'windows-1252', records: [{ fields: ['bÃ'] }] });
  });

  it('can be closed without being read, and stops cleanly on break', async () => {
    const s = await openCsv(file);
    await s.close();
    await s.close();
    const s2 = await openCsv(file, { chunkSize: 4 });
    for await (const rec of s2.records) {
      expect(rec.line).toBe(3);
      break;
    }
    await s2.close();
  });
});

describe('csvField and csvRow: the one quoting rule of every CSV the project writes', () => {
  // Expected values by RFC 4180 §2.5–2.7 (quote a field holding the delimiter, a quote or a line
  // break; double inner quotes), plus white space at either end (which readers may trim).
  it('quotes only what needs it, for the delimiter in use', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a;b')).toBe('a;b');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('a\tb', '\t')).toBe('"a\tb"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' 12')).toBe('" 12"');
    expect(csvField('12 ')).toBe('"12 "');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(2.5)).toBe('2.5');
    expect(csvField(0)).toBe('0');
  });
  it('a row written then read back by the project\'s reader gives the same values', () => {
    const values = ['C1', 'Le "Cœur", du village', ' x ', 'a\nb', '', '42'];
    for (const d of [',', ';', '\t'] as const) {
      const text = `${csvRow(['a', 'b', 'c', 'd', 'e', 'f'], d)}\n${csvRow(values, d)}\n`;
      const t = parseCsv(text, { delimiter: d });
      expect(t.records[0]!.fields, d).toEqual(values);
    }
  });
});
