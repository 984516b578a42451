/**
 * The data contract: one zod schema per input dataset, the single source of truth.
 *
 * Everything else derives from these schemas (see `columns.ts`): the warehouse tables' DDL,
 * the SQL validation run inside DuckDB on large files, the zod validation of small inputs,
 * and the data dictionary (`cafe-impact schema`, docs/DATA-DICTIONARY.md).
 *
 * Conventions read by the derivation:
 * - `.meta({ description })` on every column; `unit` and `example` where useful;
 * - `.meta({ sqlType: 'TIMESTAMP' })` for instants, stored as Europe/Paris wall-clock time
 *   (others follow the zod type);
 * - `.optional()` marks a column that may be absent from the file or empty in a row;
 * - `.default(v)` gives the value used when the column is absent (e.g. `uses` = 1).
 */
import { z } from 'zod';

export const SERVICES = ['bread', 'cash', 'post', 'parcel', 'digital', 'other'] as const;
/** Services for which the network measures kilometres saved (facilities exist for these). */
export const FACILITY_SERVICES = ['bread', 'cash', 'post'] as const;
export const ACTIVITIES = ['public_meeting', 'workshop', 'volunteering', 'association', 'other'] as const;
export const PARTICIPANT_ROLES = ['resident', 'elected', 'partner', 'staff'] as const;
export const LEGAL_FORMS = ['micro', 'company', 'association', 'farm', 'other'] as const;
export const CAFE_MODELS = ['entrepreneurial', 'associative', 'participative', 'itinerant'] as const;
export const CAFE_STAGES = ['definition', 'recruitment', 'opening', 'operating', 'transition'] as const;
export const STAFF_ROLES = ['manager', 'employee', 'apprentice', 'other'] as const;
export const CANDIDATE_OUTCOMES = ['opened', 'pending', 'declined'] as const;
export const SEXES = ['F', 'M', 'other', 'undisclosed'] as const;
export const AGE_BANDS = ['15-24', '25-39', '40-54', '55-64', '65-74', '75+'] as const;

/** An instant as tills export it: ISO 8601 (offset optional) or `dd/mm/yyyy hh:mm[:ss]`. */
const INSTANT = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?|\d{1,2}\/\d{1,2}\/\d{4}[ T]\d{1,2}:\d{2}(:\d{2})?)$/;

const d = (description: string, extra: Record<string, unknown> = {}) => ({ description, ...extra });

/** Identifier made by the office: letters, digits, `_`, `-`, `.`; never an e-mail or a phone. */
const id = (description: string) =>
  z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/).meta(d(description, { example: 'C001' }));
/** Pseudonymous key of a person, made by the office (never a name, e-mail or phone number). */
const personKey = (description: string) =>
  z.string().min(4).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/).meta(d(description, { example: 'P7f3a9c', pseudonym: true }));
const insee = (description: string) =>
  z.string().regex(/^(\d[0-9AB]\d{3})$/).meta(d(description, { example: '51356', commune: true }));
const date = (description: string) => z.iso.date().meta(d(description, { example: '2023-04-17' }));
const lat = () => z.number().min(-90).max(90).meta(d('Latitude, WGS84 decimal degrees', { unit: '°', example: 48.7 }));
const lon = () => z.number().min(-180).max(180).meta(d('Longitude, WGS84 decimal degrees', { unit: '°', example: 4.8 }));

// ---------------------------------------------------------------- dated records

export const serviceUses = z.object({
  cafe_id: id('Café that delivered the service (cafes.cafe_id)'),
  date: date('Day of the use (Europe/Paris)'),
  service: z.enum(SERVICES).meta(d('Service used at the café')),
  uses: z.int().min(0).max(1_000_000).default(1).meta(d('Number of uses on that line; 1 when the column is absent', { unit: 'uses' })),
});

