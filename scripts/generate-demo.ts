/**
 * Generates the synthetic demo data set (see src/demo/generate.ts).
 *
 *   npx tsx scripts/generate-demo.ts [--out datasets/demo] [--scale 1] [--seed 2023] [--year 2023]
 *                                    [--sales-lines-per-day 4] [--json]
 */
import { parseArgs } from 'node:util';
import { generateDemo, type DemoSummary } from '../src/demo/generate.ts';
import { UserError } from '../src/core/errors.ts';

function number(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UserError(`--${name}: expected ${integer ? 'an integer' : 'a number'}, got "${text}"`);
  }
  return value;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function printSummary(s: DemoSummary, seconds: number): void {
  const width = Math.max(...s.files.map((f) => f.path.length));
  console.log(`Synthetic demo data in ${s.out} (${seconds.toFixed(1)} s)`);
  console.log(`${s.cafes} cafés in ${s.departments} departments; options ${JSON.stringify(s.options)}`);
  console.log('');
  for (const f of s.files) {
    const extra = [f.notes, f.badRows > 0 ? `${f.badRows} deliberately bad rows` : ''].filter(Boolean).join('; ');
    console.log(`  ${f.path.padEnd(width)}  ${String(f.rows).padStart(11)} rows  ${formatBytes(f.bytes).padStart(10)}  ${f.encoding} '${f.delimiter}'${extra ? `  (${extra})` : ''}`);
  }
  console.log(`  ${'total'.padEnd(width)}  ${String(s.totals.rows).padStart(11)} rows  ${formatBytes(s.totals.bytes).padStart(10)}`);
  console.log('');
  console.log('Deliberately bad rows (expected rejects):');
  for (const b of s.badRows) console.log(`  ${b.file}:${b.line}  ${b.reason}`);
  const e = s.expected;
  console.log('');
  console.log('Expected figures:');
  console.log(`  km saved: bread ${e.kmSaved.bread}, cash ${e.kmSaved.cash}, post ${e.kmSaved.post}`);
  console.log(`  jobs besides managers ${e.jobs}; local micro-enterprises ${e.microEnterprises}; residents mobilised ${e.residentsMobilised}`);
  const g = e.guinguette;
  console.log(`  Guinguette mobile: ${g.dates} dates in ${g.tours} tours, ${g.communes} communes, ${g.events} events, ${g.attendance} people, ${g.associations} associations, ${g.producers} producers`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'datasets/demo' },
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '2023' },
      year: { type: 'string', default: '2023' },
      'sales-lines-per-day': { type: 'string', default: '4' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const started = performance.now();
  const summary = await generateDemo({
    out: values.out,
    scale: number('scale', values.scale, false),
    seed: number('seed', values.seed, true),
    year: number('year', values.year, true),
    salesLinesPerDay: number('sales-lines-per-day', values['sales-lines-per-day'], true),
    onProgress: values.quiet || values.json ? undefined : (msg) => console.error(`… ${msg}`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else printSummary(summary, seconds);
}

main().catch((err: unknown) => {
  if (err instanceof UserError || (err instanceof Error && 'code' in err && err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
    console.error(`generate-demo: ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error(err);
    process.exitCode = 1;
  }
});
