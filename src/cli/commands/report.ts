/**
 * `cafe-impact report --period P --template <name> --format html [--lang fr|en] --output <file>`
 * (`--out` accepted) and `report --list` (src/reports/). Started: the HTML renderer and the
 * `annual` template; PDF, the map, `--for` and the other templates are to come (issue 13).
 */
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { reportErrors } from '../../core/messages.ts';
import { parsePeriod } from '../../core/period.ts';
import { langOption, type Lang } from '../lang.ts';
import { checkOutput, out, withWarehouse, writeOutput } from '../shared.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('a report for funders from one run: self-contained HTML (templates: cafe-impact report --list)')
    .option('--period <period>', '2023 or 2023-Q2')
    .option('--template <name>', 'report template (reports/<name>/)', 'annual')
    .addOption(new Option('--format <format>', 'output format').choices(['html']).default('html'))
    .addOption(langOption())
    .option('--output <file>', 'file to write')
    .addOption(new Option('--out <file>', 'alias of --output').hideHelp())
    .option('--list', 'the templates and what each needs')
    .action(async (o: { period?: string; template: string; lang: Lang; output?: string; out?: string; list?: boolean }, cmd: Command) => {
      const { listTemplates, loadTemplate } = await import('../../reports/template.ts');
      if (o.list) {
        for (const id of listTemplates()) {
          const t = loadTemplate(id);
          out(`${id.padEnd(12)} ${t.title[o.lang]} — ${t.needs[o.lang]}`);
        }
        return;
      }
      const output = o.output ?? o.out;
      if (!output) throw new UserError(reportErrors.needsOutput());
      if (!o.period) throw new UserError(reportErrors.needsPeriod());
      checkOutput(output);
      const period = parsePeriod(o.period);
      const template = loadTemplate(o.template);
      const { renderHtml } = await import('../../reports/html.ts');
      const r = await withWarehouse(cmd, (wh) => renderHtml(wh, template, { period: period.label, lang: o.lang }), { read: true });
      writeOutput(output, r.html);
      out(`${output}: ${template.id} report of ${period.label} (run ${r.run.run_id})`);
    });
}
