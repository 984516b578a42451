/**
 * `cafe-impact export panel --format parquet|arrow|csv --output DIR` (src/exports/panel.ts) and
 * `cafe-impact export warehouse --format parquet --output DIR` (src/db/export-parquet.ts),
 * both from the published snapshot.
 */
import { Option, type Command } from 'commander';
import { out, withWarehouse, type GlobalOpts } from '../shared.ts';

export function registerExport(program: Command): void {
  const ex = program.command('export').description('exports for R, Python and Stata: the commune × year panel with its codebook, or every dataset as Parquet');
  ex.command('panel')
    .description('one row per commune and year (café and candidate communes): objective indicators, survey estimates with se and n, the index with its interval, the DiD treatment columns; plus codebook.csv/.json/.md')
    .addOption(new Option('--format <format>', 'panel file format').choices(['csv', 'parquet', 'arrow']).default('csv'))
    .requiredOption('--output <dir>', 'folder to write panel.<format> and the codebook into')
    .action(async (o: { format: 'csv' | 'parquet' | 'arrow'; output: string }, cmd: Command) => {
      const { exportPanel } = await import('../../exports/panel.ts');
      const r = await withWarehouse(cmd, (wh) => exportPanel(wh, o.format, o.output), { read: true });
      out(`${r.path}: ${r.rows} rows × ${r.variables} variables; codebook.csv, codebook.json, codebook.md beside it`);
    });
  ex.command('warehouse')
    .description('every dataset as Parquet, Hive-partitioned by dataset and period (dataset=sales/period=2023-Q1/…), reference tables with their versions, and a manifest')
    .addOption(new Option('--format <format>', 'file format').choices(['parquet']).default('parquet'))
    .requiredOption('--output <dir>', 'folder to write into')
    .action(async (o: { output: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const [{ resolveWarehousePath }, { readablePath }, { exportWarehouseParquet }] = await Promise.all([import('../../db/warehouse.ts'), import('../../db/snapshot.ts'), import('../../db/export-parquet.ts')]);
      // the snapshot must exist and open: withWarehouse says so clearly when it does not
      await withWarehouse(cmd, async () => undefined, { read: true });
      const files = await exportWarehouseParquet(readablePath(resolveWarehousePath(g.warehouse)), o.output);
      out(`${o.output}: ${files.length} Parquet files, ${files.reduce((s, f) => s + f.rows, 0)} rows; manifest.json lists each with its rows and SHA-256`);
    });
}
