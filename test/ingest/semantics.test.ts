/**
 * The warehouse's promises: rows are conserved, an ingest is all or nothing, a period is
 * replaced whichever load brought its rows, the same file twice is a no-op, reference rows
 * keep their history, and a load can be taken back out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { IngestFailed } from '../../src/core/errors.ts';
import { fileErrors, ingestErrors, loadErrors } from '../../src/core/messages.ts';
import { listRejects, unload } from '../../src/loads/loads.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { CAFES_CSV, contents, folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await tempWarehouse();
  await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
});
afterEach(() => wh.close());

/** n service_uses lines, one per day from `start`, for café C1 (bread, uses = day of month). */
function uses(start: string, days: number): string {
  const lines = ['cafe_id,date,service,uses'];
  const t0 = Date.parse(`${start}T00:00:00Z`);
  for (let i = 0; i < days; i++) {
    const d = new Date(t0 + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`C1,${d},bread,${Number(d.slice(8))}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('row conservation', () => {
  it('accepted + rejected = data rows read, for every file', async () => {
    const csv = `${uses('2023-04-01', 30)}C1,2023-04-05,bread,-1\nC7,2023-04-05,bread,1\n`;
    const r = await ingest(wh, folder({ 'service_uses.csv': csv }), '2023-Q2', { threshold: 0.1 });
    // by hand: 30 good lines + 2 bad = 32 data rows (6.25 % rejected, under the 10 % given here)
    expect(r.files[0]).toMatchObject({ read: 32, accepted: 30, rejected: 2 });
    expect(await wh.scalar('SELECT count(*) FROM service_uses')).toBe(30);
    expect(await wh.scalar('SELECT count(*) FROM rejects')).toBe(2);
    // identical lines are legitimate (one line per use): both kept
    const dup = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service\nC1,2023-04-01,cash\nC1,2023-04-01,cash\n' }), '2023-Q2', { allowShrink: true }); // fewer rows on purpose (the guard is tested in the corpus)
    expect(dup.files[0]).toMatchObject({ read: 2, accepted: 2 });
  });
});

describe('atomicity', () => {
  it('a file over the threshold fails the whole ingest and leaves the warehouse as it was', async () => {
    await ingest(wh, folder({ 'service_uses.csv': uses('2023-04-01', 10) }), '2023-Q2');
    const before = await contents(wh, 'service_uses');
    const cafesBefore = await contents(wh, 'cafes');
    const changedCafes = CAFES_CSV.replace('associative,operating', 'associative,transition');
    // 2 bad of 12 rows = 16.7 % > 5 %
    const bad = `${uses('2023-04-01', 10)}C1,2023-04-05,bread,-1\nC1,2023-13-01,bread,1\n`;
    const err = await ingest(wh, folder({ 'cafes.csv': changedCafes, 'service_uses.csv': bad }), '2023-Q2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestFailed);
    expect((err as Error).message).toBe(ingestErrors.failed(fileErrors.threshold('service_uses.csv', 2, 12, 0.05)));
    // neither the café change (processed first, in the same transaction) nor the uses landed
    expect(await contents(wh, 'service_uses')).toEqual(before);
    expect(await contents(wh, 'cafes')).toEqual(cafesBefore);
    // the attempt and its rejects are kept, so the analyst can read why
    const loads = await wh.all<{ status: string }>(`SELECT status FROM loads ORDER BY started_at`);
    expect(loads.map((l) => l.status)).toEqual(['loaded', 'loaded', 'failed']);
    const rej = await listRejects(wh, { period: parsePeriod('2023-Q2'), dataset: 'service_uses' });
    expect(rej.map((x) => [x.line, x.column_name, x.load_status])).toEqual([
      [12, 'uses', 'failed'],
      [13, 'date', 'failed'],
    ]);
  });

  it('a file with a missing required column fails with its name, before anything is loaded', async () => {
    const err = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date\nC1,2023-04-01\n' }), '2023-Q2').catch((e: unknown) => e);
    expect((err as Error).message).toBe('ingest failed, nothing loaded: service_uses.csv: missing required column service');
    expect(await wh.scalar('SELECT count(*) FROM service_uses')).toBe(0);
  });

  it('--dry-run validates and reports without loading', async () => {
    const r = await ingest(wh, folder({ 'service_uses.csv': uses('2023-04-01', 5) }), '2023-Q2', { dryRun: true });
    expect(r.status).toBe('dry_run');
    expect(r.files[0]).toMatchObject({ read: 5, accepted: 5, status: 'dry_run' });
    expect(await wh.scalar('SELECT count(*) FROM service_uses')).toBe(0);
    expect(await wh.scalar(`SELECT count(*) FROM loads WHERE period = '2023-Q2'`)).toBe(0);
  });
});

describe('periods', () => {
  it('rows dated outside the period are rejected with the reason', async () => {
    const r = await ingest(wh, folder({ 'service_uses.csv': `${uses('2023-06-29', 3)}` }), '2023-Q2', { threshold: 1 });
    // by hand: 29 June, 30 June in Q2; 1 July outside (line 4)
    expect(r.files[0]!.rejects.map((x) => [x.line, x.value, x.reason])).toEqual([[4, '2023-07-01', 'outside period 2023-Q2']]);
  });

  it('four quarterly loads then a yearly load give the same warehouse as the yearly load alone', async () => {
    const year = uses('2023-01-01', 365);
    const lines = year.trim().split('\n');
    const header = lines[0]!;
    const quarter = (from: string, to: string) => `${[header, ...lines.slice(1).filter((l) => l.split(',')[1]! >= from && l.split(',')[1]! < to)].join('\n')}\n`;
    await ingest(wh, folder({ 'service_uses.csv': quarter('2023-01-01', '2023-04-01') }), '2023-Q1');
    await ingest(wh, folder({ 'service_uses.csv': quarter('2023-04-01', '2023-07-01') }), '2023-Q2');
    await ingest(wh, folder({ 'service_uses.csv': quarter('2023-07-01', '2023-10-01') }), '2023-Q3');
    await ingest(wh, folder({ 'service_uses.csv': quarter('2023-10-01', '2024-01-01') }), '2023-Q4');
    expect(await wh.scalar('SELECT count(*) FROM service_uses')).toBe(365);
    const r = await ingest(wh, folder({ 'service_uses.csv': year }), '2023');
    expect(r.files[0]!.replaced).toBe(365); // every quarterly row replaced
    const afterQuartersThenYear = await contents(wh, 'service_uses');

    const alone = await tempWarehouse();
    await ingest(alone, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
    await ingest(alone, folder({ 'service_uses.csv': year }), '2023');
    expect(await contents(alone, 'service_uses')).toEqual(afterQuartersThenYear);
    // Σ uses = Σ over the year's days of the day of month: 12 months' days summed by hand
    // (31·32/2)·7 + (30·31/2)·4 + 28·29/2 = 3472 + 1860 + 406 = 5738
    expect(await alone.scalar('SELECT sum(uses)::BIGINT FROM service_uses')).toBe(5738);
    alone.close();
  });

  it('re-ingesting a quarter replaces only that quarter', async () => {
    await ingest(wh, folder({ 'service_uses.csv': uses('2023-01-01', 90) }), '2023-Q1');
    await ingest(wh, folder({ 'service_uses.csv': uses('2023-04-01', 91) }), '2023-Q2');
    const corrected = 'cafe_id,date,service,uses\nC2,2023-05-01,post,7\n';
    const r = await ingest(wh, folder({ 'service_uses.csv': corrected }), '2023-Q2', { allowShrink: true }); // fewer rows on purpose (the guard is tested in the corpus)
    expect(r.files[0]!.replaced).toBe(91);
    expect(await wh.scalar(`SELECT count(*) FROM service_uses WHERE date < '2023-04-01'`)).toBe(90);
    expect(await wh.all(`SELECT cafe_id, uses FROM service_uses WHERE date >= '2023-04-01'`)).toEqual([{ cafe_id: 'C2', uses: 7 }]);
  });
});

describe('idempotency', () => {
  it('the same file for the same period again is a no-op; for another period it is not', async () => {
    const dir = folder({ 'service_uses.csv': uses('2023-04-01', 10) });
    const first = await ingest(wh, dir, '2023-Q2');
    const snapshot = await wh.all('SELECT * FROM service_uses');
    const again = await ingest(wh, dir, '2023-Q2');
    expect(again.status).toBe('noop');
    expect(again.files[0]!.status).toBe('unchanged');
    expect(await wh.all('SELECT * FROM service_uses')).toEqual(snapshot); // same load number (_load) too
    expect(await wh.scalar('SELECT count(*) FROM loads')).toBe(2); // cafes + the first load; the no-op records nothing
    expect(first.status).toBe('loaded');
  });

  it('after a yearly load replaced a quarter, re-ingesting the quarter file loads again', async () => {
    const q2 = folder({ 'service_uses.csv': uses('2023-04-01', 10) });
    await ingest(wh, q2, '2023-Q2');
    await ingest(wh, folder({ 'service_uses.csv': uses('2023-01-01', 365) }), '2023');
    const r = await ingest(wh, q2, '2023-Q2', { allowShrink: true }); // fewer rows on purpose (the guard is tested in the corpus)
    expect(r.status).toBe('loaded');
    expect(r.files[0]!.replaced).toBe(91); // the yearly load's Q2 rows: April–June = 30 + 31 + 30 days
  });
});

describe('versioned reference rows', () => {
  it('keeps the previous version of a changed row, so a past period sees the values valid then', async () => {
    const q3 = CAFES_CSV.replace('C2,L’Étape,01001,46.15,4.93,entrepreneurial,opening', 'C2,L’Étape,01001,46.15,4.93,entrepreneurial,operating');
    const r = await ingest(wh, folder({ 'cafes.csv': q3 }), '2023-Q3');
    expect(r.files[0]!.message).toBe('0 new, 1 changed (previous version kept), 2 unchanged');
    const versions = await wh.all(`SELECT stage, _valid_from, _valid_to FROM cafes WHERE cafe_id = 'C2' ORDER BY _valid_from NULLS FIRST`);
    expect(versions).toEqual([
      { stage: 'opening', _valid_from: null, _valid_to: '2023-07-01' },
      { stage: 'operating', _valid_from: '2023-07-01', _valid_to: null },
    ]);
    const asOf = (d: string) =>
      wh.scalar(`SELECT stage FROM cafes WHERE cafe_id = 'C2' AND (_valid_from IS NULL OR _valid_from <= DATE '${d}') AND (_valid_to IS NULL OR DATE '${d}' < _valid_to)`);
    expect(await asOf('2023-06-30')).toBe('opening');
    expect(await asOf('2023-12-31')).toBe('operating');
    // the same file again: unchanged, no new version
    expect((await ingest(wh, folder({ 'cafes.csv': q3 }), '2023-Q3')).status).toBe('noop');
    // a file for an earlier period would rewrite history: refused
    const back = CAFES_CSV.replace('entrepreneurial,opening', 'entrepreneurial,definition');
    await expect(ingest(wh, folder({ 'cafes.csv': back }), '2023-Q2')).rejects.toThrow(
      'cafes.csv: cafes has versions valid from 2023-07-01, after the start of 2023-Q2; ingesting it for 2023-Q2 would rewrite history — unload the later load first',
    );
  });

  it('rejects every row of a duplicated key', async () => {
    const dup = `${CAFES_CSV}\nC3,Autre nom,52448,48.6,4.9,itinerant,operating,2023-05-01`;
    const r = await ingest(wh, folder({ 'cafes.csv': dup }), '2023-Q2', { threshold: 1 });
    expect(r.files[0]!.rejects.map((x) => [x.line, x.reason])).toEqual([
      [4, 'duplicate key (cafe_id): several rows of this file share it'],
      [5, 'duplicate key (cafe_id): several rows of this file share it'],
    ]);
  });
});

describe('unload', () => {
  it('takes a dated load back out, and reopens the reference versions a load had closed', async () => {
    const r = await ingest(wh, folder({ 'service_uses.csv': uses('2023-04-01', 10) }), '2023-Q2');
    const res = await unload(wh, r.loadId);
    expect(res.rowsRemoved).toEqual({ service_uses: 10 });
    expect(await wh.scalar('SELECT count(*) FROM service_uses')).toBe(0);
    expect(await wh.scalar('SELECT status FROM loads WHERE load_id = $1', [r.loadId])).toBe('unloaded');

    const q3 = CAFES_CSV.replace('associative,operating', 'associative,transition');
    const c = await ingest(wh, folder({ 'cafes.csv': q3 }), '2023-Q3');
    const u = await unload(wh, c.loadId);
    expect(u).toMatchObject({ rowsRemoved: { cafes: 1 }, versionsReopened: { cafes: 1 } });
    expect(await wh.all(`SELECT stage, _valid_to FROM cafes WHERE cafe_id = 'C1'`)).toEqual([{ stage: 'operating', _valid_to: null }]);
    await expect(unload(wh, c.loadId)).rejects.toThrow(loadErrors.notLoaded(c.loadId, 'unloaded'));
  });
});

describe('reload from the archive', () => {
  it('after unloading a correction, the earlier load is re-ingested from its archived raw files', async () => {
    const { reload } = await import('../../src/loads/reload.ts');
    const first = await ingest(wh, folder({ 'service_uses.csv': uses('2023-04-01', 10) }), '2023-Q2');
    const original = await contents(wh, 'service_uses');
    const fix = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service,uses\nC2,2023-05-01,post,7\n' }), '2023-Q2', { allowShrink: true }); // fewer rows on purpose (the guard is tested in the corpus)
    await unload(wh, fix.loadId);
    expect(await wh.scalar('SELECT count(*) FROM service_uses')).toBe(0); // the unload does not restore what the fix replaced
    // the same file for the same period is not a no-op here: the latest writer was unloaded
    const again = await reload(wh, first.loadId);
    expect(again.status).toBe('loaded');
    expect(again.files[0]).toMatchObject({ dataset: 'service_uses', read: 10, accepted: 10, sha256: first.files[0]!.sha256 });
    expect(await contents(wh, 'service_uses')).toEqual(original);
  });
});