export const sales = z.object({
  cafe_id: id('Café that made the sale (cafes.cafe_id)'),
  ts: z.string().regex(INSTANT).meta(d('Time of the sale, stored as Europe/Paris wall-clock time; ISO 8601 or dd/mm/yyyy hh:mm[:ss]; an offset (Z, +02:00) is converted to Paris time', { sqlType: 'TIMESTAMP', example: '2023-04-17 10:32:00' })),
  category: z.string().min(1).max(64).meta(d('Till category of the item', { example: 'boissons' })),
  amount_eur: z.number().min(-100_000).max(100_000).meta(d('Amount of the line, euros incl. VAT (negative for a refund)', { unit: '€' })),
  qty: z.number().min(-10_000).max(10_000).default(1).meta(d('Quantity sold; 1 when the column is absent', { unit: 'items' })),
});

export const participation = z.object({
  cafe_id: id('Café whose co-construction the person took part in'),
  date: date('Day of the activity'),
  activity: z.enum(ACTIVITIES).meta(d('Kind of co-construction activity')),
  person_key: personKey('Pseudonymous key of the participant, made by the office'),
  role: z.enum(PARTICIPANT_ROLES).meta(d('Capacity in which the person took part')),
});

export const events = z.object({
  event_id: id('Identifier of the event'),
  cafe_id: id('Café (or itinerant café) running the event'),
  commune_insee: insee('Commune where the event took place (INSEE code)'),
  date: date('Day of the event'),
  kind: z.string().min(1).max(64).meta(d('Kind of event', { example: 'concert' })),
  attendance: z.int().min(0).max(1_000_000).meta(d('People present (count or estimate)', { unit: 'people' })),
  association_ids: z.array(z.string()).optional().meta(d('Associations involved, separated by `|` in CSV (so each is counted once)', { example: 'A12|A40' })),
  producer_ids: z.array(z.string()).optional().meta(d('Producers involved, separated by `|` in CSV', { example: 'SIREN123|P9' })),
  programme: z.string().min(1).max(64).optional().meta(d('Programme the event belongs to', { example: 'guinguette_mobile' })),
});

export const suppliers = z.object({
  cafe_id: id('Café supplied'),
  siren: z.string().regex(/^\d{9}$/).meta(d('SIREN of the supplier: 9 digits with a valid Luhn key', { example: '732829320', siren: true })),
  name: z.string().min(1).max(200).meta(d('Name of the business (a business, not a person)')),
  legal_form: z.enum(LEGAL_FORMS).meta(d('Legal form; `micro` = micro-entrepreneur (auto-entrepreneur)')),
  commune_insee: insee('Commune of the supplier'),
  lat: lat().optional(),
  lon: lon().optional(),
  spend_eur: z.number().min(0).max(10_000_000).optional().meta(d('Spend with the supplier in the period', { unit: '€' })),
  last_order_on: date('Last order in the period; when absent, the end of the period being ingested').optional(),
});

export const survey = z.object({
  respondent_key: personKey('Pseudonymous key of the respondent, made by the office'),
  commune_insee: insee('Commune of residence of the respondent'),
  wave_date: date('Date of the survey wave'),
  sex: z.enum(SEXES).meta(d('Sex as declared')),
  age_band: z.enum(AGE_BANDS).meta(d('Age band')),
});

// ---------------------------------------------------------------- reference tables

export const cafes = z.object({
  cafe_id: id('Identifier of the café'),
  name: z.string().min(1).max(200).meta(d('Name of the café')),
  commune_insee: insee('Commune of the café'),
  lat: lat().optional(),
  lon: lon().optional(),
  model: z.enum(CAFE_MODELS).meta(d('Operating model')),
  stage: z.enum(CAFE_STAGES).meta(d('Lifecycle stage')),
  opened_on: date('Opening date').optional(),
  closed_on: date('Closing date').optional(),
});

