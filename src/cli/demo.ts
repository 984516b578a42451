/**
 * `cafe-impact demo`: generates the synthetic network if needed, ingests its reference files
 * and its four quarters into a demo warehouse, and prints what it did.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parsePeriod } from '../period.ts';
import { printHeadline } from './headline.ts';
import { printable } from './format.ts';
import { out, printIngest, type GlobalOpts } from './shared.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate the synthetic demo network (if needed), ingest it and print what it did')
    .option('--data <folder>', 'demo data folder', join(ROOT, 'datasets/demo'))
    .option('--regenerate', 'generate the demo data again even if present')
    .option('--scale <n>', 'network size multiplier for a bigger demo', '1')
    .action(async (o: { data: string; regenerate?: boolean; scale: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const [{ Warehouse }, { generateDemo }, { ingestFolder }, { defaultConfig }, { runPeriod }] = await Promise.all([
        import('../db/warehouse.ts'), import('../demo/generate.ts'), import('../ingest/ingest.ts'), import('../config.ts'), import('../run.ts'),
      ]);
      const data = resolve(o.data);
      const year = 2023;
      if (o.regenerate || !existsSync(join(data, 'reference'))) {
        out(`Generating the synthetic demo network in ${data} …`);
        const s = await generateDemo({ out: data, scale: Number(o.scale), year });
        out(`  ${s.cafes} cafés in ${s.departments} departments; ${s.files.length} files`);
      }
      const path = resolve(g.warehouse ?? process.env.CAFE_IMPACT_WAREHOUSE ?? 'warehouse/demo.duckdb');
      const wh = await Warehouse.open(path);
      try {
        out(`Warehouse ${path}`);
        const folders = [
          { folder: join(data, 'reference'), period: `${year}-Q1` },
          ...readdirSync(data).filter((d) => /^\d{4}-Q[1-4]$/.test(d)).sort().map((d) => ({ folder: join(data, d), period: d })),
        ];
        for (const f of folders) {
          out();
          out(`== ingest ${f.folder} --period ${f.period}`);
          const r = await ingestFolder(wh, f.folder, { period: parsePeriod(f.period) });
          printIngest(r, { maxRejects: 5 });
          out(printable(r.message));
        }
        out();
        out(`== run --period ${year}`);
        const run = await runPeriod(wh, parsePeriod(String(year)), { config: defaultConfig() });
        for (const w of run.warnings.slice(0, 5)) out(`warning: ${printable(w.message)}`);
        if (run.warnings.length > 5) out(`(${run.warnings.length - 5} more warnings: cafe-impact explain km_saved --period ${year})`);
        out();
        await printHeadline(wh, String(year));
        out();
        out('The data is synthetic (see datasets/demo/README.md): the figures show the method, not the network.');
        out('Next:');
        out(`  npx cafe-impact --warehouse ${path} figures --period ${year} --format xlsx --output chiffres-${year}.xlsx`);
        out(`  npx cafe-impact --warehouse ${path} explain km_saved --period ${year}`);
        out(`  npx cafe-impact --warehouse ${path} rejects --period ${year}-Q2`);
      } finally {
        wh.close();
      }
    });
}
