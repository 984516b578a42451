/** Jobs besides the managers (METHODOLOGY.md, section 4). SQL: models/figures/fig_jobs.sql. */
import type { IndicatorFamily } from '../family.ts';

export const jobsFamily: IndicatorFamily = {
  id: 'jobs',
  label: { fr: 'Emplois', en: 'Jobs' },
  scopes: ['network', 'region', 'department', 'cafe', 'model', 'stage', 'contract'],
  suppression: 'people',
  suppressTogether: ['jobs.headcount', 'jobs.fte'],
  indicators: [
    {
      id: 'jobs.headcount',
      unit: 'people',
      label: { fr: 'Emplois hors gérants (personnes)', en: 'Jobs besides managers (people)' },
      definition: {
        fr: 'Personnes distinctes, hors gérants, employées à un moment de la période (salariés, apprentis, autres).',
        en: 'Distinct people other than managers employed at any time in the period (employees, apprentices, others).',
      },
      formula: {
        fr: 'count(distinct person_key) sur les contrats chevauchant la période avec role ≠ manager',
        en: 'count(distinct person_key) over contracts overlapping the period with role ≠ manager',
      },
      parameters: ['disclosure.min_cell'],
      detail: 'mart_jobs',
      headline: 6,
    },
    {
      id: 'jobs.fte',
      unit: 'fte',
      label: { fr: 'Emplois hors gérants (équivalents temps plein)', en: 'Jobs besides managers (full-time equivalents)' },
      definition: {
        fr: 'Équivalents temps plein de ces emplois, en moyenne sur les jours de la période.',
        en: "Full-time equivalents of those jobs, averaged over the period's days.",
      },
      formula: {
        fr: 'Σ_contrats fte × jours du contrat dans la période / jours de la période',
        en: 'Σ_contracts fte × days of the contract in the period / days in the period',
      },
      parameters: ['disclosure.min_cell'],
      detail: 'mart_jobs',
      headline: 7,
    },
  ],
  explain: { kind: 'scopes' },
};
