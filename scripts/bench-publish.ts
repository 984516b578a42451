/**
 * Benchmark (not a test): the cost of publishing the read-only snapshot (src/db/snapshot.ts) at
 * the 1,000-café scale, on a warehouse holding three years. Generates the demo network at
 * `--scale` for three consecutive years (the ingest benchmark's size: 4.55 ≈ 1,000 cafés, 60
 * sales lines per café and day), ingests each year's reference folder and quarters with the
 * compiled CLI as whole processes (`CAFE_IMPACT_PROFILE=1` times the publishing step), then
 * runs the last year. Prints, per command, its wall time, the publishing step and their ratio,
 * and the sizes of the warehouse and of its snapshot.
 *
 *   npm run build && npx tsx scripts/bench-publish.ts [--scale 4.55] [--sales-lines-per-day 60] [--dir .bench/publish]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemo } from '../src/demo/generate.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '4.55' }, 'sales-lines-per-day': { type: 'string', default: '60' }, dir: { type: 'string', default: '.bench/publish' }, last: { type: 'string', default: '2023' } },
});
const dir = resolve(values.dir!);
const last = Number(values.last);
const years = [last - 2, last - 1, last];
const BIN = resolve('bin/cafe-impact.js');
const wh = join(dir, 'w.duckdb');
for (const y of years) {
  const data = join(dir, `data-${y}`);
  if (existsSync(join(data, 'reference'))) continue;
  const t0 = performance.now();
  const s = await generateDemo({ out: data, scale: Number(values.scale), year: y, salesLinesPerDay: Number(values['sales-lines-per-day']) });
  console.log(`generated ${y}: ${s.cafes} cafés, ${(s.totals.bytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
for (const f of ['w.duckdb', 'w.duckdb.wal', 'raw', 'published']) rmSync(join(dir, f), { recursive: true, force: true });

const rows: { what: string; wall: number; publish: number; size: number }[] = [];
const cli = (what: string, ...args: string[]) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, '--warehouse', wh, ...args], { encoding: 'utf8', env: { ...process.env, CAFE_IMPACT_PROFILE: '1' }, maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  if (r.status !== 0 && !/ingest/.test(what)) throw new Error(`${what}: ${r.stderr.split('\n').filter((l) => !l.startsWith('[')).join('\n')}`);
  const step = (name: string) => [...r.stderr.matchAll(new RegExp(`step +(\\d+) ms\\] ${name}`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
  // the copy is what publishing adds; its checkpoint is the one closing the warehouse would do (then nothing is left for the close)
  const publish = step('publish snapshot: copy');
  const checkpoint = step('publish snapshot: checkpoint');
  const close = step('close \\(checkpoint\\)');
  rows.push({ what, wall, publish, size: statSync(wh).size });
  console.log(`${what.padEnd(24)} ${(wall / 1000).toFixed(2).padStart(7)} s   copy ${(publish / 1000).toFixed(2).padStart(5)} s (${((100 * publish) / wall).toFixed(1).padStart(4)} %)   checkpoint ${(checkpoint / 1000).toFixed(2)} s, close ${(close / 1000).toFixed(2)} s   warehouse ${(statSync(wh).size / 2 ** 20).toFixed(0)} MiB`);
};
for (const y of years) {
  const data = join(dir, `data-${y}`);
  cli(`ingest ${y} reference`, 'ingest', join(data, 'reference'), '--period', `${y}-Q1`);
  for (const q of readdirSync(data).filter((d) => /^\d{4}-Q[1-4]$/.test(d)).sort()) cli(`ingest ${q}`, 'ingest', join(data, q), '--period', q);
}
cli(`run ${last}`, 'run', '--period', String(last));
const lastYear = rows.filter((r) => r.what.startsWith(`ingest ${last}`));
const wall = lastYear.reduce((s, r) => s + r.wall, 0);
const pub = lastYear.reduce((s, r) => s + r.publish, 0);
console.log(`\n${last}'s ingest (reference + four quarters) on a warehouse holding ${years.join(', ')}: ${(wall / 1000).toFixed(1)} s, of which publishing (the copies) ${(pub / 1000).toFixed(2)} s = ${((100 * pub) / wall).toFixed(1)} % (floor: under 20 %)`);
console.log(`snapshot ${(statSync(join(dir, 'published', 'w.duckdb')).size / 2 ** 20).toFixed(0)} MiB`);
