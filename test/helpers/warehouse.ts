/** Temporary warehouses and input folders for tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ingestFolder, type IngestOptions, type IngestReport } from '../../src/ingest/ingest.ts';
import { parsePeriod } from '../../src/core/period.ts';

export function tempDir(prefix = 'ci-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function tempWarehouse(): Promise<Warehouse> {
  return Warehouse.open(join(tempDir(), 'wh.duckdb'));
}

/** Writes files into a new folder: name → content (string, UTF-8) or Buffer. */
export function folder(files: Record<string, string | Buffer>, parent = tempDir()): string {
  mkdirSync(parent, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(parent, name), content);
  return parent;
}

export function win1252(text: string): Buffer {
  return iconv.encode(text, 'win1252');
}

export async function ingest(wh: Warehouse, dir: string, period: string, opts: Partial<IngestOptions> = {}): Promise<IngestReport> {
  return ingestFolder(wh, dir, { period: parsePeriod(period), ...opts });
}

/** A small café list valid against the contract (communes: real INSEE codes). */
export const CAFES_CSV = [
  'cafe_id,name,commune_insee,lat,lon,model,stage,opened_on',
  'C1,Le Cœur du Village,51356,48.70,4.80,associative,operating,2021-05-01',
  'C2,L’Étape,01001,46.15,4.93,entrepreneurial,opening,2023-03-15',
  'C3,La Guinguette mobile,52448,48.64,4.95,itinerant,operating,2023-05-01',
].join('\n');

/** Every row of a table, sorted, without the load id (to compare contents across loads). */
export async function contents(wh: Warehouse, table: string): Promise<string[]> {
  const rows = await wh.all(`SELECT * EXCLUDE (_load) FROM ${table}`);
  return rows.map((r) => JSON.stringify(r)).sort();
}
