/**
 * The `cafe-impact` command: parses flags, opens the warehouse, calls the library, prints.
 * One top-level handler maps errors to exit codes:
 *   0 done · 1 unexpected error · 2 user error (bad flag, bad file) · 3 ingest refused (nothing loaded)
 *   · 4 run stopped by a failed check or --strict
 * Every message is one line on stderr, control characters escaped; stack traces only with --debug.
 */
import { pathToFileURL } from 'node:url';
// Start-up: only commander and light modules are imported here; each command imports what it
// needs when it runs (the warehouse, the ingestion, exceljs… are not loaded for --help).
import type { IngestReport } from '../ingest/ingest.ts';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, fsErrorMessage, IngestFailed, InternalError, isFsError, UserError } from '../errors.ts';
import { parsePeriod } from '../period.ts';
import { clip, num, printable, table } from './format.ts';
import { err, jsonSummary, out, parseThreshold, printIngest, quietOnClosedPipe, withWarehouse } from './shared.ts';
import { registerReference } from './reference.ts';
import { registerDemo } from './demo.ts';
import { registerExplain } from './explain.ts';
import { registerFigures } from './figures.ts';
import { registerRun } from './run.ts';

/** `version`: computed (git) only when asked for, by main(). */
export function buildProgram(version = ''): Command {
  const program = new Command('cafe-impact')
    .description('Impact figures for a network of village cafés: validated quarterly ingestion into an embedded DuckDB warehouse.')
    .version(version)
    .option('--warehouse <file>', 'warehouse file (default: $CAFE_IMPACT_WAREHOUSE or warehouse/cafe-impact.duckdb)')
    .option('--debug', 'print stack traces of unexpected errors');

  program
    .command('ingest')
    .description('validate and load the files of a folder (cafes.csv, service_uses.csv…) for a period')
    .argument('<folder>', 'folder holding files named after datasets')
    .requiredOption('--period <period>', 'period the files cover: 2023 or 2023-Q2')
    .option('--dry-run', 'validate and report without loading')
    .option('--threshold <share>', 'rejected share above which a file fails the ingest', '0.05')
    .option('--allow-empty <dataset...>', 'let a file with no data row empty the period of these dated datasets (repeat or separate with commas)')
    .option('--allow-shrink', 'let a load remove more than half of a dataset\'s rows in the period')
    .option('--pseudonymise <dataset.column...>', 'derive the person key from a column of clear identifiers (e-mails, phones, names) with HMAC-SHA-256 and the secret in CAFE_IMPACT_PSEUDONYM_KEY; the clear column is never stored nor archived')
    .option('--json', 'print a machine-readable summary')
    .action(async (folder: string, o: { period: string; dryRun?: boolean; threshold: string; json?: boolean; allowEmpty?: string[]; allowShrink?: boolean; pseudonymise?: string[] }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const threshold = parseThreshold(o.threshold);
      // Loaded while the warehouse opens.
      const modules = Promise.all([import('./progress.ts'), import('../ingest/ingest.ts'), import('../contract/datasets.ts'), import('../ingest/pseudonymise.ts')]);
      modules.catch(() => undefined);
      await withWarehouse(cmd, async (wh) => {
        const [{ terminalReporter }, { ingestFolder }, { DATASETS }, { parsePseudonymSpecs }] = await modules;
        const reporter = terminalReporter(!o.json && process.stderr.isTTY === true, (m) => err(`warning: ${m}`));
        try {
          const allowEmpty = (o.allowEmpty ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
          for (const d of allowEmpty) if (DATASETS[d]?.kind !== 'dated') throw new UserError(`--allow-empty ${d}: not a dated dataset (one of ${Object.values(DATASETS).filter((x) => x.kind === 'dated').map((x) => x.name).join(', ')})`);
          const pseudonymise = parsePseudonymSpecs(o.pseudonymise ?? [], DATASETS);
          const r = await ingestFolder(wh, folder, { period, dryRun: o.dryRun, threshold, reporter, allowEmpty, allowShrink: o.allowShrink, pseudonymise });
          if (o.json) out(JSON.stringify(jsonSummary(r), null, 2));
          else {
            printIngest(r);
            out();
            out(printable(`${r.message}${r.status === 'loaded' ? ` (load ${r.loadId})` : ''}`));
          }
        } catch (e) {
          if (e instanceof IngestFailed && e.summary) {
            const r = e.summary as IngestReport;
            if (o.json) out(JSON.stringify(jsonSummary(r), null, 2));
            else printIngest(r);
          }
          throw e;
        }
      }, { create: true });
    });

  program
    .command('status')
    .description('what is loaded, per dataset and period, and the latest loads')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const { listLoads, status } = await import('../loads.ts');
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
      const [{ DATASETS }, { listRejects }, { neutraliseFormula }] = await Promise.all([import('../contract/datasets.ts'), import('../loads.ts'), import('../figures/export.ts')]);
      if (o.dataset && !DATASETS[o.dataset]) throw new UserError(`unknown dataset ${o.dataset} (one of ${Object.keys(DATASETS).join(', ')})`);
      const period = o.period ? parsePeriod(o.period) : undefined;
      await withWarehouse(cmd, async (wh) => {
        const rows = await listRejects(wh, { period, dataset: o.dataset, loadId: o.load, all: o.all });
        if (o.format === 'json') return out(JSON.stringify(rows, null, 2));
        if (o.format === 'csv') {
          const cols = ['load_id', 'dataset', 'file_name', 'line', 'column_name', 'raw_value', 'reason', 'raw_line'] as const;
          // Values come from the rejected files: a cell a spreadsheet would run as a formula is neutralised.
          const { csvRow } = await import('../util/csv.ts');
          out(csvRow(cols));
          for (const r of rows) out(csvRow(cols.map((c) => (r[c] === null || r[c] === undefined ? null : neutraliseFormula(String(r[c]))))));
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
        const { unload } = await import('../loads.ts');
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
        const { reload } = await import('../reload.ts');
        const r = await reload(wh, loadId, { threshold: parseThreshold(o.threshold) });
        printIngest(r);
        out();
        out(printable(`${r.message}${r.status === 'loaded' ? ` (load ${r.loadId}, from the archive of ${loadId})` : ''}`));
      });
    });

  program
    .command('schema')
    .description('the data contract: every dataset\'s columns, types and rules')
    .argument('[dataset]')
    .option('--markdown', 'Markdown (the only format; kept for `npm run dictionary`)')
    .action(async (dataset?: string) => {
      const [{ DATASETS }, { dictionaryMarkdown }] = await Promise.all([import('../contract/datasets.ts'), import('../contract/dictionary.ts')]);
      if (dataset && !DATASETS[dataset]) throw new UserError(`unknown dataset ${dataset} (one of ${Object.keys(DATASETS).join(', ')})`);
      out(dictionaryMarkdown(dataset).trimEnd());
    });

  registerReference(program);
  registerRun(program);
  registerFigures(program);
  registerExplain(program);
  registerDemo(program);
  usageErrors(program, ['cafe-impact']);
  return program;
}

