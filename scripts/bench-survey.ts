/**
 * Benchmark (not a test): survey estimates at the network's target scale — 1,000 communes × 50
 * respondents, 8 items and one share each — raked and estimated by src/stats (rake, svyMean), as
 * the run does per commune; compared in the same run with R's survey package (the reference the
 * tests check equality against) doing the same work as a whole process, when Rscript is present.
 *
 *   npx tsx scripts/bench-survey.ts [--communes 1000] [--respondents 50] [--items 8] [--seed 1] [--no-r]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../src/stats/prng.ts';
import { compositeIndex, type IndexIndicator, type IndexUnitValue } from '../src/stats/composite-index.ts';
import { rake } from '../src/stats/rake.ts';
import { svyMean } from '../src/stats/svy-mean.ts';

const { values } = parseArgs({ options: { communes: { type: 'string', default: '1000' }, respondents: { type: 'string', default: '50' }, items: { type: 'string', default: '8' }, seed: { type: 'string', default: '1' }, 'no-r': { type: 'boolean', default: false } } });
const C = Number(values.communes);
const R = Number(values.respondents);
const K = Number(values.items);
const rng = new Rng(Number(values.seed));

interface Commune { sex: number[]; age: number[]; sexPop: number[]; agePop: number[]; y: (number | null)[][] }
const communes: Commune[] = [];
for (let c = 0; c < C; c++) {
  const sex = Array.from({ length: R }, (_, i) => (i < 2 ? i : rng.int(0, 1)));
  const age = Array.from({ length: R }, (_, i) => (i < 6 ? i : rng.int(0, 5)));
  const sexPop = [rng.uniform(100, 900), rng.uniform(100, 900)];
  const shares = Array.from({ length: 6 }, () => rng.uniform(0.5, 2));
  const total = sexPop[0]! + sexPop[1]!;
  const agePop = shares.map((s) => (s / shares.reduce((a, b) => a + b, 0)) * total);
  const y = Array.from({ length: K }, () => Array.from({ length: R }, () => (rng.chance(0.05) ? null : rng.int(0, 10))));
  communes.push({ sex, age, sexPop, agePop, y });
}

const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
let estimates = 0;
for (const m of communes) {
  const total = m.sexPop[0]! + m.sexPop[1]!;
  const r = rake(m.sex.map(() => total / R), [{ category: m.sex, population: m.sexPop }, { category: m.age, population: m.agePop }], { maxit: 200, epsilon: 1e-13 });
  const cal = { categories: [m.sex, m.age], marginWeights: r.marginWeights };
  for (const y of m.y) {
    svyMean(y, r.weights, cal);
    svyMean(y.map((v) => (v === null ? null : v >= 7 ? 1 : 0)), r.weights, cal);
    estimates += 2;
  }
}
const tsMs = performance.now() - t0;
const rss = process.memoryUsage().rss;
console.log(`TypeScript (src/stats): ${C} communes × ${R} respondents, ${estimates} estimates in ${(tsMs / 1000).toFixed(2)} s (${((tsMs * 1000) / estimates).toFixed(1)} µs each); RSS ${(rss / 2 ** 20).toFixed(0)} MiB (+${((rss - rss0) / 2 ** 20).toFixed(0)} MiB)`);

// The index over the same communes: the K items in 4 dimensions plus one objective indicator,
// 1,000 Monte Carlo draws (the default).
const indicators: IndexIndicator[] = [
  ...Array.from({ length: K }, (_, k) => ({ code: `y${k}`, dimension: `d${k % 4}`, direction: 'positive' as const, min: 0, max: 10 })),
  { code: 'far', dimension: 'd0', direction: 'negative', min: 0, max: 100 },
];
const data = new Map<string, Map<string, IndexUnitValue>>();
communes.forEach((_, c) => {
  const m = new Map<string, IndexUnitValue>();
  for (let k = 0; k < K; k++) m.set(`y${k}`, { value: rng.uniform(3, 8), se: rng.uniform(0.2, 0.8) });
  m.set('far', { value: rng.uniform(0, 60) });
  data.set(`c${c}`, m);
});
const t2 = performance.now();
compositeIndex(indicators, data, { draws: 1000, seed: 1 });
const ixMs = performance.now() - t2;
const rss2 = process.memoryUsage().rss;
console.log(`compositeIndex: ${C} communes × ${indicators.length} indicators, 1,000 draws in ${(ixMs / 1000).toFixed(2)} s; RSS ${(rss2 / 2 ** 20).toFixed(0)} MiB`);
if (values['no-r']) process.exit(0);

const hasR = spawnSync('sh', ['-c', 'command -v Rscript']).status === 0;
if (!hasR) {
  console.log('Rscript absent: no R baseline (apt-get install r-base-core r-cran-survey)');
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'bench-survey-'));
const AGES = ['15-24', '25-39', '40-54', '55-64', '65-74', '75+'];
const lines = ['commune,sex,age_band,w0,' + Array.from({ length: K }, (_, k) => `y${k}`).join(',')];
const margins = ['commune,margin,category,population'];
communes.forEach((m, c) => {
  const total = m.sexPop[0]! + m.sexPop[1]!;
  for (let i = 0; i < R; i++) lines.push(`c${c},${'FM'[m.sex[i]!]},${AGES[m.age[i]!]},${total / R},${m.y.map((y) => (y[i] === null ? 'NA' : y[i])).join(',')}`);
  m.sexPop.forEach((p, i) => margins.push(`c${c},sex,${'FM'[i]},${p}`));
  m.agePop.forEach((p, i) => margins.push(`c${c},age_band,${AGES[i]},${p}`));
});
writeFileSync(join(dir, 'units.csv'), lines.join('\n'));
writeFileSync(join(dir, 'margins.csv'), margins.join('\n'));
writeFileSync(
  join(dir, 'bench.R'),
  `suppressMessages(library(survey))
d <- read.csv("${dir}/units.csv"); m <- read.csv("${dir}/margins.csv")
t <- system.time(for (cm in unique(d$commune)) {
  x <- d[d$commune == cm, ]
  des <- svydesign(ids = ~1, weights = ~w0, data = x)
  sm <- m[m$commune == cm & m$margin == "sex", ]; am <- m[m$commune == cm & m$margin == "age_band", ]
  r <- rake(des, list(~sex, ~age_band), list(data.frame(sex = sm$category, Freq = sm$population), data.frame(age_band = am$category, Freq = am$population)), control = list(maxit = 200, epsilon = 1e-13))
  for (k in 0:${K - 1}) { v <- paste0("y", k); svymean(as.formula(paste0("~", v)), r, na.rm = TRUE); r$variables$p <- as.numeric(r$variables[[v]] >= 7); svymean(~p, r, na.rm = TRUE) }
})
cat(sprintf("%.2f\\n", t[["elapsed"]]))
`,
);
const t1 = performance.now();
const out = spawnSync('/usr/bin/time', ['-f', '%M', 'Rscript', join(dir, 'bench.R')], { encoding: 'utf8' });
const rWhole = (performance.now() - t1) / 1000;
const rLoop = Number(out.stdout.trim());
const rKb = Number(out.stderr.trim().split('\n').pop());
console.log(`R survey ${'(same work)'}: ${rLoop.toFixed(2)} s in the loop, ${rWhole.toFixed(2)} s as a whole process; peak RSS ${(rKb / 1024).toFixed(0)} MiB`);
console.log(`ratio R loop / TypeScript: ${(rLoop / (tsMs / 1000)).toFixed(0)}×`);
