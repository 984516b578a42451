/**
 * The demo, as the library runs it: generates the synthetic network if needed, ingests its
 * reference files and its quarters, runs the year. `cafe-impact demo` prints what each step did
 * (the hooks are called as the steps end, so a terminal sees them one by one).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePeriod } from '../core/period.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { IngestReport } from '../ingest/ingest.ts';
import type { RunResult } from '../runs/run.ts';

/** datasets/demo/ of the package. */
export const DEMO_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../datasets/demo');

export interface DemoOptions {
  data?: string;
  regenerate?: boolean;
  scale?: number;
  year?: number;
  /** Called before the network is generated (it takes a few seconds), then when it is. */
  onGenerating?: (data: string) => void;
  onGenerate?: (s: { cafes: number; departments: number; files: number; data: string }) => void;
  onIngest?: (step: { folder: string; period: string; report: IngestReport }) => void;
}

export async function runDemo(wh: Warehouse, o: DemoOptions = {}): Promise<RunResult> {
  const [{ generateDemo }, { ingestFolder }, { defaultConfig }, { runPeriod }] = await Promise.all([
    import('./generate.ts'), import('../ingest/ingest.ts'), import('../runs/config.ts'), import('../runs/run.ts'),
  ]);
  const data = resolve(o.data ?? DEMO_DATA_DIR);
  const year = o.year ?? 2023;
  if (o.regenerate || !existsSync(join(data, 'reference'))) {
    o.onGenerating?.(data);
    const s = await generateDemo({ out: data, scale: o.scale ?? 1, year });
    o.onGenerate?.({ cafes: s.cafes, departments: s.departments, files: s.files.length, data });
  }
  const folders = [
    { folder: join(data, 'reference'), period: `${year}-Q1` },
    ...readdirSync(data).filter((d) => /^\d{4}-Q[1-4]$/.test(d)).sort().map((d) => ({ folder: join(data, d), period: d })),
  ];
  for (const f of folders) {
    const report = await ingestFolder(wh, f.folder, { period: parsePeriod(f.period) });
    o.onIngest?.({ ...f, report });
  }
  return runPeriod(wh, parsePeriod(String(year)), { config: defaultConfig() });
}
