/**
 * The golden network: three cafés, a few facilities, staff, suppliers, residents and events, built
 * by hand so that every figure follows from the formulas with a pencil (test/indicators/golden.test.ts
 * works each one out). Positions are on meridians: along one, haversine reduces to
 * d = R × Δφ (radians), with R = 6371.0088 km: 0.1° → 11.119508 km, 0.05° → 5.559754 km,
 * 0.2° → 22.239016 km, 0.3° → 33.358524 km, 0.0003° → 0.033359 km (33 m).
 * It has deliberately no cash facility (km_saved.cash cannot be computed: never a silent zero);
 * `GOLDEN_ATM` adds one for tests that need every indicator.
 */
import type { Warehouse } from '../../src/db/warehouse.ts';
import { folder, ingest } from './warehouse.ts';

// Two cafés in real communes of the Marne (51) / Haute-Marne (52) — Grand Est (44); C3 in the Ain (01) — Auvergne-Rhône-Alpes (84).
export const CAFES = [
  'cafe_id,name,commune_insee,lat,lon,model,stage,opened_on',
  'C1,Café Un,51356,48.0,4.0,associative,operating,2021-01-01',
  'C2,Café Deux,52448,48.0,5.0,entrepreneurial,operating,2021-01-01',
  'C3,Café Trois,01001,46.0,5.0,participative,opening,2023-01-01',
].join('\n');

export const FACILITIES = [
  'facility_id,service,lat,lon,source',
  'B1,bread,48.1,4.0,test', // 0.1° north of C1: 11.119508 km
  'B2,bread,48.0003,4.0,test', // 33 m from C1: the café itself, skipped
  'B3,bread,47.95,5.0,test', // 0.05° south of C2: 5.559754 km
  'B4,bread,46.2,5.0,test', // 0.2° north of C3: 22.239016 km
  'P1,post,48.3,4.0,test', // 0.3° north of C1: 33.358524 km; C2: farther than P2; C3: nearest post
  'P2,post,48.1,5.0,test', // 0.1° north of C2: 11.119508 km
].join('\n');
// no cash facility at all: km_saved.cash cannot be computed, and the run must say so

export const USES = [
  'cafe_id,date,service,uses',
  'C1,2023-02-01,bread,10',
  'C1,2023-05-01,bread,5', // C1 bread: 15 uses
  'C1,2023-05-01,post,2',
  'C2,2023-03-01,bread,20',
  'C2,2023-03-01,cash,7', // no cash facility
  'C2,2023-08-01,post,1',
  'C3,2023-11-01,bread,4',
].join('\n');

// Employees (managers are not jobs created). Year 2023: 365 days.
export const STAFF = [
  'cafe_id,person_key,start_on,role,contract,fte,end_on',
  'C1,PMGR1,2020-01-01,manager,CDI,1,', // manager: not counted
  'C1,PEMP1,2022-06-01,employee,CDI,0.5,', // whole year: 0.5 × 365
  'C1,PEMP2,2023-07-01,apprentice,apprentissage,1,2023-12-31', // 1 Jul–31 Dec: 184 days
  'C2,PEMP3,2023-01-01,employee,CDD,1,2023-01-31', // 31 days
  'C2,PEMP3,2023-03-01,employee,CDD,1,2023-03-31', // the same person again: 31 days, counted once
  'C3,PEMP4,2024-01-01,employee,CDI,1,', // starts after the period: not counted
].join('\n');

// Suppliers: C1 at (48.0, 4.0). S1 at 0.2° (22.2 km): local; S2 at 0.3° (33.4 km): not local.
export const SUPPLIERS = [
  'cafe_id,siren,name,legal_form,commune_insee,lat,lon,spend_eur,last_order_on',
  'C1,732829320,Boulangerie A,micro,51356,48.2,4.0,100.50,2023-03-01',
  'C1,732829320,Boulangerie A,micro,51356,48.2,4.0,200.25,2023-09-01', // same SIREN: one supplier, spend 300.75
  'C1,552100554,Ferme B,micro,51356,48.3,4.0,999,2023-04-01', // 33.4 km: not local
  'C2,443061841,Brasserie C,company,52448,48.1,5.0,50,2023-04-01', // local, but not micro
].join('\n');

// Residents: C1 has 5 distinct residents (publishable by the primary rule, hidden as a complement since
// method 1.1.0), C2 has 2 (under 5: suppressed at café scope).
export const PARTICIPATION = [
  'cafe_id,date,activity,person_key,role',
  ...['PR01', 'PR02', 'PR03', 'PR04', 'PR05'].map((p) => `C1,2023-02-10,public_meeting,${p},resident`),
  'C1,2023-06-10,workshop,PR01,resident', // PR01 again: counted once
  'C1,2023-06-10,workshop,PEL01,elected', // not a resident
  'C2,2023-06-10,volunteering,PR06,resident',
  'C2,2023-06-10,volunteering,PR01,resident', // PR01 also at C2: once in the network, once at C2
].join('\n');

