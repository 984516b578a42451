/** `cafe-impact unload <load-id>`: takes a load back out. */
import type { Command } from 'commander';
import { num } from '../format.ts';
import { out, withWarehouse } from '../shared.ts';

export function registerUnload(program: Command): void {
  program
    .command('unload')
    .description('take a load back out of the warehouse')
    .argument('<load-id>')
    .action(async (loadId: string, _o: unknown, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const { unload } = await import('../../loads/loads.ts');
        const r = await unload(wh, loadId);
        const removed = Object.entries(r.rowsRemoved).map(([d, n]) => `${num(n)} ${d}`).join(', ') || 'no rows';
        const reopened = Object.entries(r.versionsReopened).map(([d, n]) => `${num(n)} ${d}`).join(', ');
        out(`unloaded ${loadId}: removed ${removed}${reopened ? `; previous versions reopened: ${reopened}` : ''}`);
      });
    });
}
