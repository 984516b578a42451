/**
 * Benchmark (not a test): ingestion as a user runs it, as whole processes. One 10 M-line
 * `sales.csv` plus a 5-line `cafes.csv`, `cafe-impact ingest … --period 2023` (the installed
 * command: `node bin/cafe-impact.js`) into a fresh warehouse, against a Node process that only
 * runs `CREATE TABLE s AS SELECT * FROM read_csv(file, header = true, columns = {same types})`
 * into a fresh on-disk file; alternated, medians.
 *
 *   npm run build && npx tsx scripts/bench-ingest-process.ts [--lines 10000000] [--runs 3] [--dir .bench/process]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '3' }, dir: { type: 'string', default: '.bench/process' } } });
const dir = resolve(values.dir!);
const data = join(dir, 'data');
const lines = Number(values.lines);
const sales = join(data, 'sales.csv');
mkdirSync(data, { recursive: true });
if (!existsSync(sales) || statSync(sales).size < lines * 30) {
  // 5 cafés in real communes; a sale every few minutes through 2023, amounts in cents
  writeFileSync(join(data, 'cafes.csv'), ['cafe_id,name,commune_insee,lat,lon,model,stage,opened_on',
    'C1,Le Cœur du Village,51356,48.70,4.80,associative,operating,2021-05-01', 'C2,L’Étape,01001,46.15,4.93,entrepreneurial,operating,2022-03-15',
    'C3,Au Bon Coin,52448,48.64,4.95,participative,operating,2020-01-10', 'C4,Le Relais,51357,48.90,4.40,associative,operating,2019-06-01',
    'C5,La Halte,01002,46.00,5.40,entrepreneurial,operating,2018-09-01'].join('\n') + '\n');
  const out = createWriteStream(sales);
  out.write('cafe_id,ts,category,amount_eur,qty\n');
  const cats = ['boissons', 'pain', 'epicerie', 'presse', 'restauration'];
  const t0 = Date.UTC(2023, 0, 1);
  let buf = '';
  for (let i = 0; i < lines; i++) {
    const ts = new Date(t0 + Math.floor((i / lines) * 364 * 86_400_000)).toISOString().slice(0, 19).replace('T', ' ');
    buf += `C${1 + (i % 5)},${ts},${cats[i % 5]},${(1 + (i % 997) / 100).toFixed(2)},${1 + (i % 3)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(() => r()));
}
console.log(`sales.csv: ${lines.toLocaleString('en')} lines, ${(statSync(sales).size / 2 ** 20).toFixed(0)} MiB`);

const duck = resolve('node_modules/@duckdb/node-api/lib/index.js');
const baselineJs = `import { DuckDBInstance } from ${JSON.stringify(duck)};
const i = await DuckDBInstance.create(${JSON.stringify(join(dir, 'baseline.duckdb'))}); const c = await i.connect();
await c.run("CREATE TABLE s AS SELECT * FROM read_csv(${JSON.stringify(sales).slice(1, -1).replace(/'/g, "''").replace(/^/, "'")}', header = true, columns = {'cafe_id': 'VARCHAR', 'ts': 'TIMESTAMP', 'category': 'VARCHAR', 'amount_eur': 'DOUBLE', 'qty': 'DOUBLE'})");
c.closeSync();`;
const time = (args: string[]): number => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
};
const ingest: number[] = [];
const base: number[] = [];
for (let k = 0; k < Number(values.runs); k++) {
  for (const f of ['w.duckdb', 'w.duckdb.wal', 'baseline.duckdb', 'baseline.duckdb.wal']) rmSync(join(dir, f), { force: true });
  rmSync(join(dir, 'raw'), { recursive: true, force: true });
  ingest.push(time([resolve('bin/cafe-impact.js'), '--warehouse', join(dir, 'w.duckdb'), 'ingest', data, '--period', '2023']));
  base.push(time(['--input-type=module', '-e', baselineJs]));
  console.log(`run ${k + 1}: ingest ${ingest[k]!.toFixed(2)} s, baseline ${base[k]!.toFixed(2)} s, ratio ${(ingest[k]! / base[k]!).toFixed(2)}×`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// Both ratios: of the medians, and the median of each run's pair (the two processes of a pair
// run back to back, so a slower spell of this shared machine weighs on both).
console.log(`median: ingest ${median(ingest).toFixed(2)} s, baseline ${median(base).toFixed(2)} s, ratio of medians ${(median(ingest) / median(base)).toFixed(2)}×, median of paired ratios ${median(ingest.map((x, i) => x / base[i]!)).toFixed(2)}×`);
