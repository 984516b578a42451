/**
 * `cafe-impact did --outcome <indicator> [--from YEAR] [--to YEAR] [--json]`: the café's effect
 * by difference-in-differences against candidate communes (src/indicators/did.ts), with the sample,
 * the estimates and the assumptions in words.
 */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { usage } from '../../core/messages.ts';
import { table } from '../format.ts';
import { out, withWarehouse } from '../shared.ts';

const yearOption = (option: string) => (v: string) => {
  if (!/^\d{4}$/.test(v)) throw new UserError(usage.badYear(option, v));
  return Number(v);
};

export function registerDid(program: Command): void {
  program
    .command('did')
    .description("the café's effect on a commune indicator: difference-in-differences against candidate communes without a café (TWFE and group-time effects)")
    .requiredOption('--outcome <indicator>', 'a commune_indicators code (e.g. distance.bread_km) or wellbeing.index')
    .option('--from <year>', 'first year of the panel (default: the outcome\'s first)', yearOption('--from'))
    .option('--to <year>', 'last year of the panel (default: the outcome\'s last); communes treated later are left out', yearOption('--to'))
    .option('--as-of <date>', 'reference rows (cafés, candidates, indicators) valid that day (default: the current ones)')
    .option('--json', 'one JSON object')
    .action(async (o: { outcome: string; from?: number; to?: number; asOf?: string; json?: boolean }, cmd: Command) => {
      if (o.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf)) throw new UserError(usage.badDate('--as-of', o.asOf));
      const { estimateDid } = await import('../../indicators/did.ts');
      const r = await withWarehouse(cmd, (wh) => estimateDid(wh, { outcome: o.outcome, from: o.from, to: o.to, asOf: o.asOf }), { read: true });
      if (o.json) {
        out(JSON.stringify(r, null, 2));
        return;
      }
      const f = (x: number | null, d = 3) => (x === null ? 'n/a' : x.toFixed(d));
      const treated = r.cohorts.reduce((s, c) => s + c.communes, 0);
      out(`Difference-in-differences — ${r.outcome}, ${r.from}–${r.to}`);
      out();
      out(`Sample: ${treated} treated communes (by opening year: ${r.cohorts.map((c) => `${c.group}: ${c.communes}`).join(', ')}), ${r.controls} control communes (candidates without a café), ${r.n_obs} commune-years`);
      if (r.excluded.length) {
        out('Left out:');
        for (const x of r.excluded) out(`  - ${x.message} [${x.reason}]`);
      }
      out();
      out(`Two-way fixed effects (${r.outcome} ~ treated + commune + year): ${f(r.estimate)}, SE ${f(r.se)} (clustered by commune, CR1, ${r.n_clusters} clusters, K = ${r.k}), 95 % CI [${f(r.ci_low)}, ${f(r.ci_high)}] (t, ${r.n_clusters - 1} df)`);
      out(`Average effect after opening (group-time cells t ≥ g, cohorts weighted by size): ${f(r.att_simple)}, SE ${f(r.att_simple_se)}`);
      out();
      out('Group-time effects ATT(g,t), base year g − 1:');
      out(table(r.att_gt.map((c) => ({ cohort: String(c.group), year: String(c.time), att: f(c.att), se: f(c.se), treated: c.n_treated, controls: c.n_control }))));
      out();
      out('Event study (years since opening; −1 is the base):');
      out(table(r.event_study.map((e) => ({ event_time: String(e.event_time), att: f(e.att), se: f(e.se), cohorts: e.cohorts }))));
      out();
      const p = r.pretrend_test;
      out(p
        ? `Parallel trends: the ${p.cells} pre-opening cells jointly, χ²(${p.df}) = ${f(p.statistic, 2)}, p = ${f(p.p_value)} (${p.covariance})`
        : 'Parallel trends: no pre-opening cell to test (every cohort\'s first observed year is its base year)');
      out();
      out('Assumptions:');
      for (const a of r.assumptions) out(`  - ${a}`);
    });
}
