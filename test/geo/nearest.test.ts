import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/stats/prng.ts';
import { FacilityIndex, bruteForceNearest, type FacilityPoint } from '../../src/geo/nearest.ts';
import { findColumn, readCsv } from '../../src/io/csv.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

function expectRel(actual: number | undefined, expected: number, rel = 1e-9): void {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

// Café at 46°N 3°E; facilities on its meridian, so by hand d = R·Δφ = Δφ° × 111.1950802335 km
// (R = 6371.0088 km, π/180 = 0.01745329252). Hand values are given to 10 digits: checked to 1e-8.
const CAFE = { lat: 46, lon: 3 };
const HAND: FacilityPoint[] = [
  { id: 'B1', service: 'bread', lat: 46.01, lon: 3 }, // 0.01° north: 1.111950802 km
  { id: 'B2', service: 'bread', lat: 45.98, lon: 3 }, // 0.02° south: 2.223901605 km
  { id: 'B3', service: 'bread', lat: 46.1, lon: 3 }, // 0.1° north: 11.11950802 km
  { id: 'P-30', service: 'post', lat: 46.00027, lon: 3 }, // 0.00027° north: 0.03002267166 km, the café itself
  { id: 'P-60', service: 'post', lat: 46.00054, lon: 3 }, // 0.00054° north: 0.06004534333 km, a real alternative
  { id: 'P-far', service: 'post', lat: 46.009, lon: 3 }, // 0.009° north: 1.000755722 km
];

describe('FacilityIndex on a hand-built set', () => {
  const index = new FacilityIndex(HAND);

  it('lists services and counts', () => {
    expect(index.services()).toEqual(['bread', 'post']);
    expect(index.count('bread')).toBe(3);
    expect(index.count('post')).toBe(3);
    expect(index.count('cash')).toBe(0);
  });

  it('finds the obvious nearest bakery', () => {
    const r = index.nearest('bread', CAFE.lat, CAFE.lon);
    expect(r?.facilityId).toBe('B1');
    expect(r?.skippedSelf).toEqual([]);
    expectRel(r?.distanceKm, 1.111950802, 1e-8); // by hand: 0.01 × 111.1950802
    expect(r).toEqual(bruteForceNearest(HAND, 'bread', CAFE.lat, CAFE.lon));
  });

  it('skips a facility 30 m away (the café itself) and keeps one 60 m away', () => {
    const r = index.nearest('post', CAFE.lat, CAFE.lon);
    expect(r?.facilityId).toBe('P-60');
    expect(r?.skippedSelf).toEqual(['P-30']);
    expectRel(r?.distanceKm, 0.06004534333, 1e-8); // by hand: 0.00054 × 111.1950802
    expect(r).toEqual(bruteForceNearest(HAND, 'post', CAFE.lat, CAFE.lon));
  });

  it('honours a configured self radius', () => {
    // 70 m: both P-30 and P-60 are the café; next is P-far at 1.000755722 km (0.009 × 111.1950802)
    const r = index.nearest('post', CAFE.lat, CAFE.lon, { selfRadiusKm: 0.07 });
    expect(r?.facilityId).toBe('P-far');
    expect(r?.skippedSelf).toEqual(['P-30', 'P-60']);
    expectRel(r?.distanceKm, 1.000755722, 1e-8);
    // 0: nothing is the café; P-30 is the nearest
    expect(index.nearest('post', CAFE.lat, CAFE.lon, { selfRadiusKm: 0 })?.facilityId).toBe('P-30');
  });

  it('returns null for a service without facilities', () => {
    expect(index.nearest('cash', CAFE.lat, CAFE.lon)).toBeNull();
    expect(bruteForceNearest(HAND, 'cash', CAFE.lat, CAFE.lon)).toBeNull();
  });

  it('returns null when only the café itself offers the service', () => {
    const only = [{ id: 'self', service: 'cash', lat: 46.0001, lon: 3 }];
    expect(new FacilityIndex(only).nearest('cash', CAFE.lat, CAFE.lon)).toBeNull();
    expect(bruteForceNearest(only, 'cash', CAFE.lat, CAFE.lon)).toBeNull();
  });

  it('applies maxKm (inclusive)', () => {
    expect(index.nearest('bread', CAFE.lat, CAFE.lon, { maxKm: 1.1 })).toBeNull(); // B1 is 1.112 km
    expect(index.nearest('bread', CAFE.lat, CAFE.lon, { maxKm: 1.2 })?.facilityId).toBe('B1');
    const exact = index.nearest('bread', CAFE.lat, CAFE.lon)!.distanceKm;
    expect(index.nearest('bread', CAFE.lat, CAFE.lon, { maxKm: exact })?.facilityId).toBe('B1');
    expect(bruteForceNearest(HAND, 'bread', CAFE.lat, CAFE.lon, { maxKm: 1.1 })).toBeNull();
  });

  it('reports distances with the configured radius', () => {
    // by hand: R = 6371 km, 0.01° = 6371 × 0.0001745329252 = 1.111949266 km
    const r = index.nearest('bread', CAFE.lat, CAFE.lon, { radiusKm: 6371 });
    expectRel(r?.distanceKm, 1.111949266, 1e-8);
    // the 50 m self radius is in km whatever the radius: P-30 stays the café, P-60 does not
    expect(index.nearest('post', CAFE.lat, CAFE.lon, { radiusKm: 6371 })?.skippedSelf).toEqual(['P-30']);
  });

  it('breaks exact ties by id, whatever the input order', () => {
    // 0.01° north and 0.01° south of the café on its meridian: exactly the same a = sin²(0.005°)
    const tie: FacilityPoint[] = [
      { id: 'b', service: 'bread', lat: 46.01, lon: 3 },
      { id: 'a', service: 'bread', lat: 45.99, lon: 3 },
    ];
    for (const pts of [tie, [...tie].reverse()]) {
      expect(new FacilityIndex(pts).nearest('bread', CAFE.lat, CAFE.lon)?.facilityId).toBe('a');
      expect(bruteForceNearest(pts, 'bread', CAFE.lat, CAFE.lon)?.facilityId).toBe('a');
    }
  });

  it('looks past a first batch filled by the café itself and by ties', () => {
    const pts: FacilityPoint[] = [];
    // 20 facilities within 50 m (a café with several ids at its own position) …
    for (let i = 0; i < 20; i++) pts.push({ id: `self-${String(i).padStart(2, '0')}`, service: 'post', lat: 46 + i * 0.00001, lon: 3 });
    // … then 30 facilities at the same spot 2 km north (0.018° × 111.1950802 = 2.001511444 km) …
    for (let i = 29; i >= 0; i--) pts.push({ id: `tie-${String(i).padStart(2, '0')}`, service: 'post', lat: 46.018, lon: 3 });
    // … and a farther one
    pts.push({ id: 'far', service: 'post', lat: 46.1, lon: 3 });
    const r = new FacilityIndex(pts).nearest('post', CAFE.lat, CAFE.lon);
    expect(r?.facilityId).toBe('tie-00');
    expectRel(r?.distanceKm, 2.001511444, 1e-8);
    expect(r?.skippedSelf).toHaveLength(20);
    expect(r?.skippedSelf[0]).toBe('self-00'); // nearest first: self-00 is at the café's position
    expect(r).toEqual(bruteForceNearest(pts, 'post', CAFE.lat, CAFE.lon));
  });

  it('uses the 50 m boundary exactly (R geosphere distances, test/reference/haversine.R)', () => {
    // Saint-Dizier centroid; 0.00068° east is 0.049971939818 km (the café), 0.00045° north 0.050037786106 km (not)
    const sd = { lat: 48.63192, lon: 4.93986 };
    const pts: FacilityPoint[] = [
      { id: 'east', service: 'post', lat: sd.lat, lon: sd.lon + 0.00068 },
      { id: 'north', service: 'post', lat: sd.lat + 0.00045, lon: sd.lon },
    ];
    const r = new FacilityIndex(pts).nearest('post', sd.lat, sd.lon);
    expect(r?.facilityId).toBe('north');
    expect(r?.skippedSelf).toEqual(['east']);
    expectRel(r?.distanceKm, 0.050037786106);
  });

  it('rejects invalid input', () => {
    expect(() => new FacilityIndex([{ id: 'x', service: 'post', lat: Number.NaN, lon: 3 }])).toThrow(/facility "x"/);
    expect(() => new FacilityIndex([{ id: 'x', service: 'post', lat: 46, lon: 200 }])).toThrow(RangeError);
    expect(() => new FacilityIndex([HAND[0]!, HAND[0]!])).toThrow(/appears twice/);
    expect(() => index.nearest('post', 91, 3)).toThrow(RangeError);
    expect(() => index.nearest('post', 46, 3, { selfRadiusKm: -1 })).toThrow(/selfRadiusKm/);
    expect(() => index.nearest('post', 46, 3, { radiusKm: 0 })).toThrow(/radiusKm/);
  });
});

describe('FacilityIndex against brute force (seeded random sets)', () => {
  const SERVICES = ['bread', 'cash', 'post'];

  it('agrees on 2,000 queries against 5,000 points in France (lat 42–51, lon −5–8)', () => {
    const rng = new Rng(20250601);
    const points: FacilityPoint[] = [];
    for (let i = 0; i < 5000; i++) {
      points.push({ id: `f${i}`, service: SERVICES[i % 3]!, lat: rng.uniform(42, 51), lon: rng.uniform(-5, 8) });
    }
    const index = new FacilityIndex(points);
    let selfSkips = 0;
    for (let q = 0; q < 2000; q++) {
      const service = SERVICES[q % 3]!;
      let lat: number, lon: number;
      if (q % 4 === 0) {
        // a café standing on a facility (within ~40 m): exercises the self exclusion
        const p = points[Math.floor(rng.next() * points.length)]!;
        lat = p.lat + rng.uniform(-0.0003, 0.0003);
        lon = p.lon + rng.uniform(-0.0003, 0.0003);
      } else {
        lat = rng.uniform(42, 51);
        lon = rng.uniform(-5, 8);
      }
      const opts = q % 5 === 0 ? { maxKm: 8 } : q % 7 === 0 ? { radiusKm: 6371, selfRadiusKm: 0.1 } : {};
      const got = index.nearest(service, lat, lon, opts);
      expect(got).toEqual(bruteForceNearest(points, service, lat, lon, opts));
      selfSkips += got?.skippedSelf.length ?? 0;
    }
    expect(selfSkips).toBeGreaterThan(50); // the self-exclusion path was really taken
  });

  it('agrees on a grid of coordinates full of exact ties and duplicates', () => {
    const rng = new Rng(7);
    const points: FacilityPoint[] = [];
    // 0.01° grid over a small area: many points share a position or sit at equal distances
    for (let i = 0; i < 3000; i++) {
      points.push({ id: `g${i}`, service: 'post', lat: 48 + Math.floor(rng.next() * 30) / 100, lon: 4 + Math.floor(rng.next() * 30) / 100 });
    }
    const index = new FacilityIndex(points);
    const shuffled = new FacilityIndex([...points].reverse());
    for (let q = 0; q < 500; q++) {
      const lat = 48 + Math.floor(rng.next() * 40) / 100 - 0.05;
      const lon = 4 + Math.floor(rng.next() * 40) / 100 - 0.05;
      const got = index.nearest('post', lat, lon);
      expect(got).toEqual(bruteForceNearest(points, 'post', lat, lon));
      expect(shuffled.nearest('post', lat, lon)).toEqual(got);
    }
  });
});

describe('FacilityIndex on real geography: La Poste contact points', () => {
  const laposte = requireSharedData('facilities/laposte_points_contact_2025.csv');
  const communes = requireSharedData('communes/communes_france_2024.csv');

  /** Kept as src/importers/laposte.ts keeps them (and as the R script does): in France, not 99xxx. */
  async function loadPost(): Promise<FacilityPoint[]> {
    const t = await readCsv(laposte.path);
    const col = (name: string) => {
      const i = findColumn(t.header, name);
      if (i < 0) throw new Error(`column ${name} missing`);
      return i;
    };
    const [cId, cInsee, cCountry, cLat, cLon] = ['identifiant_a', 'code_insee', 'pays', 'latitude', 'longitude'].map(col) as [number, number, number, number, number];
    return t.records
      .filter((r) => r.fields[cCountry] === 'FRANCE' && !r.fields[cInsee]!.startsWith('99'))
      .map((r) => ({ id: r.fields[cId]!, service: 'post', lat: Number(r.fields[cLat]), lon: Number(r.fields[cLon]) }));
  }

  it.skipIf(!laposte.exists)('matches R geosphere for La Dorée 53093 (own post point 10 m away) and Hallignicourt 52235', async () => {
    const post = await loadPost();
    expect(post).toHaveLength(17963); // R: "La Poste points kept: 17963"
    const index = new FacilityIndex(post);
    // Centroids from communes_france_2024.csv; expected values: test/reference/haversine.R output
    const dore = index.nearest('post', 48.44895, -0.96486);
    expect(dore?.facilityId).toBe('09659A'); // Bureau de Poste
    expect(dore?.skippedSelf).toEqual(['09654A']); // R: 09654A at 0.010043878884 km, the café itself
    expectRel(dore?.distanceKm, 3.003153545019);
    expect(dore).toEqual(bruteForceNearest(post, 'post', 48.44895, -0.96486));

    const hall = index.nearest('post', 48.64739, 4.87272);
    expect(hall?.facilityId).toBe('09593A'); // Agence postale communale
    expect(hall?.skippedSelf).toEqual([]);
    expectRel(hall?.distanceKm, 2.993791064636);
    expect(hall).toEqual(bruteForceNearest(post, 'post', 48.64739, 4.87272));
  });

  it.skipIf(!laposte.exists || !communes.exists)('agrees with brute force from every 25th commune centroid', async () => {
    const post = await loadPost();
    const index = new FacilityIndex(post);
    const t = await readCsv(communes.path);
    const [cType, cLat, cLon] = ['type', 'lat', 'lon'].map((n) => findColumn(t.header, n)) as [number, number, number];
    const centroids = t.records.filter((r) => r.fields[cType] === 'COM').filter((_, i) => i % 25 === 0);
    expect(centroids.length).toBeGreaterThan(1000);
    for (const r of centroids) {
      const lat = Number(r.fields[cLat]);
      const lon = Number(r.fields[cLon]);
      expect(index.nearest('post', lat, lon)).toEqual(bruteForceNearest(post, 'post', lat, lon));
    }
  });
});
