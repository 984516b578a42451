/**
 * The `cafe-impact` command: parses flags, opens the warehouse, calls the library, prints.
 * One top-level handler maps errors to exit codes:
 *   0 done · 1 unexpected error · 2 user error (bad flag, bad file) · 3 ingest refused (nothing loaded)
 */
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { dictionaryMarkdown } from '../contract/dictionary.ts';
import { DATASETS } from '../contract/datasets.ts';
import { IngestFailed, UserError } from '../errors.ts';
import { ingestFolder, type IngestReport } from '../ingest/ingest.ts';
import { listLoads, listRejects, status, unload } from '../loads.ts';
import { parsePeriod } from '../period.ts';
import { reload } from '../reload.ts';
import { codeVersion } from '../version.ts';
import { clip, num, table } from './format.ts';
import { terminalReporter } from './progress.ts';
import { err, jsonSummary, out, parseThreshold, printIngest, withWarehouse } from './shared.ts';
import { registerReference } from './reference.ts';
import { registerDemo } from './demo.ts';
import { registerFigures } from './figures.ts';

export function buildProgram(): Command {
  const program = new Command('cafe-impact')
    .description('Impact figures for a network of village cafés: validated quarterly ingestion into an embedded DuckDB warehouse.')
    .version(codeVersion())
    .option('--warehouse <file>', 'warehouse file (default: $CAFE_IMPACT_WAREHOUSE or warehouse/cafe-impact.duckdb)')
    .option('--debug', 'print stack traces of unexpected errors')
    .showHelpAfterError();

  program
    .command('ingest')
    .description('validate and load the files of a folder (cafes.csv, service_uses.csv…) for a period')
    .argument('<folder>', 'folder holding files named after datasets')
    .requiredOption('--period <period>', 'period the files cover: 2023 or 2023-Q2')
    .option('--dry-run', 'validate and report without loading')
    .option('--threshold <share>', 'rejected share above which a file fails the ingest', '0.05')
    .option('--json', 'print a machine-readable summary')
    .action(async (folder: string, o: { period: string; dryRun?: boolean; threshold: string; json?: boolean }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const threshold = parseThreshold(o.threshold);
      await withWarehouse(cmd, async (wh) => {
        const reporter = terminalReporter(!o.json && process.stderr.isTTY === true, (m) => err(`warning: ${m}`));
        try {
          const r = await ingestFolder(wh, folder, { period, dryRun: o.dryRun, threshold, reporter });
          if (o.json) out(JSON.stringify(jsonSummary(r), null, 2));
          else {
            printIngest(r);
            out();
            out(`${r.message}${r.status === 'loaded' ? ` (load ${r.loadId})` : ''}`);
          }
        } catch (e) {
          if (e instanceof IngestFailed && e.summary) {
            const r = e.summary as IngestReport;
            if (o.json) out(JSON.stringify(jsonSummary(r), null, 2));
            else printIngest(r);
          }
          throw e;
        }
      });
    });

  program
    .command('status')
    .description('what is loaded, per dataset and period, and the latest loads')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const s = await status(wh);
        const loads = await listLoads(wh, 10);
        const runs = await wh.all<{ run_id: string; period: string; status: string; method_version: string; figures: number; warnings: number }>(
          `SELECT r.run_id, r.period, r.status, r.method_version,
                  (SELECT count(*) FROM figures f WHERE f.run_id = r.run_id) AS figures,
                  (SELECT count(*) FROM run_warnings w WHERE w.run_id = r.run_id) AS warnings
           FROM runs r ORDER BY r.started_at DESC LIMIT 5`,
        );
        if (o.json) return out(JSON.stringify({ datasets: s, loads, runs }, null, 2));
        out(`Warehouse ${wh.path}`);
        out();
        out(table(s.map((r) => ({ dataset: r.dataset, period: r.period ?? '(current)', rows: r.rows, loads: r.loads, last_load: r.last_load }))));
        out();
        out('Latest loads');
        out(table(loads.map((l) => ({ load: l.load_id, command: l.command, period: l.period, status: l.status, files: l.files, read: l.read, accepted: l.accepted, rejected: l.rejected }))));
        if (runs.length) {
          out();
          out('Latest runs');
          out(table(runs.map((r) => ({ run: r.run_id, period: r.period, status: r.status, method: r.method_version, figures: r.figures, warnings: r.warnings }))));
        }
      });
    });

  program
    .command('rejects')
    .description('list rejected rows: file, line, column, value and reason')
    .option('--period <period>', 'period of the loads (2023-Q2)')
    .option('--dataset <dataset>', 'only this dataset')
    .option('--load <load-id>', 'only this load')
    .option('--all', 'every attempt, not only the latest per dataset and period')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action(async (o: { period?: string; dataset?: string; load?: string; all?: boolean; format: string }, cmd: Command) => {
      if (o.dataset && !DATASETS[o.dataset]) throw new UserError(`unknown dataset ${o.dataset} (one of ${Object.keys(DATASETS).join(', ')})`);
      const period = o.period ? parsePeriod(o.period) : undefined;
      await withWarehouse(cmd, async (wh) => {
        const rows = await listRejects(wh, { period, dataset: o.dataset, loadId: o.load, all: o.all });
        if (o.format === 'json') return out(JSON.stringify(rows, null, 2));
        if (o.format === 'csv') {
          const cols = ['load_id', 'dataset', 'file_name', 'line', 'column_name', 'raw_value', 'reason', 'raw_line'] as const;
          const q = (v: unknown) => (v === null || v === undefined ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
          out(cols.join(','));
          for (const r of rows) out(cols.map((c) => q(r[c])).join(','));
          return;
        }
        out(table(rows.map((r) => ({ load: r.load_id, file: r.file_name, line: r.line, column: r.column_name, value: clip(r.raw_value, 30), reason: clip(r.reason, 90) }))));
        out();
        out(`${num(rows.length)} rejected row${rows.length === 1 ? '' : 's'}`);
      });
    });

  program
    .command('unload')
    .description('take a load back out of the warehouse')
    .argument('<load-id>')
    .action(async (loadId: string, _o: unknown, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const r = await unload(wh, loadId);
        const removed = Object.entries(r.rowsRemoved).map(([d, n]) => `${num(n)} ${d}`).join(', ') || 'no rows';
        const reopened = Object.entries(r.versionsReopened).map(([d, n]) => `${num(n)} ${d}`).join(', ');
        out(`unloaded ${loadId}: removed ${removed}${reopened ? `; previous versions reopened: ${reopened}` : ''}`);
      });
    });

  program
    .command('reload')
    .description('ingest again the archived raw files of an earlier load (same period), e.g. after an unload')
    .argument('<load-id>')
    .option('--threshold <share>', 'rejected share above which a file fails the ingest', '0.05')
    .action(async (loadId: string, o: { threshold: string }, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const r = await reload(wh, loadId, { threshold: parseThreshold(o.threshold) });
        printIngest(r);
        out();
        out(`${r.message}${r.status === 'loaded' ? ` (load ${r.loadId}, from the archive of ${loadId})` : ''}`);
      });
    });

  program
    .command('schema')
    .description('the data contract: every dataset\'s columns, types and rules')
    .argument('[dataset]')
    .action((dataset?: string) => {
      if (dataset && !DATASETS[dataset]) throw new UserError(`unknown dataset ${dataset} (one of ${Object.keys(DATASETS).join(', ')})`);
      out(dictionaryMarkdown(dataset).trimEnd());
    });

  registerReference(program);
  registerFigures(program);
  registerDemo(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (code?.startsWith('commander.')) return 2;
    const debug = argv.includes('--debug');
    if (e instanceof UserError) {
      err(`error: ${e.message}`);
      if (e.hint) err(`hint: ${e.hint}`);
      if (debug) err(e.stack ?? '');
      return e.exitCode;
    }
    err(`unexpected error: ${(e as Error).message?.split('\n')[0]}`);
    err(debug ? ((e as Error).stack ?? '') : 'run again with --debug for the stack trace');
    return 1;
  }
}

// Run when executed directly (`tsx src/cli/main.ts …`); bin/cafe-impact.js calls main() itself.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv);
}
