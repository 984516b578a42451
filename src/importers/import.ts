/**
 * `cafe-impact reference import <kind> <file>`: converts an official file with its importer,
 * writes the rows as a normalized CSV of the contract dataset and ingests that through the
 * normal validated path (same checks, load log, rejects, versioning). The load log records the
 * official file (its name, size, SHA-256 and archived copy), and every rejected row — the
 * converter's or the contract's — is placed on the official file's line.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { columnsOf } from '../contract/columns.ts';
import { DATASETS } from '../contract/datasets.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../core/errors.ts';
import { importErrors } from '../core/messages.ts';
import { ingestFiles, type IngestReport, type Reporter } from '../ingest/ingest.ts';
import type { Period } from '../core/period.ts';
import { IMPORTERS, type ImportOptions, type ImportResult } from './index.ts';
import { csvRow } from '../io/csv.ts';

export interface ImportRunOptions extends ImportOptions {
  period: Period;
  dryRun?: boolean;
  threshold?: number;
  reporter?: Reporter;
}

export interface ImportReport extends IngestReport {
  kind: string;
  skipped: number;
  skippedReasons: Record<string, number>;
}

export async function importReference(wh: Warehouse, kind: string, file: string, o: ImportRunOptions): Promise<ImportReport> {
  const importer = IMPORTERS[kind];
  if (!importer) throw new UserError(importErrors.unknownKind(kind, Object.keys(IMPORTERS)));
  const result = await importer.convert(file, o);
  return ingestImported(wh, result, importer.dataset, kind, file, o);
}

/**
 * Rows converted by an importer (or derived from the warehouse) ingested through the normal
 * validated path: a normalized CSV of the dataset, the contract's checks, the load log (source:
 * the official file), every reject placed on the source's line.
 */
export async function ingestImported(wh: Warehouse, result: ImportResult, dataset: string, kind: string, sourceFile: string | null, o: ImportRunOptions): Promise<ImportReport> {
  if (dataset !== 'facilities') await dropPartsOfCommunes(wh, result);
  const def = DATASETS[dataset]!;
  const cols = columnsOf(def.schema).map((c) => c.name);
  const work = mkdtempSync(join(tmpdir(), 'cafe-impact-import-'));
  const path = join(work, `${def.name}.csv`);
  try {
    const out = createWriteStream(path);
    out.write(`${csvRow(cols)}\n`);
    for (const r of result.rows) {
      if (!out.write(`${csvRow(cols.map((c) => r[c]))}\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    // derived rows (no official file): the normalized file is the source, hashed and archived
    const file = sourceFile ?? path;
    const report = await ingestFiles(wh, [{ dataset: def, path, format: 'csv', source: file }], {
      period: o.period,
      dryRun: o.dryRun,
      threshold: o.threshold,
      reporter: o.reporter,
      command: `import:${kind}`,
      source: file,
      adjust: (rep) => {
        // Contract rejects are on lines of the normalized file: line k holds rows[k - 2].
        for (const x of rep.rejects) x.line = x.line === null ? null : (result.rows[x.line - 2]?._line ?? null);
        rep.rejects.push(...result.rejects.map((x) => ({ line: x.line, column: x.column ?? null, value: x.value ?? null, reason: x.reason, rawLine: x.rawLine ?? null })));
        rep.rejects.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        rep.read = result.rows.length + result.rejects.length;
        rep.rejected = rep.rejects.length;
        rep.accepted = rep.read - rep.rejected;
        const skipped = Object.entries(result.skippedReasons).map(([k, n]) => `${n} ${k}`).join(', ');
        rep.message = [rep.message, result.skipped ? `${result.skipped} records not relevant, skipped (${skipped})` : ''].filter(Boolean).join('; ');
      },
    });
    return { ...report, kind, skipped: result.skipped, skippedReasons: result.skippedReasons };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Commune-level files (positions, indicators) may carry codes that are not current communes:
 * municipal arrondissements of Paris, Lyon and Marseille, or communes merged since the file's
 * vintage. Their values describe a part of today's commune, not the commune, so they are
 * skipped (and counted); a merged commune's values cannot be combined from its parts (a median
 * is not additive). The current commune's own row is kept.
 */
async function dropPartsOfCommunes(wh: Warehouse, result: ImportResult): Promise<void> {
  const parent = new Map(
    (await wh.all<{ code: string; current_code: string }>(`SELECT code, current_code FROM ref_commune_codes WHERE code <> current_code`)).map((r) => [r.code, r.current_code]),
  );
  const before = result.rows.length;
  result.rows = result.rows.filter((r) => !parent.has(String(r.commune_insee)));
  const n = before - result.rows.length;
  if (n) {
    result.skipped += n;
    result.skippedReasons['part of a current commune (municipal arrondissement, or commune merged since the file\'s vintage)'] = n;
  }
}
