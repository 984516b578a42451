/**
 * The indicator families the project publishes, declared once each (src/indicators/families/,
 * their SQL in models/figures/). Adding an indicator: README, "How to add an indicator".
 */
import { InternalError } from '../core/errors.ts';
import type { Scope } from '../core/vocabulary.ts';
import { didFamily } from './families/did.ts';
import { eventsFamily } from './families/events.ts';
import { jobsFamily } from './families/jobs.ts';
import { kmFamily } from './families/km.ts';
import { residentsFamily } from './families/residents.ts';
import { suppliersFamily } from './families/suppliers.ts';
import { surveyFamily } from './families/survey.ts';
import { wellbeingFamily } from './families/wellbeing.ts';
import { figuresModelName, type IndicatorDecl, type IndicatorFamily } from './family.ts';
import { UNITS } from '../format/units.ts';

export const FAMILIES: readonly IndicatorFamily[] = [kmFamily, jobsFamily, suppliersFamily, residentsFamily, eventsFamily, surveyFamily, wellbeingFamily, didFamily];

/** An indicator with the family it belongs to and the scopes it is published for. */
export interface Indicator extends IndicatorDecl {
  family: IndicatorFamily;
  scopes: readonly Scope[];
}

/** Every indicator of `families`, in declaration order. Throws on an inconsistent declaration. */
export function indicatorsOf(families: readonly IndicatorFamily[] = FAMILIES): Indicator[] {
  checkFamilies(families);
  return families.flatMap((family) => family.indicators.map((d) => ({ ...d, family, scopes: d.scopes ?? family.scopes })));
}

export const INDICATORS: readonly Indicator[] = indicatorsOf();

/**
 * The declaration of an indicator id: its own, or that of the declared pattern it matches (then
 * with the id itself and the captured part put in its labels, e.g. survey.life_satisfaction).
 */
export function indicatorDef(id: string, families: readonly IndicatorFamily[] = FAMILIES): Indicator | undefined {
  const all = families === FAMILIES ? INDICATORS : indicatorsOf(families);
  const exact = all.find((d) => d.id === id && !d.pattern);
  if (exact) return exact;
  for (const d of all) {
    const m = d.pattern?.exec(id);
    if (!m) continue;
    const fill = (t: { fr: string; en: string }) => ({ fr: t.fr.replaceAll('{1}', m[1] ?? ''), en: t.en.replaceAll('{1}', m[1] ?? '') });
    return { ...d, id, label: fill(d.label), definition: fill(d.definition), formula: fill(d.formula) };
  }
  return undefined;
}

/** The network's headline figures, in their order. */
export function headlineIndicators(families: readonly IndicatorFamily[] = FAMILIES): Indicator[] {
  return indicatorsOf(families)
    .filter((d) => d.headline !== undefined)
    .sort((a, b) => a.headline! - b.headline!);
}

/** Groups of indicators suppressed with one pattern (src/figures/suppression.ts). */
export function suppressionGroups(families: readonly IndicatorFamily[] = FAMILIES): string[][] {
  return families.filter((f) => f.suppressTogether && f.suppressTogether.length > 1).map((f) => [...f.suppressTogether!]);
}

/** A declaration that contradicts itself is a bug of the declaration: said at once, by name. */
function checkFamilies(families: readonly IndicatorFamily[]): void {
  const ids = new Set<string>();
  const models = new Set<string>();
  for (const f of families) {
    if (!/^[a-z][a-z0-9_]*$/.test(f.id)) throw new InternalError(`indicator family "${f.id}": its id must be lower-case letters, digits and _ (it names models/figures/fig_<id>.sql)`);
    if (models.has(figuresModelName(f))) throw new InternalError(`indicator family ${f.id} is declared twice`);
    models.add(figuresModelName(f));
    if (f.indicators.length === 0) throw new InternalError(`indicator family ${f.id} declares no indicator`);
    const own = new Set(f.indicators.map((d) => d.id));
    for (const d of f.indicators) {
      if (ids.has(d.id)) throw new InternalError(`indicator ${d.id} is declared twice`);
      ids.add(d.id);
      if (!UNITS[d.unit]) throw new InternalError(`indicator ${d.id}: unit ${d.unit} is not declared in src/format/units.ts`);
      for (const s of d.scopes ?? []) if (!f.scopes.includes(s)) throw new InternalError(`indicator ${d.id}: scope ${s} is not one of its family's (${f.scopes.join(', ')})`);
    }
    for (const id of f.suppressTogether ?? []) if (!own.has(id)) throw new InternalError(`indicator family ${f.id}: suppressTogether names ${id}, not one of its indicators`);
  }
}