/**
 * commander's own errors (unknown option or command, missing argument, bad choice) become one-line
 * user errors (exit 2) naming the command's help, on every command: exitOverride() and
 * configureOutput() are copied to subcommands only when they are created, so setting them on the
 * program afterwards left the subcommands calling process.exit(1). Help and --version still exit 0.
 */
function usageErrors(cmd: Command, path: string[]): void {
  cmd.configureOutput({ outputError: () => undefined });
  cmd.exitOverride((e) => {
    if (e.exitCode === 0 || e.code === 'commander.help') throw e;
    const what = e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
    throw new UserError(`${what} (see ${path.join(' ')} --help)`);
  });
  for (const c of cmd.commands) usageErrors(c, [...path, c.name()]);
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const program = buildProgram(argv.some((a) => a === '-V' || a === '--version') ? (await import('../version.ts')).codeVersion() : 'unknown');
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    return report(e, argv.includes('--debug'));
  }
}

/** Prints an error the one way (one line on stderr, stack only with --debug) and returns its exit code. */
function report(e: unknown, debug: boolean): number {
  // --help, --version (0); help shown because no command was given (2)
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (e instanceof UserError) {
    err(`error: ${printable(e.message)}`);
    if (e.hint) err(`hint: ${printable(e.hint)}`);
    if (debug) err(e.stack ?? '');
    return e.exitCode;
  }
  // A file-system refusal (missing file, permission, folder for a file, full disk…) reaching here
  // is the user's file or folder, not a bug: one line naming the path.
  if (isFsError(e)) {
    err(`error: ${printable(fsErrorMessage(e))}`);
    if (debug) err(e.stack ?? '');
    return EXIT.usage;
  }
  // A broken invariant is a bug: said so, with how to report it.
  const kind = e instanceof InternalError ? 'internal error (a bug in cafe-impact, please report it with the --debug output)' : 'unexpected error';
  err(`${kind}: ${printable(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e))}`);
  err(debug ? ((e instanceof Error ? e.stack : undefined) ?? String(e)) : 'run again with --debug for the stack trace');
  return EXIT.unexpected;
}

/**
 * For a real process only (bin/cafe-impact.js, `tsx src/cli/main.ts`), never in-process (tests):
 * an error escaping main() — an uncaught exception, a promise rejection nobody handled — is
 * reported like the others instead of Node's stack trace, and ends the process with its code.
 */
export function reportEscapedErrors(argv: string[]): void {
  const fatal = (e: unknown) => process.exit(report(e, argv.includes('--debug')));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

// Run when executed directly (`tsx src/cli/main.ts …`); bin/cafe-impact.js calls main() itself.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  reportEscapedErrors(process.argv);
  process.exitCode = await main(process.argv);
}
