/** `cafe-impact status`: what is loaded, per dataset and period, the latest loads and runs. */
import type { Command } from 'commander';
import { table } from '../format.ts';
import { out, withWarehouse } from '../shared.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('what is loaded, per dataset and period, and the latest loads')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withWarehouse(cmd, async (wh) => {
        const [{ listLoads, status }, { listRuns }] = await Promise.all([import('../../loads/loads.ts'), import('../../figures/store.ts')]);
        const s = await status(wh);
        const loads = await listLoads(wh, 10);
        const runs = await listRuns(wh, 5);
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
      }, { read: true });
    });
}
