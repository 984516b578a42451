/**
 * The indicator reference, generated from the families' declarations (never edited by hand):
 * METHODOLOGY.md's appendix (`npm run methodology` rewrites it between its markers; a test keeps
 * it in step) and, later, the reports' appendix. One table per family, both languages.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scopeName } from '../format/labels.ts';
import { MODELS_DIR } from '../models/runner.ts';
import { decimalsOf, unitName, type Lang } from '../format/locale.ts';
import type { IndicatorFamily } from './family.ts';
import { FAMILIES, indicatorsOf } from './registry.ts';

export const REFERENCE_BEGIN = '<!-- indicator-reference:begin (generated from src/indicators/families/ by `npm run methodology`; do not edit by hand) -->';
export const REFERENCE_END = '<!-- indicator-reference:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const SUPPRESSION: Record<IndicatorFamily['suppression'], { fr: string; en: string }> = {
  people: { fr: 'moins de `disclosure.min_cell` personnes hors total du réseau : secret statistique (section 8)', en: 'fewer than `disclosure.min_cell` people outside the network total: suppressed (section 8)' },
  respondents: { fr: 'estimation de moins de `survey.min_respondents` répondants : secret statistique', en: 'an estimate from fewer than `survey.min_respondents` respondents: suppressed' },
  none: { fr: 'jamais (pas de personnes comptées)', en: 'never (no people counted)' },
};

/** The reference as Markdown in one language. */
export function indicatorReference(lang: Lang, families: readonly IndicatorFamily[] = FAMILIES): string {
  const fr = lang === 'fr';
  const out: string[] = [];
  const inds = indicatorsOf(families);
  for (const f of families) {
    const sql = existsSync(join(MODELS_DIR, 'figures', `fig_${f.id}.sql`));
    out.push(`#### ${f.label[lang]} (\`${f.id}\`, ${sql ? `models/figures/fig_${f.id}.sql` : fr ? `modèle TypeScript fig_${f.id}` : `TypeScript model fig_${f.id}`})`, '');
    out.push(`${fr ? 'Secret statistique : ' : 'Suppression: '}${SUPPRESSION[f.suppression][lang]}${f.suppressTogether ? (fr ? `; motif commun à ${f.suppressTogether.map((x) => `\`${x}\``).join(', ')}` : `; one pattern for ${f.suppressTogether.map((x) => `\`${x}\``).join(', ')}`) : ''}.`, '');
    out.push(fr ? '| indicateur | libellé | unité (décimales) | périmètres | définition | formule | paramètres |' : '| indicator | label | unit (decimals) | scopes | definition | formula | parameters |');
    out.push('|---|---|---|---|---|---|---|');
    for (const d of inds.filter((x) => x.family === f)) {
      out.push(
        `| \`${d.id}\`${d.headline !== undefined ? (fr ? ' (chiffre clé)' : ' (headline)') : ''} | ${cell(d.label[lang])} | ${cell(unitName(d.unit, lang))} (${decimalsOf(d.unit)}) | ${d.scopes.map((s) => scopeName(s, lang).toLowerCase()).join(', ')} | ${cell(d.definition[lang])} | ${cell(d.formula[lang])} | ${d.parameters.map((p) => `\`${p}\``).join(', ') || '—'} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** The block METHODOLOGY.md holds between its markers: English, then French. */
export function methodologyBlock(families: readonly IndicatorFamily[] = FAMILIES): string {
  return [REFERENCE_BEGIN, '', '### English', '', indicatorReference('en', families), '### Français', '', indicatorReference('fr', families), REFERENCE_END].join('\n');
}

/** METHODOLOGY.md's text with its block replaced by the generated one. */
export function withMethodologyBlock(text: string, families: readonly IndicatorFamily[] = FAMILIES): string {
  const a = text.indexOf(REFERENCE_BEGIN);
  const b = text.indexOf(REFERENCE_END);
  if (a === -1 || b === -1 || b < a) throw new Error('METHODOLOGY.md: the indicator reference markers are missing');
  return text.slice(0, a) + methodologyBlock(families) + text.slice(b + REFERENCE_END.length);
}