export const EVENTS = [
  'event_id,cafe_id,commune_insee,date,kind,attendance,association_ids,producer_ids,programme',
  'E1,C2,52448,2023-05-20,concert,300,A1|A2,P1,guinguette_mobile',
  'E2,C2,52045,2023-06-20,bal,200,A2|A3,P1|P2,guinguette_mobile',
  'E3,C1,51356,2023-09-01,atelier,12,,,seniors',
].join('\n');

/** An ATM 0.1° north of C2 (11.119508 km): with it, C2's 7 cash uses give 77.836556 km. */
export const GOLDEN_ATM = 'A1,cash,48.1,5.0,test';

/** Loads the golden network into `wh`: reference files for 2023-Q1, the year's rows for 2023. */
export async function ingestGolden(wh: Warehouse, o: { atm?: boolean } = {}): Promise<void> {
  const facilities = o.atm ? `${FACILITIES}\n${GOLDEN_ATM}` : FACILITIES;
  await ingest(wh, folder({ 'cafes.csv': CAFES, 'facilities.csv': facilities, 'staff.csv': STAFF }), '2023-Q1');
  await ingest(wh, folder({ 'service_uses.csv': USES, 'suppliers.csv': SUPPLIERS, 'participation.csv': PARTICIPATION, 'events.csv': EVENTS }), '2023');
}

/** A residents' survey of 12 people in C1's commune (51356) with its questionnaire and margins, for tests needing the survey family. */
export const GOLDEN_QUESTIONNAIRE = ['item_id,label,scale_min,scale_max,direction,dimension', 'life_satisfaction,Satisfaction,0,10,positive,life', 'trust,Confiance,1,5,positive,trust', 'distrust,Méfiance,1,5,negative,trust'].join('\n');
const BANDS = ['15-24', '25-39', '40-54', '55-64', '65-74', '75+'];
export const GOLDEN_POPULATION = ['commune_insee,year,sex,age_band,population', ...BANDS.flatMap((b, i) => [`51356,2022,F,${b},${20 + i}.5`, `51356,2022,M,${b},${18 + 2 * i}.25`])].join('\n');
export const GOLDEN_SURVEY = [
  'respondent_key,commune_insee,wave_date,sex,age_band,life_satisfaction,trust,distrust',
  ...Array.from({ length: 12 }, (_, i) => `RGOLD${String(i).padStart(3, '0')},51356,2023-05-20,${i % 2 ? 'F' : 'M'},${BANDS[i % 6]},${(3 * i) % 11},${1 + (i % 5)},${5 - (i % 4)}`),
].join('\n');

/** The golden network and its survey. */
export async function ingestGoldenSurvey(wh: Warehouse): Promise<void> {
  // and a share of the population far from proximity facilities, so that the default index has two dimensions
  await ingest(wh, folder({ 'questionnaire.csv': GOLDEN_QUESTIONNAIRE, 'population.csv': GOLDEN_POPULATION, 'commune_indicators.csv': 'commune_insee,year,indicator,value\n51356,2021,access.far_proximity,12.5\n' }), '2023-Q1');
  await ingest(wh, folder({ 'survey.csv': GOLDEN_SURVEY }), '2023');
}

/**
 * A commune panel for the difference-in-differences (`did.golden.y`): C1 (51356) and C2 (52448)
 * open in 2021, two candidate communes without a café (51001 pending, 51002 declined) are the
 * controls. By hand: ATT(2021, 2021) = ((13 − 10) + (10 − 8))/2 − ((6 − 5) + (7 − 7))/2 = 2.
 */
export const GOLDEN_CANDIDATES = ['commune_insee,applied_on,outcome', '51001,2020-01-01,pending', '51002,2020-02-01,declined'].join('\n');
export const GOLDEN_PANEL = [
  'commune_insee,year,indicator,value',
  ...Object.entries({ '51356': [10, 13, 14], '52448': [8, 10, 11], '51001': [5, 6, 6], '51002': [7, 7, 8] }).flatMap(([c, ys]) => ys.map((v, k) => `${c},${2020 + k},golden.y,${v}`)),
].join('\n');

export async function ingestGoldenPanel(wh: Warehouse): Promise<void> {
  await ingest(wh, folder({ 'candidates.csv': GOLDEN_CANDIDATES, 'commune_indicators.csv': GOLDEN_PANEL }), '2023-Q1');
}
