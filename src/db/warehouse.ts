/**
 * The warehouse: one embedded DuckDB file. This is the only module that opens DuckDB
 * connections; everything else goes through a `Warehouse`.
 *
 * Opened with extension auto-install/auto-load off, so a missing extension fails at once
 * instead of reaching for the network; time zone pinned to Europe/Paris (periods are Paris
 * calendar dates, and naive timestamps in inputs are Paris wall-clock time).
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';
import { fsErrorMessage, isFsError, UserError } from '../core/errors.ts';
import { warehouseErrors } from '../core/messages.ts';
import { migrate } from './migrate.ts';
import { publishSnapshot } from './snapshot.ts';
import { PROFILE, profileLine } from '../core/profile.ts';

const profile = (sql: string, t0: number) => profileLine('sql', sql, t0);

export const DEFAULT_WAREHOUSE = 'warehouse/cafe-impact.duckdb';

/** `--warehouse`, else `CAFE_IMPACT_WAREHOUSE`, else `warehouse/cafe-impact.duckdb`. */
export function resolveWarehousePath(flag?: string): string {
  return resolve(flag ?? process.env.CAFE_IMPACT_WAREHOUSE ?? DEFAULT_WAREHOUSE);
}

/**
 * The package's empty warehouse: every migration applied and the official commune lists loaded,
 * written beside the compiled module by `npm run build` (scripts/build-assets.mjs); absent when
 * the code runs from its TypeScript sources (tests, tsx), which then create warehouses from scratch.
 */
export const TEMPLATE = fileURLToPath(new URL('./empty-warehouse.duckdb', import.meta.url));

/**
 * A new warehouse file starts as a copy of the template: measured, creating one from scratch
 * (migrations, 37,000 communes read from JSON, checkpoint) costs 0.7–0.8 s, the copy a few ms.
 * `migrate` then runs as on any warehouse and brings the copy up to date if the template is
 * older than the code (or the installed commune list newer). The copy appears atomically (a
 * hard link of a finished copy): another process creating the same file meanwhile wins, and a
 * file system without hard links just creates the warehouse from scratch.
 */
function createFromTemplate(path: string): void {
  if (!existsSync(TEMPLATE) || existsSync(path) || existsSync(`${path}.wal`)) return;
  const tmp = `${path}.creating-${process.pid}`;
  try {
    copyFileSync(TEMPLATE, tmp);
    linkSync(tmp, path);
  } catch {
    // EEXIST (created meanwhile), no hard links, no room…: DuckDB creates or opens it as usual
  } finally {
    rmSync(tmp, { force: true });
  }
}

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export interface OpenOptions {
  readOnly?: boolean;
  /** Threads DuckDB may use (default: DuckDB's own, the number of cores). */
  threads?: number;
  /** Skip migrations (read-only snapshots are already migrated). */
  migrate?: boolean;
  /**
   * Refuse to create the file: a missing warehouse is a user error (exit 2) instead of a new,
   * empty one. The CLI's read commands use it; only loading commands create the warehouse.
   */
  mustExist?: boolean;
  /** While another process holds the file, retry for up to this many seconds (default: fail at once). */
  waitSeconds?: number;
}

