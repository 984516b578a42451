/**
 * What each indicator means, for people: printed by `cafe-impact explain` and kept in step with
 * METHODOLOGY.md (which gives the sources and known limits at length).
 */
export interface IndicatorDef {
  id: string;
  unit: string;
  definition: string;
  formula: string;
  /** Config keys (section.key) the indicator depends on. */
  parameters: string[];
  /** Model that holds the row-level detail. */
  detail: string;
}

export const INDICATORS: IndicatorDef[] = [
  {
    id: 'km_saved',
    unit: 'km',
    definition: 'Kilometres residents did not travel because the café offered the service: for each café and service (bread, cash, post), the distance from the café to the nearest other place offering it, times the uses recorded at the café in the period.',
    formula: 'Σ_cafés Σ_services d(café, nearest other facility of the service) × uses(café, service) × trip factor; d = 2R·asin(√(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))); a facility within self_radius_km is the café itself; trip factor = (round_trip ? 2 : 1) × detour_factor',
    parameters: ['km.earth_radius_km', 'km.self_radius_km', 'km.round_trip', 'km.detour_factor', 'km.far_warning_km'],
    detail: 'mart_km_saved, int_nearest_facility',
  },
  { id: 'km_saved.bread', unit: 'km', definition: 'Kilometres saved for bread.', formula: 'as km_saved, service = bread', parameters: ['km.*'], detail: 'mart_km_saved' },
  { id: 'km_saved.cash', unit: 'km', definition: 'Kilometres saved for cash withdrawal.', formula: 'as km_saved, service = cash', parameters: ['km.*'], detail: 'mart_km_saved' },
  { id: 'km_saved.post', unit: 'km', definition: 'Kilometres saved for postal services.', formula: 'as km_saved, service = post', parameters: ['km.*'], detail: 'mart_km_saved' },
  {
    id: 'earth_laps',
    unit: 'laps',
    definition: 'Kilometres saved expressed as times around the Earth.',
    formula: 'km_saved / earth_circumference_km (40,075.017 km, WGS84 equator)',
    parameters: ['km.*'],
    detail: 'mart_km_saved',
  },
  {
    id: 'jobs.headcount',
    unit: 'people',
    definition: 'Distinct people other than managers employed at any time in the period (employees, apprentices, others).',
    formula: 'count(distinct person_key) over contracts overlapping the period with role ≠ manager',
    parameters: ['disclosure.min_cell'],
    detail: 'mart_jobs',
  },
  {
    id: 'jobs.fte',
    unit: 'fte',
    definition: 'Full-time equivalents of those jobs, averaged over the period\'s days.',
    formula: 'Σ_contracts fte × days of the contract in the period / days in the period',
    parameters: ['disclosure.min_cell'],
    detail: 'mart_jobs',
  },
  {
    id: 'suppliers.local_micro',
    unit: 'suppliers',
    definition: 'Distinct micro-enterprises (SIREN, legal form micro) worked with in the period and located within the local radius of a café they supply.',
    formula: 'count(distinct siren) where legal_form = micro and haversine(supplier, café) ≤ local_radius_km; supplier position = its coordinates, else its commune centroid',
    parameters: ['suppliers.local_radius_km', 'km.earth_radius_km'],
    detail: 'mart_suppliers',
  },
  { id: 'suppliers.local_micro.spend_eur', unit: 'EUR', definition: 'Spend with those local micro-enterprises, where the file gives it.', formula: 'Σ spend_eur over local micro suppliers', parameters: ['suppliers.local_radius_km', 'km.earth_radius_km'], detail: 'mart_suppliers' },
  { id: 'suppliers.local', unit: 'suppliers', definition: 'Distinct local suppliers of any legal form.', formula: 'count(distinct siren) where haversine(supplier, café) ≤ local_radius_km', parameters: ['suppliers.local_radius_km', 'km.earth_radius_km'], detail: 'mart_suppliers' },
  {
    id: 'residents.mobilised',
    unit: 'people',
    definition: 'Distinct residents (role resident) who took part in at least one co-construction activity in the period.',
    formula: 'count(distinct person_key) where role = resident',
    parameters: ['disclosure.min_cell'],
    detail: 'stg_participation',
  },
  { id: 'events.count', unit: 'events', definition: 'Events held in the period.', formula: 'count(events)', parameters: [], detail: 'stg_events' },
  { id: 'events.attendance', unit: 'people', definition: 'People reached by the events (sum of attendances: a person at two events counts twice).', formula: 'Σ attendance', parameters: [], detail: 'stg_events' },
  { id: 'events.associations', unit: 'associations', definition: 'Distinct associations involved in the events.', formula: 'count(distinct association id)', parameters: [], detail: 'stg_events' },
  { id: 'events.producers', unit: 'producers', definition: 'Distinct producers involved in the events.', formula: 'count(distinct producer id)', parameters: [], detail: 'stg_events' },
];

export function indicatorDef(id: string): IndicatorDef | undefined {
  return INDICATORS.find((d) => d.id === id);
}
