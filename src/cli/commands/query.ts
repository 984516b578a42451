/**
 * `cafe-impact query "<SQL>" [--format table|csv|json|parquet|arrow] [--output F]`: one read-only
 * SELECT on the published snapshot (src/db/query.ts); Parquet and Arrow are written by the tool.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { queryErrors, warehouseErrors } from '../../core/messages.ts';
import { table } from '../format.ts';
import { checkOutput, write as writeStdout, writeOutput, type GlobalOpts } from '../shared.ts';

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run one read-only SQL query (SELECT) on the published snapshot of the warehouse')
    .argument('<sql>', 'one SELECT statement, e.g. "SELECT indicator, value FROM figures LIMIT 5"')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'parquet', 'arrow']).default('table'))
    .option('--output <file>', 'write to a file (required for parquet and arrow)')
    .action(async (sql: string, o: { format: string; output?: string }, cmd: Command) => {
      checkOutput(o.output);
      if ((o.format === 'parquet' || o.format === 'arrow') && !o.output) throw new UserError(queryErrors.needsOutput(o.format));
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const [{ resolveWarehousePath }, { readablePath }, q] = await Promise.all([import('../../db/warehouse.ts'), import('../../db/snapshot.ts'), import('../../db/query.ts')]);
      const path = readablePath(resolveWarehousePath(g.warehouse));
      if (!existsSync(path)) throw new UserError(warehouseErrors.missing(resolveWarehousePath(g.warehouse)));
      if (o.format === 'parquet') {
        await q.queryToParquet(path, sql, o.output!);
        return;
      }
      const r = await q.runQuery(path, sql);
      const write = (data: string | Uint8Array) => (o.output ? writeOutput(o.output, data) : writeStdout(data));
      if (o.format === 'arrow') return write((await import('../../db/arrow.ts')).resultToArrowIpc(r));
      if (o.format === 'json') return write(`${JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]))), null, 2)}\n`);
      if (o.format === 'csv') {
        const { csvRow } = await import('../../io/csv.ts');
        const text = (v: unknown) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
        return write([csvRow(r.columns.map((c) => c.name)), ...r.rows.map((row) => csvRow(row.map(text)))].join('\n') + '\n');
      }
      write(`${table(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, typeof row[i] === 'object' && row[i] !== null ? JSON.stringify(row[i]) : row[i]]))), r.columns.map((c) => c.name))}\n`);
    });
}
