/**
 * Benchmark (not a test): nearest other facility per café and service with `FacilityIndex`
 * (kdbush + geokdbush, answers recomputed with haversineKm), compared in the same run with the
 * O(n) scan `bruteForceNearest` on a sample of queries, extrapolated to all of them.
 *
 *   npx tsx scripts/bench-nearest.ts [--per-service 40000] [--queries 35000] [--sample 500] [--seed 2025]
 *
 * Query points: the centroids of the communes in ../shared/data/communes/communes_france_2024.csv
 * (SHARED_DATA_DIR overrides) when present, else synthetic positions; facilities: synthetic,
 * uniform over metropolitan France's bounding box (lat 42–51, lon −5–8), `--per-service` for each
 * of bread, cash, post. Every query asks the three services. The brute force scans the 40,000
 * facilities of the service asked (not all 120,000), which is the fair baseline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../src/stats/prng.ts';
import { FacilityIndex, bruteForceNearest, type FacilityPoint, type NearestResult } from '../src/geo/nearest.ts';
import { findColumn, readCsv } from '../src/io/csv.ts';

const { values } = parseArgs({
  options: {
    'per-service': { type: 'string', default: '40000' },
    queries: { type: 'string', default: '35000' },
    sample: { type: 'string', default: '500' },
    seed: { type: 'string', default: '2025' },
  },
});
const perService = Number(values['per-service']);
const wantedQueries = Number(values.queries);
const sampleSize = Number(values.sample);
const rng = new Rng(Number(values.seed));
const SERVICES = ['bread', 'cash', 'post'] as const;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

// ---------------------------------------------------------------- inputs

const sharedDir = process.env.SHARED_DATA_DIR ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const communesFile = join(sharedDir, 'communes', 'communes_france_2024.csv');
let queries: Array<{ lat: number; lon: number }>;
let querySource: string;
if (existsSync(communesFile)) {
  const t = await readCsv(communesFile);
  const [cType, cLat, cLon] = ['type', 'lat', 'lon'].map((n) => findColumn(t.header, n)) as [number, number, number];
  queries = t.records
    .filter((r) => r.fields[cType] === 'COM')
    .map((r) => ({ lat: Number(r.fields[cLat]), lon: Number(r.fields[cLon]) }))
    .filter((q) => Number.isFinite(q.lat) && Number.isFinite(q.lon))
    .slice(0, wantedQueries);
  querySource = `commune centroids (${communesFile})`;
} else {
  queries = Array.from({ length: wantedQueries }, () => ({ lat: rng.uniform(42, 51), lon: rng.uniform(-5, 8) }));
  querySource = 'synthetic positions (communes file absent)';
}

const facilities: FacilityPoint[] = [];
const byService = new Map<string, FacilityPoint[]>(SERVICES.map((s) => [s, []]));
for (const service of SERVICES) {
  for (let i = 0; i < perService; i++) {
    const p = { id: `${service}-${String(i).padStart(6, '0')}`, service, lat: rng.uniform(42, 51), lon: rng.uniform(-5, 8) };
    facilities.push(p);
    byService.get(service)!.push(p);
  }
}

console.log(`queries: ${queries.length.toLocaleString('en')} × ${SERVICES.length} services, from ${querySource}`);
console.log(`facilities: ${facilities.length.toLocaleString('en')} synthetic (${perService.toLocaleString('en')} per service)`);

// ---------------------------------------------------------------- index

let t0 = process.hrtime.bigint();
const index = new FacilityIndex(facilities);
const buildMs = ms(t0);

t0 = process.hrtime.bigint();
let found = 0;
let skipped = 0;
const distances: number[] = [];
for (const q of queries) {
  for (const service of SERVICES) {
    const r = index.nearest(service, q.lat, q.lon);
    if (r) {
      found++;
      skipped += r.skippedSelf.length;
      distances.push(r.distanceKm);
    }
  }
}
const queryMs = ms(t0);
const nQueries = queries.length * SERVICES.length;

// ---------------------------------------------------------------- brute force on a sample

const step = Math.max(1, Math.floor(queries.length / sampleSize));
const sample: Array<{ lat: number; lon: number; service: string }> = [];
for (let i = 0; sample.length < sampleSize && i < queries.length; i += step) {
  sample.push({ ...queries[i]!, service: SERVICES[sample.length % SERVICES.length]! });
}
const expected: Array<NearestResult | null> = [];
t0 = process.hrtime.bigint();
for (const q of sample) expected.push(bruteForceNearest(byService.get(q.service)!, q.service, q.lat, q.lon));
const bruteMs = ms(t0);
const mismatches = sample.filter((q, i) => JSON.stringify(index.nearest(q.service, q.lat, q.lon)) !== JSON.stringify(expected[i])).length;

// ---------------------------------------------------------------- report

function median(xs: number[]): number {
  const s = Float64Array.from(xs).sort();
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const perQueryUs = (queryMs * 1000) / nQueries;
const brutePerQueryUs = (bruteMs * 1000) / sample.length;
const rows: Array<[string, string]> = [
  ['build index (ms)', buildMs.toFixed(1)],
  [`index queries (${nQueries.toLocaleString('en')}), total (ms)`, queryMs.toFixed(0)],
  ['index queries per second', Math.round((nQueries * 1000) / queryMs).toLocaleString('en')],
  ['index per query (µs)', perQueryUs.toFixed(2)],
  [`brute force per query (µs, sample of ${sample.length})`, brutePerQueryUs.toFixed(1)],
  [`brute force, all queries extrapolated (s)`, ((brutePerQueryUs * nQueries) / 1e6).toFixed(1)],
  ['speed-up (brute / index, per query)', `${(brutePerQueryUs / perQueryUs).toFixed(0)}×`],
  ['sample answers agreeing with brute force', `${sample.length - mismatches} / ${sample.length}`],
  ['answers found / median distance (km)', `${found.toLocaleString('en')} / ${median(distances).toFixed(3)}`],
  ['facilities skipped as the café itself', skipped.toLocaleString('en')],
  ['peak RSS (MiB)', (process.resourceUsage().maxRSS / 1024).toFixed(0)],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
if (mismatches > 0) process.exitCode = 1;
