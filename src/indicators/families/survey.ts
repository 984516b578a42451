/**
 * Residents' survey estimates per commune and the reliability of their scales (METHODOLOGY.md,
 * section 13). Computed by the TypeScript model fig_survey (src/indicators/survey-estimates.ts):
 * raked weights, linearised standard errors equal to R's survey package.
 */
import type { IndicatorFamily } from '../family.ts';

export const surveyFamily: IndicatorFamily = {
  id: 'survey',
  label: { fr: 'Enquête auprès des habitants', en: "Residents' survey" },
  scopes: ['commune', 'network'],
  suppression: 'respondents',
  uncertainty: true,
  indicators: [
    {
      id: 'survey.<item_id>',
      pattern: /^survey\.(?!alpha\.)([a-z][a-z0-9_]*)$/,
      unit: 'score',
      label: { fr: 'Enquête — {1} (moyenne)', en: 'Survey — {1} (mean)' },
      definition: {
        fr: 'Moyenne pondérée des réponses à la question {1} parmi les habitants interrogés de la commune sur la période (vagues regroupées), pondérations calées par raking sur la population de la commune par sexe et par tranche d’âge ; avec son erreur type et son intervalle à 95 %.',
        en: "Weighted mean of the answers to item {1} among the commune's respondents in the period (waves pooled), weights raked to the commune's population by sex and by age band; with its standard error and 95 % interval.",
      },
      formula: {
        fr: 'ȳ = Σ wᵢyᵢ / Σ wᵢ ; w = N/n calé (raking) sur les marges sexe puis âge ; SE par linéarisation avec le terme de calage (comme svymean de R survey) ; IC = ȳ ± 1,959964·SE',
        en: 'ȳ = Σ wᵢyᵢ / Σ wᵢ; w = N/n raked to the sex then the age-band margin; SE by linearisation with the calibration term (as R survey’s svymean); CI = ȳ ± 1.959964·SE',
      },
      parameters: ['survey.min_respondents'],
      detail: 'survey, survey_answers, population, fig_survey',
      scopes: ['commune'],
    },
    {
      id: 'survey.<item_id>.share_ge_<k>',
      pattern: /^survey\.([a-z][a-z0-9_]*\.share_ge_-?\d+)$/,
      unit: 'share',
      label: { fr: 'Enquête — {1} (proportion)', en: 'Survey — {1} (share)' },
      definition: {
        fr: 'Proportion pondérée des habitants interrogés ayant répondu au moins k (survey.proportions), même pondération et même erreur type que les moyennes.',
        en: 'Weighted share of respondents answering at least k (survey.proportions), with the same weights and standard error as the means.',
      },
      formula: { fr: 'moyenne pondérée de 1[y ≥ k]', en: 'weighted mean of 1[y ≥ k]' },
      parameters: ['survey.min_respondents', 'survey.proportions'],
      detail: 'survey, survey_answers, population, fig_survey',
      scopes: ['commune'],
    },
    {
      id: 'survey.alpha.<dimension>',
      pattern: /^survey\.alpha\.([A-Za-z0-9_.-]+)$/,
      unit: 'alpha',
      label: { fr: 'Fiabilité de l’échelle {1} (alpha de Cronbach)', en: 'Reliability of the {1} scale (Cronbach’s alpha)' },
      definition: {
        fr: 'Alpha de Cronbach des questions de la dimension {1} (au moins deux), sans pondération, sur les répondants ayant répondu à toutes, les questions négatives inversées.',
        en: 'Cronbach’s alpha of the items of dimension {1} (at least two), unweighted, over the respondents who answered all of them, negative items reversed.',
      },
      formula: {
        fr: 'α = k/(k − 1) · (1 − Σ var(questionⱼ) / var(Σ questions)) ; question négative : scale_min + scale_max − réponse',
        en: 'α = k/(k − 1) · (1 − Σ var(itemⱼ) / var(Σ items)); negative item: scale_min + scale_max − answer',
      },
      parameters: [],
      detail: 'survey_answers, questionnaire, fig_survey',
      scopes: ['network'],
    },
  ],
  explain: { kind: 'scopes' },
};
