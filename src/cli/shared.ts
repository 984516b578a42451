/** What the CLI's commands share: opening the warehouse, printing ingest reports. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Warehouse } from '../db/warehouse.ts';
import { fsReason, isFsError, UserError } from '../core/errors.ts';
import { usage } from '../core/messages.ts';
import type { IngestReport } from '../ingest/ingest.ts';
import { num, printable, table } from './format.ts';

export interface GlobalOpts {
  warehouse?: string;
  debug?: boolean;
  /** Seconds to retry while another process holds the warehouse. */
  wait?: number;
}

/** Streams whose reader went away (`cafe-impact rejects | head -1`): nothing more is written to them. */
const closed = new Set<NodeJS.WriteStream>();
let guarded = false;

/**
 * Makes a closed pipe end quietly: when the reader of stdout (or stderr) goes away, the 'error'
 * event with code EPIPE is absorbed and later writes are dropped, so the command finishes what it
 * was doing (an ingest still commits), prints no stack trace and exits with its own code.
 * Installed once per process (main() calls it).
 */
export function quietOnClosedPipe(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') closed.add(stream);
      else throw e;
    });
  }
}

/** The schema of an open warehouse (or snapshot) is older than this code's migrations. */
async function schemaBehind(wh: Warehouse): Promise<boolean> {
  const { listMigrations } = await import('../db/migrate.ts');
  const latest = Math.max(...listMigrations().map((m) => m.version));
  const has = await wh.scalar<number | null>("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta_migrations' AND database_name = current_database()");
  if (!has) return false; // not a warehouse made by this project: left to the command to say
  return ((await wh.scalar<number | null>('SELECT max(version) FROM meta_migrations')) ?? 0) < latest;
}

/** Writes to stdout, unless its reader has gone away. */
export function write(data: string | Uint8Array): void {
  if (!closed.has(process.stdout)) process.stdout.write(data);
}
export const out = (s = '') => write(`${s}\n`);
export const err = (s: string) => {
  if (!closed.has(process.stderr)) process.stderr.write(`${s}\n`);
};

/**
 * Opens the warehouse of `--warehouse` (or its default) for a command. Only the commands that load
 * data (`ingest`, `reference import`) pass `create: true`; for every other command a missing file
 * is a user error rather than a new empty warehouse.
 */
export async function withWarehouse<T>(cmd: Command, fn: (wh: Warehouse) => Promise<T>, opts: { read?: boolean; create?: boolean } = {}): Promise<T> {
  const g = cmd.optsWithGlobals<GlobalOpts>();
  const [{ resolveWarehousePath, Warehouse }, { readablePath }] = await Promise.all([import('../db/warehouse.ts'), import('../db/snapshot.ts')]);
  const path = resolveWarehousePath(g.warehouse);
  // read commands open the published snapshot read-only: they never take the writer's lock and
  // need no write permission (the warehouse itself only while no snapshot was published yet)
  let wh = opts.read
    ? await Warehouse.open(readablePath(path), { readOnly: true, migrate: false, mustExist: true, waitSeconds: g.wait })
    : await Warehouse.open(path, { mustExist: !opts.create, waitSeconds: g.wait });
  if (opts.read && (await schemaBehind(wh))) {
    // made by an older version: brought up to date once (a writer's open migrates and publishes), then read
    wh.close();
    (await Warehouse.open(path, { mustExist: true, waitSeconds: g.wait })).close();
    wh = await Warehouse.open(readablePath(path), { readOnly: true, migrate: false, mustExist: true, waitSeconds: g.wait });
  }
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

/**
 * Refuses an `--output` file whose folder does not exist, before any work is done (exit 2):
 * `cannot write F: folder D does not exist`.
 */
export function checkOutput(file: string | undefined): void {
  if (file === undefined) return;
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) throw new UserError(usage.outputNoFolder(file, folder));
  if (!statSync(folder).isDirectory()) throw new UserError(usage.outputNotFolder(file, folder));
}

/** Writes an `--output` file; a file-system refusal becomes a one-line user error naming it. */
export function writeOutput(file: string, data: string | Uint8Array): void {
  checkOutput(file);
  try {
    writeFileSync(file, data);
  } catch (e) {
    if (isFsError(e)) throw new UserError(usage.cannotWrite(file, fsReason(e)));
    throw e;
  }
}

export function parseThreshold(v: string): number {
  const n = Number(v.replace(/%$/, '')) / (v.endsWith('%') ? 100 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UserError(usage.badThreshold(v));
  return n;
}

/** Prints an ingest report for people. */
export function printIngest(r: IngestReport, opts: { maxRejects?: number } = {}): void {
  out(
    table(
      r.files.map((f) => ({
        file: f.file,
        dataset: f.dataset,
        read: f.read,
        accepted: f.accepted,
        rejected: f.rejected,
        replaced: f.replaced,
        status: f.status,
        format: f.format === 'csv' ? [f.encoding, f.delimiter === '\t' ? 'tab' : f.delimiter, f.dateFormat === '%d/%m/%Y' ? 'dd/mm/yyyy' : f.dateFormat ? 'iso' : '', f.decimalSeparator === ',' ? 'dec ,' : ''].filter(Boolean).join(' ') : f.format,
      })),
    ),
  );
  for (const f of r.files) if (f.message && f.status !== 'failed') out(printable(`  ${f.file}: ${f.message}`));
  const rejects = r.files.flatMap((f) => f.rejects.map((x) => ({ ...x, file: f.file })));
  if (rejects.length) {
    const max = opts.maxRejects ?? 20;
    out();
    out(`Rejected rows${rejects.length > max ? ` (first ${max} of ${num(rejects.length)})` : ''}; all of them: cafe-impact rejects --period ${r.period}`);
    for (const x of rejects.slice(0, max)) {
      out(printable(`  ${x.file}:${x.line ?? '?'}${x.column ? ` column ${x.column}` : ''}: ${x.value !== null ? `${JSON.stringify(x.value)} ` : ''}${x.reason}`));
    }
  }
  for (const w of r.warnings) err(`warning: ${printable(w)}`);
}

export function jsonSummary(r: IngestReport) {
  return {
    load_id: r.loadId,
    period: r.period,
    status: r.status,
    message: r.message,
    warnings: r.warnings,
    files: r.files.map((f) => ({
      dataset: f.dataset, file: f.file, status: f.status, read: f.read, accepted: f.accepted, rejected: f.rejected, replaced: f.replaced,
      sha256: f.sha256, size: f.size, format: f.format, encoding: f.encoding ?? null, delimiter: f.delimiter ?? null, date_format: f.dateFormat ?? null,
      decimal_separator: f.decimalSeparator ?? null, mapped_communes: f.mappedCommunes, message: f.message ?? null, lines: f.lines ?? null,
      rejects: f.rejects.slice(0, 1000), rejects_truncated: f.rejects.length > 1000,
    })),
  };
}