export class Warehouse {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
    if (path !== ':memory:' && opts.mustExist && !existsSync(path)) {
      throw new UserError(warehouseErrors.missing(path));
    }
    if (path !== ':memory:') {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (e) {
        if (isFsError(e)) throw new UserError(warehouseErrors.cannotCreate(path, fsErrorMessage(e)));
        throw e;
      }
      if (!opts.readOnly && opts.migrate !== false) createFromTemplate(path);
    }
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (opts.readOnly) config.access_mode = 'READ_ONLY';
    if (opts.threads) config.threads = String(opts.threads);
    // DuckDB checkpoints when its write-ahead log passes checkpoint_threshold (16 MB by default):
    // in the middle of an ingest that was a 0.3–0.4 s stall (measured). Large inserts go straight
    // to the database file, so the log holds only deletes and small writes; with 1 GB, checkpoints
    // happen when the command closes the warehouse (and explicitly after migrations).
    config.checkpoint_threshold = process.env.CAFE_IMPACT_CHECKPOINT_THRESHOLD ?? '1GB';
    let instance: DuckDBInstance | undefined;
    const deadline = Date.now() + 1000 * (opts.waitSeconds ?? 0);
    while (!instance) {
      try {
        instance = await DuckDBInstance.create(path, config);
      } catch (e) {
        const msg = (e as Error).message;
        if (!/lock/i.test(msg)) throw new UserError(warehouseErrors.cannotOpen(path, msg.split('\n')[0]!));
        if (Date.now() >= deadline) {
          // DuckDB names the holder: "Conflicting lock is held in /usr/bin/python3 (PID 4242)"
          const holder = /lock is held in (.*?) \(PID (\d+)\)/.exec(msg);
          throw new UserError(warehouseErrors.inUse(path, holder ? { program: holder[1]!, pid: Number(holder[2]) } : null, opts.waitSeconds ?? 0), { hint: warehouseErrors.inUseHint() });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'Europe/Paris'`);
    const wh = new Warehouse(path, instance, conn, !!opts.readOnly);
    if (PROFILE) profileLine('step', 'open', 0);
    // a migrated warehouse (or one cleaned of a crashed load) is published at once: readers of an
    // older snapshot would otherwise see tables of the previous schema
    if (!opts.readOnly && opts.migrate !== false && (await migrate(wh))) await publishSnapshot(wh);
    return wh;
  }

  /** Runs a statement; values are bound, never pasted into the SQL. */
  async run(sql: string, params?: Params): Promise<void> {
    const t0 = PROFILE ? performance.now() : 0;
    await this.conn.run(sql, params);
    if (PROFILE) profile(sql, t0);
  }

  /** Runs a statement and returns the number of rows it changed (INSERT / UPDATE / DELETE). */
  async exec(sql: string, params?: Params): Promise<number> {
    const t0 = PROFILE ? performance.now() : 0;
    const r = await this.conn.run(sql, params);
    if (PROFILE) profile(sql, t0);
    return Number(r.rowsChanged);
  }

  /** Runs a query and returns its rows as plain JS objects (see `toPlain`). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const t0 = PROFILE ? performance.now() : 0;
    const reader = await this.conn.runAndReadAll(sql, params);
    if (PROFILE) profile(sql, t0);
    const types = reader.columnTypes().map((t) => t.typeId);
    const names = reader.columnNames();
    return reader.getRowsJS().map((r) => {
      const o: Row = {};
      names.forEach((n, i) => (o[n] = toPlain(r[i], types[i]!)));
      return o as T;
    });
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /** Runs fn inside one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  close(): void {
    const t0 = PROFILE ? performance.now() : 0;
    this.conn.closeSync();
    this.instance.closeSync();
    if (PROFILE) profileLine('step', 'close (checkpoint)', t0);
  }
}

/**
 * DuckDB's JS values made plain: BIGINT → number (exact up to 2^53, else string), DATE → `yyyy-mm-dd`,
 * TIMESTAMP → `yyyy-mm-dd hh:mm:ss` (wall clock), TIMESTAMPTZ → ISO instant, DECIMAL → number.
 */
export function toPlain(v: unknown, typeId: DuckDBTypeId): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) {
    if (typeId === DuckDBTypeId.DATE) return v.toISOString().slice(0, 10);
    // TIMESTAMP is wall-clock time without a zone (Paris time in this warehouse): no `Z`.
    if (typeId === DuckDBTypeId.TIMESTAMP) return v.toISOString().slice(0, 19).replace('T', ' ');
    return v.toISOString();
  }
  if (Array.isArray(v)) return v.map((x) => toPlain(x, DuckDBTypeId.VARCHAR));
  return v;
}

export { ident, literal } from './sql.ts';
