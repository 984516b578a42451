/**
 * Derived from the warehouse itself: the distance from each commune's centroid
 * (commune_positions) to the nearest facility of each service (facilities), both as valid on the
 * period's last day → commune_indicators `distance.<service>_km` for the period's year, crow-fly
 * (haversine, R = km.earth_radius_km), to the metre. No facility of a service: no row (never 0).
 * Loaded through the normal validated path like an imported file (`reference distances`).
 */
import type { Period } from '../core/period.ts';
import { validOnSql } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { FacilityIndex } from '../geo/nearest.ts';
import { newResult, type ImportResult } from './types.ts';

export async function communeDistances(wh: Warehouse, period: Period, o: { earthRadiusKm?: number } = {}): Promise<ImportResult> {
  const valid = validOnSql(period.last);
  const communes = await wh.all<{ commune_insee: string; lat: number; lon: number }>(`SELECT commune_insee, lat, lon FROM commune_positions WHERE ${valid} ORDER BY commune_insee`);
  const facilities = await wh.all<{ id: string; service: string; lat: number; lon: number }>(`SELECT facility_id AS id, service, lat, lon FROM facilities WHERE ${valid}`);
  const index = new FacilityIndex(facilities);
  const services = [...new Set(facilities.map((f) => f.service))].sort();
  const year = Number(period.last.slice(0, 4));
  const result = newResult('commune_indicators');
  result.lines = communes.length;
  for (const [line, c] of communes.entries()) {
    for (const s of services) {
      result.read++;
      // selfRadiusKm 0: from a commune's centre, a facility on the spot is at distance 0
      const n = index.nearest(s, c.lat, c.lon, { selfRadiusKm: 0, radiusKm: o.earthRadiusKm });
      if (!n) continue;
      // a facility exactly at the centre is reported as skipped "self" (radius 0): its distance is 0
      const km = n.skippedSelf.length ? 0 : n.distanceKm;
      result.rows.push({ commune_insee: c.commune_insee, year, indicator: `distance.${s}_km`, value: Math.round(km * 1000) / 1000, _line: line + 1 });
    }
  }
  return result;
}
