/**
 * The fast path of dated CSV files (numbers parsed by DuckDB's reader, src/ingest/numbers.ts
 * typedNumberSql) against the exact path (numbers read as text and converted by numberSql), which
 * the rest of the suite checks against hand-made expectations.
 *
 * 1. DuckDB itself, on the texts the number rule is about: where its reader parses a cell as
 *    DOUBLE, the value is TRY_CAST's of the same text (the exact path's parse), but for the three
 *    cases the fast path guards against (underscores, underflows, and the non-finite values both
 *    parse and `isfinite` refuses). Re-run on a DuckDB upgrade, this says whether the guards still
 *    cover every difference.
 * 2. The ingestion: the same folders loaded with `numbers: 'auto'` and `numbers: 'text'` give the
 *    same rows, rejects and counts; and the path each took is the one the guards call for (seen
 *    from the steps it reports).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { mayUnderflow } from '../../src/ingest/numbers.ts';
import { CAFES_CSV, folder, ingest, tempDir } from '../helpers/warehouse.ts';

/** Number texts: the rule's cases (numbers.ts), spellings DuckDB's parsers may treat apart. */
const TEXTS = [
  '0', '-0', '+0', '0.0', '00.000', '0e5', '0E-5', '.0', '0.', '1', '-1', '+1', '01', '007', '1.5', '-1.5', '+1.5', '.5', '-.5', '5.', '1.50',
  '1e3', '1E3', '1e+3', '1e-3', '1.5e3', '-1.5E-3', '1e308', '1.7976931348623157e308', '1e309', '-1e309', '1e-307', '4.9e-324', '1e-400', '-1e-400',
  `0.${'0'.repeat(330)}1`, '123456789012345678', '9007199254740993', '0.1', '0.30000000000000004', '3.14159265358979323846',
  'NaN', 'nan', '-nan', 'inf', '-inf', '+inf', 'Infinity', '-Infinity', 'infinity', 'true', 'false', 'TRUE',
  '1_000', '1__0', '_1', '1_', ' 2.5', '2.5 ', '  7  ', '0x10', '0b1', '1,5', '1 000', '1.2.3', '1e', 'e5', '--1', '+-1', '1-', '1e1.5',
  '€5', '5€', '١٢', '1d', '1f', '1L', '.', '-', '+', 'abc',
];

describe("DuckDB's reader parses numbers as TRY_CAST does, but where the fast path guards", () => {
  it('on every text of the rule', async () => {
    const dir = tempDir();
    const f = join(dir, 'n.csv');
    writeFileSync(f, `i,x\n${TEXTS.map((t, i) => `${i},${t.includes(',') ? `"${t}"` : t}`).join('\n')}\n`);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${f}', columns = {'i': 'INTEGER', 'x': 'DOUBLE'}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', store_rejects = true)`);
    const typed = new Map((await c.runAndReadAll('SELECT i, x FROM t')).getRowObjects().map((r) => [Number(r.i), r.x as number | null]));
    const values = TEXTS.map((t, i) => `(${i}, '${t.replace(/'/g, "''")}')`).join(', ');
    const casts = await c.runAndReadAll(`SELECT i, TRY_CAST(t AS DOUBLE) AS v FROM (VALUES ${values}) x(i, t) ORDER BY i`);
    c.closeSync();
    const exact = casts.getRowObjects().map((r) => r.v as number | null);
    expect(exact).toHaveLength(TEXTS.length);
    const differ: string[] = [];
    const refused: string[] = [];
    TEXTS.forEach((t, i) => {
      if (!typed.has(i)) return void refused.push(t); // a reader reject: the exact path reads the file again
      const a = typed.get(i)!;
      const b = exact[i]!;
      if (a === null && t.trim() === '') return;
      if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || (a === 0 && b === 0))) differ.push(`${t}: reader ${a}, TRY_CAST ${b}`);
    });
    // Where the two differ: only texts with an underscore (never read the fast way).
    expect(differ.filter((d) => !d.split(':')[0]!.includes('_'))).toEqual([]);
    // The guards' cases parse by the reader: the underflows to 0 (hence mayUnderflow), the
    // underscores (hence the scan's flag), the non-finite values (refused by isfinite).
    for (const t of ['1e-400', `0.${'0'.repeat(330)}1`]) expect(typed.get(TEXTS.indexOf(t))).toBe(0);
    expect(typed.get(TEXTS.indexOf('1_000'))).toBe(1000);
    for (const t of ['NaN', 'inf', '1e309', '-Infinity']) expect(Number.isFinite(typed.get(TEXTS.indexOf(t)))).toBe(false);
    // and what it refuses includes the rule's non-numbers (by hand from the list)
    for (const t of ['true', '0x10', '1 000', 'abc', '1.2.3', '1e']) expect(refused).toContain(t);
  });

  it('mayUnderflow finds an exponent below zero or a long run of zeros, across chunk boundaries', async () => {
    const dir = tempDir();
    const at = (name: string, text: string) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const pad = 'a,1.5\n'.repeat(Math.ceil((4 << 20) / 6)); // just over one 4 MiB chunk
    expect(await mayUnderflow(at('plain.csv', `h,x\n${pad}b,0\n`))).toBe(false);
    expect(await mayUnderflow(at('exp.csv', `h,x\n${pad}b,1e-400\n`))).toBe(true);
    expect(await mayUnderflow(at('EXP.csv', `h,x\nb,1E-9\n${pad}`))).toBe(true);
    // the run of zeros straddling the chunk boundary (4 MiB from the start)
    const zeros = `0.${'0'.repeat(330)}1`;
    const before = 'x'.repeat((4 << 20) - 100);
    expect(await mayUnderflow(at('zeros.csv', `${before}${zeros}\n`))).toBe(true);
    expect(await mayUnderflow(at('short-zeros.csv', `${before}0.${'0'.repeat(200)}1\n`))).toBe(false);
  });
});

