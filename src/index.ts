/**
 * The library: what a JavaScript program needs to drive the pipeline without the CLI.
 *
 *   import { Warehouse, ingestFolder, runPeriod, latestRun, runFigures, parsePeriod, defaultConfig } from 'cafe-impact';
 *   const wh = await Warehouse.open('warehouse/cafe-impact.duckdb');
 *   await ingestFolder(wh, 'drop/2023-Q2', { period: parsePeriod('2023-Q2') });
 *   const run = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
 *   const figures = await runFigures(wh, run.runId);
 *   wh.close();
 */
export { Warehouse, resolveWarehousePath, type OpenOptions } from './db/warehouse.ts';
export { ingestFolder, ingestFiles, type IngestOptions, type IngestReport, type FileReport, type RejectRow } from './ingest/ingest.ts';
export { runPeriod, type RunResult } from './runs/run.ts';
export { latestRun, listRuns, runFigures } from './figures/store.ts';
export { figuresToCsv, figuresToJson } from './figures/export.ts';
export { figuresToWorkbook } from './figures/workbook.ts';
export { explainIndicator } from './figures/explain.ts';
export { FAMILIES, INDICATORS, indicatorDef } from './indicators/registry.ts';
export { formatDate, formatNumber, formatValue } from './format/locale.ts';
export type { Figure, RunProvenance } from './figures/types.ts';
export { defaultConfig, loadConfig, type Config } from './runs/config.ts';
export { parsePeriod, type Period } from './core/period.ts';
export { listRejects, status, unload } from './loads/loads.ts';
export { DATASETS } from './contract/datasets.ts';
export { IngestFailed, UserError } from './core/errors.ts';
export { codeVersion } from './core/version.ts';
export { runDemo } from './demo/demo.ts';
