/**
 * The units figures are published in, declared once: the decimals a value is shown with (counts
 * never show decimals) and its name for people in French and English. Every unit an indicator
 * declares (definitions.ts) or a run emits must be here (test/indicators/units.test.ts).
 */
export interface UnitDef {
  /** Decimals shown to people (exports, tables); the stored value is never rounded. */
  decimals: number;
  /** Counts of things or people: whole numbers. */
  count: boolean;
  /** Its name for people, plural, in each language. */
  fr: string;
  en: string;
}

export const UNITS: Record<string, UnitDef> = {
  km: { decimals: 0, count: false, fr: 'km', en: 'km' },
  laps: { decimals: 1, count: false, fr: 'fois le tour de la Terre', en: 'times around the Earth' },
  EUR: { decimals: 0, count: false, fr: '€', en: 'EUR' },
  fte: { decimals: 1, count: false, fr: 'ETP', en: 'FTE' },
  people: { decimals: 0, count: true, fr: 'personnes', en: 'people' },
  suppliers: { decimals: 0, count: true, fr: 'fournisseurs', en: 'suppliers' },
  events: { decimals: 0, count: true, fr: 'événements', en: 'events' },
  associations: { decimals: 0, count: true, fr: 'associations', en: 'associations' },
  producers: { decimals: 0, count: true, fr: 'producteurs', en: 'producers' },
};

export function unitDef(unit: string): UnitDef | undefined {
  return UNITS[unit];
}