export const facilities = z.object({
  facility_id: id('Identifier of the facility (other place offering a service)'),
  service: z.enum(FACILITY_SERVICES).meta(d('Service it offers')),
  lat: lat(),
  lon: lon(),
  commune_insee: insee('Commune of the facility').optional(),
  source: z.string().min(1).max(64).meta(d('Where the row comes from', { example: 'bpe2023' })),
  kind: z.string().max(64).optional().meta(d('Type in the source (e.g. BPE B207, "Bureau de Poste")')),
});

export const staff = z.object({
  cafe_id: id('Café employing the person'),
  person_key: personKey('Pseudonymous key of the employee'),
  start_on: date('Start of the contract'),
  role: z.enum(STAFF_ROLES).meta(d('Role; managers are not counted as jobs created')),
  contract: z.string().min(1).max(32).meta(d('Contract type', { example: 'CDI' })),
  fte: z.number().min(0).max(1).meta(d('Full-time equivalent of the contract', { unit: 'FTE' })),
  end_on: date('End of the contract (absent while it runs)').optional(),
});

export const candidates = z.object({
  commune_insee: insee('Candidate commune'),
  applied_on: date('Date of the application'),
  outcome: z.enum(CANDIDATE_OUTCOMES).meta(d('Outcome of the application')),
});

export const communeIndicators = z.object({
  commune_insee: insee('Commune'),
  year: z.int().min(1900).max(2100).meta(d('Reference year of the value')),
  indicator: z.string().min(1).max(64).meta(d('Indicator code', { example: 'filosofi.med' })),
  value: z.number().optional().meta(d('Value; empty when withheld (statistical secrecy), never 0')),
});

/**
 * Population of a commune by sex and age band (15 and over), the margins survey weights are
 * raked to. INSEE's detailed census counts are fractional: the population is a number.
 */
export const population = z.object({
  commune_insee: insee('Commune'),
  year: z.int().min(1900).max(2100).meta(d('Census year of the count')),
  sex: z.enum(['F', 'M']).meta(d('Sex (the census knows F and M only)')),
  age_band: z.enum(AGE_BANDS).meta(d('Age band (the survey\'s bands)')),
  population: z.number().min(0).max(10_000_000).meta(d('Inhabitants of that sex and age band (fractional in INSEE\'s detailed counts)')),
});

/** Position of a commune (centroid), from the INSEE/data.gouv communes file. */
export const communePositions = z.object({
  commune_insee: insee('Commune'),
  lat: lat(),
  lon: lon(),
  source: z.string().min(1).max(64).meta(d('Where the position comes from', { example: 'communes_france_2024' })),
});

/** A questionnaire item (one survey column), from `questionnaire.csv` (or .json). */
export const questionnaire = z.object({
  item_id: z.string().regex(/^[a-z][a-z0-9_]*$/).meta(d('Column name of the item in survey files')),
  label: z.string().min(1).meta(d('Question as asked')),
  scale_min: z.int().meta(d('Lowest answer on the scale')),
  scale_max: z.int().meta(d('Highest answer on the scale')),
  direction: z.enum(['positive', 'negative']).meta(d('`negative` when a high answer means less well-being')),
  dimension: z.string().min(1).meta(d('Well-being dimension the item measures')),
});

export type DatasetKind = 'dated' | 'reference';

export interface DatasetDef {
  name: string;
  kind: DatasetKind;
  schema: z.ZodObject;
  description: string;
  /** Dated datasets: the column whose Paris date places a row in a period. */
  dateColumn?: string;
  /** Reference datasets: the key. Dated datasets: none (identical lines are legitimate). */
  key?: string[];
  /** Holds people: direct identifiers are refused and keys must be pseudonyms. */
  people?: boolean;
  /** Column holding a café id to check against `cafes`. */
  cafeColumn?: string;
  /** Unique within a file and a period (dated datasets). */
  unique?: string[];
  /** Column filled with the last day of the period being ingested when absent or empty. */
  periodEndDefault?: string;
  /** Cross-field rules: an SQL condition over the typed row that must hold (null counts as holding). */
  rules?: { column: string; sql: string; reason: string; always?: boolean }[];
}

