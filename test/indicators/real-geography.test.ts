/**
 * Real geography: cafés placed at the centroids of two real small communes (from the official
 * communes file, imported), and every real La Poste contact point (imported): the nearest post
 * office found by the run and its distance agree with R's geosphere (test/reference/haversine.R:
 * distHaversine(..., r = 6371008.8), whose output is pasted there).
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/runs/config.ts';
import { runFigures } from '../../src/figures/store.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { importReference } from '../../src/importers/import.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

const communes = requireSharedData('communes/communes_france_2024.csv');
const laposte = requireSharedData('facilities/laposte_points_contact_2025.csv');

describe('kilometres saved on real geography', () => {
  it.skipIf(!communes.exists || !laposte.exists)('finds the nearest real post office of two real villages, as R geosphere does', async () => {
    const wh = await tempWarehouse();
    const period = parsePeriod('2023');
    await importReference(wh, 'communes', communes.path, { period });
    await importReference(wh, 'laposte', laposte.path, { period });
    // No coordinates for the cafés: they fall back on their commune's centroid.
    const cafes = 'cafe_id,name,commune_insee,model,stage\nLD,Café de La Dorée,53093,associative,operating\nHA,Café d’Hallignicourt,52235,entrepreneurial,operating\n';
    await ingest(wh, folder({ 'cafes.csv': cafes }), '2023');
    await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service,uses\nLD,2023-03-01,post,10\nHA,2023-03-01,post,10\n' }), '2023');
    const r = await runPeriod(wh, period, { config: defaultConfig() });
    const detail = await wh.all(
      `SELECT cafe_id, position_source, facility_id, round(distance_km, 6) AS d, skipped_self FROM run_km_detail WHERE run_id = $1 AND service = 'post' ORDER BY cafe_id`,
      [r.runId],
    );
    // R: La Dorée 53093 → 09659A at 3.003153545019 km, skipping 09654A (10 m away: the café's own
    // agency); Hallignicourt 52235 → 09593A at 2.993791064636 km (distances kept to the millimetre)
    expect(detail).toEqual([
      { cafe_id: 'HA', position_source: 'commune', facility_id: 'laposte-09593A', d: 2.993791, skipped_self: [] },
      { cafe_id: 'LD', position_source: 'commune', facility_id: 'laposte-09659A', d: 3.003154, skipped_self: ['laposte-09654A'] },
    ]);
    const post = (await runFigures(wh, r.runId)).find((f) => f.indicator === 'km_saved.post' && f.scope === 'network');
    expect(post?.value).toBe(59.96945); // 10 × 2.993791 + 10 × 3.003154
    expect(r.warnings.filter((w) => w.code === 'commune_position').map((w) => w.subject)).toEqual(['HA', 'LD']);
    wh.close();
  }, 120_000);
});
