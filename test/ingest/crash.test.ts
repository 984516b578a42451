/**
 * Crash safety: an ingest killed at any moment (SIGKILL, no chance to clean up) leaves the
 * warehouse either as it was or with the whole load — never half a period.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { CAFES_CSV, folder, ingest, tempDir } from '../helpers/warehouse.ts';

async function bigUses(dir: string, rows: number): Promise<void> {
  const out = createWriteStream(join(dir, 'service_uses.csv'));
  out.write('cafe_id,date,service,uses\n');
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    if (!out.write(`C${1 + (i % 3)},2023-05-${day},bread,${1 + (i % 5)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

describe('crash during ingest', () => {
  it('killing the process at several moments never leaves a partial load', async () => {
    const rows = 300_000;
    const data = tempDir();
    await bigUses(data, rows);
    // Σ uses by hand: the pattern 1..5 repeats; 300,000 rows = 60,000 cycles of (1+2+3+4+5) = 900,000
    const fullSum = 900_000;
    const outcomes: string[] = [];
    for (const delayMs of [300, 700, 1200, 2000, 3500]) {
      const path = join(tempDir(), 'w.duckdb');
      const wh = await Warehouse.open(path);
      await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
      await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service,uses\nC1,2023-04-01,bread,7\n' }), '2023-Q2');
      wh.close();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--warehouse', path, 'ingest', data, '--period', '2023-Q2'], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await exited;
      const after = await Warehouse.open(path);
      const n = await after.scalar<number>('SELECT count(*) FROM service_uses');
      const sum = await after.scalar<number>('SELECT coalesce(sum(uses), 0)::BIGINT FROM service_uses');
      const loads = await after.scalar<number>(`SELECT count(*) FROM loads WHERE period = '2023-Q2' AND status = 'loaded'`);
      after.close();
      if (n === 1) {
        expect([sum, loads]).toEqual([7, 1]); // as it was
        outcomes.push('before');
      } else {
        expect([n, sum, loads]).toEqual([rows, fullSum, 2]); // the whole load
        outcomes.push('after');
      }
    }
    // the earliest kill lands before the commit (otherwise the test proves little)
    expect(outcomes[0]).toBe('before');
  }, 120_000);
});

describe('crash right after the warehouse is created', () => {
  it('leaves a warehouse that opens again (the schema is checkpointed, not left in the WAL)', async () => {
    const path = join(tempDir(), 'fresh.duckdb');
    const { execFileSync } = await import('node:child_process');
    // A process that creates the warehouse, writes, and dies without closing it.
    const script = `import('./src/db/warehouse.ts').then(async (m) => { const wh = await m.Warehouse.open(${JSON.stringify(path)}); await wh.run("INSERT INTO meta VALUES ('k', 'v')"); process.exit(0); })`;
    execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'ignore' });
    const wh = await Warehouse.open(path);
    expect(await wh.scalar(`SELECT value FROM meta WHERE key = 'k'`)).toBe('v');
    wh.close();
  });
});

describe('exit without closing after versioned updates', () => {
  it('replays the write-ahead log: reference versions, period replacement and load log survive', async () => {
    const dir = tempDir();
    const path = join(dir, 'w.duckdb');
    const q1 = folder({ 'cafes.csv': CAFES_CSV, 'service_uses.csv': 'cafe_id,date,service,uses\nC1,2023-02-01,bread,3\n' }, join(dir, 'q1'));
    const q3 = folder({ 'cafes.csv': CAFES_CSV.replace('associative,operating', 'associative,transition'), 'service_uses.csv': 'cafe_id,date,service,uses\nC1,2023-08-01,bread,5\n' }, join(dir, 'q3'));
    const { execFileSync } = await import('node:child_process');
    // Two ingests (the second closes a café version with an UPDATE), then exit without closing:
    // everything after the last checkpoint is only in the write-ahead log.
    const script = `Promise.all([import('./src/db/warehouse.ts'), import('./src/ingest/ingest.ts'), import('./src/core/period.ts')]).then(async ([w, i, p]) => {
      const wh = await w.Warehouse.open(${JSON.stringify(path)});
      await i.ingestFolder(wh, ${JSON.stringify(q1)}, { period: p.parsePeriod('2023-Q1') });
      await i.ingestFolder(wh, ${JSON.stringify(q3)}, { period: p.parsePeriod('2023-Q3') });
      process.exit(0);
    })`;
    execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'ignore' });
    const wh = await Warehouse.open(path);
    expect(await wh.all(`SELECT stage, _valid_to FROM cafes WHERE cafe_id = 'C1' ORDER BY _valid_from NULLS FIRST`)).toEqual([
      { stage: 'operating', _valid_to: '2023-07-01' },
      { stage: 'transition', _valid_to: null },
    ]);
    expect(await wh.scalar('SELECT sum(uses)::BIGINT FROM service_uses')).toBe(8); // 3 + 5
    expect(await wh.scalar(`SELECT count(*) FROM loads WHERE status = 'loaded'`)).toBe(2);
    wh.close();
  });
});
