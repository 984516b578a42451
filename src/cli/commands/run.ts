/** `cafe-impact run --period P`: builds the models, runs their checks, publishes the figures. */
import type { Command } from 'commander';
import { parsePeriod } from '../../core/period.ts';
import { printable, table } from '../format.ts';
import { langOption, type Lang } from '../lang.ts';
import { err, out, withWarehouse } from '../shared.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('build the models for a period, run their checks and publish its figures')
    .requiredOption('--period <period>', '2023 or 2023-Q2')
    .option('--config <file>', 'method parameters (JSON; default ./cafe-impact.config.json if present)')
    .option('--strict', 'fail when a quarter of the period has no service_uses')
    .option('--json', 'machine-readable summary')
    .addOption(langOption())
    .action(async (o: { period: string; config?: string; strict?: boolean; json?: boolean; lang: Lang }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const [{ loadConfig }, { runPeriod }, { printHeadline }] = await Promise.all([import('../../runs/config.ts'), import('../../runs/run.ts'), import('../headline.ts')]);
      const { config, source } = loadConfig(o.config);
      await withWarehouse(cmd, async (wh) => {
        const r = await runPeriod(wh, period, { config, strict: o.strict, onWarning: o.json ? undefined : (w) => err(`warning: ${printable(w.message)}`) });
        if (o.json) return out(JSON.stringify({ run_id: r.runId, period: r.period, figures: r.figures, warnings: r.warnings, models: r.timings.map((t) => ({ model: t.model, rows: t.rows, checks: t.checks })) }, null, 2));
        out(table(r.timings.map((t) => ({ model: t.model, rows: t.rows, checks: t.checks, ms: Math.round(t.ms) }))));
        out();
        await printHeadline(wh, period.label, o.lang);
        out();
        out(`run ${r.runId}: ${r.figures} figures for ${r.period}${source ? ` (parameters from ${source})` : ''}; ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}`);
      });
    });
}
