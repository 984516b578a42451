/**
 * `cafe-impact report --period P --template <name> --format html|pdf [--lang fr|en]
 * [--for <scope>:<id>] [--boundaries FILE] --output <file>` (`--out` accepted),
 * `report --template cafe-sheet --all-cafes --output DIR` (DIR/<cafe_id>.<ext>) and
 * `report --list` (the library: src/reports/).
 */
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { reportErrors } from '../../core/messages.ts';
import { parsePeriod } from '../../core/period.ts';
import { langOption, type Lang } from '../lang.ts';
import { checkOutput, out, withWarehouse, writeOutput } from '../shared.ts';

interface Opts {
  period?: string;
  template: string;
  format: 'html' | 'pdf';
  lang: Lang;
  for?: string;
  boundaries?: string;
  allCafes?: boolean;
  output?: string;
  out?: string;
  list?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('a report for funders from one run, as self-contained HTML or A4 PDF (templates: cafe-impact report --list)')
    .option('--period <period>', '2023 or 2023-Q2')
    .option('--template <name>', 'report template (reports/<name>/)', 'annual')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'pdf']).default('html'))
    .addOption(langOption())
    .option('--for <scope:id>', 'one region, department, café or programme: region:84, department:07, cafe:C001, programme:guinguette_mobile')
    .option('--boundaries <file>', 'GeoJSON of boundaries drawn under the map (e.g. IGN simplified departments)')
    .option('--all-cafes', 'one sheet per café: --output is a folder, written as <folder>/<cafe_id>.<format>')
    .option('--output <file>', 'file to write (a folder with --all-cafes)')
    .addOption(new Option('--out <file>', 'alias of --output').hideHelp())
    .option('--list', 'the templates and what each needs')
    .action(async (o: Opts, cmd: Command) => {
      const { listTemplates, loadTemplate } = await import('../../reports/template.ts');
      if (o.list) {
        for (const id of listTemplates()) {
          const t = loadTemplate(id);
          const forWhom = t.for.scopes.map((s) => (s === 'network' ? (o.lang === 'fr' ? 'réseau' : 'network') : `--for ${s}:<id>`)).join(', ');
          out(`${id.padEnd(12)} ${t.title[o.lang]} (${forWhom}) — ${t.needs[o.lang]}`);
        }
        return;
      }
      const output = o.output ?? o.out;
      if (!output) throw new UserError(reportErrors.needsOutput());
      if (!o.period) throw new UserError(reportErrors.needsPeriod());
      const period = parsePeriod(o.period);
      const template = loadTemplate(o.template);
      const [{ parseFor }, { renderReport, cafeSheets }, { readBoundaries }] = await Promise.all([
        import('../../reports/build.ts'), import('../../reports/render.ts'), import('../../reports/map.ts'),
      ]);
      const target = o.for ? parseFor(o.for) : null;
      const boundaries = o.boundaries ? await readBoundaries(o.boundaries) : null;
      const options = { period, lang: o.lang, format: o.format, for: target, boundaries };
      if (o.allCafes) {
        const { existsSync, mkdirSync, statSync } = await import('node:fs');
        const { join } = await import('node:path');
        if (target) throw new UserError(reportErrors.allCafes());
        if (!template.for.scopes.includes('cafe')) throw new UserError(reportErrors.allCafesTemplate(template.id));
        if (existsSync(output) && !statSync(output).isDirectory()) throw new UserError(reportErrors.allCafes());
        mkdirSync(output, { recursive: true });
        const r = await withWarehouse(cmd, (wh) => cafeSheets(wh, template, options, (id, content) => writeOutput(join(output, `${id}.${o.format}`), content)), { read: true });
        out(`${output}: ${r.count} ${template.id} ${o.format.toUpperCase()} of ${period.label} (run ${r.data.run.run_id})`);
        return;
      }
      checkOutput(output);
      const r = await withWarehouse(cmd, (wh) => renderReport(wh, template, options), { read: true });
      writeOutput(output, r.content);
      out(`${output}: ${template.id} report of ${period.label}${r.model.target ? ` for ${r.model.target}` : ''}, ${o.format.toUpperCase()} (run ${r.model.run.run_id})`);
    });
}