export const DATASETS: Record<string, DatasetDef> = {
  service_uses: { name: 'service_uses', kind: 'dated', schema: serviceUses, dateColumn: 'date', cafeColumn: 'cafe_id', description: 'Till export of service uses: one line per use or per day (identical lines are legitimate)' },
  sales: { name: 'sales', kind: 'dated', schema: sales, dateColumn: 'ts', cafeColumn: 'cafe_id', description: 'Till export of sales lines' },
  participation: { name: 'participation', kind: 'dated', schema: participation, dateColumn: 'date', cafeColumn: 'cafe_id', people: true, description: 'Participation of people in the co-construction of their café' },
  events: { name: 'events', kind: 'dated', schema: events, unique: ['event_id'], dateColumn: 'date', cafeColumn: 'cafe_id', description: 'Events organised by cafés, with the partners involved' },
  suppliers: { name: 'suppliers', kind: 'dated', schema: suppliers, dateColumn: 'last_order_on', cafeColumn: 'cafe_id', description: 'Suppliers worked with in the period', periodEndDefault: 'last_order_on',
    rules: [
      { column: 'lon', sql: '(lat is null) = (lon is null)', reason: 'lat and lon must be given together' },
      {
        column: 'lat',
        always: true,
        // _folder_positions: the positions in the same folder's commune_positions file
        sql: 'lat is not null or commune_insee in (select commune_insee from commune_positions union all select commune_insee from _folder_positions)',
        reason: 'is missing and the supplier\'s commune has no known position (import the communes file: cafe-impact reference import communes <file>)',
      },
    ] },
  survey: { name: 'survey', kind: 'dated', schema: survey, unique: ['respondent_key', 'wave_date'], dateColumn: 'wave_date', people: true, description: 'Residents\' survey: one row per respondent, one column per questionnaire item' },
  cafes: { name: 'cafes', kind: 'reference', schema: cafes, key: ['cafe_id'], description: 'The cafés of the network',
    rules: [
      { column: 'closed_on', sql: 'closed_on >= opened_on', reason: 'is before opened_on' },
      { column: 'lon', sql: '(lat is null) = (lon is null)', reason: 'lat and lon must be given together' },
    ] },
  facilities: { name: 'facilities', kind: 'reference', schema: facilities, key: ['facility_id'], description: 'Other places offering a service (bakeries, cash machines, post offices)' },
  staff: { name: 'staff', kind: 'reference', schema: staff, key: ['cafe_id', 'person_key', 'start_on'], cafeColumn: 'cafe_id', people: true, description: 'Employment contracts in the cafés',
    rules: [{ column: 'end_on', sql: 'end_on >= start_on', reason: 'is before start_on' }] },
  candidates: { name: 'candidates', kind: 'reference', schema: candidates, key: ['commune_insee'], description: 'Candidate communes (applications for a café)' },
  commune_indicators: { name: 'commune_indicators', kind: 'reference', schema: communeIndicators, key: ['commune_insee', 'year', 'indicator'], description: 'Indicators per commune and year, long format' },
  population: { name: 'population', kind: 'reference', schema: population, key: ['commune_insee', 'year', 'sex', 'age_band'], description: 'Population by commune, year, sex and age band: the margins of the survey weights' },
  commune_positions: { name: 'commune_positions', kind: 'reference', schema: communePositions, key: ['commune_insee'], description: 'Position (centroid) of each commune; suppliers without coordinates fall back on it' },
  questionnaire: { name: 'questionnaire', kind: 'reference', schema: questionnaire, key: ['item_id'], description: 'Survey questionnaire: one row per item (one survey column each)',
    rules: [{ column: 'scale_max', sql: 'scale_max > scale_min', reason: 'must be greater than scale_min' }] },
};

export const DATASET_NAMES = Object.keys(DATASETS);


export function getDataset(name: string): DatasetDef {
  const def = DATASETS[name];
  if (!def) throw new Error(`unknown dataset ${name}`);
  return def;
}
