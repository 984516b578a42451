/**
 * Benchmark (not a test): ingesting a 1,000-café year, compared in the same run with the
 * baseline `CREATE TABLE t AS SELECT * FROM read_csv(file, columns = the same types)` into an
 * on-disk database.
 *
 *   npx tsx scripts/bench-ingest.ts [--scale 4.55] [--sales-lines-per-day 60] [--dir .bench/ingest] [--keep]
 *
 * Prints, per quarter, the ingest time (hash, sniff, transcode, DuckDB read, checks, line
 * placement, write, archive, load log) and the baseline time for the same files, then the ratio
 * and the peak resident memory of this process (DuckDB runs inside it).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { columnsOf } from '../src/contract/columns.ts';
import { DATASETS } from '../src/contract/datasets.ts';
import { literal } from '../src/db/sql.ts';
import { Warehouse } from '../src/db/warehouse.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { ingestFolder } from '../src/ingest/ingest.ts';
import { sniffCsv, detectDateFormat, detectDecimalComma, detectTimestampFormat } from '../src/ingest/sniff.ts';
import { parsePeriod } from '../src/core/period.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '4.55' },
    'sales-lines-per-day': { type: 'string', default: '60' },
    dir: { type: 'string', default: '.bench/ingest' },
    keep: { type: 'boolean', default: false },
  },
});
const dir = resolve(values.dir!);
const data = join(dir, 'data');
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

if (!existsSync(join(data, 'reference'))) {
  const t0 = process.hrtime.bigint();
  const s = await generateDemo({ out: data, scale: Number(values.scale), salesLinesPerDay: Number(values['sales-lines-per-day']) });
  console.log(`generated ${s.cafes} cafés, ${s.totals.rows.toLocaleString('en')} rows, ${(s.totals.bytes / 2 ** 20).toFixed(0)} MiB in ${(ms(t0) / 1000).toFixed(1)} s`);
}

/** The baseline: plain read_csv with the contract's types into a fresh on-disk database. */
async function baseline(folder: string): Promise<{ ms: number; rows: number }> {
  const path = join(dir, 'baseline.duckdb');
  rmSync(path, { force: true });
  const wh = await Warehouse.open(path, { migrate: false });
  let rows = 0;
  const t0 = process.hrtime.bigint();
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.csv'))) {
    const def = DATASETS[name.replace(/\.csv$/, '')]!;
    const file = join(folder, name);
    const d = await sniffCsv(file);
    const cols = columnsOf(def.schema);
    const sample = (c: string) => d.sample.map((r) => r[d.header.indexOf(c)] ?? '');
    const types = d.header.map((h) => {
      const c = cols.find((x) => x.name === h);
      const t = !c ? 'VARCHAR' : c.sqlType === 'VARCHAR[]' ? 'VARCHAR' : c.sqlType === 'TIMESTAMPTZ' ? 'TIMESTAMP' : c.sqlType;
      return `${literal(h)}: ${literal(t)}`;
    });
    const dateFormat = detectDateFormat(cols.filter((c) => c.sqlType === 'DATE' && d.header.includes(c.name)).flatMap((c) => sample(c.name)));
    const tsFormat = d.header.includes('ts') ? detectTimestampFormat(sample('ts')) : undefined;
    const dec = d.delimiter === ';' && detectDecimalComma(cols.filter((c) => c.sqlType === 'DOUBLE' && d.header.includes(c.name)).flatMap((c) => sample(c.name)));
    // store_rejects: the demo's deliberately bad rows would abort a plain read_csv
    const args = [`columns = {${types.join(', ')}}`, 'header = true', `delim = ${literal(d.delimiter)}`, 'store_rejects = true'];
    if (dateFormat) args.push(`dateformat = ${literal(dateFormat)}`);
    if (tsFormat) args.push(`timestampformat = ${literal(tsFormat)}`);
    if (dec) args.push(`decimal_separator = ','`);
    if (d.encoding === 'windows-1252') continue; // DuckDB cannot read it at all: no baseline
    await wh.run(`CREATE TABLE ${def.name} AS SELECT * FROM read_csv(${literal(file)}, ${args.join(', ')})`);
    rows += await wh.scalar<number>(`SELECT count(*) FROM ${def.name}`);
  }
  const t = ms(t0);
  wh.close();
  rmSync(path, { force: true });
  return { ms: t, rows };
}

const whPath = join(dir, 'warehouse.duckdb');
for (const f of [whPath, `${whPath}.wal`]) rmSync(f, { force: true });
rmSync(join(dir, 'raw'), { recursive: true, force: true });
const wh = await Warehouse.open(whPath);
const folders = ['reference', ...readdirSync(data).filter((d) => /^\d{4}-Q\d$/.test(d)).sort()];
const rowsOut: { folder: string; mib: number; rows: number; ingestMs: number; baselineMs: number }[] = [];
for (const f of folders) {
  const folder = join(data, f);
  const mib = readdirSync(folder).reduce((s, n) => s + statSync(join(folder, n)).size, 0) / 2 ** 20;
  const b = await baseline(folder);
  const t0 = process.hrtime.bigint();
  const r = await ingestFolder(wh, folder, { period: parsePeriod(f === 'reference' ? '2023-Q1' : f) });
  const t = ms(t0);
  rowsOut.push({ folder: f, mib, rows: r.files.reduce((s, x) => s + x.read, 0), ingestMs: t, baselineMs: b.ms });
}
wh.close();

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\n${'folder'.padEnd(10)} ${pad('MiB', 7)} ${pad('rows', 12)} ${pad('ingest s', 9)} ${pad('baseline s', 11)} ${pad('ratio', 6)}`);
for (const r of rowsOut) {
  console.log(`${r.folder.padEnd(10)} ${pad(r.mib.toFixed(0), 7)} ${pad(r.rows.toLocaleString('en'), 12)} ${pad((r.ingestMs / 1000).toFixed(2), 9)} ${pad((r.baselineMs / 1000).toFixed(2), 11)} ${pad((r.ingestMs / r.baselineMs).toFixed(2), 6)}`);
}
const ti = rowsOut.reduce((s, r) => s + r.ingestMs, 0);
const tb = rowsOut.reduce((s, r) => s + r.baselineMs, 0);
const rows = rowsOut.reduce((s, r) => s + r.rows, 0);
console.log(`${'year'.padEnd(10)} ${pad(rowsOut.reduce((s, r) => s + r.mib, 0).toFixed(0), 7)} ${pad(rows.toLocaleString('en'), 12)} ${pad((ti / 1000).toFixed(2), 9)} ${pad((tb / 1000).toFixed(2), 11)} ${pad((ti / tb).toFixed(2), 6)}`);
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (this process, DuckDB included); ${(rows / (ti / 1000) / 1e6).toFixed(2)} M rows/s ingested`);
if (!values.keep) rmSync(join(dir, 'raw'), { recursive: true, force: true });