interface Outcome {
  rows: string[];
  rejects: string[];
  counts: string;
  steps: string[];
}

async function load(files: Record<string, string>, numbers: 'auto' | 'text'): Promise<Outcome> {
  const wh = await Warehouse.open(join(tempDir(), 'wh.duckdb'));
  const steps: string[] = [];
  try {
    const dir = folder({ 'cafes.csv': CAFES_CSV, ...files });
    const rep = await ingest(wh, dir, '2023', { numbers, threshold: 1, reporter: { fileStep: (file, s) => file === 'sales.csv' && steps.push(s) } });
    const f = rep.files.find((x) => x.dataset === 'sales')!;
    const rows = (await wh.all('SELECT cafe_id, ts::VARCHAR AS ts, category, amount_eur, qty FROM sales ORDER BY ALL')).map((r) => JSON.stringify(r));
    return {
      rows,
      rejects: f.rejects.map((r) => JSON.stringify(r)),
      counts: JSON.stringify({ read: f.read, accepted: f.accepted, rejected: f.rejected, lines: f.lines, status: f.status }),
      steps,
    };
  } finally {
    wh.close();
  }
}

const HEAD = 'cafe_id,ts,category,amount_eur,qty';
const line = (amount: string, qty = '1', cafe = 'C1', ts = '2023-04-02 10:15:00') => `${cafe},${ts},pain,${amount},${qty}`;

describe('ingesting with numbers parsed by DuckDB gives what the exact path gives', () => {
  const cases: { name: string; lines: string[]; path: 'fast' | 'again' | 'exact' }[] = [
    { name: 'plain numbers', lines: [line('1.20'), line('-3'), line('.5', '2'), line('1e3', '+4'), line(' 2.5 ', '3')], path: 'fast' },
    { name: 'NaN, infinities and overflow, refused by isfinite', lines: [line('1.5'), line('NaN'), line('inf', '1'), line('2', '1e309'), line('-Infinity')], path: 'fast' },
    { name: 'a whole number where one is due: 2.5 in qty is refused, empty qty is missing', lines: [line('1', '2.5'), line('2', ''), line('3', '2')], path: 'fast' },
    { name: 'values beyond the bounds and unknown cafés beside bad numbers', lines: [line('200000'), line('5', '1', 'C9'), line('abc', '1', 'C9')], path: 'again' },
    { name: 'text that is not a number', lines: [line('1'), line('true'), line('0x10'), line('1 000'), line('2')], path: 'again' },
    { name: 'zeros without an underflow in the file', lines: [line('0'), line('0.00', '0'), line('1.5')], path: 'fast' },
    { name: 'zeros and an underflow', lines: [line('0'), line('1e-400'), line('1.5')], path: 'again' },
    { name: 'an underflow without an exponent', lines: [line(`0.${'0'.repeat(330)}1`), line('2')], path: 'again' },
    { name: 'digit separators (the file has an underscore)', lines: [line('1_000'), line('2')], path: 'exact' },
    { name: 'an underscore elsewhere than in a number', lines: [line('1', '1', 'C1', '2023-04-02 10:15:00').replace('pain', 'pain_bio'), line('2')], path: 'exact' },
    { name: 'a bad timestamp beside bad numbers', lines: [line('1', '1', 'C1', 'not a time'), line('x', '1', 'C1', 'not a time'), line('4')], path: 'again' },
    { name: 'a bad timestamp beside a non-finite number', lines: [line('NaN', '1', 'C1', 'not a time'), line('4')], path: 'fast' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.path === 'fast' ? 'read once, numbers parsed by DuckDB' : c.path === 'again' ? 'read again as text' : 'read as text'}`, async () => {
      const files = { 'sales.csv': [HEAD, ...c.lines].join('\n') + '\n' };
      const auto = await load(files, 'auto');
      const text = await load(files, 'text');
      expect(auto.rows).toEqual(text.rows);
      expect(auto.rejects).toEqual(text.rejects);
      expect(auto.counts).toEqual(text.counts);
      expect(text.steps).not.toContain('reading, numbers parsed by DuckDB');
      const fast = auto.steps.includes('reading, numbers parsed by DuckDB');
      const again = auto.steps.includes('reading again (numbers as text)');
      expect({ fast, again }).toEqual({ fast: c.path !== 'exact', again: c.path === 'again' });
    });
  }

  it('a cell refused in every row of a large file still ends with every row accounted for', async () => {
    // 20,000 lines, one in ten with qty "x": the fast read is undone and the exact one counts
    // 2,000 rejects (by construction) and 18,000 rows.
    const lines = Array.from({ length: 20_000 }, (_, i) => line(`${(i % 97) + 0.5}`, i % 10 === 3 ? 'x' : '1'));
    const files = { 'sales.csv': [HEAD, ...lines].join('\n') + '\n' };
    const auto = await load(files, 'auto');
    expect(auto.rows).toHaveLength(18_000);
    expect(auto.rejects).toHaveLength(2_000);
    expect(auto.steps).toContain('reading again (numbers as text)');
    // the rows read again follow the undone ones: each reject still on its own line
    const text = await load(files, 'text');
    expect(auto.rejects).toEqual(text.rejects);
    expect(JSON.parse(auto.rejects[0]!).line).toBe(5); // data row 3 (0-based) is line 5
  });
});
