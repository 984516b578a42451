/**
 * The units figures are published in, declared once: the decimals a value is shown with (counts
 * never show decimals) and its name for people in French and English. Every unit an indicator
 * declares (src/indicators/families/) or a run emits must be here (test/indicators/conformance.test.ts).
 */
export interface UnitDef {
  /** Decimals shown to people (exports, tables); the stored value is never rounded. */
  decimals: number;
  /** Counts of things or people: whole numbers. */
  count: boolean;
  /** Its name for people, plural, in each language. */
  fr: string;
  en: string;
  /** Values may be negative (Cronbach's alpha, an effect); the others are checked ≥ 0. */
  signed?: boolean;
  /** The singular, where it differs ("1 personne", "1 event"). */
  one?: { fr: string; en: string };
}

export const UNITS: Record<string, UnitDef> = {
  km: { decimals: 0, count: false, fr: 'km', en: 'km' },
  laps: { decimals: 1, count: false, fr: 'fois le tour de la Terre', en: 'times around the Earth' },
  EUR: { decimals: 0, count: false, fr: '€', en: 'EUR' },
  fte: { decimals: 1, count: false, fr: 'ETP', en: 'FTE' },
  people: { decimals: 0, count: true, fr: 'personnes', en: 'people', one: { fr: 'personne', en: 'person' } },
  suppliers: { decimals: 0, count: true, fr: 'fournisseurs', en: 'suppliers', one: { fr: 'fournisseur', en: 'supplier' } },
  events: { decimals: 0, count: true, fr: 'événements', en: 'events', one: { fr: 'événement', en: 'event' } },
  associations: { decimals: 0, count: true, fr: 'associations', en: 'associations', one: { fr: 'association', en: 'association' } },
  score: { decimals: 2, count: false, fr: 'points', en: 'points', one: { fr: 'point', en: 'point' } },
  score10: { decimals: 1, count: false, fr: 'sur 10', en: 'out of 10' },
  rank: { decimals: 1, count: false, fr: '(rang)', en: '(rank)' },
  share: { decimals: 3, count: false, fr: 'proportion', en: 'share' },
  alpha: { decimals: 2, count: false, signed: true, fr: '(alpha de Cronbach)', en: '(Cronbach’s alpha)' },
  effect: { decimals: 3, count: false, signed: true, fr: '(écart, dans l’unité de l’indicateur)', en: '(difference, in the outcome’s unit)' },
  producers: { decimals: 0, count: true, fr: 'producteurs', en: 'producers', one: { fr: 'producteur', en: 'producer' } },
};

/** SQL: a figure's value is within its unit's sign (never negative unless the unit is signed). */
export function signCheckSql(): string {
  const signed = Object.entries(UNITS).filter(([, u]) => u.signed).map(([k]) => `'${k}'`);
  return `value IS NULL OR value >= 0${signed.length ? ` OR unit IN (${signed.join(', ')})` : ''}`;
}

export function unitDef(unit: string): UnitDef | undefined {
  return UNITS[unit];
}
