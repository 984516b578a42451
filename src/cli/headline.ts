/** The network's headline figures of a period's latest run, for people (run, demo). */
import type { Warehouse } from '../db/warehouse.ts';
import { latestRun, runFigures } from '../figures/store.ts';
import { formatValue, SUPPRESSED, type Lang } from '../format/locale.ts';
import { headlineIndicators } from '../indicators/registry.ts';
import { table } from './format.ts';
import { out } from './shared.ts';

export async function printHeadline(wh: Warehouse, period: string, lang: Lang = 'fr'): Promise<void> {
  const run = await latestRun(wh, period);
  const network = new Map((await runFigures(wh, run.run_id)).filter((f) => f.scope === 'network').map((f) => [f.indicator, f]));
  const rows = headlineIndicators().flatMap((d) => {
    const f = network.get(d.id);
    return f ? [{ [lang === 'fr' ? 'indicateur' : 'indicator']: d.label[lang], [lang === 'fr' ? 'valeur' : 'value']: f.suppressed ? SUPPRESSED[lang] : formatValue(f.value, f.unit, lang) }] : [];
  });
  out(lang === 'fr' ? `Chiffres clés ${period} (calcul ${run.run_id}, méthode ${run.method_version})` : `Headline figures ${period} (run ${run.run_id}, method ${run.method_version})`);
  out(table(rows, undefined, lang));
}
