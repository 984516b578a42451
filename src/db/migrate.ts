/**
 * Versioned migrations: `src/db/migrations/NNN_name.sql`, applied in order, each in its own
 * transaction, recorded in `meta_migrations`. After them, the official commune lists are
 * (re)loaded whenever the installed @etalab/decoupage-administratif version changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS } from '../contract/datasets.ts';
import { pruneArchive } from './archive.ts';
import { storedTable } from './ddl.ts';
import { ident, literal } from './sql.ts';
import type { Warehouse } from './warehouse.ts';
import { applyDescriptions } from './descriptions.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const require = createRequire(import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(join(MIGRATIONS_DIR, f), 'utf8') }));
}

/** Brings the warehouse up to date; true when it changed anything. */
export async function migrate(wh: Warehouse): Promise<boolean> {
  await wh.run(`CREATE TABLE IF NOT EXISTS meta_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
  const done = new Set((await wh.all<{ version: number }>('SELECT version FROM meta_migrations')).map((r) => r.version));
  let changed = false;
  for (const m of listMigrations()) {
    if (done.has(m.version)) continue;
    await wh.transaction(async () => {
      await wh.run(m.sql);
      await wh.run('INSERT INTO meta_migrations VALUES ($1, $2, now())', [m.version, m.name]);
    });
    changed = true;
  }
  changed = (await refreshOfficialLists(wh)) || changed;
  changed = (await dropCrashedLoad(wh)) || changed;
  // The raw archive holds only what was loaded: copies left by a refused, failed or crashed
  // ingest go (not for in-memory warehouses, which have no archive).
  if (wh.path !== ':memory:') await pruneArchive(wh, join(dirname(wh.path), 'raw'));
  // Write the schema into the database file now. Measured with DuckDB 1.5.6: a write-ahead log
  // holding CREATE MACRO cannot be replayed after a crash ("GetDefaultDatabase with no default
  // database set"), so a process killed before its first checkpoint would leave an unopenable file.
  // the tables and views describe themselves (src/db/descriptions.ts); the model tables get theirs from each run
  if (changed) await applyDescriptions(wh, []);
  if (changed) await wh.run('CHECKPOINT');
  return changed;
}

/** Version of the official commune list installed with the package. */
export function decoupageVersion(): string {
  return (require('@etalab/decoupage-administratif/package.json') as { version: string }).version;
}

/** Bumped when the way the lists are derived changes, so existing warehouses reload them. */
const LISTS_REVISION = 2;

async function refreshOfficialLists(wh: Warehouse): Promise<boolean> {
  const version = `${decoupageVersion()}#${LISTS_REVISION}`;
  const current = await wh.scalar<string | undefined>(`SELECT value FROM meta WHERE key = 'decoupage_version'`);
  if (current === version) return false;
  const file = (name: string) => literal(require.resolve(`@etalab/decoupage-administratif/data/${name}.json`));
  await wh.transaction(async () => {
    await wh.run('DELETE FROM ref_communes; DELETE FROM ref_commune_codes; DELETE FROM ref_departments; DELETE FROM ref_regions;');
    // Read the package's JSON with DuckDB directly (37,000 communes: faster than an appender loop).
    await wh.run(`
      CREATE TEMP TABLE _communes AS
      SELECT * FROM read_json(${file('communes')}, columns = {code: 'VARCHAR', nom: 'VARCHAR', type: 'VARCHAR',
        departement: 'VARCHAR', region: 'VARCHAR', population: 'BIGINT', zone: 'VARCHAR', chefLieu: 'VARCHAR', commune: 'VARCHAR',
        anciensCodes: 'VARCHAR[]'})`);
    await wh.run(`
      INSERT INTO ref_communes
      SELECT code, nom, departement, region, population, zone FROM _communes WHERE type = 'commune-actuelle'`);
    // Current codes first; then former codes (anciensCodes) and delegated/associated communes'
    // own codes, each mapped to the current commune, unless the code is itself current.
    await wh.run(`
      INSERT INTO ref_commune_codes
      SELECT code, code FROM ref_communes
      UNION ALL
      SELECT old, min(current_code) FROM (
        SELECT unnest(anciensCodes) AS old, code AS current_code FROM _communes WHERE type = 'commune-actuelle'
        UNION ALL
        SELECT code, chefLieu FROM _communes WHERE type IN ('commune-deleguee', 'commune-associee') AND chefLieu IS NOT NULL
        UNION ALL
        -- Paris, Lyon, Marseille: a municipal arrondissement (75101…) is placed in its commune (75056)
        SELECT code, commune FROM _communes WHERE type = 'arrondissement-municipal'
      ) WHERE old NOT IN (SELECT code FROM ref_communes) AND current_code IN (SELECT code FROM ref_communes)
      GROUP BY old`);
    await wh.run(`
      INSERT INTO ref_departments SELECT code, nom, region FROM read_json(${file('departements')}, columns = {code: 'VARCHAR', nom: 'VARCHAR', region: 'VARCHAR'})`);
    await wh.run(`
      INSERT INTO ref_regions SELECT code, nom FROM read_json(${file('regions')}, columns = {code: 'VARCHAR', nom: 'VARCHAR'})`);
    await wh.run('DROP TABLE _communes');
    await wh.run(`INSERT OR REPLACE INTO meta VALUES ('decoupage_version', $1)`, [version]);
  });
  return true;
}

/**
 * A dated file's rows are written before its load commits (src/ingest/ingest.ts, direct mode);
 * an ingest that crashed in between left them with a `pending_load` marker. Delete them, so the
 * warehouse is as it was before that ingest.
 */
async function dropCrashedLoad(wh: Warehouse): Promise<boolean> {
  const loadNo = await wh.scalar<string | undefined>(`SELECT value FROM meta WHERE key = 'pending_load'`);
  if (!loadNo) return false;
  await wh.transaction(async () => {
    for (const def of Object.values(DATASETS).filter((d) => d.kind === 'dated')) {
      await wh.run(`DELETE FROM ${ident(storedTable(def))} WHERE _load IN ($1, -$1)`, [Number(loadNo)]);
    }
    await wh.run(`DELETE FROM meta WHERE key = 'pending_load'`);
  });
  return true;
}
