/**
 * `reference distances`: per commune, the crow-fly distance from its centroid to the nearest
 * facility of each service, derived from the warehouse and loaded as commune_indicators. By hand,
 * along a meridian (d = R·Δφ, R = 6371.0088 km): 0.1° → 11.119508 km, 0.3° → 33.358524 km.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { folder, tempDir } from '../helpers/warehouse.ts';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';

describe('reference distances', () => {
  it('loads distance.<service>_km per commune, to the metre, none for a service without facility', async () => {
    const wh = join(tempDir(), 'w.duckdb');
    const positions = 'commune_insee,lat,lon,source\n51356,48.0,4.0,t\n52448,46.0,5.0,t\n';
    const facilities = 'facility_id,service,lat,lon,source\nB1,bread,48.1,4.0,t\nP1,post,48.3,4.0,t\n';
    expect((await cli('--warehouse', wh, 'ingest', folder({ 'commune_positions.csv': positions, 'facilities.csv': facilities }), '--period', '2023-Q1')).code).toBe(0);
    const r = await cli('--warehouse', wh, 'reference', 'distances', '--period', '2023');
    expect(r.code, r.stderr).toBe(0);
    const w = await Warehouse.open(wh, { readOnly: true });
    try {
      const rows = await w.all<{ commune_insee: string; year: number; indicator: string; value: number }>('SELECT commune_insee, year, indicator, value FROM commune_indicators ORDER BY ALL');
      expect(rows).toEqual([
        { commune_insee: '51356', year: 2023, indicator: 'distance.bread_km', value: 11.12 }, // 11.119508 → 11.120 km
        { commune_insee: '51356', year: 2023, indicator: 'distance.post_km', value: 33.359 }, // 33.358524
        // 52448 at 46.0° N, 5.0° E: to B1 (48.1, 4.0) and P1 (48.3, 4.0), haversine as computed below
        { commune_insee: '52448', year: 2023, indicator: 'distance.bread_km', value: Math.round(hav(46, 5, 48.1, 4) * 1000) / 1000 },
        { commune_insee: '52448', year: 2023, indicator: 'distance.post_km', value: Math.round(hav(46, 5, 48.3, 4) * 1000) / 1000 },
      ]);
    } finally {
      w.close();
    }
  });
});

/** The haversine formula written out (METHODOLOGY §1.4), R = 6371.0088 km. */
function hav(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}
