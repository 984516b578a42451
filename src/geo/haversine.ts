const RAD = Math.PI / 180;

/**
 * Great-circle distance in kilometres between two WGS84 points, by the haversine formula on a
 * sphere of radius R (default: the IUGG mean Earth radius R₁ = 6371.0088 km):
 *
 *   a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)
 *   d = 2R · asin(√a)
 *
 * with φ the latitudes and λ the longitudes in radians. `a` is clamped to 1 so that rounding
 * near antipodal points cannot give NaN. Δφ and Δλ are differences of degrees converted
 * afterwards, which keeps metre-scale distances exact to the last digits.
 *
 * Reference: R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68(2), 1984, p. 159;
 * mean radius: H. Moritz, "Geodetic Reference System 1980", Journal of Geodesy 74, 2000.
 * Same formula as R `geosphere::distHaversine` (which writes 2·atan2(√a, √(1−a))).
 *
 * @example
 * // One degree along a meridian: a = sin²(0.5°), so d = 2R·0.5° = R·π/180
 * // = 6371.0088 × 0.01745329252 = 111.19508 km.
 * haversineKm(45, 3, 46, 3); // ≈ 111.19508
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number, radiusKm = 6371.0088): number {
  const sinDLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sinDLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const a = sinDLat * sinDLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * (sinDLon * sinDLon);
  return 2 * radiusKm * Math.asin(Math.sqrt(Math.min(1, a)));
}
