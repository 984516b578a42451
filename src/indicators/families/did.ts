/**
 * The café's effect on a commune indicator, by difference-in-differences against candidate
 * communes without a café (METHODOLOGY.md, section 15), for the outcomes of `did.outcomes`.
 * Computed by fig_did (src/indicators/did.ts, src/stats/did.ts); the group-time effects behind
 * each figure are kept per run in run_did_cells.
 */
import type { IndicatorFamily } from '../family.ts';

export const didFamily: IndicatorFamily = {
  id: 'did',
  label: { fr: 'Effet du café (différence de différences)', en: "The café's effect (difference-in-differences)" },
  scopes: ['network'],
  // an effect estimated over communes: no person is described
  suppression: 'none',
  uncertainty: true,
  indicators: [
    {
      id: 'did.<outcome>',
      pattern: /^did\.([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)$/,
      unit: 'effect',
      label: { fr: 'Effet du café sur {1} (différence de différences)', en: "Café's effect on {1} (difference-in-differences)" },
      definition: {
        fr: 'Écart moyen de {1} dû à l’ouverture d’un café : communes des cafés (non itinérants, traitées dès l’année d’ouverture) comparées aux communes candidates sans café, effets fixes commune et année ; intervalle à 95 %, erreur-type groupée par commune ; n = communes du panel.',
        en: "Average change in {1} due to a café's opening: café communes (non-itinerant, treated from the opening year) against candidate communes without a café, commune and year fixed effects; 95 % interval, standard error clustered by commune; n = communes in the panel.",
      },
      formula: {
        fr: 'y_ct = α_c + λ_t + β·D_ct + ε_ct (moindres carrés) ; SE CR1 = (X′X)⁻¹ Σ_g X_g′e_g e_g′X_g (X′X)⁻¹ · G/(G−1) · (N−1)/(N−K) ; IC = β ± t(0,975 ; G−1)·SE ; détail : ATT(g,t), base g−1',
        en: "y_ct = α_c + λ_t + β·D_ct + ε_ct (least squares); CR1 SE = (X′X)⁻¹ Σ_g X_g′e_g e_g′X_g (X′X)⁻¹ · G/(G−1) · (N−1)/(N−K); CI = β ± t(0.975, G−1)·SE; detail: ATT(g,t), base g−1",
      },
      parameters: ['did.outcomes'],
      detail: 'run_did_cells, commune_indicators, cafes, candidates',
    },
  ],
  explain: {
    kind: 'rows',
    title: {
      fr: 'Effets par cohorte d’ouverture et année ATT(g,t) (base g − 1), agrégations et test des tendances parallèles',
      en: 'Group-time effects ATT(g,t) by opening cohort and year (base g − 1), their aggregations and the parallel-trends test',
    },
    // $3 (--cafe) does not narrow an effect estimated over communes
    sql: `SELECT kind, CAST(cohort AS VARCHAR) AS cohort, CAST(year AS VARCHAR) AS year, CAST(event_time AS VARCHAR) AS event_time, round(att, 4) AS att, round(se, 4) AS se, n_treated, n_control, note
          FROM run_did_cells WHERE run_id = $1 AND indicator = $2 AND ($3::VARCHAR IS NULL OR true)
          ORDER BY CASE kind WHEN 'twfe' THEN 0 WHEN 'att_simple' THEN 1 WHEN 'att_gt' THEN 2 WHEN 'event' THEN 3 ELSE 4 END, run_did_cells.cohort NULLS FIRST, run_did_cells.year NULLS FIRST, run_did_cells.event_time`,
  },
};
