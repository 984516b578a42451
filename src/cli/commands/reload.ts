/** `cafe-impact reload <load-id>`: ingests an earlier load's archived files again. */
import type { Command } from 'commander';
import { printable } from '../format.ts';
import { out, parseThreshold, printIngest, withWarehouse } from '../shared.ts';

export function registerReload(program: Command): void {
  program
    .command('reload')
    .description('ingest again the archived raw files of an earlier load (same period), e.g. after an unload')
    .argument('<load-id>')
    .option('--threshold <share>', 'rejected share above which a file fails the ingest', '0.05')
    .action(async (loadId: string, o: { threshold: string }, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const { reload } = await import('../../loads/reload.ts');
        const r = await reload(wh, loadId, { threshold: parseThreshold(o.threshold) });
        printIngest(r);
        out();
        out(printable(`${r.message}${r.status === 'loaded' ? ` (load ${r.loadId}, from the archive of ${loadId})` : ''}`));
      });
    });
}
