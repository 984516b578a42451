/** `cafe-impact figures --period P`: the latest run's figures, for machines (json) or people (table, csv, xlsx). */
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { usage } from '../../core/messages.ts';
import { parsePeriod } from '../../core/period.ts';
import { table } from '../format.ts';
import { langOption, type Lang } from '../lang.ts';
import { checkOutput, withWarehouse, write as writeStdout, writeOutput } from '../shared.ts';

export function registerFigures(program: Command): void {
  program
    .command('figures')
    .description("the latest run's figures for a period (json for machines, csv/xlsx for staff)")
    .requiredOption('--period <period>', '2023 or 2023-Q2')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'xlsx', 'table']).default('table'))
    .option('--output <file>', 'write to a file (required for xlsx)')
    .option('--indicator <id>', 'only this indicator')
    .option('--scope <scope>', 'only this scope (network, region, department, cafe, model, stage, service, contract, programme)')
    .addOption(langOption())
    .action(async (o: { period: string; format: string; output?: string; indicator?: string; scope?: string; lang: Lang }, cmd: Command) => {
      const period = parsePeriod(o.period);
      checkOutput(o.output);
      if (o.format === 'xlsx' && !o.output) throw new UserError(usage.xlsxNeedsOutput());
      const { latestRun, runFigures } = await import('../../figures/store.ts');
      await withWarehouse(cmd, async (wh) => {
        const run = await latestRun(wh, period.label);
        const figs = (await runFigures(wh, run.run_id)).filter((f) => (!o.indicator || f.indicator === o.indicator) && (!o.scope || f.scope === o.scope));
        const write = (data: string | Buffer) => (o.output ? writeOutput(o.output, data) : writeStdout(data));
        if (o.format === 'json') return write((await import('../../figures/export.ts')).figuresToJson(figs, run));
        if (o.format === 'csv') return write((await import('../../figures/export.ts')).figuresToCsv(figs, run, { lang: o.lang }));
        if (o.format === 'xlsx') return write(await (await import('../../figures/workbook.ts')).figuresToWorkbook(figs, run, { lang: o.lang }));
        const [{ formatNumber, decimalsOf, unitName, SUPPRESSED }, { scopeLabel, scopeName }, { indicatorDef }] = await Promise.all([
          import('../../format/locale.ts'), import('../../format/labels.ts'), import('../../indicators/registry.ts'),
        ]);
        const fr = o.lang === 'fr';
        write(
          `${table(
            figs.map((f) => ({
              [fr ? 'indicateur' : 'indicator']: f.indicator,
              [fr ? 'libellé' : 'label']: indicatorDef(f.indicator)?.label[o.lang] ?? '',
              [fr ? 'périmètre' : 'scope']: scopeName(f.scope, o.lang),
              code: f.scope_id ?? '',
              [fr ? 'nom' : 'name']: scopeLabel(f.scope, f.scope_id, f.scope_label, o.lang),
              [fr ? 'valeur' : 'value']: f.suppressed ? SUPPRESSED[o.lang] : formatNumber(f.value, decimalsOf(f.unit), o.lang),
              [fr ? 'unité' : 'unit']: unitName(f.unit, o.lang),
            })),
            undefined,
            o.lang,
          )}\n`,
        );
      }, { read: true });
    });
}
