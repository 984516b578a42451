/**
 * `cafe-impact export warehouse --format parquet --output DIR`: every dataset of the data
 * contract as Parquet, for DuckDB, Polars, Spark or Trino when the analysis outgrows one machine.
 *   DIR/dataset=<dated dataset>/period=<YYYY-Qn>/data_0.parquet   (Hive layout, one partition per quarter)
 *   DIR/dataset=<reference dataset>/data.parquet                  (every version, _valid_from/_valid_to kept)
 *   DIR/manifest.json                                              (each file's dataset, period, rows and SHA-256)
 * Read back with `read_parquet('DIR/dataset=sales/*\/*.parquet', hive_partitioning = true)`.
 * Written by DuckDB's Parquet writer from the snapshot attached read-only.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DATASETS } from '../contract/datasets.ts';
import { storedTable } from './ddl.ts';
import { ident, literal } from './sql.ts';

/**
 * An in-memory DuckDB instance for writing files (Parquet), Paris time, extensions never fetched,
 * with `snapshot` attached read-only (and made the default catalog) when given; closed after `fn`.
 */
export async function withScratchDb<T>(fn: (conn: DuckDBConnection) => Promise<T>, o: { snapshot?: string } = {}): Promise<T> {
  const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'Europe/Paris'`);
    if (o.snapshot) {
      await conn.run(`ATTACH ${literal(o.snapshot)} AS w (READ_ONLY)`);
      await conn.run('USE w');
    }
    return await fn(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export interface ManifestEntry {
  dataset: string;
  period: string | null;
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export async function exportWarehouseParquet(snapshot: string, dir: string): Promise<ManifestEntry[]> {
  mkdirSync(dir, { recursive: true });
  const entries: ManifestEntry[] = [];
  await withScratchDb(async (conn) => {
    const tables = [...Object.values(DATASETS).map((d) => ({ name: d.name, dated: d.kind === 'dated', date: d.dateColumn, table: d.kind === 'dated' ? d.name : storedTable(d) })),
      { name: 'survey_answers', dated: true, date: 'wave_date', table: 'survey_answers' }];
    for (const t of tables) {
      const out = join(dir, `dataset=${t.name}`);
      rmSync(out, { recursive: true, force: true });
      if (t.dated) {
        const period = `CAST(year(${ident(t.date!)}) AS VARCHAR) || '-Q' || CAST(quarter(${ident(t.date!)}) AS VARCHAR)`;
        const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM w.${ident(t.table)}`)).getRowsJS()[0]![0]);
        if (n === 0) continue;
        await conn.run(`COPY (SELECT *, ${period} AS period FROM w.${ident(t.table)}) TO ${literal(out)} (FORMAT parquet, PARTITION_BY (period))`);
      } else {
        mkdirSync(out, { recursive: true });
        await conn.run(`COPY (SELECT * FROM w.${ident(t.table)}) TO ${literal(join(out, 'data.parquet'))} (FORMAT parquet)`);
      }
    }
    for (const f of readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.parquet')).sort()) {
      const path = join(dir, f);
      const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(path)})`)).getRowsJS()[0]![0]);
      const m = /dataset=([^/]+)(?:\/period=([^/]+))?/.exec(f)!;
      entries.push({ dataset: m[1]!, period: m[2] ?? null, file: relative(dir, path), rows, bytes: statSync(path).size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
    }
  }, { snapshot });
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ snapshot, files: entries }, null, 2)}\n`);
  return entries;
}

/** Rows of typed columns written as one Parquet file, with each column's label as its comment. */
export async function writeParquet(path: string, columns: { name: string; type: 'VARCHAR' | 'INTEGER' | 'DOUBLE'; label: string }[], rows: readonly (readonly (string | number | null)[])[]): Promise<void> {
  await withScratchDb(async (conn) => {
    await conn.run(`CREATE TABLE t (${columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`);
    const app = await conn.createAppender('t');
    for (const r of rows) {
      r.forEach((x, i) => {
        const type = columns[i]!.type;
        if (x === null) app.appendNull();
        else if (type === 'VARCHAR') app.appendVarchar(String(x));
        else if (type === 'INTEGER') app.appendInteger(Number(x));
        else app.appendDouble(Number(x));
      });
      app.endRow();
    }
    app.closeSync();
    for (const c of columns) await conn.run(`COMMENT ON COLUMN t.${ident(c.name)} IS ${literal(c.label)}`);
    await conn.run(`COPY t TO ${literal(path)} (FORMAT parquet)`);
  });
}
