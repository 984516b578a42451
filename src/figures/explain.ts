/**
 * `explain`: how a published figure was obtained, from the run that published it — the
 * indicator's declared definition and formula (in the reader's language), its network value,
 * the parameters, the files behind the run, the breakdown its family declares (rows of a run
 * table, or the figure by scope) and the run's warnings. The CLI prints it; a report can use it.
 */
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../core/errors.ts';
import { figureErrors } from '../core/messages.ts';
import type { IndicatorFamily, Lang } from '../indicators/family.ts';
import { FAMILIES, indicatorDef, indicatorsOf, type Indicator } from '../indicators/registry.ts';
import { latestRun, runFigures, type RunRecord } from './store.ts';
import type { Figure } from './types.ts';

export interface Explanation {
  indicator: Indicator;
  run: RunRecord;
  /** The network figure; undefined when the run did not compute it (the warnings say why). */
  network: Figure | undefined;
  breakdown: { title: string; rows: Record<string, unknown>[] } | { title: string; figures: Figure[] };
}

export async function explainIndicator(
  wh: Warehouse,
  id: string,
  period: string,
  o: { cafe?: string; lang?: Lang; families?: readonly IndicatorFamily[] } = {},
): Promise<Explanation> {
  const families = o.families ?? FAMILIES;
  const lang = o.lang ?? 'fr';
  const indicator = indicatorDef(id, families);
  if (!indicator) throw new UserError(figureErrors.unknownIndicator(id, indicatorsOf(families).map((d) => d.id)));
  const run = await latestRun(wh, period);
  const figures = (await runFigures(wh, run.run_id)).filter((f) => f.indicator === id);
  const network = figures.find((f) => f.scope === 'network');
  const how = indicator.family.explain;
  if (how.kind === 'rows') {
    const rows = await wh.all<Record<string, unknown>>(how.sql, [run.run_id, id, o.cafe ?? null]);
    return { indicator, run, network, breakdown: { title: how.title[lang], rows } };
  }
  const mine = o.cafe ? figures.filter((f) => f.scope === 'cafe' && f.scope_id === o.cafe) : figures;
  return { indicator, run, network, breakdown: { title: lang === 'fr' ? 'Par périmètre' : 'By scope', figures: mine } };
}
