/** `cafe-impact run`, `figures` and `explain`. */
import { Option, type Command } from 'commander';
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../errors.ts';
import { figuresToCsv, figuresToJson, figuresToXlsx, formatFrench } from '../figures/export.ts';
import { latestRun, runFigures } from '../figures/store.ts';
import { INDICATORS, indicatorDef } from '../indicators/definitions.ts';
import { parsePeriod } from '../period.ts';
import { printable, table } from './format.ts';
import { checkOutput, err, out, withWarehouse, write as writeStdout, writeOutput } from './shared.ts';

const HEADLINE = ['km_saved.bread', 'km_saved.cash', 'km_saved.post', 'km_saved', 'earth_laps', 'jobs.headcount', 'jobs.fte', 'suppliers.local_micro', 'residents.mobilised', 'events.count', 'events.attendance'];

/** The network's headline figures of the latest run of a period, for people. */
export async function printHeadline(wh: Warehouse, period: string): Promise<void> {
  const prov = await latestRun(wh, period);
  const figs = (await runFigures(wh, prov.run_id)).filter((f) => f.scope === 'network');
  const rows = HEADLINE.map((id) => figs.find((f) => f.indicator === id)).filter((f) => f !== undefined);
  out(`Headline figures ${period} (run ${prov.run_id}, method ${prov.method_version})`);
  out(table(rows.map((f) => ({ indicator: f.indicator, value: `${formatFrench(f.value, f.unit)}${['km', 'EUR'].includes(f.unit) ? '' : ` ${f.unit}`}` }))));
}

