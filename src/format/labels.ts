/**
 * Words for the codes of the figures: scopes ("network" → "Réseau") and the values of the
 * breakdowns that are codes (models, lifecycle stages, services, contracts). Geographic scopes
 * and cafés carry their own labels (region and department names, café names) in the figures.
 */
import type { CAFE_MODELS, CAFE_STAGES, FACILITY_SERVICES } from '../contract/datasets.ts';
import type { Lang, Scope, Text } from '../core/vocabulary.ts';

// Typed on the contract's enumerations (type-only import: zod is not loaded): a new value there
// without its words here does not compile.
const MODEL_NAMES: Record<(typeof CAFE_MODELS)[number], Text> = {
  entrepreneurial: { fr: 'entrepreneurial', en: 'entrepreneurial' },
  associative: { fr: 'associatif', en: 'associative' },
  participative: { fr: 'participatif', en: 'participative' },
  itinerant: { fr: 'itinérant', en: 'itinerant' },
};
const STAGE_NAMES: Record<(typeof CAFE_STAGES)[number], Text> = {
  definition: { fr: 'définition du projet', en: 'project definition' },
  recruitment: { fr: 'recrutement', en: 'recruitment' },
  opening: { fr: 'ouverture', en: 'opening' },
  operating: { fr: 'en activité', en: 'operating' },
  transition: { fr: 'transmission', en: 'transition' },
};
const SERVICE_NAMES: Record<(typeof FACILITY_SERVICES)[number], Text> = {
  bread: { fr: 'pain', en: 'bread' },
  cash: { fr: 'retrait d’espèces', en: 'cash withdrawal' },
  post: { fr: 'poste', en: 'post' },
};

export const SCOPE_NAMES: Record<Scope, Text> = {
  network: { fr: 'Réseau', en: 'Network' },
  region: { fr: 'Région', en: 'Region' },
  department: { fr: 'Département', en: 'Department' },
  cafe: { fr: 'Café', en: 'Café' },
  model: { fr: 'Modèle', en: 'Model' },
  stage: { fr: 'Étape', en: 'Stage' },
  service: { fr: 'Service', en: 'Service' },
  contract: { fr: 'Contrat', en: 'Contract' },
  programme: { fr: 'Programme', en: 'Programme' },
  commune: { fr: 'Commune', en: 'Commune' },
};

/** Values of the code breakdowns, in words (the contract's enumerations). */
const CODES: Partial<Record<Scope, Record<string, Text>>> = {
  model: MODEL_NAMES,
  stage: STAGE_NAMES,
  service: SERVICE_NAMES,
  contract: {
    CDI: { fr: 'CDI', en: 'permanent (CDI)' },
    CDD: { fr: 'CDD', en: 'fixed-term (CDD)' },
    apprentissage: { fr: 'apprentissage', en: 'apprenticeship' },
  },
  programme: { '(none)': { fr: '(aucun)', en: '(none)' } },
};

export function scopeName(scope: string, lang: Lang = 'fr'): string {
  return SCOPE_NAMES[scope as Scope]?.[lang] ?? scope;
}

/** The label of a figure's scope for people: the network, a code in words, or the figure's own label. */
export function scopeLabel(scope: string, scopeId: string | null, label: string | null, lang: Lang = 'fr'): string {
  if (scope === 'network') return lang === 'fr' ? 'Ensemble du réseau' : 'Whole network';
  const code = scopeId === null ? undefined : CODES[scope as Scope]?.[scopeId];
  return code?.[lang] ?? label ?? scopeId ?? '';
}
