/**
 * Benchmark (not a test): the full `run` of a year at the 1,000-café scale of the ingest
 * benchmark — time per model (stage), total, and peak memory.
 *
 *   npx tsx scripts/bench-ingest.ts --keep     # builds .bench/ingest/warehouse.duckdb (once)
 *   npx tsx scripts/bench-run.ts [--warehouse .bench/ingest/warehouse.duckdb] [--period 2023]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../src/runs/config.ts';
import { Warehouse } from '../src/db/warehouse.ts';
import { parsePeriod } from '../src/core/period.ts';
import { runPeriod } from '../src/runs/run.ts';

const { values } = parseArgs({ options: { warehouse: { type: 'string', default: '.bench/ingest/warehouse.duckdb' }, period: { type: 'string', default: '2023' } } });
const path = resolve(values.warehouse!);
if (!existsSync(path)) {
  console.error(`${path} not found: run \`npx tsx scripts/bench-ingest.ts\` first`);
  process.exit(2);
}
const wh = await Warehouse.open(path);
const counts = await wh.one<Record<string, number>>(
  `SELECT (SELECT count(*) FROM cafes WHERE _valid_to IS NULL) AS cafes, (SELECT count(*) FROM facilities WHERE _valid_to IS NULL) AS facilities,
          (SELECT count(*) FROM service_uses) AS service_uses, (SELECT count(*) FROM sales) AS sales`,
);
console.log(`warehouse ${path}: ${JSON.stringify(counts)}`);
const t0 = performance.now();
const r = await runPeriod(wh, parsePeriod(values.period!), { config: defaultConfig() });
const total = performance.now() - t0;
wh.close();
console.log(`\n${'model'.padEnd(22)} ${'rows'.padStart(10)} ${'ms'.padStart(8)}`);
for (const t of r.timings) console.log(`${t.model.padEnd(22)} ${t.rows.toLocaleString('en').padStart(10)} ${t.ms.toFixed(0).padStart(8)}`);
const models = r.timings.reduce((s, t) => s + t.ms, 0);
console.log(`${'models total'.padEnd(22)} ${''.padStart(10)} ${models.toFixed(0).padStart(8)}`);
console.log(`${'run total'.padEnd(22)} ${''.padStart(10)} ${total.toFixed(0).padStart(8)}  (models + warnings + publishing ${r.figures} figures)`);
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ${r.warnings.length} warnings`);
