/**
 * Benchmark (not a test): start-up of the CLI as an installed command runs it (`node bin/…`,
 * not `npx`, which alone costs ≈ 0.3 s), beside `node -e 0` in the same run, as whole processes,
 * alternated, medians.
 *
 *   npm run build && npx tsx scripts/bench-startup.ts [--runs 11] [--warehouse warehouse/demo.duckdb]
 *
 * `status` and `figures --format json` need the demo warehouse (`npx cafe-impact demo`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' }, warehouse: { type: 'string', default: 'warehouse/demo.duckdb' } } });
const runs = Number(values.runs);
const wh = resolve(values.warehouse!);
const bin = resolve('bin/cafe-impact.js');
const cases: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['--help', [bin, '--help']],
  ['--version', [bin, '--version']],
];
if (existsSync(wh)) cases.push(['status', [bin, '--warehouse', wh, 'status']], ['figures --format json', [bin, '--warehouse', wh, 'figures', '--period', '2023', '--format', 'json']]);
else console.log(`${wh} not found: status and figures skipped (run \`npx cafe-impact demo\` first)`);

const times = new Map<string, number[]>(cases.map(([n]) => [n, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of cases) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    times.get(name)!.push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times.get('node -e 0')!);
console.log(`${'command'.padEnd(24)} ${'median s'.padStart(9)} ${'× node -e 0'.padStart(12)}`);
for (const [name] of cases) {
  const m = median(times.get(name)!);
  console.log(`${name.padEnd(24)} ${(m / 1000).toFixed(3).padStart(9)} ${(m / base).toFixed(1).padStart(12)}`);
}
