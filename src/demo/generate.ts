/**
 * Deterministic synthetic data for the demo and the benchmarks: a year of a "1000 cafés"-like
 * network laid out as the analyst's quarterly drop (reference tables + one folder per quarter).
 *
 * - Communes are real (current communes under 3,500 inhabitants, from
 *   `@etalab/decoupage-administratif`); every position, person, business and figure is synthetic.
 * - Magnitudes follow the network's 2023 activity report at scale 1 (≈ 378,000 km saved for bread,
 *   10,000 for cash, 3,300 for post; 94 jobs besides managers; 414 local micro-enterprises;
 *   718 residents mobilised; the Guinguette mobile's 24 dates in 15 communes).
 * - Files use real office formats on purpose (Windows-1252, `;`, decimal commas, French dates,
 *   a BOM, CRLF) and `YYYY-Q2/service_uses.csv` carries a handful of deliberately bad rows.
 * - `reference/commune_positions.csv` gives a synthetic position to every commune the demo uses
 *   (the ingestion needs one for a supplier without coordinates; the repository ships no real ones).
 * - Deterministic: one seeded PRNG (forked into named streams), never Math.random or the clock;
 *   the same options give byte-identical files. Large files are streamed with backpressure.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import iconv from 'iconv-lite';
import {
  AGE_BANDS, FACILITY_SERVICES, SERVICES,
  type CAFE_MODELS, type CAFE_STAGES, type LEGAL_FORMS, type ACTIVITIES, type PARTICIPANT_ROLES,
} from '../contract/datasets.ts';
import { UserError } from '../core/errors.ts';
import { demoErrors } from '../core/messages.ts';
import { DEPARTMENT_CENTRES } from './department-centres.ts';
import { Rng } from '../stats/prng.ts';

// ---------------------------------------------------------------- public API

export interface GenerateDemoOptions {
  /** Output folder (created if needed; files of the drop are overwritten, nothing is deleted). */
  out: string;
  /** Size multiplier: 1 ≈ the 2023 network (≈ 220 cafés). */
  scale?: number;
  seed?: number;
  year?: number;
  /** Sales lines per café and open day. */
  salesLinesPerDay?: number;
  onProgress?: (msg: string) => void;
}

export interface DemoFile {
  /** Path relative to `out`, with `/`. */
  path: string;
  dataset: string;
  /** Data lines (header excluded), deliberately bad rows included. */
  rows: number;
  bytes: number;
  /** Deliberately bad rows in the file. */
  badRows: number;
  encoding: 'utf-8' | 'windows-1252';
  delimiter: ',' | ';';
  /** Other traits of the format worth knowing (French dates, decimal commas, BOM, CRLF); '' when none. */
  notes: string;
}

export interface DemoBadRow {
  file: string;
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  reason: string;
}

export interface DemoSummary {
  out: string;
  options: { scale: number; seed: number; year: number; salesLinesPerDay: number };
  cafes: number;
  departments: number;
  files: DemoFile[];
  readme: { path: string; bytes: number };
  totals: { rows: number; bytes: number };
  /** Deliberately bad rows, by file and line (expected rejects of the ingestion). */
  badRows: DemoBadRow[];
  /**
   * Figures the generated data should give, as the generator knows them (valid rows only):
   * km saved = Σ uses × crow-fly (haversine) distance from the café to the nearest facility
   * of the same service, ignoring facilities within 30 m of the café (the café itself).
   */
  expected: {
    kmSaved: Record<FacilityService, number>;
    /** Non-manager employment contracts active during the year (one person each). */
    jobs: number;
    /** Distinct SIRENs with legal form `micro` over the year. */
    microEnterprises: number;
    /** Distinct residents (role `resident`) in participation over the year. */
    residentsMobilised: number;
    guinguette: { dates: number; tours: number; communes: number; events: number; attendance: number; associations: number; producers: number };
    /** The built-in effect of the commune panel (reference/commune_indicators.csv). */
    did: { outcome: string; effect: number; from: number; to: number };
  };
}

// ---------------------------------------------------------------- constants

type Service = (typeof SERVICES)[number];
type FacilityService = (typeof FACILITY_SERVICES)[number];
type CafeModel = (typeof CAFE_MODELS)[number];
type CafeStage = (typeof CAFE_STAGES)[number];
type LegalForm = (typeof LEGAL_FORMS)[number];
type Activity = (typeof ACTIVITIES)[number];
type Role = (typeof PARTICIPANT_ROLES)[number];

/** Report figures at scale 1 (rapport d'activité 2023). */
const REPORT = {
  cafes: 220,
  departments: 70,
  kmSaved: { bread: 378_000, cash: 10_000, post: 3_300 } as Record<FacilityService, number>,
  jobs: 94,
  microEnterprises: 414,
  residents: 718,
  candidates: 80,
  respondentsPerWave: 1_500,
};

/**
 * The commune panel of the difference-in-differences demo (METHODOLOGY.md, section 15): a
 * synthetic outcome for every café commune and every candidate without a café, over the six years
 * to the demo's, with a built-in effect of the café from its opening year on. Every commune has
 * its own level, all share a slowly declining year effect (parallel trends hold by construction),
 * plus noise; about 3 % of the values are withheld (empty), so the panel is unbalanced.
 */
export const DEMO_DID = {
  outcome: 'services.local_per_1000',
  label: 'Local services and shops open per 1,000 inhabitants (synthetic)',
  effect: 0.8,
  years: 6,
} as const;

/** Distance to the nearest alternative facility, km: [min, max, skew exponent]. */
const NEAREST_KM: Record<FacilityService, [number, number, number]> = {
  bread: [2, 12, 1.5],
  cash: [3, 20, 1.3],
  post: [1, 10, 1.2],
};
const FACILITY_KINDS: Record<FacilityService, string[]> = {
  bread: ['boulangerie', 'boulangerie-pâtisserie', 'dépôt de pain'],
  cash: ['distributeur de billets', 'agence bancaire'],
  post: ['bureau de poste', 'agence postale communale', 'relais poste commerçant'],
};
/** Share of cafés offering a service, and median daily uses for the services without facilities. */
const OFFER_RATE: Record<Service, number> = { bread: 0.8, cash: 0.25, post: 0.3, parcel: 0.6, digital: 0.35, other: 0.45 };
const MEDIAN_DAILY_USES: Partial<Record<Service, number>> = { parcel: 0.8, digital: 0.25, other: 0.4 };
/** Facilities closer than this to a café are the café itself: the indicator ignores them. */
const SELF_FACILITY_KM = 0.03;

const SALES_CATEGORIES = [
  // category, weight, unit price range in cents
  { name: 'boissons', weight: 45, min: 150, max: 650 },
  { name: 'restauration', weight: 14, min: 800, max: 2200 },
  { name: 'epicerie', weight: 16, min: 90, max: 1500 },
  { name: 'pain', weight: 15, min: 95, max: 480 },
  { name: 'tabac-presse', weight: 10, min: 120, max: 1200 },
] as const;

const QUESTIONNAIRE = [
  { item_id: 'trust_people', label: 'D’une manière générale, diriez-vous que l’on peut faire confiance à la plupart des habitants de votre commune ?', scale_min: 0, scale_max: 10, direction: 'positive', dimension: 'trust' },
  { item_id: 'trust_council', label: 'Quelle confiance accordez-vous au conseil municipal ?', scale_min: 0, scale_max: 10, direction: 'positive', dimension: 'trust' },
  { item_id: 'neighbours_talk', label: 'À quelle fréquence discutez-vous avec vos voisins ? (1 = jamais, 5 = tous les jours)', scale_min: 1, scale_max: 5, direction: 'positive', dimension: 'social_ties' },
  { item_id: 'loneliness', label: 'Au cours des quatre dernières semaines, à quelle fréquence vous êtes-vous senti(e) seul(e) ?', scale_min: 1, scale_max: 5, direction: 'negative', dimension: 'social_ties' },
  { item_id: 'services_access', label: 'Il est facile d’accéder aux services du quotidien (pain, poste, argent liquide) depuis chez moi', scale_min: 1, scale_max: 5, direction: 'positive', dimension: 'access_to_services' },
  { item_id: 'meeting_place', label: 'Il existe dans ma commune un lieu où l’on peut se retrouver', scale_min: 1, scale_max: 5, direction: 'positive', dimension: 'access_to_services' },
  { item_id: 'local_pride', label: 'Je suis fier(e) de vivre dans ma commune', scale_min: 1, scale_max: 5, direction: 'positive', dimension: 'local_pride' },
  { item_id: 'life_satisfaction', label: 'Sur une échelle de 0 à 10, êtes-vous satisfait(e) de la vie que vous menez ?', scale_min: 0, scale_max: 10, direction: 'positive', dimension: 'life_satisfaction' },
] as const;

// ---------------------------------------------------------------- model types

interface Commune {
  code: string;
  name: string;
  departement: string;
  arrondissement: string;
  population: number;
}

interface Cafe {
  id: string;
  name: string;
  commune: Commune;
  lat: number;
  lon: number;
  model: CafeModel;
  stage: CafeStage;
  openedOn?: string;
  closedOn?: string;
  /** State in the Q3 update of the café list (differs for ~5 cafés × scale). */
  q3Stage: CafeStage;
  q3OpenedOn?: string;
  /** Weekday (0 = Sunday) on which the café is closed, or null. */
  closedWeekday: number | null;
  /** Day indices of the year [from, to) during which the café runs. */
  from: number;
  to: number;
}

