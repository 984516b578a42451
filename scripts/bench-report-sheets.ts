/**
 * Benchmark (not a test): every café's sheet (`report --template cafe-sheet --all-cafes`) for the
 * 1,000-café network, HTML and PDF, as whole processes through the compiled CLI, with their peak
 * memory (GNU time's maximum resident set size). Baseline in the same run: one sheet per process
 * (`--for cafe:<id>`, what a shell loop over the cafés would do) for a sample of cafés,
 * extrapolated to all of them. Generates the demo network at `--scale` (4.55 ≈ 1,000 cafés) and
 * runs it with `cafe-impact demo` first.
 *
 *   npm run build && npx tsx scripts/bench-report-sheets.ts [--scale 4.55] [--sample 10] [--dir .bench/sheets]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '4.55' }, sample: { type: 'string', default: '10' }, dir: { type: 'string', default: '.bench/sheets' } } });
const dir = resolve(values.dir!);
const BIN = resolve('bin/cafe-impact.js');
const wh = join(dir, 'w.duckdb');

/** A whole process under GNU time: wall seconds and peak RSS (MiB). */
function timed(args: string[]): { wall: number; rssMiB: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, BIN, '--warehouse', wh, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  const [wall, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number];
  return { wall, rssMiB: kb / 1024, stdout: r.stdout };
}

if (!existsSync(wh)) {
  const t = timed(['demo', '--data', join(dir, 'data'), '--scale', values.scale!]);
  console.log(`demo at scale ${values.scale}: ${t.wall.toFixed(1)} s`);
}
const cafes = JSON.parse(timed(['query', 'SELECT cafe_id FROM v_cafes_current ORDER BY cafe_id', '--format', 'json']).stdout) as { cafe_id: string }[];
console.log(`${cafes.length} cafés`);
for (const format of ['html', 'pdf'] as const) {
  const out = join(dir, `sheets-${format}`);
  rmSync(out, { recursive: true, force: true });
  const all = timed(['report', '--period', '2023', '--template', 'cafe-sheet', '--all-cafes', '--format', format, '--output', out]);
  const files = readdirSync(out).length;
  const n = Math.min(Number(values.sample), cafes.length);
  const step = Math.max(1, Math.floor(cafes.length / n));
  let one = 0;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const t = timed(['report', '--period', '2023', '--template', 'cafe-sheet', '--for', `cafe:${cafes[i * step]!.cafe_id}`, '--format', format, '--output', join(dir, `one.${format}`)]);
    one += t.wall;
    rss = Math.max(rss, t.rssMiB);
  }
  const perProcess = one / n;
  console.log(
    `${format.toUpperCase().padEnd(4)} --all-cafes: ${files} files in ${all.wall.toFixed(1)} s (${((1000 * all.wall) / files).toFixed(0)} ms a sheet), peak RSS ${all.rssMiB.toFixed(0)} MiB` +
      ` | baseline, one process a sheet: ${perProcess.toFixed(2)} s each (${n} sampled, peak ${rss.toFixed(0)} MiB) → ${((perProcess * files) / 60).toFixed(1)} min for all, ${((perProcess * files) / all.wall).toFixed(1)}× the one process`,
  );
}
