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
import { Command, CommanderError } from 'commander';
import { EXIT, fsErrorMessage, InternalError, isFsError, UserError } from '../core/errors.ts';
import { usage } from '../core/messages.ts';
import { printable } from './format.ts';
import { err, quietOnClosedPipe } from './shared.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerStatus } from './commands/status.ts';
import { registerRejects } from './commands/rejects.ts';
import { registerUnload } from './commands/unload.ts';
import { registerReload } from './commands/reload.ts';
import { registerSchema } from './commands/schema.ts';
import { registerReference } from './commands/reference.ts';
import { registerDemo } from './commands/demo.ts';
import { registerExplain } from './commands/explain.ts';
import { registerDid } from './commands/did.ts';
import { registerQuery } from './commands/query.ts';
import { registerExport } from './commands/export.ts';
import { registerReport } from './commands/report.ts';
import { registerFigures } from './commands/figures.ts';
import { registerRun } from './commands/run.ts';

/** The commands, in the order `--help` lists them: one file each in src/cli/commands/. */
const COMMANDS = [registerIngest, registerStatus, registerRejects, registerUnload, registerReload, registerSchema, registerReference, registerRun, registerFigures, registerExplain, registerDid, registerQuery, registerExport, registerReport, registerDemo];

/** `version`: computed (git) only when asked for, by main(). */
export function buildProgram(version = ''): Command {
  const program = new Command('cafe-impact')
    .description('Impact figures for a network of village cafés: validated quarterly ingestion into an embedded DuckDB warehouse.')
    .version(version)
    .option('--warehouse <file>', 'warehouse file (default: $CAFE_IMPACT_WAREHOUSE or warehouse/cafe-impact.duckdb)')
    .option('--debug', 'print stack traces of unexpected errors')
    .option('--wait <seconds>', 'while another process holds the warehouse, retry for this long', (v: string) => {
      if (!/^\d+(\.\d+)?$/.test(v)) throw new UserError(usage.badWait(v));
      return Number(v);
    });

  for (const register of COMMANDS) register(program);
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
    throw new UserError(usage.commander(what, path.join(' ')));
  });
  for (const c of cmd.commands) usageErrors(c, [...path, c.name()]);
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const program = buildProgram(argv.some((a) => a === '-V' || a === '--version') ? (await import('../core/version.ts')).codeVersion() : 'unknown');
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
