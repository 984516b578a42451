/**
 * Benchmark (not a test): the difference-in-differences at the network's target scale — 1,000
 * communes × 10 years (700 treated in cohorts spread over nine years, 300 never-treated controls,
 * 3 % of the values missing) — TWFE with its CR1 clustered SE and every ATT(g,t) with the
 * aggregations and the parallel-trends test (src/stats/did.ts), as a whole process, against R's
 * `lm(y ~ treated + factor(unit) + factor(time))` + `sandwich::vcovCL(type = "HC1")` on the same
 * panel (test/reference/twfe.R, 1,010 dummy columns) as a whole process, when Rscript is there.
 * Also checks that both give the same estimate and SE (1e-6).
 *
 *   npx tsx scripts/bench-did.ts [--communes 1000] [--years 10] [--runs 3] [--seed 1] [--no-r]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../src/stats/prng.ts';

const { values } = parseArgs({
  options: {
    communes: { type: 'string', default: '1000' }, years: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' }, 'no-r': { type: 'boolean', default: false }, child: { type: 'string' },
  },
});

if (values.child) {
  // the measured process: read the panel, estimate everything, report time and peak memory
  const t0 = performance.now();
  const { didEstimates } = await import('../src/stats/did.ts');
  const lines = readFileSync(values.child, 'utf8').trim().split('\n').slice(1);
  const obs = lines.map((l) => l.split(',')).map(([unit, time, y]) => ({ unit: unit!, time: Number(time), y: Number(y) }));
  const cohorts = JSON.parse(readFileSync(`${values.child}.cohorts.json`, 'utf8')) as Record<string, number | null>;
  const t1 = performance.now();
  const e = didEstimates(obs, Object.entries(cohorts).map(([unit, cohort]) => ({ unit, cohort })));
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ estimate: e.twfe.estimate, se: e.twfe.se, cells: e.attGt.length, readMs: t1 - t0, estimateMs: t2 - t1, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const C = Number(values.communes);
const T = Number(values.years);
const rng = new Rng(Number(values.seed));
const first = 2024 - T;
const dir = mkdtempSync(join(tmpdir(), 'bench-did-'));
const panel = join(dir, 'panel.csv');
const rows = ['unit,time,y,treated'];
const cohorts: Record<string, number | null> = {};
for (let c = 0; c < C; c++) {
  const unit = `U${String(c).padStart(5, '0')}`;
  const g = c < 0.7 * C ? first + 1 + (c % (T - 1)) : null;
  cohorts[unit] = g;
  const level = rng.normal(6, 1.5);
  for (let t = first; t < first + T; t++) {
    if (rng.chance(0.03)) continue;
    const d = g !== null && t >= g ? 1 : 0;
    rows.push(`${unit},${t},${level - 0.1 * (t - first) + 0.8 * d + rng.normal(0, 0.4)},${d}`);
  }
}
writeFileSync(panel, `${rows.join('\n')}\n`);
writeFileSync(`${panel}.cohorts.json`, JSON.stringify(cohorts));

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const wall = (cmd: string, args: string[]) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, stdout: r.stdout };
};
const hasR = !values['no-r'] && spawnSync('Rscript', ['-e', 'library(sandwich)'], { stdio: 'ignore' }).status === 0;
const ours: { ms: number; j: { estimate: number; se: number; cells: number; readMs: number; estimateMs: number; maxRssMb: number } }[] = [];
const theirs: number[] = [];
const bare: number[] = [];
let rOut = '';
for (let i = 0; i < Number(values.runs); i++) {
  bare.push(wall('node', ['-e', '0']).ms);
  const o = wall('npx', ['tsx', new URL(import.meta.url).pathname, '--child', panel]);
  ours.push({ ms: o.ms, j: JSON.parse(o.stdout) });
  if (hasR) {
    theirs.push(wall('Rscript', [new URL('../test/reference/twfe.R', import.meta.url).pathname, panel, join(dir, 'r.csv')]).ms);
    rOut = readFileSync(join(dir, 'r.csv'), 'utf8');
  }
}
const j = ours[0]!.j;
console.log(`panel: ${C} communes × ${T} years, ${rows.length - 1} commune-years, ${j.cells} ATT(g,t) cells`);
console.log(`node -e 0:                 ${median(bare).toFixed(0)} ms (median of ${bare.length})`);
console.log(`cafe-impact (tsx process): ${median(ours.map((o) => o.ms)).toFixed(0)} ms whole process; estimation ${median(ours.map((o) => o.j.estimateMs)).toFixed(0)} ms (TWFE + every ATT(g,t) + aggregations + pre-trend test), reading ${median(ours.map((o) => o.j.readMs)).toFixed(0)} ms; peak RSS ${median(ours.map((o) => o.j.maxRssMb)).toFixed(0)} MB`);
if (hasR) {
  const [estimate, se] = rOut.trim().split('\n')[1]!.split(',').map((x) => Number(x.replace(/"/g, '')));
  console.log(`R lm + vcovCL (Rscript):   ${median(theirs).toFixed(0)} ms whole process (TWFE and its SE only, ${C + T} dummy columns)`);
  console.log(`same estimate and SE as R: ${Math.abs(j.estimate - estimate!) < 1e-6 * Math.abs(estimate!) && Math.abs(j.se - se!) < 1e-6 * se! ? 'yes' : 'NO'} (estimate ${j.estimate.toFixed(6)} vs ${estimate!.toFixed(6)}, SE ${j.se.toFixed(6)} vs ${se!.toFixed(6)})`);
} else console.log('R lm + vcovCL: skipped (no Rscript with sandwich, or --no-r)');
