/** The analyst's commands: exit codes, one-line summaries, --json, rejects, status, unload. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { periodErrors } from '../../src/core/messages.ts';
import { cli } from '../helpers/cli.ts';
import { CAFES_CSV, folder, tempDir } from '../helpers/warehouse.ts';

const good = 'cafe_id,date,service,uses\nC1,2023-04-01,bread,2\nC2,2023-04-02,cash,1\n';

describe('cafe-impact ingest', () => {
  it('loads, prints a summary and exits 0; --json gives per file dataset/read/accepted/rejected', async () => {
    const wh = join(tempDir(), 'w.duckdb');
    const a = await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('loaded 3 rows from 1 file for 2023-Q1; 0 rejected');
    const b = await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': good }), '--period', '2023-Q2', '--json');
    expect(b.code).toBe(0);
    const j = JSON.parse(b.stdout);
    expect(j.status).toBe('loaded');
    expect(j.files).toMatchObject([{ dataset: 'service_uses', read: 2, accepted: 2, rejected: 0, status: 'loaded' }]);
    // the same again: nothing to do, still exit 0
    const c = await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': good }), '--period', '2023-Q2');
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('nothing to do: every file is already loaded for 2023-Q2');
  });

  it('a failed ingest exits 3 with a one-line reason and no stack trace; rejects lists why', async () => {
    const wh = join(tempDir(), 'w.duckdb');
    await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1');
    const bad = `${good}C1,2023-04-03,bread,-5\n`;
    const r = await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': bad }), '--period', '2023-Q2');
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual(['error: ingest failed, nothing loaded: service_uses.csv: 1 of 3 rows rejected (33 %), above the 5.0 % threshold']);
    expect(r.stdout).toContain('service_uses.csv:4 column uses: "-5" is below the minimum (0)');
    const rej = await cli('--warehouse', wh, 'rejects', '--period', '2023-Q2', '--format', 'csv');
    // raw_value "-5" starts with "-": neutralised like the figures CSV ("'-5", see neutraliseFormula)
    expect(rej.stdout.split('\n')[1]).toMatch(/^L[0-9-]+-[0-9a-f]{6},service_uses,service_uses\.csv,4,uses,'-5,is below the minimum \(0\),"C1,2023-04-03,bread,-5"$/);
    // --threshold lets the analyst accept it knowingly
    const ok = await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': bad }), '--period', '2023-Q2', '--threshold', '50%');
    expect(ok.code).toBe(0);
  });

  it('user errors exit 2 without a stack trace', async () => {
    const r = await cli('--warehouse', join(tempDir(), 'w.duckdb'), 'ingest', '/nonexistent/folder', '--period', '2023-Q2');
    expect(r).toMatchObject({ code: 2, stderr: 'error: /nonexistent/folder: no such folder\n' });
    const p = await cli('ingest', '.', '--period', '2023-Q5');
    expect(p.stderr).toBe(`error: ${periodErrors.badPeriod('2023-Q5')}\n`);
    expect(p.code).toBe(2);
  });

  it('status, unload', async () => {
    const wh = join(tempDir(), 'w.duckdb');
    await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1');
    const r = JSON.parse((await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': good }), '--period', '2023-Q2', '--json')).stdout);
    const s = JSON.parse((await cli('--warehouse', wh, 'status', '--json')).stdout);
    expect(s.datasets).toContainEqual(expect.objectContaining({ dataset: 'service_uses', period: '2023-Q2', rows: 2, loads: 1, last_load: r.load_id }));
    const u = await cli('--warehouse', wh, 'unload', r.load_id);
    expect(u.stdout).toBe(`unloaded ${r.load_id}: removed 2 service_uses\n`);
    const s2 = JSON.parse((await cli('--warehouse', wh, 'status', '--json')).stdout);
    expect(s2.datasets.find((d: { dataset: string }) => d.dataset === 'service_uses')).toBeUndefined();
  });

  it('schema prints the dictionary of a dataset', async () => {
    const r = await cli('schema', 'service_uses');
    expect(r.stdout).toContain('| `service` | VARCHAR | yes | one of `bread`, `cash`, `post`, `parcel`, `digital`, `other` |');
    expect((await cli('schema', 'nope')).code).toBe(2);
  });
});