interface Facility {
  id: string;
  service: FacilityService;
  lat: number;
  lon: number;
  commune?: string;
  kind: string;
}

interface Day {
  i: number;
  iso: string;
  /** dd/mm/yyyy */
  fr: string;
  weekday: number;
  quarter: 1 | 2 | 3 | 4;
}

interface StaffRow { cafe: Cafe; personKey: string; startOn: string; role: string; contract: string; fte: number; endOn?: string }
interface ParticipationRow { cafeId: string; day: Day; activity: Activity; personKey: string; role: Role }
interface EventRow { cafeId: string; commune: string; day: Day; kind: string; attendance: number; associations: string[]; producers: string[]; programme?: string }
interface Supplier { siren: string; name: string; form: LegalForm; commune: string; lat?: number; lon?: number }
interface SupplierRow { cafe: Cafe; supplier: Supplier; spend: number; lastOrder: Day }

interface World {
  year: number;
  scale: number;
  days: Day[];
  communesByDept: Map<string, Commune[]>;
  eligibleByDept: Map<string, Commune[]>;
  departments: string[];
  cafes: Cafe[];
  itinerant: Cafe;
  keys: KeyMaker;
}

// ---------------------------------------------------------------- entry point

export async function generateDemo(opts: GenerateDemoOptions): Promise<DemoSummary> {
  const scale = opts.scale ?? 1;
  const seed = opts.seed ?? 2023;
  const year = opts.year ?? 2023;
  const salesLinesPerDay = opts.salesLinesPerDay ?? 4;
  checkOptions(scale, seed, year, salesLinesPerDay);
  const out = path.resolve(opts.out);
  const progress = opts.onProgress ?? (() => {});
  const root = new Rng(seed);

  const world = buildWorld(root.fork('world'), scale, year);
  progress(`${world.cafes.length} cafés in ${world.departments.length} departments`);

  const facilities = buildFacilities(root.fork('facilities'), world);
  const nearest = nearestDistances(world.cafes, facilities);
  const rates = serviceRates(root.fork('rates'), world, nearest);
  const staff = buildStaff(root.fork('staff'), world);
  const candidates = buildCandidates(root.fork('candidates'), world);
  const participation = buildParticipation(root.fork('participation'), world, staff);
  const sirens = new Set<string>();
  const guinguette = buildGuinguette(root.fork('guinguette'), world, sirens);
  const suppliers = buildSuppliers(root.fork('suppliers'), world, sirens, guinguette);
  const panel = surveyPanel(root.fork('survey-panel'), world, candidates);
  const events = [...buildCafeEvents(root.fork('events'), world, suppliers), ...guinguette.events]
    .sort((a, b) => a.day.i - b.day.i || cmp(a.cafeId, b.cafeId));
  const positions = buildCommunePositions(root.fork('commune-positions'), world, facilities, candidates, suppliers, events);

  const files: DemoFile[] = [];
  const badRows: DemoBadRow[] = [];
  const collect = (w: CsvWriter) => w.close().then((f) => { files.push(f); badRows.push(...w.bad); });

  await mkdir(path.join(out, 'reference'), { recursive: true });
  await writeReference(out, world, facilities, staff, candidates, positions, collect);
  await collect(await writePopulation(out, world, candidates, root.fork('population')));
  await collect(await writeCommunePanel(out, world, candidates, root.fork('commune-panel')));
  progress('reference tables written');

  const km: Record<FacilityService, number> = { bread: 0, cash: 0, post: 0 };
  for (const quarter of [1, 2, 3, 4] as const) {
    const dir = `${year}-Q${quarter}`;
    await mkdir(path.join(out, dir), { recursive: true });
    const qDays = world.days.filter((d) => d.quarter === quarter);
    await collect(await writeServiceUses(out, dir, quarter, qDays, world, rates, nearest, km, root.fork(`uses-${quarter}`)));
    await collect(await writeSales(out, dir, quarter, qDays, world, guinguette.dates, salesLinesPerDay, root.fork(`sales-${quarter}`)));
    await collect(await writeParticipation(out, dir, participation.rows.filter((r) => r.day.quarter === quarter)));
    await collect(await writeEvents(out, dir, year, events, quarter));
    await collect(await writeSuppliers(out, dir, suppliers.rows.filter((r) => r.lastOrder.quarter === quarter)));
    if (quarter === 2 || quarter === 4) await collect(await writeSurvey(out, dir, quarter, world, candidates, panel, root.fork(`survey-${quarter}`)));
    if (quarter === 3) await collect(await writeCafes(out, `${dir}/cafes.csv`, world.cafes, 'q3'));
    progress(`${dir} written`);
  }

  const summary: DemoSummary = {
    out,
    options: { scale, seed, year, salesLinesPerDay },
    cafes: world.cafes.length,
    departments: world.departments.length,
    files,
    readme: { path: 'README.md', bytes: 0 },
    totals: { rows: files.reduce((s, f) => s + f.rows, 0), bytes: files.reduce((s, f) => s + f.bytes, 0) },
    badRows,
    expected: {
      kmSaved: { bread: round1(km.bread), cash: round1(km.cash), post: round1(km.post) },
      jobs: staff.filter((s) => s.role !== 'manager').length,
      microEnterprises: suppliers.microCount,
      residentsMobilised: participation.residents,
      guinguette: guinguette.stats,
      did: { outcome: DEMO_DID.outcome, effect: DEMO_DID.effect, from: year - DEMO_DID.years + 1, to: year },
    },
  };
  const readme = readmeText(summary);
  await writeFile(path.join(out, 'README.md'), readme, 'utf8');
  summary.readme.bytes = Buffer.byteLength(readme, 'utf8');
  return summary;
}

function checkOptions(scale: number, seed: number, year: number, salesLinesPerDay: number): void {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) throw new UserError(demoErrors.badScale(scale));
  if (!Number.isInteger(seed)) throw new UserError(demoErrors.badSeed(seed));
  if (!Number.isInteger(year) || year < 2020 || year > 2100) throw new UserError(demoErrors.badYear(year));
  if (!Number.isInteger(salesLinesPerDay) || salesLinesPerDay < 0 || salesLinesPerDay > 10_000) {
    throw new UserError(demoErrors.badSalesLines(salesLinesPerDay));
  }
}

// ---------------------------------------------------------------- small helpers

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const round1 = (x: number) => Math.round(x * 10) / 10;
const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
const DAY_MS = 86_400_000;
const epochDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfEpochDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

function randomDate(rng: Rng, fromIso: string, toIso: string): string {
  return isoOfEpochDay(rng.int(epochDay(fromIso), epochDay(toIso)));
}

function addDays(iso: string, n: number): string {
  return isoOfEpochDay(epochDay(iso) + n);
}

