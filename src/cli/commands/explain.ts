/** `cafe-impact explain <indicator> --period P`: how a figure was obtained (src/figures/explain.ts). */
import type { Command } from 'commander';
import { INDICATORS } from '../../indicators/registry.ts';
import { parsePeriod } from '../../core/period.ts';
import { printable, table } from '../format.ts';
import { langOption, type Lang } from '../lang.ts';
import { out, withWarehouse } from '../shared.ts';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('how a figure was obtained: formula, parameters, data vintages and the row-level breakdown')
    .argument('<indicator>', INDICATORS.map((d) => d.id).join(', '))
    .requiredOption('--period <period>', '2023 or 2023-Q2')
    .option('--cafe <cafe-id>', 'only this café')
    .addOption(langOption())
    .action(async (indicator: string, o: { period: string; cafe?: string; lang: Lang }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const [{ explainIndicator }, { formatValue, SUPPRESSED }, { scopeLabel, scopeName }] = await Promise.all([
        import('../../figures/explain.ts'), import('../../format/locale.ts'), import('../../format/labels.ts'),
      ]);
      const fr = o.lang === 'fr';
      await withWarehouse(cmd, async (wh) => {
        const x = await explainIndicator(wh, indicator, period.label, { cafe: o.cafe, lang: o.lang });
        const d = x.indicator;
        const f = x.network;
        out(`${d.id} — ${d.label[o.lang]} — ${period.label} — ${fr ? 'calcul' : 'run'} ${x.run.run_id}, ${fr ? 'méthode' : 'method'} ${x.run.method_version}, code ${x.run.code_version}`);
        out();
        out(d.definition[o.lang]);
        out(`${fr ? 'Formule : ' : 'Formula: '}${d.formula[o.lang]}`);
        const none = 'figures' in x.breakdown && x.breakdown.figures.length === 0;
        const value = f
          ? f.suppressed ? SUPPRESSED[o.lang] : `${f.value} ${f.unit} (≈ ${formatValue(f.value, f.unit, o.lang)})`
          : !d.scopes.includes('network') && !none
            ? fr ? `publiée par ${d.scopes.map((s) => scopeName(s, 'fr').toLowerCase()).join(', ')} : voir le détail ci-dessous` : `published by ${d.scopes.join(', ')}: see the breakdown below`
            : fr ? '(non calculée dans ce calcul : voir les avertissements ci-dessous)' : '(not computed in this run: see the warnings below)';
        out(`${fr ? 'Valeur' : 'Value'}${fr ? ' : ' : ': '}${value}`);
        out(`${fr ? 'Paramètres' : 'Parameters'}${fr ? ' : ' : ': '}${printable(JSON.stringify(x.run.parameters))}`);
        out();
        out(fr ? 'Données (fichiers derrière ce calcul) :' : 'Data (files behind this run):');
        out(table(x.run.inputs.map((i) => ({ dataset: i.dataset, file: i.file, sha256: i.sha256.slice(0, 16), load: i.load_id })), undefined, o.lang));
        out();
        out(`${x.breakdown.title}${fr ? ' :' : ':'}`);
        if ('rows' in x.breakdown) out(table(x.breakdown.rows, undefined, o.lang));
        else {
          out(table(x.breakdown.figures.map((g) => ({ scope: scopeName(g.scope, o.lang), id: g.scope_id ?? '', label: scopeLabel(g.scope, g.scope_id, g.scope_label, o.lang), value: g.suppressed ? SUPPRESSED[o.lang] : g.value, unit: g.unit })), undefined, o.lang));
        }
        if (x.run.warnings.length) {
          out();
          out(fr ? 'Avertissements de ce calcul :' : 'Warnings of this run:');
          for (const w of x.run.warnings) out(`  - ${printable(w.message)}`);
        }
      }, { read: true });
    });
}
