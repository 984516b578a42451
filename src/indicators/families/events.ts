/** Events and the people they reach (METHODOLOGY.md, section 7). SQL: models/figures/fig_events.sql. */
import type { IndicatorFamily } from '../family.ts';

export const eventsFamily: IndicatorFamily = {
  id: 'events',
  label: { fr: 'Événements', en: 'Events' },
  scopes: ['network', 'region', 'department', 'cafe', 'model', 'stage', 'programme'],
  suppression: 'none',
  indicators: [
    {
      id: 'events.count',
      unit: 'events',
      label: { fr: 'Événements', en: 'Events' },
      definition: { fr: 'Événements tenus sur la période.', en: 'Events held in the period.' },
      formula: { fr: 'count(events)', en: 'count(events)' },
      parameters: [],
      detail: 'stg_events',
      headline: 10,
    },
    {
      id: 'events.attendance',
      unit: 'people',
      label: { fr: 'Personnes touchées par les événements', en: 'People reached by the events' },
      definition: {
        fr: 'Personnes touchées par les événements (somme des participations : une personne venue à deux événements compte deux fois).',
        en: 'People reached by the events (sum of attendances: a person at two events counts twice).',
      },
      formula: { fr: 'Σ attendance', en: 'Σ attendance' },
      parameters: [],
      detail: 'stg_events',
      headline: 11,
    },
    {
      id: 'events.associations',
      unit: 'associations',
      label: { fr: 'Associations impliquées', en: 'Associations involved' },
      definition: { fr: 'Associations distinctes impliquées dans les événements.', en: 'Distinct associations involved in the events.' },
      formula: { fr: 'count(distinct identifiant d’association)', en: 'count(distinct association id)' },
      parameters: [],
      detail: 'stg_events',
    },
    {
      id: 'events.producers',
      unit: 'producers',
      label: { fr: 'Producteurs impliqués', en: 'Producers involved' },
      definition: { fr: 'Producteurs distincts impliqués dans les événements.', en: 'Distinct producers involved in the events.' },
      formula: { fr: 'count(distinct identifiant de producteur)', en: 'count(distinct producer id)' },
      parameters: [],
      detail: 'stg_events',
    },
  ],
  explain: { kind: 'scopes' },
};