function calendar(year: number): Day[] {
  const days: Day[] = [];
  const start = epochDay(`${year}-01-01`);
  const end = epochDay(`${year + 1}-01-01`);
  for (let n = start; n < end; n++) {
    const iso = isoOfEpochDay(n);
    const month = Number(iso.slice(5, 7));
    days.push({
      i: n - start,
      iso,
      fr: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`,
      weekday: new Date(n * DAY_MS).getUTCDay(),
      quarter: (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4,
    });
  }
  return days;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Crow-fly distance in km (haversine). */
function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `km` away in a random direction (local flat approximation), rounded to 1e-5°. */
function scatter(rng: Rng, lat: number, lon: number, km: number): [number, number] {
  const bearing = rng.uniform(0, 2 * Math.PI);
  const dLat = (km * Math.cos(bearing)) / 111.195;
  const dLon = (km * Math.sin(bearing)) / (111.195 * Math.cos((lat * Math.PI) / 180));
  return [round5(lat + dLat), round5(lon + dLon)];
}

/** Pseudonymous keys (`P` + 8 hex digits), unique across the whole data set. */
class KeyMaker {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  make(prefix: string): string {
    for (;;) {
      const key = prefix + this.rng.hex(8);
      if (!this.used.has(key)) {
        this.used.add(key);
        return key;
      }
    }
  }
}

/** A 9-digit SIREN whose Luhn key is valid. */
function makeSiren(rng: Rng, used: Set<string>): string {
  for (;;) {
    let body = String(rng.int(1, 9));
    for (let i = 0; i < 7; i++) body += String(rng.int(0, 9));
    const siren = body + luhnCheckDigit(body);
    if (!used.has(siren)) {
      used.add(siren);
      return siren;
    }
  }
}

function luhnCheckDigit(body: string): number {
  // The check digit sits at the rightmost position, so the body's last digit is doubled.
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Integer allocation of `total` proportional to `weights` (largest remainders). */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const counts = raw.map(Math.floor);
  const order = raw.map((r, i) => ({ i, rest: r - Math.floor(r) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = total - counts.reduce((s, c) => s + c, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

// ---------------------------------------------------------------- communes and cafés

interface RawCommune { code: string; nom: string; type: string; zone?: string; departement?: string; arrondissement?: string; population?: number }

function loadCommunes(): Commune[] {
  const require = createRequire(import.meta.url);
  const raw = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  return raw
    .filter((c) => c.type === 'commune-actuelle' && c.zone === 'metro' && c.departement !== undefined && DEPARTMENT_CENTRES[c.departement] !== undefined)
    .map((c) => ({ code: c.code, name: c.nom, departement: c.departement as string, arrondissement: c.arrondissement ?? c.departement as string, population: c.population ?? 0 }))
    .sort((a, b) => cmp(a.code, b.code));
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function buildWorld(rng: Rng, scale: number, year: number): World {
  const communes = loadCommunes();
  const communesByDept = groupBy(communes, (c) => c.departement);
  const eligibleByDept = groupBy(communes.filter((c) => c.population > 0 && c.population < 3500), (c) => c.departement);
  const nCafes = Math.max(12, Math.round(REPORT.cafes * scale));

  const candidatesDepts = [...eligibleByDept.entries()].filter(([, list]) => list.length >= 40).map(([d]) => d).sort(cmp);
  const nDepts = Math.min(candidatesDepts.length, nCafes - 1, Math.max(1, Math.round(REPORT.departments * Math.sqrt(scale))));
  const departments = rng.sample(candidatesDepts, nDepts).sort(cmp);

  const perDept = departments.map(() => 1);
  const weights = departments.map(() => rng.lognormal(1, 0.6));
  for (let k = nDepts; k < nCafes; k++) {
    const i = rng.weighted(departments.map((_, j) => j), weights);
    perDept[i] = (perDept[i] ?? 0) + 1;
  }
  const places: Commune[] = [];
  departments.forEach((d, i) => places.push(...rng.sample(eligibleByDept.get(d) ?? [], perDept[i] ?? 0).sort((a, b) => cmp(a.code, b.code))));

  const width = Math.max(4, String(places.length).length);
  const cafes = places.map((commune, i) => newCafe(rng, `C${pad(i + 1, width)}`, commune, i));
  const itinerant = cafes[rng.int(0, cafes.length - 1)] as Cafe;
  assignStages(rng, cafes, itinerant, scale, year);
  const days = calendar(year);
  for (const cafe of cafes) setOpenWindow(cafe, days, year);
  return { year, scale, days, communesByDept, eligibleByDept, departments, cafes, itinerant, keys: new KeyMaker(rng.fork('keys')) };
}

const NAME_TEMPLATES = [
  'Le Cœur du Village', 'L’Étape', 'Le Café de {c}', 'Le Bistrot de {c}', 'Au Rendez-vous de {c}', 'L’Escale',
  'Le Relais de {c}', 'La Fontaine', 'Le Café des Sports', 'L’Épicerie-Café de {c}', 'Les Tilleuls', 'Le Petit Zinc',
  'Le Café du Commerce', 'Chez Nous', 'La Pause', 'Le Café de la Place', 'L’Auberge de {c}', 'Le Lavoir',
  'Au Bon Accueil', 'Le Café Associatif de {c}', 'La Halte', 'Le Fournil-Café', 'L’Œil du Bourg',
];

/** "de" + commune name, with the French contractions (du Mans, des Riceys, de l’Isle, d’Aunay). */
function ofCommune(name: string): string {
  if (name.startsWith('Le ')) return `du ${name.slice(3)}`;
  if (name.startsWith('Les ')) return `des ${name.slice(4)}`;
  if (name.startsWith('L\'')) return `de l’${name.slice(2)}`;
  if (/^[AEIOUYÀÂÉÈÊÎÔ]/.test(name)) return `d’${name}`;
  return `de ${name}`;
}

function cafeName(rng: Rng, index: number, commune: Commune): string {
  // The first two names are fixed so that every data set has œ, ’ and É in Windows-1252.
  const template = index < 2 ? (NAME_TEMPLATES[index] as string) : rng.pick(NAME_TEMPLATES);
  const name = template.replace(/ de \{c\}/, ` ${ofCommune(commune.name)}`);
  // Keep names representable in Windows-1252 (a commune name could hold a rarer letter).
  return iconv.decode(iconv.encode(name, 'win1252'), 'win1252') === name ? name : template.replace(/ de \{c\}/, '');
}

function newCafe(rng: Rng, id: string, commune: Commune, index: number): Cafe {
  const centre = DEPARTMENT_CENTRES[commune.departement] as readonly [number, number];
  const [lat, lon] = scatter(rng, centre[0], centre[1], 40 * Math.sqrt(rng.next()));
  const closedWeekday = rng.chance(0.35) ? null : rng.chance(0.5) ? 1 : rng.int(0, 6);
  return {
    id, name: cafeName(rng, index, commune), commune, lat, lon,
    model: rng.weighted<CafeModel>(['entrepreneurial', 'associative', 'participative'], [55, 25, 20]),
    stage: 'operating', q3Stage: 'operating', closedWeekday, from: 0, to: 0,
  };
}

/**
 * Stages: mostly operating (opened 2019…Y−1); a few opening (opened in the first half of Y,
 * operating in the Q3 list), in recruitment (opening during Q3 in the Q3 list), in definition,
 * in transition (some closed, one before Y, one during Q1).
 */
function assignStages(rng: Rng, cafes: Cafe[], itinerant: Cafe, scale: number, year: number): void {
  const few = (n: number) => Math.max(1, Math.round(n * scale));
  const others = rng.shuffle(cafes.filter((c) => c !== itinerant));
  const take = (n: number) => others.splice(0, n);
  for (const c of others) c.openedOn = randomDate(rng, '2019-03-01', `${year - 1}-12-15`);
  for (const c of take(few(3))) {
    c.stage = 'opening';
    c.openedOn = randomDate(rng, `${year}-01-16`, `${year}-06-20`);
    c.q3Stage = 'operating';
  }
  for (const c of take(few(2))) {
    c.stage = 'recruitment';
    c.openedOn = undefined;
    c.q3Stage = 'opening';
    c.q3OpenedOn = randomDate(rng, `${year}-07-03`, `${year}-09-25`);
  }
  for (const c of take(few(2))) {
    c.stage = c.q3Stage = 'definition';
    c.openedOn = undefined;
  }
  const transition = take(few(3));
  for (const c of transition) c.stage = c.q3Stage = 'transition';
  const [closedBefore, closedDuring] = transition;
  if (closedBefore?.openedOn) closedBefore.closedOn = randomDate(rng, `${year - 1}-09-01`, `${year - 1}-12-20`);
  if (closedDuring?.openedOn) closedDuring.closedOn = randomDate(rng, `${year}-02-01`, `${year}-03-15`);
  for (const c of [closedBefore, closedDuring]) {
    if (c?.closedOn && c.openedOn && c.openedOn >= c.closedOn) c.openedOn = [addDays(c.closedOn, -rng.int(200, 900)), '2019-01-01'].sort(cmp)[1];
  }

  itinerant.model = 'itinerant';
  itinerant.name = 'La Guinguette mobile';
  itinerant.openedOn = randomDate(rng, `${year - 1}-04-01`, `${year - 1}-06-30`);
  itinerant.closedWeekday = null;
}

function setOpenWindow(cafe: Cafe, days: Day[], year: number): void {
  const opened = cafe.q3OpenedOn ?? cafe.openedOn;
  if (cafe.model === 'itinerant' || !opened) {
    cafe.from = cafe.to = 0;
    return;
  }
  const index = (iso: string) => Math.max(0, Math.min(days.length, epochDay(iso) - epochDay(`${year}-01-01`)));
  cafe.from = index(opened);
  cafe.to = cafe.closedOn ? index(cafe.closedOn) : days.length;
}

function isOpen(cafe: Cafe, day: Day): boolean {
  return day.i >= cafe.from && day.i < cafe.to && day.weekday !== cafe.closedWeekday;
}

function openDays(cafe: Cafe, days: Day[]): Day[] {
  return days.filter((d) => isOpen(cafe, d));
}

// ---------------------------------------------------------------- facilities and service uses

function buildFacilities(rng: Rng, world: World): Facility[] {
  const list: Facility[] = [];
  const add = (f: Omit<Facility, 'id'>) => list.push({ id: `F${pad(list.length + 1, 6)}`, ...f });
  for (const cafe of world.cafes) {
    if (cafe.model === 'itinerant') continue;
    const around = (world.communesByDept.get(cafe.commune.departement) ?? []).filter((c) => c.arrondissement === cafe.commune.arrondissement && c.code !== cafe.commune.code);
    const communeNear = () => (rng.chance(0.9) && around.length > 0 ? rng.pick(around).code : undefined);
    for (const service of FACILITY_SERVICES) {
      const [min, max, skew] = NEAREST_KM[service];
      const nearestKm = min + (max - min) * rng.next() ** skew;
      const [lat, lon] = scatter(rng, cafe.lat, cafe.lon, nearestKm);
      add({ service, lat, lon, commune: communeNear(), kind: rng.pick(FACILITY_KINDS[service]) });
      for (let k = rng.int(1, 3); k > 0; k--) {
        const [flat, flon] = scatter(rng, cafe.lat, cafe.lon, nearestKm * rng.uniform(1.4, 3));
        add({ service, lat: flat, lon: flon, commune: communeNear(), kind: rng.pick(FACILITY_KINDS[service]) });
      }
      if (rng.chance(0.04)) {
        // The café itself, listed by the source as offering the service: within 30 m.
        const [slat, slon] = scatter(rng, cafe.lat, cafe.lon, rng.uniform(0, 0.02));
        add({ service, lat: slat, lon: slon, commune: cafe.commune.code, kind: 'café multiservice (relais)' });
      }
    }
  }
  return list;
}

/** For each café, the distance (km) to the nearest facility of each service, beyond 30 m. */
function nearestDistances(cafes: Cafe[], facilities: Facility[]): Map<Cafe, Record<FacilityService, number>> {
  const byService = groupBy(facilities, (f) => f.service);
  const result = new Map<Cafe, Record<FacilityService, number>>();
  for (const cafe of cafes) {
    const best: Record<FacilityService, number> = { bread: Infinity, cash: Infinity, post: Infinity };
    for (const service of FACILITY_SERVICES) {
      for (const f of byService.get(service) ?? []) {
        if (Math.abs(f.lat - cafe.lat) > 1) continue;
        const km = haversineKm(cafe.lat, cafe.lon, f.lat, f.lon);
        if (km > SELF_FACILITY_KM && km < best[service]) best[service] = km;
      }
    }
    result.set(cafe, best);
  }
  return result;
}

type Rates = Map<Cafe, Partial<Record<Service, number>>>;

/**
 * Daily Poisson rate of each service at each café. For bread, cash and post the rates are
 * normalised so that the expected Σ uses × nearest distance over the year is the report's figure × scale.
 */
function serviceRates(rng: Rng, world: World, nearest: Map<Cafe, Record<FacilityService, number>>): Rates {
  const rates: Rates = new Map();
  const weights = new Map<Cafe, Partial<Record<Service, number>>>();
  for (const cafe of world.cafes) {
    const w: Partial<Record<Service, number>> = {};
    if (cafe.model !== 'itinerant') {
      for (const s of SERVICES) if (rng.chance(OFFER_RATE[s])) w[s] = rng.lognormal(1, 0.5);
    }
    weights.set(cafe, w);
    rates.set(cafe, {});
  }
  const open = new Map(world.cafes.map((c) => [c, openDays(c, world.days).length]));
  for (const s of SERVICES) {
    const target = (REPORT.kmSaved as Partial<Record<Service, number>>)[s];
    let denominator = 0;
    if (target !== undefined) {
      for (const c of world.cafes) {
        const w = weights.get(c)?.[s];
        if (w !== undefined) denominator += w * (nearest.get(c)?.[s as FacilityService] ?? 0) * (open.get(c) ?? 0);
      }
    }
    for (const c of world.cafes) {
      const w = weights.get(c)?.[s];
      if (w === undefined) continue;
      const rate = target !== undefined ? (denominator > 0 ? (target * world.scale * w) / denominator : 0) : (MEDIAN_DAILY_USES[s] ?? 0.3) * w;
      (rates.get(c) as Partial<Record<Service, number>>)[s] = rate;
    }
  }
  return rates;
}

async function writeServiceUses(
  out: string, dir: string, quarter: number, qDays: Day[], world: World, rates: Rates,
  nearest: Map<Cafe, Record<FacilityService, number>>, km: Record<FacilityService, number>, rng: Rng,
): Promise<CsvWriter> {
  // Q1 comes from the till's export: `;` and dd/mm/yyyy dates, CRLF.
  const office = quarter === 1;
  const w = new CsvWriter(out, `${dir}/service_uses.csv`, 'service_uses', office ? WINDOWS_EXPORT : UTF8_CSV);
  await w.header(['cafe_id', 'date', 'service', 'uses']);
  const badAfter = quarter === 2 ? badRowDays(qDays, world.cafes.map((c) => c.id)) : new Map<number, BadLine[]>();
  for (const day of qDays) {
    for (const cafe of world.cafes) {
      if (!isOpen(cafe, day)) continue;
      const cafeRates = rates.get(cafe) ?? {};
      for (const s of SERVICES) {
        const rate = cafeRates[s];
        if (rate === undefined) continue;
        const uses = rng.poisson(rate);
        if (uses === 0) continue;
        if (s === 'bread' || s === 'cash' || s === 'post') km[s] += uses * (nearest.get(cafe)?.[s] ?? 0);
        w.add(`${cafe.id}${w.sep}${office ? day.fr : day.iso}${w.sep}${s}${w.sep}${uses}`);
      }
    }
    for (const bad of badAfter.get(day.i) ?? []) w.addBad(bad.line, bad.reason);
    if (w.full) await w.flush();
  }
  return w;
}

interface BadLine { line: string; reason: string }

/** About ten deliberately bad rows, spread over the quarter (ISO format, `,`). */
function badRowDays(qDays: Day[], ids: string[]): Map<number, BadLine[]> {
  const y = qDays[0]?.iso.slice(0, 4) ?? '2023';
  const id = (k: number) => ids[k % ids.length] as string;
  const unknown = id(0).replace(/\d/g, '0');
  const bad: BadLine[] = [
    { line: `${unknown},${y}-04-12,bread,3`, reason: `unknown cafe_id ${unknown}` },
    { line: `CAFE-INCONNU,${y}-04-27,cash,1`, reason: 'unknown cafe_id CAFE-INCONNU' },
    { line: `${id(0)},${y}-05-03,bread,-2`, reason: 'negative uses' },
    { line: `${id(1)},${y}-04-31,post,1`, reason: 'impossible date (31 April)' },
    { line: `${id(2)},${y}-06-31,bread,2`, reason: 'impossible date (31 June)' },
    { line: `${id(3)},${y}-05-17,pharmacy,1`, reason: 'service not in the enum (pharmacy)' },
    { line: `${id(4)},${y}-05-24,loto,4`, reason: 'service not in the enum (loto)' },
    { line: `${id(5)},bread,2`, reason: 'missing column (no date)' },
    { line: `${id(6)},${y}-06-07,parcel,2.5`, reason: 'uses is not an integer' },
    { line: `${id(7)},${y}-06-21,bread,deux`, reason: 'uses is not a number' },
  ];
  const map = new Map<number, BadLine[]>();
  bad.forEach((b, k) => {
    const day = qDays[Math.floor(((k + 0.5) * qDays.length) / bad.length)] as Day;
    map.set(day.i, [...(map.get(day.i) ?? []), b]);
  });
  return map;
}

// ---------------------------------------------------------------- sales

const TIME_OF_DAY: string[] = [];
for (let s = 0; s < 86_400; s++) TIME_OF_DAY.push(`${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}`);

function euros(cents: number, decimal: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}${decimal}${pad(abs % 100, 2)}`;
}

async function writeSales(
  out: string, dir: string, quarter: number, qDays: Day[], world: World, guinguetteDays: Set<number>,
  linesPerDay: number, rng: Rng,
): Promise<CsvWriter> {
  // Q1 comes from the till: `;`, decimal commas, dd/mm/yyyy hh:mm:ss, CRLF.
  const office = quarter === 1;
  const w = new CsvWriter(out, `${dir}/sales.csv`, 'sales', office ? { ...WINDOWS_EXPORT, notes: 'dd/mm/yyyy hh:mm:ss, decimal commas, CRLF' } : UTF8_CSV);
  await w.header(['cafe_id', 'ts', 'category', 'amount_eur', 'qty']);
  const decimal = office ? ',' : '.';
  const sep = w.sep;
  const weights = SALES_CATEGORIES.map((c) => c.weight);
  const times = new Uint32Array(linesPerDay);
  for (const day of qDays) {
    const datePart = office ? `${day.fr} ` : `${day.iso} `;
    for (const cafe of world.cafes) {
      const open = cafe === world.itinerant ? guinguetteDays.has(day.i) : isOpen(cafe, day);
      if (!open) continue;
      for (let k = 0; k < linesPerDay; k++) times[k] = rng.int(7 * 3600, 21 * 3600 - 1);
      times.sort();
      for (let k = 0; k < linesPerDay; k++) {
        const cat = rng.weighted(SALES_CATEGORIES, weights);
        const u = rng.next();
        const qty = rng.chance(0.003) ? -1 : u < 0.8 ? 1 : u < 0.93 ? 2 : rng.int(3, 4);
        const unit = rng.int(cat.min / 5, cat.max / 5) * 5;
        w.add(`${cafe.id}${sep}${datePart}${TIME_OF_DAY[times[k] as number]}${sep}${cat.name}${sep}${euros(unit * qty, decimal)}${sep}${qty}`);
      }
      if (w.full) await w.flush();
    }
  }
  return w;
}

// ---------------------------------------------------------------- staff, candidates

const CONTRACTS = [
  { contract: 'CDI', weight: 45 },
  { contract: 'CDD', weight: 40 },
  { contract: 'apprentissage', weight: 15 },
];
const FTES = [0.2, 0.5, 0.6, 0.8, 1];

function buildStaff(rng: Rng, world: World): StaffRow[] {
  const y = world.year;
  const rows: StaffRow[] = [];
  for (const cafe of world.cafes) {
    const opened = cafe.openedOn ?? cafe.q3OpenedOn ?? randomDate(rng, `${y}-03-01`, `${y}-09-30`);
    rows.push({
      cafe, personKey: world.keys.make('P'), startOn: addDays(opened, -rng.int(20, 120)), role: 'manager',
      contract: 'CDI', fte: rng.chance(0.85) ? 1 : 0.8, endOn: cafe.closedOn,
    });
  }
  // Employees besides managers, all under contract at some point of year Y.
  const employers = world.cafes.filter((c) => c.model !== 'itinerant' && c.openedOn !== undefined && (!c.closedOn || c.closedOn > `${y}-01-31`));
  const weights = employers.map((c) => (c.stage === 'operating' ? 2 : 1) * rng.lognormal(1, 0.7));
  const n = Math.round(REPORT.jobs * world.scale);
  for (let k = 0; k < n; k++) {
    const cafe = rng.weighted(employers, weights);
    const { contract } = rng.weighted(CONTRACTS, CONTRACTS.map((c) => c.weight));
    const earliest = [cafe.openedOn as string, `${y - 3}-01-01`].sort(cmp)[1] as string;
    const latest = cafe.closedOn && cafe.closedOn < `${y}-12-01` ? addDays(cafe.closedOn, -20) : `${y}-12-01`;
    const startOn = randomDate(rng, earliest < latest ? earliest : latest, latest);
    let endOn: string | undefined;
    if (contract === 'CDD') endOn = addDays(startOn, rng.int(60, 360));
    else if (contract === 'apprentissage') endOn = addDays(startOn, rng.int(365, 730));
    else if (rng.chance(0.1)) endOn = addDays(startOn, rng.int(90, 700));
    if (endOn !== undefined && endOn < `${y}-01-01`) endOn = randomDate(rng, `${y}-01-02`, `${y}-12-31`);
    if (cafe.closedOn && (endOn === undefined || endOn > cafe.closedOn)) endOn = cafe.closedOn;
    if (endOn !== undefined && endOn < startOn) endOn = startOn;
    rows.push({
      cafe, personKey: world.keys.make('P'), startOn, endOn, contract,
      role: contract === 'apprentissage' ? 'apprentice' : rng.chance(0.9) ? 'employee' : 'other',
      fte: contract === 'apprentissage' ? 1 : rng.weighted(FTES, [1, 3, 2, 3, 4]),
    });
  }
  return rows.sort((a, b) => cmp(a.cafe.id, b.cafe.id) || cmp(a.startOn, b.startOn) || cmp(a.personKey, b.personKey));
}

interface Candidate { commune: Commune; appliedOn: string; outcome: 'opened' | 'pending' | 'declined' }

function buildCandidates(rng: Rng, world: World): Candidate[] {
  const y = world.year;
  const list: Candidate[] = [];
  const cafeCommunes = new Set(world.cafes.map((c) => c.commune.code));
  for (const cafe of world.cafes) {
    if (cafe.model === 'itinerant' || !rng.chance(0.7)) continue;
    const start = cafe.openedOn ?? cafe.q3OpenedOn ?? `${y}-06-01`;
    const appliedOn = [addDays(start, -rng.int(180, 540)), '2018-06-01'].sort(cmp)[1] as string;
    list.push({ commune: cafe.commune, appliedOn, outcome: 'opened' });
  }
  const pool = world.departments.flatMap((d) => (world.eligibleByDept.get(d) ?? []).filter((c) => !cafeCommunes.has(c.code)));
  for (const commune of rng.sample(pool, Math.round(REPORT.candidates * world.scale))) {
    const pending = rng.chance(0.45);
    list.push({
      commune,
      appliedOn: pending ? randomDate(rng, `${y - 1}-01-01`, `${y}-12-15`) : randomDate(rng, '2019-01-01', `${y}-10-31`),
      outcome: pending ? 'pending' : 'declined',
    });
  }
  return list.sort((a, b) => cmp(a.commune.code, b.commune.code));
}

// ---------------------------------------------------------------- participation

const ACTIVITY_WEIGHTS: Record<'project' | 'running', number[]> = {
  // public_meeting, workshop, volunteering, association, other
  project: [35, 35, 20, 5, 5],
  running: [10, 15, 40, 25, 10],
};
const ACTIVITY_LIST: Activity[] = ['public_meeting', 'workshop', 'volunteering', 'association', 'other'];

function buildParticipation(rng: Rng, world: World, staff: StaffRow[]): { rows: ParticipationRow[]; residents: number } {
  const stageWeight: Record<CafeStage, number> = { definition: 4, recruitment: 4, opening: 3, operating: 1, transition: 1.5 };
  const cafes = world.cafes.filter((c) => c.model !== 'itinerant' && !(c.closedOn && c.closedOn < `${world.year}-02-01`));
  const residents = Math.round(REPORT.residents * world.scale);
  const perCafe = allocate(residents, cafes.map((c) => stageWeight[c.stage] * rng.lognormal(1, 0.5)));
  const managers = new Map(staff.filter((s) => s.role === 'manager').map((s) => [s.cafe, s]));
  const rows: ParticipationRow[] = [];
  cafes.forEach((cafe, i) => {
    const n = perCafe[i] ?? 0;
    if (n === 0) return;
    const window = world.days.filter((d) => !cafe.closedOn || d.iso < cafe.closedOn);
    const kind = cafe.from < cafe.to && cafe.stage !== 'opening' ? 'running' : 'project';
    const sessions = rng.sample(window, Math.min(window.length, 2 + Math.ceil(n / 5), 12))
      .sort((a, b) => a.i - b.i)
      .map((day) => ({ day, activity: rng.weighted(ACTIVITY_LIST, ACTIVITY_WEIGHTS[kind]) }));
    const attend = (personKey: string, role: Role, count: number) => {
      for (const s of rng.sample(sessions, count)) rows.push({ cafeId: cafe.id, day: s.day, activity: s.activity, personKey, role });
    };
    for (let k = 0; k < n; k++) attend(world.keys.make('P'), 'resident', rng.int(1, 4));
    for (let k = rng.int(1, 2); k > 0; k--) attend(world.keys.make('P'), 'elected', rng.int(1, Math.ceil(sessions.length / 2)));
    for (let k = rng.int(0, 2); k > 0; k--) attend(world.keys.make('P'), 'partner', rng.int(1, 2));
    const manager = managers.get(cafe);
    if (manager) {
      for (const s of sessions) if (s.day.iso >= manager.startOn && rng.chance(0.5)) rows.push({ cafeId: cafe.id, day: s.day, activity: s.activity, personKey: manager.personKey, role: 'staff' });
    }
  });
  rows.sort((a, b) => a.day.i - b.day.i || cmp(a.cafeId, b.cafeId) || cmp(a.personKey, b.personKey));
  return { rows, residents };
}

// ---------------------------------------------------------------- suppliers

const SUPPLIER_NAMES: Record<LegalForm, string[]> = {
  micro: ['Atelier du Bois', 'Les Ruchers {c}', 'Savonnerie des Prés', 'Brasserie artisanale La Mousse', 'Torréfaction du Bourg', 'Biscuiterie des Collines', 'Confitures & Co', 'Fromagerie de la Vallée', 'Poterie du Moulin', 'Distillerie du Coteau', 'Pâtes fraîches {c}', 'Charcuterie artisanale {c}', 'Maraîchage du Ruisseau', 'Glaces artisanales Givre', 'Cidrerie du Verger', 'Traiteur Saveurs d’Ici', 'Réparation vélos {c}', 'Graphisme Atelier Plume'],
  company: ['Boissons Distribution {d}', 'Brasseries Régionales SAS', 'Cash & Carry {d}', 'Presse Diffusion {d}', 'Café Torréfacteur Régional', 'Grossiste Alimentaire {d}', 'Boulangerie Industrielle {d}'],
  farm: ['GAEC des Trois Chênes', 'EARL du Haut Pré', 'Ferme de la Source', 'GAEC du Plateau', 'Ferme des Genêts', 'EARL Les Vergers {c}', 'Chèvrerie des Combes', 'Moulin à huile {c}'],
  association: ['Épicerie solidaire {c}', 'Jardins partagés {c}', 'Comité des fêtes {c}', 'Recyclerie {c}'],
  other: ['Coopérative {d}'],
};

function supplierName(template: string, commune: Commune): string {
  return template.replace('{c}', ofCommune(commune.name)).replace('{d}', commune.departement);
}

const SPEND_MEDIAN: Record<LegalForm, number> = { micro: 450, company: 3_500, farm: 900, association: 200, other: 600 };

interface SupplierPlan { rows: SupplierRow[]; microCount: number; byCafe: Map<Cafe, Supplier[]> }

/**
 * Each café works with its own local micro-enterprises (≈ 414 × scale in all), farms and
 * associations, and with one or two regional companies shared within its department; each
 * supplier is active in some quarters. The Guinguette mobile buys from its 15 producers.
 */
function buildSuppliers(rng: Rng, world: World, sirens: Set<string>, guinguette: Guinguette): SupplierPlan {
  const cafes = world.cafes.filter((c) => c.model !== 'itinerant' && c.from < c.to);
  const microCount = Math.round(REPORT.microEnterprises * world.scale);
  const micros = allocate(microCount, cafes.map(() => rng.lognormal(1, 0.6)));
  const local = (cafe: Cafe, form: LegalForm): Supplier => {
    const nearby = (world.communesByDept.get(cafe.commune.departement) ?? []).filter((c) => c.arrondissement === cafe.commune.arrondissement);
    const commune = rng.chance(0.4) || nearby.length === 0 ? cafe.commune : rng.pick(nearby);
    return newSupplier(rng, sirens, form, commune, cafe.lat, cafe.lon, rng.uniform(0.5, 15));
  };
  // Regional companies are shared by the cafés of a department.
  const companies = new Map<string, Supplier[]>();
  for (const d of world.departments) {
    const communes = world.communesByDept.get(d) ?? [];
    const big = communes.filter((c) => c.population >= 3000);
    const centre = DEPARTMENT_CENTRES[d] as readonly [number, number];
    const names = rng.sample(SUPPLIER_NAMES.company, 3);
    companies.set(d, names.map((name) => newSupplier(rng, sirens, 'company', rng.pick(big.length > 0 ? big : communes), centre[0], centre[1], rng.uniform(0, 30), name)));
  }
  const byCafe = new Map<Cafe, Supplier[]>();
  cafes.forEach((cafe, i) => {
    const list: Supplier[] = [];
    for (let k = micros[i] ?? 0; k > 0; k--) list.push(local(cafe, 'micro'));
    list.push(...rng.sample(companies.get(cafe.commune.departement) ?? [], rng.int(1, 2)));
    for (let k = rng.int(1, 3); k > 0; k--) list.push(local(cafe, 'farm'));
    if (rng.chance(0.4)) list.push(local(cafe, 'association'));
    byCafe.set(cafe, list);
  });
  const rows: SupplierRow[] = [];
  for (const cafe of cafes) {
    const quarters = ([1, 2, 3, 4] as const).map((q) => world.days.filter((d) => d.quarter === q && isOpen(cafe, d)));
    const eligible = quarters.map((days, q) => ({ q, days })).filter((x) => x.days.length > 0);
    for (const supplier of byCafe.get(cafe) ?? []) {
      const p = { micro: 0.55, company: 0.9, farm: 0.7, association: 0.5, other: 0.5 }[supplier.form];
      let active = eligible.filter(() => rng.chance(p));
      if (active.length === 0 && eligible.length > 0) active = [rng.pick(eligible)];
      for (const { days } of active) {
        const spend = Math.round(rng.lognormal(SPEND_MEDIAN[supplier.form], 0.7) * 100) / 100;
        rows.push({ cafe, supplier, spend, lastOrder: rng.pick(days) });
      }
    }
  }
  for (const producer of guinguette.producers) {
    for (const quarter of [2, 3] as const) {
      const days = guinguette.days.filter((d) => d.quarter === quarter);
      if (days.length > 0) rows.push({ cafe: world.itinerant, supplier: producer, spend: Math.round(rng.lognormal(SPEND_MEDIAN.farm, 0.5) * 100) / 100, lastOrder: rng.pick(days) });
    }
  }
  rows.sort((a, b) => a.lastOrder.quarter - b.lastOrder.quarter || cmp(a.cafe.id, b.cafe.id) || cmp(a.supplier.siren, b.supplier.siren));
  return { rows, microCount, byCafe };
}

function newSupplier(
  rng: Rng, sirens: Set<string>, form: LegalForm, commune: Commune, lat: number, lon: number, km: number,
  template = rng.pick(SUPPLIER_NAMES[form]),
): Supplier {
  const [slat, slon] = scatter(rng, lat, lon, km);
  const located = rng.chance(0.88);
  return { siren: makeSiren(rng, sirens), name: supplierName(template, commune), form, commune: commune.code, lat: located ? slat : undefined, lon: located ? slon : undefined };
}

// ---------------------------------------------------------------- events

const EVENT_KINDS = ['concert', 'quiz', 'repas partagé', 'atelier', 'marché', 'loto', 'projection', 'exposition', 'jeux de société', 'conférence'];

function buildCafeEvents(rng: Rng, world: World, suppliers: SupplierPlan): EventRow[] {
  const rows: EventRow[] = [];
  let associationSeq = 0;
  const newAssociation = () => `A${pad(++associationSeq, 4)}`;
  for (const cafe of world.cafes) {
    if (cafe.model === 'itinerant' || cafe.from >= cafe.to) continue;
    const days = openDays(cafe, world.days);
    const associations = Array.from({ length: rng.int(1, 3) }, newAssociation);
    const producers = (suppliers.byCafe.get(cafe) ?? []).filter((s) => s.form === 'farm' || s.form === 'micro').map((s) => s.siren);
    const n = rng.poisson((rng.lognormal(14, 0.5) * days.length) / world.days.length);
    for (const day of rng.sample(days, n).sort((a, b) => a.i - b.i)) {
      const kind = rng.pick(EVENT_KINDS);
      const food = kind === 'marché' || kind === 'repas partagé';
      rows.push({
        cafeId: cafe.id, commune: cafe.commune.code, day, kind,
        attendance: Math.min(400, Math.max(4, Math.round(rng.lognormal(30, 0.6)))),
        associations: rng.chance(0.5) ? rng.sample(associations, rng.int(1, 2)).sort(cmp) : [],
        producers: food ? rng.sample(producers, rng.int(1, 3)).sort(cmp) : [],
        programme: ['atelier', 'repas partagé', 'jeux de société'].includes(kind) && rng.chance(0.2) ? 'seniors' : undefined,
      });
    }
  }
  return rows;
}

interface Guinguette {
  events: EventRow[];
  days: Day[];
  dates: Set<number>;
  producers: Supplier[];
  stats: DemoSummary['expected']['guinguette'];
}

/** The itinerant café: 24 dates in 4 tours, May–September, in 15 host communes of its department. */
function buildGuinguette(rng: Rng, world: World, sirens: Set<string>): Guinguette {
  const cafe = world.itinerant;
  const y = world.year;
  const tours: [string, string, number][] = [
    [`${y}-05-01`, `${y}-06-04`, 5], [`${y}-06-05`, `${y}-07-09`, 6], [`${y}-07-10`, `${y}-08-13`, 7], [`${y}-08-14`, `${y}-09-30`, 6],
  ];
  const dates: Day[] = tours.flatMap(([from, to, n]) => {
    const weekend = world.days.filter((d) => d.iso >= from && d.iso <= to && (d.weekday === 0 || d.weekday === 6 || d.weekday === 5));
    return rng.sample(weekend, n).sort((a, b) => a.i - b.i);
  });
  const hosts = rng.sample(world.eligibleByDept.get(cafe.commune.departement) ?? [], 15);
  const hostOfDate = rng.shuffle([...hosts, ...rng.sample(hosts, dates.length - hosts.length)]);
  const associations = Array.from({ length: 12 }, (_, k) => `GA${pad(k + 1, 2)}`);
  const farms = hosts.map((commune) => newSupplier(rng, sirens, 'farm', commune, cafe.lat, cafe.lon, rng.uniform(2, 25)));
  const producers = farms.map((f) => f.siren);

  const perDate = allocate(60, dates.map(() => 1 + rng.next()));
  const kinds = ['concert', 'marché de producteurs', 'atelier', 'bal', 'spectacle jeune public', 'repas partagé'];
  const events: EventRow[] = [];
  dates.forEach((day, i) => {
    const commune = (hostOfDate[i] as Commune).code;
    for (let k = perDate[i] ?? 0; k > 0; k--) {
      const kind = rng.pick(kinds);
      events.push({
        cafeId: cafe.id, commune, day, kind, attendance: 0, programme: 'guinguette_mobile',
        associations: rng.sample(associations, rng.int(1, 2)),
        producers: kind === 'marché de producteurs' || kind === 'repas partagé' ? rng.sample(producers, rng.int(3, 5)) : [],
      });
    }
  });
  // Every association and producer takes part at least once.
  for (const a of associations) if (!events.some((e) => e.associations.includes(a))) rng.pick(events).associations.push(a);
  for (const p of producers) if (!events.some((e) => e.producers.includes(p))) rng.pick(events).producers.push(p);
  for (const e of events) {
    e.associations.sort(cmp);
    e.producers.sort(cmp);
  }
  const attendance = allocate(5_000, events.map(() => rng.lognormal(1, 0.5)));
  events.forEach((e, i) => (e.attendance = attendance[i] ?? 0));
  return {
    events,
    days: dates,
    dates: new Set(dates.map((d) => d.i)),
    producers: farms,
    stats: { dates: dates.length, tours: tours.length, communes: new Set(hosts.map((h) => h.code)).size, events: events.length, attendance: 5_000, associations: associations.length, producers: producers.length },
  };
}

// ---------------------------------------------------------------- commune positions

/** `source` of every row of `reference/commune_positions.csv`. */
const COMMUNE_POSITION_SOURCE = 'demo-synthetic';

interface CommunePosition { code: string; lat: number; lon: number }

/**
 * A synthetic position for every commune the demo uses (cafés, facilities, candidates and the
 * survey's communes, events, suppliers), sorted by code: the ingestion refuses a supplier without
 * coordinates whose commune has no known position, and the repository ships no real positions.
 * The position is the one the generator already uses for the commune when there is one (the
 * café's; else the first located supplier's, in file order); otherwise a point scattered around
 * the department's approximate centre as for cafés, drawn from a stream forked per commune code
 * (so a commune's position depends only on the seed and its code).
 */
function buildCommunePositions(
  rng: Rng, world: World, facilities: Facility[], candidates: Candidate[], suppliers: SupplierPlan, events: EventRow[],
): CommunePosition[] {
  const known = new Map<string, [number, number]>();
  for (const cafe of world.cafes) if (!known.has(cafe.commune.code)) known.set(cafe.commune.code, [cafe.lat, cafe.lon]);
  for (const { supplier: s } of suppliers.rows) {
    if (s.lat !== undefined && s.lon !== undefined && !known.has(s.commune)) known.set(s.commune, [s.lat, s.lon]);
  }
  const used = new Set<string>([
    ...world.cafes.map((c) => c.commune.code),
    ...facilities.flatMap((f) => (f.commune === undefined ? [] : [f.commune])),
    ...candidates.map((c) => c.commune.code),
    ...Object.values(surveyCommunes(world, candidates)).flat(),
    ...events.map((e) => e.commune),
    ...suppliers.rows.map((r) => r.supplier.commune),
  ]);
  const departmentOf = new Map<string, string>();
  for (const [d, list] of world.communesByDept) for (const c of list) departmentOf.set(c.code, d);
  return [...used].sort(cmp).map((code) => {
    const position = known.get(code);
    if (position) return { code, lat: position[0], lon: position[1] };
    const centre = DEPARTMENT_CENTRES[departmentOf.get(code) ?? ''];
    if (!centre) throw new Error(`commune ${code} has no department centre`);
    const r = rng.fork(code);
    const [lat, lon] = scatter(r, centre[0], centre[1], 40 * Math.sqrt(r.next()));
    return { code, lat, lon };
  });
}

// ---------------------------------------------------------------- writers per dataset

async function writeReference(
  out: string, world: World, facilities: Facility[], staff: StaffRow[], candidates: Candidate[], positions: CommunePosition[],
  collect: (w: CsvWriter) => Promise<void>,
): Promise<void> {
  await collect(await writeCafes(out, 'reference/cafes.csv', world.cafes, 'reference'));

  const f = new CsvWriter(out, 'reference/facilities.csv', 'facilities', UTF8_CSV);
  await f.header(['facility_id', 'service', 'lat', 'lon', 'commune_insee', 'source', 'kind']);
  for (const x of facilities) await f.row([x.id, x.service, x.lat.toFixed(5), x.lon.toFixed(5), x.commune, 'demo', x.kind]);
  await collect(f);

  // An HR export saved by Excel as "CSV UTF-8": with a byte-order mark.
  const s = new CsvWriter(out, 'reference/staff.csv', 'staff', { ...UTF8_CSV, bom: true, notes: 'UTF-8 byte-order mark' });
  await s.header(['cafe_id', 'person_key', 'start_on', 'role', 'contract', 'fte', 'end_on']);
  for (const x of staff) await s.row([x.cafe.id, x.personKey, x.startOn, x.role, x.contract, String(x.fte), x.endOn]);
  await collect(s);

  const c = new CsvWriter(out, 'reference/candidates.csv', 'candidates', UTF8_CSV);
  await c.header(['commune_insee', 'applied_on', 'outcome']);
  for (const x of candidates) await c.row([x.commune.code, x.appliedOn, x.outcome]);
  await collect(c);

  const q = new CsvWriter(out, 'reference/questionnaire.csv', 'questionnaire', UTF8_CSV);
  await q.header(['item_id', 'label', 'scale_min', 'scale_max', 'direction', 'dimension']);
  for (const x of QUESTIONNAIRE) await q.row([x.item_id, x.label, String(x.scale_min), String(x.scale_max), x.direction, x.dimension]);
  await collect(q);

  const p = new CsvWriter(out, 'reference/commune_positions.csv', 'commune_positions', UTF8_CSV);
  await p.header(['commune_insee', 'lat', 'lon', 'source']);
  for (const x of positions) await p.row([x.code, x.lat.toFixed(5), x.lon.toFixed(5), COMMUNE_POSITION_SOURCE]);
  await collect(p);
}

/** The café list: the reference one in Windows-1252 with `;` (an office export), the Q3 update in UTF-8. */
async function writeCafes(out: string, rel: string, cafes: Cafe[], version: 'reference' | 'q3'): Promise<CsvWriter> {
  const w = new CsvWriter(out, rel, 'cafes', version === 'reference' ? WINDOWS_1252_EXPORT : UTF8_CSV);
  await w.header(['cafe_id', 'name', 'commune_insee', 'lat', 'lon', 'model', 'stage', 'opened_on', 'closed_on']);
  for (const c of cafes) {
    const stage = version === 'q3' ? c.q3Stage : c.stage;
    const openedOn = version === 'q3' ? (c.q3OpenedOn ?? c.openedOn) : c.openedOn;
    await w.row([c.id, c.name, c.commune.code, c.lat.toFixed(5), c.lon.toFixed(5), c.model, stage, openedOn, c.closedOn]);
  }
  return w;
}

async function writeParticipation(out: string, dir: string, rows: ParticipationRow[]): Promise<CsvWriter> {
  const w = new CsvWriter(out, `${dir}/participation.csv`, 'participation', UTF8_CSV);
  await w.header(['cafe_id', 'date', 'activity', 'person_key', 'role']);
  for (const r of rows) await w.row([r.cafeId, r.day.iso, r.activity, r.personKey, r.role]);
  return w;
}

async function writeEvents(out: string, dir: string, year: number, events: EventRow[], quarter: number): Promise<CsvWriter> {
  const w = new CsvWriter(out, `${dir}/events.csv`, 'events', UTF8_CSV);
  await w.header(['event_id', 'cafe_id', 'commune_insee', 'date', 'kind', 'attendance', 'association_ids', 'producer_ids', 'programme']);
  let seq = 0;
  for (const e of events) {
    seq++;
    if (e.day.quarter !== quarter) continue;
    await w.row([`E${year}-${pad(seq, 5)}`, e.cafeId, e.commune, e.day.iso, e.kind, String(e.attendance), e.associations.join('|'), e.producers.join('|'), e.programme]);
  }
  return w;
}

async function writeSuppliers(out: string, dir: string, rows: SupplierRow[]): Promise<CsvWriter> {
  const w = new CsvWriter(out, `${dir}/suppliers.csv`, 'suppliers', UTF8_CSV);
  await w.header(['cafe_id', 'siren', 'name', 'legal_form', 'commune_insee', 'lat', 'lon', 'spend_eur', 'last_order_on']);
  for (const r of rows) {
    const s = r.supplier;
    await w.row([r.cafe.id, s.siren, s.name, s.form, s.commune, s.lat?.toFixed(5), s.lon?.toFixed(5), r.spend.toFixed(2), r.lastOrder.iso]);
  }
  return w;
}

async function writeSurvey(
  out: string, dir: string, quarter: 2 | 4, world: World, candidates: Candidate[], panel: Respondent[], rng: Rng,
): Promise<CsvWriter> {
  const w = new CsvWriter(out, `${dir}/survey.csv`, 'survey', UTF8_CSV);
  await w.header(['respondent_key', 'commune_insee', 'wave_date', 'sex', 'age_band', ...QUESTIONNAIRE.map((q) => q.item_id)]);
  const waveDate = quarter === 2 ? `${world.year}-05-20` : `${world.year}-11-18`;
  const { withCafe, without } = surveyCommunes(world, candidates);
  const n = Math.round(REPORT.respondentsPerWave * world.scale);
  for (let k = 0; k < n; k++) {
    const person = k < panel.length && rng.chance(quarter === 2 ? 1 : 0.4) ? (panel[k] as Respondent) : newRespondent(rng, world, withCafe, without);
    const hasCafe = withCafe.includes(person.commune);
    const answers = QUESTIONNAIRE.map((item) => surveyAnswer(rng, item, person.latent, hasCafe, quarter === 4));
    await w.row([person.key, person.commune, waveDate, person.sex, person.ageBand, ...answers]);
  }
  return w;
}

/**
 * The survey communes' population 15 and over by sex and age band (the margins survey weights
 * are raked to), fractional like INSEE's detailed census counts: 83 % of the commune's
 * population, 51 % women, age shares of rural France, each cell perturbed by up to ±15 %.
 */
async function writeCommunePanel(out: string, world: World, candidates: Candidate[], rng: Rng): Promise<CsvWriter> {
  const opening = new Map<string, number>();
  for (const c of world.cafes) {
    const on = c.q3OpenedOn ?? c.openedOn; // the café list as the Q3 update leaves it
    if (c.model === 'itinerant' || !on) continue;
    const y = Number(on.slice(0, 4));
    opening.set(c.commune.code, Math.min(y, opening.get(c.commune.code) ?? Infinity));
  }
  const communes = [...new Set([
    ...world.cafes.filter((c) => c.model !== 'itinerant').map((c) => c.commune.code),
    ...candidates.filter((c) => c.outcome !== 'opened').map((c) => c.commune.code),
  ])].sort(cmp);
  const years = Array.from({ length: DEMO_DID.years }, (_, k) => world.year - DEMO_DID.years + 1 + k);
  const trend = years.map((_, k) => -0.12 * k + rng.normal(0, 0.1));
  const w = new CsvWriter(out, 'reference/commune_indicators.csv', 'commune_indicators', UTF8_CSV);
  await w.header(['commune_insee', 'year', 'indicator', 'value']);
  for (const code of communes) {
    const r = rng.fork(code);
    const level = r.normal(6, 1.5);
    const g = opening.get(code);
    for (const [k, y] of years.entries()) {
      const v = level + trend[k]! + (g !== undefined && y >= g ? DEMO_DID.effect : 0) + r.normal(0, 0.4);
      await w.row([code, String(y), DEMO_DID.outcome, r.chance(0.03) ? '' : v.toFixed(2)]);
    }
  }
  return w;
}

async function writePopulation(out: string, world: World, candidates: Candidate[], rng: Rng): Promise<CsvWriter> {
  const w = new CsvWriter(out, 'reference/population.csv', 'population', UTF8_CSV);
  await w.header(['commune_insee', 'year', 'sex', 'age_band', 'population']);
  const byCode = new Map<string, Commune>();
  for (const c of world.cafes) byCode.set(c.commune.code, c.commune);
  for (const c of candidates) byCode.set(c.commune.code, c.commune);
  const { withCafe, without } = surveyCommunes(world, candidates);
  const AGE_SHARES = [0.13, 0.2, 0.24, 0.17, 0.14, 0.12];
  for (const code of [...new Set([...withCafe, ...without])].sort()) {
    const adults = Math.max(60, (byCode.get(code)?.population ?? 300) * 0.83);
    for (const [sex, share] of [['F', 0.51], ['M', 0.49]] as const) {
      for (let b = 0; b < AGE_BANDS.length; b++) {
        await w.row([code, String(world.year - 3), sex, AGE_BANDS[b]!, (adults * share * AGE_SHARES[b]! * rng.uniform(0.85, 1.15)).toFixed(2)]);
      }
    }
  }
  return w;
}

/** Respondents live in café communes or in candidate communes without a café. */
function surveyCommunes(world: World, candidates: Candidate[]): { withCafe: string[]; without: string[] } {
  return {
    withCafe: world.cafes.filter((c) => c.model !== 'itinerant' && c.from < c.to).map((c) => c.commune.code),
    without: candidates.filter((c) => c.outcome !== 'opened').map((c) => c.commune.code),
  };
}

interface Respondent { key: string; commune: string; sex: string; ageBand: string; latent: number }

/** Respondents of the first wave; about 40 % of them answer the second wave too. */
function surveyPanel(rng: Rng, world: World, candidates: Candidate[]): Respondent[] {
  const { withCafe, without } = surveyCommunes(world, candidates);
  return Array.from({ length: Math.round(REPORT.respondentsPerWave * world.scale) }, () => newRespondent(rng, world, withCafe, without));
}

function newRespondent(rng: Rng, world: World, withCafe: string[], without: string[]): Respondent {
  const commune = without.length > 0 && rng.chance(0.35) ? rng.pick(without) : rng.pick(withCafe);
  return {
    key: world.keys.make('R'),
    commune,
    sex: rng.weighted(['F', 'M', 'other', 'undisclosed'], [50, 46, 1, 3]),
    ageBand: rng.weighted(AGE_BANDS, [8, 15, 20, 19, 21, 17]),
    latent: rng.normal(),
  };
}

function surveyAnswer(rng: Rng, item: (typeof QUESTIONNAIRE)[number], latent: number, hasCafe: boolean, laterWave: boolean): string | undefined {
  if (rng.chance(0.03)) return undefined;
  const effect = (hasCafe ? (item.dimension === 'trust' ? 0.2 : 0.35) : 0) + (laterWave ? 0.05 : 0);
  let z = 0.5 * latent + 0.85 * rng.normal() + effect;
  if (item.direction === 'negative') z = -z;
  const mid = (item.scale_min + item.scale_max) / 2;
  const value = Math.round(mid + (z * (item.scale_max - item.scale_min)) / 4);
  return String(Math.min(item.scale_max, Math.max(item.scale_min, value)));
}

// ---------------------------------------------------------------- README

function readmeText(s: DemoSummary): string {
  const o = s.options;
  const lines = [
    '# Demo data set (synthetic)',
    '',
    'Everything in this folder is **synthetic**. It was generated by `scripts/generate-demo.ts` with',
    `\`--scale ${o.scale} --seed ${o.seed} --year ${o.year} --sales-lines-per-day ${o.salesLinesPerDay}\`;`,
    'the same options always give byte-identical files.',
    '',
    'The communes are real (current communes under 3,500 inhabitants); every position, person,',
    'business, SIREN and figure is made up. Positions are scattered around rounded department',
    'centres. Magnitudes follow the network\'s 2023 activity report at scale 1.',
    '',
    '`reference/commune_positions.csv` gives a synthetic position (source `demo-synthetic`) to every',
    'commune used anywhere in the demo: the ingestion refuses a supplier without coordinates whose',
    'commune has no known position, and the repository does not ship the official communes file.',
    'A café commune takes the café\'s position, another supplier commune a located supplier\'s, the',
    'others a point near their department\'s approximate centre. Load the demo into its own',
    'warehouse: in one that holds the real commune positions, these would replace them.',
    '',
    'The generator validates nothing: the ingestion does. Some files are deliberately written in',
    'office formats (Windows-1252, `;` separators, decimal commas, dd/mm/yyyy dates, a byte-order',
    'mark, CRLF line ends), and `' + `${o.year}-Q2/service_uses.csv` + '` holds deliberately bad rows that the',
    'ingestion must reject:',
    '',
    ...s.badRows.map((b) => `- line ${b.line}: ${b.reason}`),
    '',
    '`reference/commune_indicators.csv` is a commune panel for the difference-in-differences',
    `(\`cafe-impact did --outcome ${s.expected.did.outcome}\`): ${DEMO_DID.label.toLowerCase()}, ${s.expected.did.from}–${s.expected.did.to},`,
    'for every café commune and every candidate commune without a café, with a built-in effect of',
    `+${s.expected.did.effect} from the café's opening year on (each commune its own level, a common year effect,`,
    'noise; about 3 % of the values withheld, so the panel is unbalanced).',
    '',
    '## Files',
    '',
    '| file | dataset | rows | encoding | separator | notes |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...s.files.map((f) => `| \`${f.path}\` | ${f.dataset} | ${f.rows} | ${f.encoding} | \`${f.delimiter}\` | ${f.notes} |`),
    '',
    `${s.cafes} cafés in ${s.departments} departments, one of them itinerant (the Guinguette mobile).`,
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------- CSV writing

interface CsvFormat {
  sep: ',' | ';';
  eol: '\n' | '\r\n';
  encoding: 'utf-8' | 'windows-1252';
  bom?: boolean;
  notes?: string;
}

const UTF8_CSV: CsvFormat = { sep: ',', eol: '\n', encoding: 'utf-8' };
/** A Windows export in UTF-8 with `;`, French dates and CRLF (the tills). */
const WINDOWS_EXPORT: CsvFormat = { sep: ';', eol: '\r\n', encoding: 'utf-8', notes: 'dd/mm/yyyy dates, CRLF' };
/** An Excel "CSV (séparateur : point-virgule)" export: Windows-1252, `;`, CRLF. */
const WINDOWS_1252_EXPORT: CsvFormat = { sep: ';', eol: '\r\n', encoding: 'windows-1252', notes: 'CRLF' };

const FLUSH_AT = 1 << 20;

/** Streams a CSV file in ~1 MB chunks, waiting for the stream to drain (bounded memory). */
class CsvWriter {
  rows = 0;
  readonly bad: DemoBadRow[] = [];
  readonly sep: ',' | ';';
  private buffer = '';
  private readonly stream: WriteStream;
  private readonly needsQuote: RegExp;
  private readonly file: string;

  constructor(out: string, readonly rel: string, readonly dataset: string, readonly format: CsvFormat) {
    this.sep = format.sep;
    this.needsQuote = format.sep === ';' ? /[;"\r\n]/ : /[,"\r\n]/;
    this.file = path.join(out, rel);
    this.stream = createWriteStream(this.file);
    this.stream.on('error', () => {}); // surfaced by once('drain') / close()
    if (format.bom) this.buffer = '\uFEFF';
  }

  get full(): boolean {
    return this.buffer.length >= FLUSH_AT;
  }

  async header(columns: string[]): Promise<void> {
    this.buffer += columns.join(this.sep) + this.format.eol;
  }

  /** Adds a pre-formatted data line (no end of line). */
  add(line: string): void {
    this.buffer += line + this.format.eol;
    this.rows++;
  }

  /** Adds a data line from fields, quoting those that need it; undefined is an empty field. */
  async row(fields: (string | undefined)[]): Promise<void> {
    this.add(fields.map((f) => this.field(f)).join(this.sep));
    if (this.full) await this.flush();
  }

  addBad(line: string, reason: string): void {
    this.add(line);
    this.bad.push({ file: this.rel, line: this.rows + 1, reason });
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.format.encoding === 'windows-1252' ? iconv.encode(this.buffer, 'win1252') : this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<DemoFile> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    const { size } = await stat(this.file);
    const { encoding, notes = '' } = this.format;
    return { path: this.rel, dataset: this.dataset, rows: this.rows, bytes: size, badRows: this.bad.length, encoding, delimiter: this.sep, notes };
  }

  private field(value: string | undefined): string {
    if (value === undefined) return '';
    return this.needsQuote.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }
}
