/** The archive of raw inputs beside the warehouse (`raw/`, content-addressed by SHA-256). */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes from the raw archive every file no load kept (status loaded or unloaded: `reload`
 * needs the unloaded ones' files): copies of a refused or failed attempt, or left by a crash.
 */
export async function pruneArchive(wh: { all<T>(sql: string): Promise<T[]> }, archiveDir: string): Promise<number> {
  if (!existsSync(archiveDir)) return 0;
  // By the archive entry's own name (a people file's entry is its copy without rejected lines).
  const kept = new Set(
    (await wh.all<{ p: string }>(`SELECT DISTINCT f.archive_path AS p FROM load_files f JOIN loads l USING (load_id) WHERE l.status IN ('loaded', 'unloaded') AND f.archive_path IS NOT NULL`)).map((r) => r.p.split(/[\\/]/).pop()!),
  );
  let removed = 0;
  for (const d of readdirSync(archiveDir)) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const name of readdirSync(join(archiveDir, d))) {
      const sha = name.replace(/\.tmp-\d+$/, '');
      if (kept.has(sha) && sha === name) continue;
      rmSync(join(archiveDir, d, name), { force: true });
      removed++;
    }
  }
  return removed;
}
