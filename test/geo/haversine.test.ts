import { describe, expect, it } from 'vitest';
import { haversineKm } from '../../src/geo/haversine.ts';

/** |actual − expected| ≤ 1e-9 × expected. */
function expectRel(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

// Centroids from ../shared/data/communes/communes_france_2024.csv (Paris 75056 and Marseille
// 13055 from communes_centroids_adminexpress2018.csv: the 2024 file lists their arrondissements).
const SAINT_DIZIER = { lat: 48.63192, lon: 4.93986 }; // 52448

// R geosphere::distHaversine(p1, p2, r = 6371008.8) / 1000: test/reference/haversine.R, output pasted there.
const R_REFERENCE: Array<[string, number, number, number, number, number]> = [
  ['Saint-Dizier 52448 - Bettancourt-la-Ferrée 52045', 48.63192, 4.93986, 48.65785, 4.97086, 3.674312524945],
  ['Saint-Dizier 52448 - Chancenay 52104', 48.63192, 4.93986, 48.67357, 4.97722, 5.383340017274],
  ['Saint-Dizier 52448 - Valcourt 52500', 48.63192, 4.93986, 48.61146, 4.91167, 3.07721514526],
  ['Saint-Dizier 52448 - Hallignicourt 52235', 48.63192, 4.93986, 48.64739, 4.87272, 5.224545792616],
  ['Saint-Dizier 52448 - Ancerville 55010', 48.63192, 4.93986, 48.63913, 5.02661, 6.424857634296],
  ['Paris 75056 - Marseille 13055 (2018 centroids)', 48.85661, 2.3428, 43.29164, 5.4205, 662.630554960037],
  ['Paris 1er 75101 - Marseille 1er 13201', 48.862, 2.33594, 43.30018, 5.38276, 661.445978293685],
  // The R script moves Saint-Dizier by the same amounts (sd + c(0, 0.00045), sd + c(0.00068, 0)).
  ['Saint-Dizier 52448 - 0.00045° north (≈ 50 m)', SAINT_DIZIER.lat, SAINT_DIZIER.lon, SAINT_DIZIER.lat + 0.00045, SAINT_DIZIER.lon, 0.050037786106],
  ['Saint-Dizier 52448 - 0.00068° east (≈ 50 m)', SAINT_DIZIER.lat, SAINT_DIZIER.lon, SAINT_DIZIER.lat, SAINT_DIZIER.lon + 0.00068, 0.049971939818],
];

describe('haversineKm', () => {
  it.each(R_REFERENCE)('%s matches R geosphere to 1e-9 relative', (_what, lat1, lon1, lat2, lon2, expected) => {
    expectRel(haversineKm(lat1, lon1, lat2, lon2), expected);
    expectRel(haversineKm(lat2, lon2, lat1, lon1), expected); // symmetric
  });

  it('gives R·Δφ along a meridian (the doc example)', () => {
    // by hand: a = sin²(0.5°), d = 2R·asin(sin 0.5°) = R·π/180 = 6371.0088 × 0.0174532925199 = 111.19508023 km
    expectRel(haversineKm(45, 3, 46, 3), 111.19508023, 1e-10);
    // by hand: on the equator, cos φ1 = cos φ2 = 1, so one degree of longitude is the same 111.19508023 km
    expectRel(haversineKm(0, 10, 0, 11), 111.19508023, 1e-10);
  });

  it('is proportional to the radius', () => {
    // by hand: with R = 6371 km (geokdbush's radius), one degree is 6371 × 0.0174532925199 = 111.19492664 km
    expectRel(haversineKm(45, 3, 46, 3, 6371), 111.19492664, 1e-10);
    const d = haversineKm(48.85661, 2.3428, 43.29164, 5.4205);
    expectRel(haversineKm(48.85661, 2.3428, 43.29164, 5.4205, 6378.137), (d * 6378.137) / 6371.0088, 1e-12);
  });

  it('is 0 for the same point and πR for antipodes (no NaN from rounding)', () => {
    expect(haversineKm(48.63192, 4.93986, 48.63192, 4.93986)).toBe(0);
    // by hand: antipodes are half a great circle, π × 6371.0088 = 19113.0264 + 902.0880 = 20015.11444 km
    expectRel(haversineKm(45, 3, -45, -177), 20015.11444, 1e-9);
    expectRel(haversineKm(90, 0, -90, 0), 20015.11444, 1e-9);
  });

  it('handles the antimeridian', () => {
    // by hand: on the equator from 179.5°E to 179.5°W is one degree, 111.19508023 km
    expectRel(haversineKm(0, 179.5, 0, -179.5), 111.19508023, 1e-10);
  });
});
