/**
 * The composite territorial well-being index per commune, OECD regional well-being style, with
 * its uncertainty (METHODOLOGY.md, section 14). Computed by fig_wellbeing
 * (src/indicators/wellbeing-index.ts, src/stats/composite-index.ts).
 */
import type { IndicatorFamily } from '../family.ts';

export const wellbeingFamily: IndicatorFamily = {
  id: 'wellbeing',
  label: { fr: 'Bien-être territorial', en: 'Territorial well-being' },
  scopes: ['commune'],
  suppression: 'none',
  uncertainty: true,
  indicators: [
    {
      id: 'wellbeing.index',
      unit: 'score10',
      label: { fr: 'Indice de bien-être territorial (0–10)', en: 'Territorial well-being index (0–10)' },
      definition: {
        fr: 'Moyenne pondérée des dimensions du bien-être de la commune, chacune moyenne de ses indicateurs ramenés sur 0–10 (min–max sur des bornes fixes, sens pris en compte) ; bande à 90 % par Monte Carlo (erreurs d’échantillonnage de l’enquête, poids, normalisation).',
        en: "Weighted mean of the commune's well-being dimensions, each the mean of its indicators scaled to 0–10 (min–max on fixed bounds, direction-aware); 90 % band by Monte Carlo (survey sampling error, weights, normalisation).",
      },
      formula: {
        fr: 'indice = Σ_d w_d · dim_d / Σ w_d ; dim_d = moyenne des scores ; score = 10·(x − min)/(max − min), borné, inversé si négatif ; tirages : x ~ N(x, SE²) tronquée, w_d × U(0,75 ; 1,25), min–max ou rang centile (½ chacun) ; IC = percentiles 5 et 95',
        en: 'index = Σ_d w_d · dim_d / Σ w_d; dim_d = mean of scores; score = 10·(x − min)/(max − min), clipped, reversed if negative; draws: x ~ N(x, SE²) truncated, w_d × U(0.75, 1.25), min–max or percentile rank (½ each); CI = 5th and 95th percentiles',
      },
      parameters: ['index.indicators', 'index.weights', 'index.draws', 'index.seed', 'index.missing', 'survey.min_respondents'],
      detail: 'fig_survey, commune_indicators, fig_wellbeing',
    },
    {
      id: 'wellbeing.<dimension>',
      pattern: /^wellbeing\.(?!index$|rank$)([a-z][a-z0-9_]*)$/,
      unit: 'score10',
      label: { fr: 'Bien-être — dimension {1} (0–10)', en: 'Well-being — {1} dimension (0–10)' },
      definition: { fr: 'Moyenne des scores 0–10 des indicateurs de la dimension {1}, avec sa bande à 90 %.', en: 'Mean of the 0–10 scores of the {1} dimension’s indicators, with its 90 % band.' },
      formula: { fr: 'moyenne des scores min–max de la dimension', en: 'mean of the dimension’s min–max scores' },
      parameters: ['index.indicators', 'index.draws', 'index.seed'],
      detail: 'fig_wellbeing',
    },
    {
      id: 'wellbeing.rank',
      unit: 'rank',
      label: { fr: 'Rang de bien-être (1 = le plus élevé)', en: 'Well-being rank (1 = highest)' },
      definition: { fr: 'Rang de la commune par l’indice parmi les communes qui en ont un (ex æquo : rang moyen), avec sa bande à 90 % sur les tirages.', en: "The commune's rank by the index among the communes that have one (ties averaged), with its 90 % band over the draws." },
      formula: { fr: 'rang décroissant de l’indice, ex æquo moyennés', en: 'descending rank of the index, ties averaged' },
      parameters: ['index.draws', 'index.seed'],
      detail: 'fig_wellbeing',
    },
  ],
  explain: { kind: 'scopes' },
};
