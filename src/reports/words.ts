/**
 * The words of the reports that do not come from the indicator catalogue: what each kind of
 * run warning means (the run's own messages are English, for the analysts; a French report
 * says them in French, grouped, with what they concern), and the DiD's assumptions.
 * Typed so that a warning code without its words here is caught by test/reports/words.test.ts.
 */
import type { Lang, Text } from '../core/vocabulary.ts';

export const WARNING_WORDS: Record<string, Text> = {
  empty_quarter: { fr: 'un trimestre sans utilisation de service : les kilomètres évités de la période ne le comptent pas', en: 'a quarter without service uses: the period\'s kilometres saved miss it' },
  no_facility: { fr: 'un service sans autre lieu connu qui l’offre : pas de kilomètres évités pour lui', en: 'a service with no other known place offering it: no kilometres saved for it' },
  no_position: { fr: 'un café sans coordonnées ni position de sa commune : ses utilisations ne comptent dans aucun kilomètre évité', en: 'a café without coordinates or commune position: its uses count in no kilometres saved' },
  commune_position: { fr: 'un café sans coordonnées : le centre de sa commune a servi', en: 'a café without coordinates: its commune\'s centre was used' },
  far_facility: { fr: 'un lieu le plus proche très éloigné (au-delà du seuil de vraisemblance)', en: 'a nearest place very far away (beyond the plausibility threshold)' },
  supplier_position: { fr: 'des fournisseurs sans position : non comptés comme locaux', en: 'suppliers without a position: not counted as local' },
  survey_proportion: { fr: 'une part demandée pour une question absente du questionnaire', en: 'a share asked for an item not in the questionnaire' },
  survey_no_population: { fr: 'une commune enquêtée sans marges de population : pas d’estimation', en: 'a surveyed commune without population margins: no estimate' },
  survey_sex_missing: { fr: 'une commune sans répondant d’un des deux sexes : pas d’estimation', en: 'a commune without respondents of one sex: no estimate' },
  survey_sex_left_out: { fr: 'des répondants de sexe autre ou non dit laissés hors des estimations pondérées (les marges du recensement ne connaissent que F et M)', en: 'respondents of sex other or undisclosed left out of the weighted estimates (census margins know F and M only)' },
  survey_bands_merged: { fr: 'des tranches d’âge sans répondant fusionnées avec leur voisine', en: 'age bands without respondents merged with their neighbour' },
  survey_not_converged: { fr: 'un calage qui n’a pas convergé (marges incohérentes ?)', en: 'a raking that did not converge (inconsistent margins?)' },
  index_indicator: { fr: 'un indicateur de l’indice écarté (inconnu ou sans bornes)', en: 'an index indicator left out (unknown or without bounds)' },
  index_missing_dimension: { fr: 'des communes sans une dimension entière de l’indice : pas d’indice pour elles', en: 'communes missing a whole dimension of the index: no index for them' },
  did_not_estimated: { fr: 'un effet du café non estimé', en: 'a café effect not estimated' },
  did_no_opening_date: { fr: 'des cafés sans date d’ouverture écartés de la différence de différences', en: 'cafés without an opening date left out of the difference-in-differences' },
  did_itinerant_only: { fr: 'des communes dont le seul café est itinérant : ni traitées ni témoins', en: 'communes whose only café is itinerant: neither treated nor controls' },
  did_opened_without_cafe: { fr: 'des candidates « ouvertes » sans café connu : écartées', en: 'candidates "opened" without a known café: left out' },
  did_opened_after_to: { fr: 'des communes traitées après la dernière année : écartées', en: 'communes treated after the last year: left out' },
  did_no_pre_period: { fr: 'des cohortes sans année observée avant l’ouverture : écartées', en: 'cohorts without an observed year before opening: left out' },
  did_no_outcome: { fr: 'des communes sans la variable étudiée : écartées', en: 'communes without the outcome: left out' },
};

export function warningWords(code: string, lang: Lang): string {
  return WARNING_WORDS[code]?.[lang] ?? (lang === 'fr' ? `avertissement « ${code} »` : `warning "${code}"`);
}

/** The DiD's assumptions (the same as `cafe-impact did` states, src/indicators/did.ts). */
export const DID_ASSUMPTION_WORDS: Text[] = [
  { fr: 'Tendances parallèles : sans café, la variable des communes traitées aurait évolué comme celle des communes candidates (les effets avant l’ouverture le testent).', en: "Parallel trends: without a café, the treated communes' outcome would have moved like the candidate communes' (the pre-opening effects test it)." },
  { fr: 'Pas d’anticipation : la variable ne bouge pas avant l’année d’ouverture ; chaque cohorte est comparée à l’année qui précède son ouverture.', en: 'No anticipation: the outcome does not move before the opening year; every cohort is compared with the year before it opened.' },
  { fr: 'Intention de traiter : un café fermé compte encore comme traité depuis son ouverture.', en: 'Intention to treat: a café that closed still counts as treated from its opening on.' },
  { fr: 'Les témoins sont des communes candidates (en attente ou refusées) sans café : des candidates comparables, pas toutes les communes rurales ; si les communes qui ont obtenu un café suivaient une autre trajectoire, l’estimation est biaisée.', en: 'Controls are candidate communes (pending or declined) without a café: comparable applicants, not all rural communes; if the communes that obtained a café were on a different path, the estimate is biased.' },
  { fr: 'Les doubles effets fixes, avec des ouvertures étalées et des effets qui changent avec le temps, peuvent tromper (Goodman-Bacon 2021) : l’agrégation de Callaway et Sant’Anna (2021) est donnée à côté.', en: "Two-way fixed effects with openings spread over years and effects changing over time can mislead (Goodman-Bacon 2021): Callaway & Sant'Anna's (2021) aggregation is given beside it." },
  { fr: 'Erreurs-types groupées par commune : communes indépendantes entre elles, années d’une commune librement corrélées.', en: "Standard errors clustered by commune: communes independent of one another, a commune's years correlated freely." },
];

/** The well-being index's dimensions as configured by default (config `index.indicators`); another name shows as itself. */
export const DIMENSION_WORDS: Record<string, Text> = {
  access_to_services: { fr: 'accès aux services', en: 'access to services' },
  social_ties: { fr: 'liens sociaux', en: 'social ties' },
  trust: { fr: 'confiance', en: 'trust' },
  life_satisfaction: { fr: 'satisfaction de vie', en: 'life satisfaction' },
  local_pride: { fr: 'fierté locale', en: 'local pride' },
};
