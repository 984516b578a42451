/**
 * The TypeScript model `int_nearest_facility`: for every café and each of the services measured
 * by distance (bread, cash, post), the nearest other place offering it — a spatial-index search that SQL
 * is poor at (src/geo/nearest.ts). Reads stg_cafes and stg_facilities, writes one row per
 * café × service with a status saying what happened, so nothing becomes a silent zero:
 *   ok           nearest facility found (distance rounded to the millimetre, for exact sums)
 *   no_position  the café has neither coordinates nor a commune position
 *   no_facility  the warehouse holds no facility of that service
 */
import { FACILITY_SERVICES } from '../contract/datasets.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { FacilityIndex, type FacilityPoint } from '../geo/nearest.ts';
import type { SqlParam, TsModel } from '../models/runner.ts';

export interface NearestRow {
  cafe_id: string;
  service: string;
  position_source: string | null;
  facility_id: string | null;
  facility_source: string | null;
  distance_km: number | null;
  skipped_self: string[];
  status: 'ok' | 'no_position' | 'no_facility';
}

export const nearestFacilityModel: TsModel = {
  type: 'ts',
  name: 'int_nearest_facility',
  layer: 'staging',
  description: 'Nearest other facility offering each service, per café (spatial index, haversine).',
  grain: 'one row per café × service (bread, cash, post)',
  dependsOn: ['stg_cafes', 'stg_facilities'],
  checks: [
    { kind: 'not_null', columns: ['cafe_id', 'service', 'status'] },
    { kind: 'unique', columns: ['cafe_id', 'service'] },
    { kind: 'relationships', column: 'cafe_id', to: 'stg_cafes', toColumn: 'cafe_id' },
    { kind: 'relationships', column: 'facility_id', to: 'stg_facilities', toColumn: 'facility_id' },
    { kind: 'expression', sql: "(status = 'ok') = (distance_km IS NOT NULL AND facility_id IS NOT NULL)" },
  ],
  async build(wh: Warehouse, params: Record<string, SqlParam>) {
    const cafes = await wh.all<{ cafe_id: string; lat: number | null; lon: number | null; position_source: string | null }>(
      'SELECT cafe_id, lat, lon, position_source FROM stg_cafes ORDER BY cafe_id',
    );
    const facilities = await wh.all<FacilityPoint & { source: string }>(
      'SELECT facility_id AS id, service, lat, lon, source FROM stg_facilities ORDER BY facility_id',
    );
    const rows = nearestRows(cafes, facilities, {
      selfRadiusKm: params.self_radius_km as number,
      radiusKm: params.earth_radius_km as number,
    });
    await wh.run(`CREATE OR REPLACE TEMP TABLE _nearest (
      cafe_id VARCHAR, service VARCHAR, position_source VARCHAR, facility_id VARCHAR, facility_source VARCHAR,
      distance_km DOUBLE, skipped_self VARCHAR, status VARCHAR)`);
    const app = await wh.conn.createAppender('_nearest', 'main', 'temp');
    for (const r of rows) {
      app.appendVarchar(r.cafe_id);
      app.appendVarchar(r.service);
      for (const v of [r.position_source, r.facility_id, r.facility_source]) (v === null ? app.appendNull() : app.appendVarchar(v));
      if (r.distance_km === null) app.appendNull();
      else app.appendDouble(r.distance_km);
      app.appendVarchar(JSON.stringify(r.skipped_self));
      app.appendVarchar(r.status);
      app.endRow();
    }
    app.closeSync();
    await wh.run(`CREATE OR REPLACE TABLE int_nearest_facility AS
      SELECT * EXCLUDE (skipped_self), CAST(json(skipped_self) AS VARCHAR[]) AS skipped_self FROM _nearest;
      DROP TABLE _nearest`);
  },
};

/** The search itself, pure: one row per café × facility service. */
export function nearestRows(
  cafes: { cafe_id: string; lat: number | null; lon: number | null; position_source: string | null }[],
  facilities: (FacilityPoint & { source: string })[],
  opts: { selfRadiusKm: number; radiusKm: number },
): NearestRow[] {
  const index = new FacilityIndex(facilities);
  const source = new Map(facilities.map((f) => [f.id, f.source]));
  const out: NearestRow[] = [];
  for (const c of cafes) {
    for (const service of FACILITY_SERVICES) {
      const base = { cafe_id: c.cafe_id, service, position_source: c.position_source, facility_id: null, facility_source: null, distance_km: null, skipped_self: [] };
      if (c.lat === null || c.lon === null) {
        out.push({ ...base, status: 'no_position' });
        continue;
      }
      const n = index.count(service) > 0 ? index.nearest(service, c.lat, c.lon, { selfRadiusKm: opts.selfRadiusKm, radiusKm: opts.radiusKm }) : null;
      if (!n) {
        out.push({ ...base, status: 'no_facility' });
        continue;
      }
      out.push({
        ...base,
        facility_id: n.facilityId,
        facility_source: source.get(n.facilityId) ?? null,
        // to the millimetre: sums of decimal products are then exact and reproducible
        distance_km: Math.round(n.distanceKm * 1e6) / 1e6,
        skipped_self: n.skippedSelf,
        status: 'ok',
      });
    }
  }
  return out;
}
