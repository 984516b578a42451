/** `cafe-impact rejects`: the rejected rows, file, line, column, value and reason. */
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { usage } from '../../core/messages.ts';
import { parsePeriod } from '../../core/period.ts';
import { clip, num, table } from '../format.ts';
import { out, withWarehouse } from '../shared.ts';

export function registerRejects(program: Command): void {
  program
    .command('rejects')
    .description('list rejected rows: file, line, column, value and reason')
    .option('--period <period>', 'period of the loads (2023-Q2)')
    .option('--dataset <dataset>', 'only this dataset')
    .option('--load <load-id>', 'only this load')
    .option('--all', 'every attempt, not only the latest per dataset and period')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action(async (o: { period?: string; dataset?: string; load?: string; all?: boolean; format: string }, cmd: Command) => {
      const [{ DATASETS }, { listRejects }, { neutraliseFormula }] = await Promise.all([import('../../contract/datasets.ts'), import('../../loads/loads.ts'), import('../../figures/export.ts')]);
      if (o.dataset && !DATASETS[o.dataset]) throw new UserError(usage.unknownDataset(o.dataset, Object.keys(DATASETS)));
      const period = o.period ? parsePeriod(o.period) : undefined;
      await withWarehouse(cmd, async (wh) => {
        const rows = await listRejects(wh, { period, dataset: o.dataset, loadId: o.load, all: o.all });
        if (o.format === 'json') return out(JSON.stringify(rows, null, 2));
        if (o.format === 'csv') {
          const cols = ['load_id', 'dataset', 'file_name', 'line', 'column_name', 'raw_value', 'reason', 'raw_line'] as const;
          // Values come from the rejected files: a cell a spreadsheet would run as a formula is neutralised.
          const { csvRow } = await import('../../io/csv.ts');
          out(csvRow(cols));
          for (const r of rows) out(csvRow(cols.map((c) => (r[c] === null || r[c] === undefined ? null : neutraliseFormula(String(r[c]))))));
          return;
        }
        out(table(rows.map((r) => ({ load: r.load_id, file: r.file_name, line: r.line, column: r.column_name, value: clip(r.raw_value, 30), reason: clip(r.reason, 90) }))));
        out();
        out(`${num(rows.length)} rejected row${rows.length === 1 ? '' : 's'}`);
      }, { read: true });
    });
}