export function registerFigures(program: Command): void {
  program
    .command('run')
    .description('build the models for a period, run their checks and publish its figures')
    .requiredOption('--period <period>', '2023 or 2023-Q2')
    .option('--config <file>', 'method parameters (JSON; default ./cafe-impact.config.json if present)')
    .option('--strict', 'fail when a quarter of the period has no service_uses')
    .option('--json', 'machine-readable summary')
    .action(async (o: { period: string; config?: string; strict?: boolean; json?: boolean }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const [{ loadConfig }, { runPeriod }] = await Promise.all([import('../config.ts'), import('../run.ts')]);
      const { config, source } = loadConfig(o.config);
      await withWarehouse(cmd, async (wh) => {
        const r = await runPeriod(wh, period, { config, strict: o.strict, onWarning: o.json ? undefined : (w) => err(`warning: ${printable(w.message)}`) });
        if (o.json) return out(JSON.stringify({ run_id: r.runId, period: r.period, figures: r.figures, warnings: r.warnings, models: r.timings.map((t) => ({ model: t.model, rows: t.rows, checks: t.checks })) }, null, 2));
        out(table(r.timings.map((t) => ({ model: t.model, rows: t.rows, checks: t.checks, ms: Math.round(t.ms) }))));
        out();
        await printHeadline(wh, period.label);
        out();
        out(`run ${r.runId}: ${r.figures} figures for ${r.period}${source ? ` (parameters from ${source})` : ''}; ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}`);
      });
    });

  program
    .command('figures')
    .description("the latest run's figures for a period (json for machines, csv/xlsx for staff)")
    .requiredOption('--period <period>', '2023 or 2023-Q2')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'xlsx', 'table']).default('table'))
    .option('--output <file>', 'write to a file (required for xlsx)')
    .option('--indicator <id>', 'only this indicator')
    .option('--scope <scope>', 'only this scope (network, region, department, cafe, model, stage, contract, programme)')
    .action(async (o: { period: string; format: string; output?: string; indicator?: string; scope?: string }, cmd: Command) => {
      const period = parsePeriod(o.period);
      checkOutput(o.output);
      await withWarehouse(cmd, async (wh) => {
        const prov = await latestRun(wh, period.label);
        const figs = (await runFigures(wh, prov.run_id)).filter((f) => (!o.indicator || f.indicator === o.indicator) && (!o.scope || f.scope === o.scope));
        const write = (data: string | Buffer) => (o.output ? writeOutput(o.output, data) : writeStdout(data));
        if (o.format === 'json') return write(figuresToJson(figs, prov));
        if (o.format === 'csv') return write(figuresToCsv(figs, prov));
        if (o.format === 'xlsx') {
          if (!o.output) throw new UserError('--format xlsx needs --output <file.xlsx>');
          return write(await figuresToXlsx(figs, prov));
        }
        write(`${table(figs.map((f) => ({ indicator: f.indicator, scope: f.scope, id: f.scope_id ?? '', label: f.scope_label ?? '', value: f.suppressed ? '(suppressed)' : formatFrench(f.value, f.unit), unit: f.unit })))}\n`);
      });
    });

  program
    .command('explain')
    .description('how a figure was obtained: formula, parameters, data vintages and the row-level breakdown')
    .argument('<indicator>', INDICATORS.map((d) => d.id).join(', '))
    .requiredOption('--period <period>', '2023 or 2023-Q2')
    .option('--cafe <cafe-id>', 'only this café')
    .action(async (indicator: string, o: { period: string; cafe?: string }, cmd: Command) => {
      const def = indicatorDef(indicator);
      if (!def) throw new UserError(`unknown indicator ${indicator} (one of ${INDICATORS.map((d) => d.id).join(', ')})`);
      const period = parsePeriod(o.period);
      await withWarehouse(cmd, async (wh) => {
        const prov = await latestRun(wh, period.label);
        const fig = (await runFigures(wh, prov.run_id)).find((f) => f.indicator === indicator && f.scope === 'network');
        out(`${def.id} — ${period.label} — run ${prov.run_id}, method ${prov.method_version}, code ${prov.code_version}`);
        out();
        out(def.definition);
        out(`Formula: ${def.formula}`);
        out(`Value: ${fig ? (fig.suppressed ? '(suppressed)' : `${fig.value} ${fig.unit} (≈ ${formatFrench(fig.value, fig.unit)})`) : '(not computed: see the warnings below)'}`);
        out(`Parameters: ${printable(JSON.stringify(prov.parameters))}`);
        out();
        out('Data (files behind this run):');
        out(table(prov.inputs.map((i) => ({ dataset: i.dataset, file: i.file, sha256: i.sha256.slice(0, 16), load: i.load_id }))));
        if (indicator.startsWith('km_saved') || indicator === 'earth_laps') {
          const service = indicator.startsWith('km_saved.') ? indicator.slice(9) : null;
          const rows = await wh.all<Record<string, unknown>>(
            `SELECT d.cafe_id, c.name, d.service, d.position_source AS position, d.facility_id, d.facility_source AS source,
                    round(d.distance_km, 3) AS distance_km, d.uses, round(d.km, 1) AS km, d.status
             FROM run_km_detail d LEFT JOIN cafes c ON c.cafe_id = d.cafe_id AND c._valid_to IS NULL
             WHERE d.run_id = $1 AND ($2::VARCHAR IS NULL OR d.service = $2) AND ($3::VARCHAR IS NULL OR d.cafe_id = $3)
             ORDER BY d.cafe_id, d.service`,
            [prov.run_id, service, o.cafe ?? null],
          );
          out();
          out(`Breakdown by café and service (km = distance × uses × ${(prov.parameters as { km?: { round_trip?: boolean; detour_factor?: number } }).km?.round_trip ? 2 : 1} × ${(prov.parameters as { km?: { detour_factor?: number } }).km?.detour_factor ?? 1}; distances to the nearest other facility, crow-fly):`);
          out(table(rows));
        } else {
          const figs = (await runFigures(wh, prov.run_id)).filter((f) => f.indicator === indicator);
          out();
          out('By scope:');
          out(table(figs.map((f) => ({ scope: f.scope, id: f.scope_id ?? '', label: f.scope_label ?? '', value: f.suppressed ? '(suppressed)' : f.value, unit: f.unit }))));
        }
        if (prov.warnings.length) {
          out();
          out('Warnings of this run:');
          for (const w of prov.warnings) out(`  - ${printable(w.message)}`);
        }
      });
    });
}
