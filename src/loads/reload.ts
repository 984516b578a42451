/**
 * `cafe-impact reload <load-id>`: ingests again the raw files of an earlier load, from the
 * content-addressed archive (`raw/` beside the warehouse), for the same period — e.g. after
 * unloading a mistaken load, to bring back the rows it had replaced. The files go through the
 * whole validation again and make a new load.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../core/errors.ts';
import { loadErrors } from '../core/messages.ts';
import { ingestFolder, type IngestReport, type Reporter } from '../ingest/ingest.ts';
import { parsePeriod } from '../core/period.ts';
import { importReference } from '../importers/import.ts';

export async function reload(wh: Warehouse, loadId: string, o: { threshold?: number; reporter?: Reporter } = {}): Promise<IngestReport> {
  const load = await wh.one<{ command: string; period: string | null; status: string }>('SELECT command, period, status FROM loads WHERE load_id = $1', [loadId]);
  if (!load) throw new UserError(loadErrors.noLoad(loadId));
  if (!load.period) throw new UserError(loadErrors.noPeriod(loadId));
  const files = await wh.all<{ dataset: string; file_name: string; archive_path: string | null; format: string }>(
    `SELECT dataset, file_name, archive_path, format FROM load_files WHERE load_id = $1 ORDER BY dataset`,
    [loadId],
  );
  if (files.length === 0) throw new UserError(loadErrors.noFile(loadId));
  for (const f of files) {
    if (!f.archive_path || !existsSync(f.archive_path)) throw new UserError(loadErrors.notArchived(f.file_name, loadId, f.archive_path));
  }
  const period = parsePeriod(load.period);
  const dir = mkdtempSync(join(tmpdir(), 'cafe-impact-reload-'));
  try {
    if (load.command.startsWith('import:')) {
      const f = files[0]!;
      const path = join(dir, f.file_name);
      symlinkSync(f.archive_path!, path);
      return await importReference(wh, load.command.slice('import:'.length), path, { period, threshold: o.threshold, reporter: o.reporter });
    }
    for (const f of files) symlinkSync(f.archive_path!, join(dir, `${f.dataset}.${f.format}`));
    return await ingestFolder(wh, dir, { period, threshold: o.threshold, reporter: o.reporter });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
