/** `cafe-impact ingest <folder> --period P`: validates and loads a folder's files, all or nothing. */
import type { Command } from 'commander';
import { IngestFailed, UserError } from '../../core/errors.ts';
import { usage } from '../../core/messages.ts';
import { parsePeriod } from '../../core/period.ts';
import type { IngestReport } from '../../ingest/ingest.ts';
import { printable } from '../format.ts';
import { err, jsonSummary, out, parseThreshold, printIngest, withWarehouse } from '../shared.ts';

export function registerIngest(program: Command): void {
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
      const modules = Promise.all([import('../progress.ts'), import('../../ingest/ingest.ts'), import('../../contract/datasets.ts'), import('../../ingest/pseudonymise.ts')]);
      modules.catch(() => undefined);
      await withWarehouse(cmd, async (wh) => {
        const [{ terminalReporter }, { ingestFolder }, { DATASETS }, { parsePseudonymSpecs }] = await modules;
        const reporter = terminalReporter(!o.json && process.stderr.isTTY === true, (m) => err(`warning: ${m}`));
        try {
          const allowEmpty = (o.allowEmpty ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
          for (const d of allowEmpty) if (DATASETS[d]?.kind !== 'dated') throw new UserError(usage.allowEmptyNotDated(d, Object.values(DATASETS).filter((x) => x.kind === 'dated').map((x) => x.name)));
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
}
