/**
 * What French offices really produce: separators, encodings, date and decimal formats, blank
 * lines, quoted fields with newlines — each read correctly, with rejected rows placed on the
 * line a text editor shows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { CAFES_CSV, folder, ingest, tempWarehouse, win1252 } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await tempWarehouse();
  await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
});
afterEach(() => wh.close());

describe('CSV dialects', () => {
  it('reads `;` with dd/mm/yyyy dates', async () => {
    const r = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id;date;service;uses\nC1;02/04/2023;bread;3\nC1;30/06/2023;cash;1\n' }), '2023-Q2');
    expect(r.files[0]).toMatchObject({ delimiter: ';', dateFormat: '%d/%m/%Y', read: 2, accepted: 2, rejected: 0 });
    // by hand: 02/04/2023 is 2 April, 30/06/2023 is 30 June (day first)
    expect(await wh.all('SELECT date, service, uses FROM service_uses ORDER BY date')).toEqual([
      { date: '2023-04-02', service: 'bread', uses: 3 },
      { date: '2023-06-30', service: 'cash', uses: 1 },
    ]);
  });

  it('reads `,` with ISO dates, and a tab-separated file', async () => {
    const a = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service,uses\nC1,2023-04-02,bread,3\n' }), '2023-Q2');
    expect(a.files[0]).toMatchObject({ delimiter: ',', dateFormat: '%Y-%m-%d', accepted: 1 });
    const b = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id\tdate\tservice\tuses\nC2\t2023-05-02\tpost\t2\n' }), '2023-Q2');
    expect(b.files[0]).toMatchObject({ delimiter: '\t', accepted: 1 });
    expect(await wh.all('SELECT cafe_id, uses FROM service_uses')).toEqual([{ cafe_id: 'C2', uses: 2 }]);
  });

  it('reads decimal commas in `;` files', async () => {
    const csv = 'cafe_id;ts;category;amount_eur;qty\nC1;02/04/2023 10:15:00;boissons;12,50;2\nC1;02/04/2023 18:00:00;epicerie;-3,2;1\n';
    const r = await ingest(wh, folder({ 'sales.csv': csv }), '2023-Q2');
    expect(r.files[0]).toMatchObject({ decimalSeparator: ',', accepted: 2 });
    // by hand: 12,50 → 12.5 ; -3,2 → -3.2; times kept as Paris wall-clock time
    expect(await wh.all('SELECT ts, amount_eur FROM sales ORDER BY ts')).toEqual([
      { ts: '2023-04-02 10:15:00', amount_eur: 12.5 },
      { ts: '2023-04-02 18:00:00', amount_eur: -3.2 },
    ]);
  });

  it('places a sale at 23:30 on 30 June (Paris) in Q2, one at 00:30 on 1 July in Q3, converting offsets to Paris time', async () => {
    const csv = 'cafe_id,ts,category,amount_eur\nC1,2023-06-30 23:30:00+02:00,boissons,2\nC1,2023-07-01 00:30:00+02,boissons,2\nC1,2023-06-30T22:30:00Z,boissons,2\nC1,2023-06-30T20:00:00Z,boissons,2\n';
    const r = await ingest(wh, folder({ 'sales.csv': csv }), '2023-Q2', { threshold: 1 });
    // by hand: line 3 is 1 July 00:30 Paris → outside Q2; line 4 is 22:30Z = 00:30 Paris on 1 July → outside too
    expect(r.files[0]!.rejects.map((x) => [x.line, x.reason])).toEqual([
      [3, 'outside period 2023-Q2'],
      [4, 'outside period 2023-Q2'],
    ]);
    expect(r.files[0]).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    // by hand: 20:00Z in summer (UTC+2) is 22:00 in Paris
    expect(await wh.all('SELECT ts FROM sales ORDER BY ts')).toEqual([{ ts: '2023-06-30 22:00:00' }, { ts: '2023-06-30 23:30:00' }]);
  });
});

describe('encodings', () => {
  const text = 'cafe_id;date;kind;attendance;event_id;commune_insee;programme\nC1;01/04/2023;Fête du pain — 5 € l’entrée, œuvre Œ;40;E1;51356;\n';
  it('transcodes Windows-1252 (€ ’ œ Œ in 0x80–0x9F) in a stream and keeps the characters', async () => {
    const bytes = win1252(text);
    expect(bytes.includes(0x80)).toBe(true); // € is 0x80 in Windows-1252, absent from latin-1
    const r = await ingest(wh, folder({ 'events.csv': bytes }), '2023-Q2');
    expect(r.files[0]).toMatchObject({ encoding: 'windows-1252', accepted: 1 });
    expect(await wh.scalar('SELECT kind FROM events')).toBe('Fête du pain — 5 € l’entrée, œuvre Œ');
  });

  it('reads UTF-8 with a byte order mark (the header is not polluted by it)', async () => {
    const r = await ingest(wh, folder({ 'events.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) }), '2023-Q2');
    expect(r.files[0]).toMatchObject({ encoding: 'utf-8-bom', accepted: 1 });
    expect(await wh.scalar('SELECT kind FROM events')).toBe('Fête du pain — 5 € l’entrée, œuvre Œ');
  });

  it('reads plain UTF-8', async () => {
    const r = await ingest(wh, folder({ 'events.csv': text }), '2023-Q2');
    expect(r.files[0]).toMatchObject({ encoding: 'utf-8', accepted: 1 });
    expect(await wh.scalar('SELECT kind FROM events')).toBe('Fête du pain — 5 € l’entrée, œuvre Œ');
  });
});

describe('physical lines', () => {
  it('counts blank lines and newlines inside quoted fields when placing a rejected row', async () => {
    const csv = [
      'event_id,cafe_id,commune_insee,date,kind,attendance', // line 1
      'E1,C1,51356,2023-04-01,"concert', // line 2
      'en plein air",40', // line 3 (same record)
      '', // line 4 blank
      'E2,C1,51356,2023-04-02,quiz,many', // line 5: attendance not a number
      'E3,C1,51356,2023-04-03,"bal, ""musette""",-4', // line 6: attendance below 0
      '', // line 7
      '', // line 8
      'E4,C9,51356,2023-04-04,quiz,10', // line 9: unknown café
    ].join('\r\n');
    const r = await ingest(wh, folder({ 'events.csv': csv }), '2023-Q2', { threshold: 1 });
    const f = r.files[0]!;
    expect(f.rejects.map((x) => [x.line, x.column, x.value, x.reason])).toEqual([
      [5, 'attendance', 'many', 'is not a whole number'],
      [6, 'attendance', '-4', 'is below the minimum (0)'],
      [9, 'cafe_id', 'C9', "is not a known cafe_id (neither in the warehouse nor in this folder's cafes file)"],
    ]);
    expect(f.rejects[1]!.rawLine).toBe('E3,C1,51356,2023-04-03,"bal, ""musette""",-4');
    expect(await wh.all('SELECT kind, attendance FROM events')).toEqual([{ kind: 'concert\r\nen plein air', attendance: 40 }]);
    // 4 data records (line 1 is the header; blank lines are not rows): 1 accepted + 3 rejected
    expect(f).toMatchObject({ read: 4, accepted: 1, rejected: 3 });
  });

  it('gives one rejected row for a row with several bad fields, naming each', async () => {
    const csv = 'cafe_id,date,service,uses\nC1,2023-04-01,pain,-2\n';
    const r = await ingest(wh, folder({ 'service_uses.csv': csv }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]!.rejects).toHaveLength(1);
    expect(r.files[0]!.rejects[0]).toMatchObject({
      line: 2,
      column: 'service',
      value: 'pain',
      reason: 'is not one of: bread, cash, post, parcel, digital, other; also uses "-2" is below the minimum (0)',
    });
  });

  it('gives one rejected row for a row with two fields DuckDB cannot read', async () => {
    const csv = 'cafe_id,date,service,uses\nC1,2023-02-30,bread,x\nC1,2023-04-01,bread,1\n';
    const r = await ingest(wh, folder({ 'service_uses.csv': csv }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    expect(r.files[0]!.rejects[0]).toMatchObject({ line: 2, column: 'date', value: '2023-02-30' });
    expect(r.files[0]!.rejects[0]!.reason).toContain('also uses "x" is not a whole number');
  });
});

describe('other formats', () => {
  it('reads NDJSON and JSON arrays, rejecting values that do not cast', async () => {
    const nd = '{"cafe_id":"C1","date":"2023-04-01","service":"bread","uses":2}\n{"cafe_id":"C1","date":"2023-04-02","service":"bread","uses":"lots"}\n';
    const r = await ingest(wh, folder({ 'service_uses.ndjson': nd }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]).toMatchObject({ format: 'ndjson', read: 2, accepted: 1, rejected: 1 });
    expect(r.files[0]!.rejects[0]).toMatchObject({ line: 2, column: 'uses', value: 'lots', reason: 'is not a whole number' });
    const arr = JSON.stringify([{ cafe_id: 'C2', date: '2023-05-01', service: 'cash' }]);
    const s = await ingest(wh, folder({ 'service_uses.json': arr }), '2023-Q2');
    expect(s.files[0]).toMatchObject({ format: 'json', accepted: 1 });
    // uses absent → 1 (the contract's default)
    expect(await wh.all('SELECT cafe_id, uses FROM service_uses')).toEqual([{ cafe_id: 'C2', uses: 1 }]);
  });

  it('reads Parquet', async () => {
    const dir = folder({});
    await wh.run(`COPY (SELECT 'C1' AS cafe_id, DATE '2023-04-03' AS date, 'post' AS service, 5 AS uses) TO '${dir}/service_uses.parquet' (FORMAT parquet)`);
    const r = await ingest(wh, dir, '2023-Q2');
    expect(r.files[0]).toMatchObject({ format: 'parquet', accepted: 1 });
    expect(await wh.scalar('SELECT uses FROM service_uses')).toBe(5);
  });
});

describe('whole numbers', () => {
  it('rejects 2.5 where a whole number is expected (DuckDB alone would round it to 3)', async () => {
    const csv = 'cafe_id,date,service,uses\nC1,2023-04-01,bread,2.5\nC1,2023-04-01,bread,3\n';
    const r = await ingest(wh, folder({ 'service_uses.csv': csv }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]!.rejects).toMatchObject([{ line: 2, column: 'uses', value: '2.5', reason: 'is not a whole number' }]);
    expect(await wh.all('SELECT uses FROM service_uses')).toEqual([{ uses: 3 }]);
  });

  it('reports only the field count for a row with a missing field (its other values are shifted)', async () => {
    const csv = 'cafe_id,date,service,uses\nC1,bread,2\n';
    const r = await ingest(wh, folder({ 'service_uses.csv': csv }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]!.rejects).toMatchObject([{ line: 2, column: null, value: null, reason: 'has 3 fields, expected 4' }]);
  });
});

describe('empty cells', () => {
  it('an empty cell is a missing value: the default applies only when the column is absent', async () => {
    const csv = 'cafe_id,date,service,uses\nC1,2023-04-01,bread,\nC1,2023-04-02,bread,4\n';
    const r = await ingest(wh, folder({ 'service_uses.csv': csv }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    expect(r.files[0]!.rejects).toMatchObject([{ line: 2, column: 'uses', value: null, reason: 'is empty (a missing value; the default 1 applies only when the column is absent from the file)' }]);
    expect(await wh.all('SELECT uses FROM service_uses ORDER BY date')).toEqual([{ uses: 4 }]);
    const s = await ingest(wh, folder({ 'sales.csv': 'cafe_id,ts,category,amount_eur,qty\nC1,2023-04-01 10:00:00,pain,1.2,\nC1,2023-04-01 11:00:00,pain,1.2,2\n' }), '2023-Q2', { threshold: 1 });
    expect(s.files[0]).toMatchObject({ accepted: 1, rejected: 1 });
    expect(await wh.scalar('SELECT qty FROM sales')).toBe(2);
    // absent column: the default
    await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service\nC1,2023-04-03,bread\n' }), '2023-Q2', { allowShrink: true });
    expect(await wh.all('SELECT uses FROM service_uses')).toEqual([{ uses: 1 }]);
  });
});
