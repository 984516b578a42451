/**
 * The warehouse that migrations build matches the data contract: a change to a zod schema
 * without a migration fails here. Also: migrations are recorded and not re-applied, and the
 * official commune list is loaded.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { columnsOf } from '../../src/contract/columns.ts';
import { DATASETS } from '../../src/contract/datasets.ts';
import { REFERENCE_SYSTEM_COLUMNS, DATED_SYSTEM_COLUMNS } from '../../src/db/ddl.ts';
import { listMigrations } from '../../src/db/migrate.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('migrations', () => {
  it('build tables whose columns and types are those the contract derives', async () => {
    const wh = await Warehouse.open(':memory:');
    for (const def of Object.values(DATASETS)) {
      const actual = await wh.all<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [def.name],
      );
      const sys = def.kind === 'dated' ? DATED_SYSTEM_COLUMNS : REFERENCE_SYSTEM_COLUMNS;
      const expected = [
        ...columnsOf(def.schema).map((c) => [c.name, c.sqlType, def.kind === 'reference' && (c.required || c.default !== undefined) ? 'NO' : 'YES']),
        ...sys.map(([n, t]) => [n, t.replace(' NOT NULL', ''), t.includes('NOT NULL') ? 'NO' : 'YES']),
      ];
      expect(actual.map((r) => [r.column_name, r.data_type, r.is_nullable]), def.name).toEqual(expected);
    }
    wh.close();
  });

  it('are applied once, in order, and recorded', async () => {
    const path = join(tempDir(), 'm.duckdb');
    const a = await Warehouse.open(path);
    const first = await a.all('SELECT version, name FROM meta_migrations ORDER BY version');
    a.close();
    const b = await Warehouse.open(path);
    expect(await b.all('SELECT version, name FROM meta_migrations ORDER BY version')).toEqual(first);
    expect(first.map((m) => m.name)).toEqual(listMigrations().map((m) => m.name));
    // @etalab/decoupage-administratif 6.0.0 lists 34,969 current communes (count of type "commune-actuelle" in data/communes.json)
    expect(await b.scalar('SELECT count(*) FROM ref_communes')).toBe(34969);
    b.close();
  });

  it('refuse a second writer with a clear message naming the holder, and let readers read the snapshot', async () => {
    const path = join(tempDir(), 'lock.duckdb');
    const a = await Warehouse.open(path);
    const { execFileSync } = await import('node:child_process');
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--warehouse', path, 'run', '--period', '2023'], { stdio: 'pipe' });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    // DuckDB names the holder: this test's own process
    expect(stderr).toContain(`error: warehouse ${path} is in use by another process: `);
    expect(stderr).toContain(`(PID ${process.pid})`);
    // a reader is not refused: it reads the snapshot the migration published
    expect(execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--warehouse', path, 'status'], { stdio: 'pipe' }).toString()).toContain(join('published', 'lock.duckdb'));
    a.close();
  });
});
