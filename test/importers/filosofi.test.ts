import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { convertFilosofi } from '../../src/importers/filosofi.ts';
import type { ImportResult } from '../../src/importers/types.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const balanced = (r: ImportResult) => expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
const dir = mkdtempSync(join(tmpdir(), 'cafe-ref-filosofi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Filosofi, small file', () => {
  const file = join(dir, 'filosofi_small.csv');
  writeFileSync(file, iconv.encode([
    'CODGEO;LIBGEO;NBMENFISC21;MED21;PIMPOT21;TP60AGE121', // 1
    '37109;Genillé;649;21450;-14,8;s', // 2
    '37132;Loches;3 201;20560,5;;nd', // 3: thousands space, decimal comma, empty, nd
    '2A004;Ajaccio;s;s;s;s', // 4: all secret
    '12AB;Nowhere;1;1;1;1', // 5: not a commune code
    '37109;Genillé bis;1;1;1;1', // 6: duplicate commune
    '37261;Tours;abc;1;1;1', // 7: one bad cell
  ].join('\r\n'), 'win1252'));

  it('turns the wide file into long rows, secret → null (never 0), decimal comma → number', async () => {
    const r = await convertFilosofi(file);
    balanced(r);
    expect(r.dataset).toBe('commune_indicators');
    // by hand: 6 data lines × 4 indicator columns (LIBGEO is a label) = 24 cells
    expect(r.lines).toBe(6);
    expect(r.read).toBe(24);
    const v = (c: string, i: string) => r.rows.find((x) => x.commune_insee === c && x.indicator === i)?.value;
    expect(r.rows.slice(0, 4)).toEqual([
      { commune_insee: '37109', year: 2021, indicator: 'filosofi.nbmenfisc', value: 649, _line: 2 },
      { commune_insee: '37109', year: 2021, indicator: 'filosofi.med', value: 21450, _line: 2 },
      { commune_insee: '37109', year: 2021, indicator: 'filosofi.pimpot', value: -14.8, _line: 2 },
      { commune_insee: '37109', year: 2021, indicator: 'filosofi.tp60age1', value: null, _line: 2 },
    ]);
    // by hand: every cell row carries the line of its data line (CRLF file, lines numbered above):
    // 4 cells each from lines 2, 3, 4, and 3 from line 7 (Tours); lines 5 and 6 are rejected
    expect(r.rows.map((x) => x._line)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 7, 7, 7]);
    expect([v('37132', 'filosofi.nbmenfisc'), v('37132', 'filosofi.med'), v('37132', 'filosofi.pimpot'), v('37132', 'filosofi.tp60age1')]).toEqual([3201, 20560.5, null, null]);
    expect(r.rows.filter((x) => x.commune_insee === '2A004').map((x) => x.value)).toEqual([null, null, null, null]);
    // rows: 4 + 4 + 4 + 3 (Tours without NBMENFISC21); rejects: 4 (line 5) + 4 (line 6) + 1 (line 7)
    expect(r.rows.length).toBe(15);
    expect(r.rejects.map((x) => [x.line, x.column, x.value])).toEqual([
      ...Array(4).fill([5, 'CODGEO', '12AB']),
      ...Array(4).fill([6, 'CODGEO', '37109']),
      [7, 'NBMENFISC21', 'abc'],
    ]);
    expect(r.rejects[4]!.reason).toBe('duplicate commune (first on line 2) (NBMENFISC21 not converted)');
  });

  it('checks a year given against the column suffix', async () => {
    await expect(convertFilosofi(file, { year: 2020 })).rejects.toThrow(/columns are for 2021 \(suffix 21\) but the year given is 2020/);
    const r = await convertFilosofi(file, { year: 2021 });
    expect(r.rows[0]!.year).toBe(2021);
  });

  it('needs the year when the columns carry none', async () => {
    const bare = join(dir, 'filosofi_bare.csv');
    writeFileSync(bare, 'CODGEO;MED;D1\n37109;21450;s\n');
    await expect(convertFilosofi(bare)).rejects.toThrow(/cannot tell the year/);
    const r = await convertFilosofi(bare, { year: 2019 });
    balanced(r);
    expect(r.rows).toEqual([
      // line 1 is the header, so the only data line is line 2
      { commune_insee: '37109', year: 2019, indicator: 'filosofi.med', value: 21450, _line: 2 },
      { commune_insee: '37109', year: 2019, indicator: 'filosofi.d1', value: null, _line: 2 },
    ]);
  });
});

describe('Filosofi 2021, official commune file', () => {
  const sample = requireSharedData('indicators/filosofi_2021_communes.csv');

  it.skipIf(!sample.exists)('converts every cell, withheld values as null', async () => {
    const r = await convertFilosofi(sample.path);
    balanced(r);
    // tail -n +2 filosofi_2021_communes.csv | wc -l → 34909 ; awk -F';' 'NR==1{print NF}' → 28 columns (CODGEO + 27)
    expect(r.lines).toBe(34909);
    expect(r.read).toBe(34909 * 27);
    expect(r.rejects).toEqual([]);
    expect(r.rows.length).toBe(34909 * 27);
    // awk -F';' 'NR>1{for(i=2;i<=NF;i++) if($i=="s"||$i=="nd") n++} END{print n}' → 751672
    expect(r.rows.filter((x) => x.value === null).length).toBe(751672);
    // awk -F';' 'NR>1 && ($4=="s"||$4=="nd")' … | wc -l → 3605 communes without a median
    // (awk … '$4=="0"' → none, so a 0 would be a conversion bug)
    const med = r.rows.filter((x) => x.indicator === 'filosofi.med');
    expect(med.filter((x) => x.value === null).length).toBe(3605);
    expect(med.filter((x) => x.value === 0).length).toBe(0);
    expect(new Set(r.rows.map((x) => x.indicator)).size).toBe(27);
    expect(new Set(r.rows.map((x) => x.year))).toEqual(new Set([2021]));

    const row = (c: string, i: string) => r.rows.find((x) => x.commune_insee === c && x.indicator === i);
    const v = (c: string, i: string) => row(c, i)?.value;
    // grep -n '^33063;' → 12372:33063;120075;226872;24870;57,0;…;-21,1;11220;50540;4,5
    expect(v('33063', 'filosofi.med')).toBe(24870);
    expect(v('33063', 'filosofi.nbmenfisc')).toBe(120075);
    expect(v('33063', 'filosofi.rd')).toBe(4.5);
    expect(v('33063', 'filosofi.pimpot')).toBe(-21.1);
    expect([row('33063', 'filosofi.med')?._line, row('33063', 'filosofi.rd')?._line]).toEqual([12372, 12372]);
    // grep -n '^01001;' → 2:01001;346;895;25820;s;… (PIMP21 withheld)
    expect(v('01001', 'filosofi.pimp')).toBeNull();
    // grep -n '^09304;' → 3105:09304;nd;nd;… (not available)
    expect(v('09304', 'filosofi.med')).toBeNull();
    // grep -n '^97411;' → 34897:97411;61067;148520;18270;37,0;33,0;50,0;…;-15,3;9060;42220;4,7
    // and awk -F';' 'NR==1{print $7} $1=="97411"{print $7}' → TP60AGE121, 50,0
    expect([v('97411', 'filosofi.med'), v('97411', 'filosofi.d1'), v('97411', 'filosofi.d9'), v('97411', 'filosofi.tp60age1')]).toEqual([18270, 9060, 42220, 50]);
    expect(row('97411', 'filosofi.med')?._line).toBe(34897);
  });
});
