/** Kilometres saved and their Earth comparison (METHODOLOGY.md, sections 2 and 3). SQL: models/figures/fig_km.sql. */
import type { IndicatorFamily } from '../family.ts';

const GEO = ['network', 'region', 'department', 'cafe', 'model', 'stage'] as const;
const service = (fr: string, en: string, id: string, headline: number) => ({
  id: `km_saved.${id}`,
  unit: 'km',
  label: { fr: `Kilomètres évités — ${fr}`, en: `Kilometres saved — ${en}` },
  definition: { fr: `Kilomètres évités pour le service « ${fr} ».`, en: `Kilometres saved for ${en}.` },
  formula: { fr: `comme km_saved, service = ${id}`, en: `as km_saved, service = ${id}` },
  parameters: ['km.*'],
  detail: 'mart_km_saved, run_km_detail',
  headline,
  scopes: GEO,
});

export const kmFamily: IndicatorFamily = {
  id: 'km',
  label: { fr: 'Kilomètres évités', en: 'Kilometres saved' },
  scopes: [...GEO, 'service'],
  suppression: 'none',
  indicators: [
    service('pain', 'bread', 'bread', 1),
    service('retrait d’espèces', 'cash withdrawal', 'cash', 2),
    service('poste', 'postal services', 'post', 3),
    {
      id: 'km_saved',
      unit: 'km',
      label: { fr: 'Kilomètres évités — total', en: 'Kilometres saved — total' },
      definition: {
        fr: 'Kilomètres que les habitants n’ont pas parcourus parce que le café offrait le service : pour chaque café et chaque service (pain, retrait d’espèces, poste), la distance du café au plus proche autre lieu offrant ce service, multipliée par le nombre d’usages enregistrés au café sur la période.',
        en: 'Kilometres residents did not travel because the café offered the service: for each café and service (bread, cash, post), the distance from the café to the nearest other place offering it, times the uses recorded at the café in the period.',
      },
      formula: {
        fr: 'Σ_cafés Σ_services d(café, plus proche autre équipement du service) × usages(café, service) × f ; d = 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))) ; un équipement à moins de self_radius_km est le café lui-même ; f = (round_trip ? 2 : 1) × detour_factor',
        en: 'Σ_cafés Σ_services d(café, nearest other facility of the service) × uses(café, service) × f; d = 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))); a facility within self_radius_km is the café itself; f = (round_trip ? 2 : 1) × detour_factor',
      },
      parameters: ['km.earth_radius_km', 'km.self_radius_km', 'km.round_trip', 'km.detour_factor', 'km.far_warning_km'],
      detail: 'mart_km_saved, int_nearest_facility, run_km_detail',
      headline: 4,
      scopes: [...GEO, 'service'],
    },
    {
      id: 'earth_laps',
      unit: 'laps',
      label: { fr: 'Tours de la Terre', en: 'Times around the Earth' },
      definition: {
        fr: 'Les kilomètres évités du réseau exprimés en nombre de tours de la Terre (à l’équateur).',
        en: 'Kilometres saved expressed as times around the Earth (at the Equator).',
      },
      formula: {
        fr: 'km_saved(réseau) / earth_circumference_km (40 075,017 km, équateur WGS84)',
        en: 'km_saved(network) / earth_circumference_km (40,075.017 km, WGS84 equator)',
      },
      parameters: ['km.*'],
      detail: 'mart_km_saved',
      headline: 5,
      scopes: ['network'],
    },
  ],
  explain: {
    kind: 'rows',
    title: {
      fr: 'Détail par café et service (km = distance × usages × facteur de trajet ; distance à vol d’oiseau au plus proche autre équipement)',
      en: 'Breakdown by café and service (km = distance × uses × trip factor; crow-fly distance to the nearest other facility)',
    },
    sql: `SELECT d.cafe_id, c.name, d.service, d.position_source AS position, d.facility_id, d.facility_source AS source,
                 round(d.distance_km, 3) AS distance_km, d.uses, round(d.km, 1) AS km, d.status
          FROM run_km_detail d LEFT JOIN cafes c ON c.cafe_id = d.cafe_id AND c._valid_to IS NULL
          WHERE d.run_id = $1
            AND (NOT starts_with($2, 'km_saved.') OR d.service = substr($2, 10))
            AND ($3::VARCHAR IS NULL OR d.cafe_id = $3)
          ORDER BY d.cafe_id, d.service`,
  },
};
