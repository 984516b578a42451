/** Residents mobilised (METHODOLOGY.md, section 6). SQL: models/figures/fig_residents.sql. */
import type { IndicatorFamily } from '../family.ts';

export const residentsFamily: IndicatorFamily = {
  id: 'residents',
  label: { fr: 'Habitants mobilisés', en: 'Residents mobilised' },
  scopes: ['network', 'region', 'department', 'cafe', 'model', 'stage'],
  suppression: 'people',
  indicators: [
    {
      id: 'residents.mobilised',
      unit: 'people',
      label: { fr: 'Habitants mobilisés', en: 'Residents mobilised' },
      definition: {
        fr: 'Habitants distincts (rôle habitant) ayant pris part à au moins une activité de co-construction sur la période.',
        en: 'Distinct residents (role resident) who took part in at least one co-construction activity in the period.',
      },
      formula: { fr: 'count(distinct person_key) où role = resident', en: 'count(distinct person_key) where role = resident' },
      parameters: ['disclosure.min_cell'],
      detail: 'stg_participation',
      headline: 9,
    },
  ],
  explain: { kind: 'scopes' },
};
