/**
 * The published snapshot: a read-only copy of the warehouse at a stable path beside it, replaced
 * atomically after every command that changes the warehouse (ingest — failed ones too, so their
 * rejects are visible —, reference imports, unload, reload, run, a migration). Readers (`status`,
 * `figures`, `query`, a Python notebook…) open the snapshot, never the warehouse: DuckDB lets one
 * process write a file *or* any number read it, so a reader holding the warehouse would stop the
 * pipeline, and the pipeline would stop every reader.
 *
 *   warehouse/cafe-impact.duckdb                      the writer's file
 *   warehouse/published/cafe-impact.duckdb            the latest snapshot (a hard link of the newest below)
 *   warehouse/published/cafe-impact.<stamp>.duckdb    the last few snapshots (CAFE_IMPACT_KEEP_SNAPSHOTS, default 3)
 *
 * Publishing checkpoints the warehouse (the file then holds every committed change, the log is
 * empty), copies the file (in a child process: see copyOutOfProcess), and renames a link to the copy over the stable path: a reader opening
 * it gets the old snapshot or the new one, never a mix, and a reader that has the old one open
 * keeps reading it (its inode lives until it closes). Snapshots are never written again.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Warehouse } from './warehouse.ts';
import { PROFILE, profileLine } from '../core/profile.ts';

/** The stable path of a warehouse's latest snapshot. */
export function snapshotPath(warehousePath: string): string {
  return join(dirname(warehousePath), 'published', basename(warehousePath));
}

function keep(): number {
  const n = Number(process.env.CAFE_IMPACT_KEEP_SNAPSHOTS ?? 3);
  return Number.isInteger(n) && n >= 1 ? n : 3;
}

/** Publishes the warehouse's current state as its snapshot; returns the stable path. */
export async function publishSnapshot(wh: Warehouse): Promise<string | null> {
  if (wh.path === ':memory:' || wh.readOnly) return null;
  const t0 = PROFILE ? performance.now() : 0;
  // the checkpoint closing the warehouse would do anyway, done now: the file then holds everything
  await wh.run('CHECKPOINT');
  if (PROFILE) profileLine('step', 'publish snapshot: checkpoint', t0);
  const t1 = PROFILE ? performance.now() : 0;
  const latest = snapshotPath(wh.path);
  const dir = dirname(latest);
  mkdirSync(dir, { recursive: true });
  const ext = extname(latest);
  const stem = basename(latest, ext);
  const stamp = `${new Date().toISOString().replace(/[-:]/g, '').replace('.', '')}-${process.pid}`;
  const file = join(dir, `${stem}.${stamp}${ext}`);
  const part = `${file}.part`;
  copyOutOfProcess(wh.path, part);
  renameSync(part, file);
  const tmp = `${latest}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  try {
    linkSync(file, tmp);
  } catch {
    copyFileSync(file, tmp); // a file system without hard links
  }
  renameSync(tmp, latest);
  // the older snapshots beyond the last few go (a reader holding one keeps reading it)
  const mine = readdirSync(dir).filter((f) => f.startsWith(`${stem}.`) && f.endsWith(ext) && f !== basename(latest) && /^\d{8}T\d{9}Z-\d+$/.test(f.slice(stem.length + 1, -ext.length))).sort();
  for (const old of mine.slice(0, Math.max(0, mine.length - keep()))) rmSync(join(dir, old), { force: true });
  if (PROFILE) profileLine('step', 'publish snapshot: copy', t1);
  return latest;
}

/**
 * Copies the open warehouse file in a child process. DuckDB holds its lock on the file with POSIX
 * record locks (fcntl), which a process loses when it closes *any* descriptor of that file: a
 * copyFileSync here would open and close it and silently drop the writer's lock (measured: a
 * second writer then opened the file). A child's descriptors do not touch this process's locks.
 */
function copyOutOfProcess(from: string, to: string): void {
  const cp = spawnSync('cp', [from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (cp.status === 0) return;
  const node = spawnSync(process.execPath, ['-e', 'require("node:fs").copyFileSync(process.argv[1], process.argv[2])', from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (node.status !== 0) throw new Error(`cannot copy ${from} to ${to}: ${String(node.stderr || cp.stderr).trim()}`);
}

/** The file a read command opens: the snapshot, or the warehouse itself when none was published yet. */
export function readablePath(warehousePath: string): string {
  const snap = snapshotPath(warehousePath);
  return existsSync(snap) ? snap : warehousePath;
}
