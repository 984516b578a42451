/**
 * Golden tests on a small hand-built network: every figure below is computed by hand in the
 * comments. Positions are chosen on meridians so that distances follow from the formula with a
 * pencil: along a meridian, haversine reduces to d = R × Δφ (radians), with R = 6371.0088 km:
 *   0.1° → 6371.0088 × 0.1 × π/180 = 11.119508 km (to the millimetre)
 *   0.05° → 5.559754 km, 0.2° → 22.239016 km, 0.3° → 33.358524 km, 0.0003° → 0.033359 km (33 m)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/runs/config.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { figuresToJson } from '../../src/figures/export.ts';
import { latestRun, runFigures } from '../../src/figures/store.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { CAFES, ingestGolden, USES } from '../helpers/golden-network.ts';
import { folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

const R = 6371.0088;
const deg = (d: number) => (R * d * Math.PI) / 180; // along a meridian

// The network and how each of its numbers was chosen: test/helpers/golden-network.ts.

let wh: Warehouse;
let fig: (indicator: string, scope?: string, id?: string | null) => number | null | undefined;
let runId: string;
let warnings: { code: string; subject: string | null; message: string }[];

beforeAll(async () => {
  wh = await tempWarehouse();
  await ingestGolden(wh);
  const r = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
  runId = r.runId;
  warnings = r.warnings;
  const figures = await runFigures(wh, runId);
  fig = (indicator, scope = 'network', id = null) => {
    const f = figures.find((x) => x.indicator === indicator && x.scope === scope && x.scope_id === id);
    return f === undefined ? undefined : f.value;
  };
});

describe('kilometres saved', () => {
  it('is distance to the nearest other facility × uses, per café and service', () => {
    // bread: C1 15 × 11.119508 (B2 at 33 m is the café itself) + C2 20 × 5.559754 + C3 4 × 22.239016
    //      = 166.79262 + 111.19508 + 88.956064 = 366.943764
    expect(fig('km_saved.bread')).toBeCloseTo(15 * deg(0.1) + 20 * deg(0.05) + 4 * deg(0.2), 5);
    expect(fig('km_saved.bread')).toBe(366.943764); // exact: distances kept to the millimetre
    // post: C1 2 × 33.358524 (P1) + C2 1 × 11.119508 (P2) = 77.836556
    expect(fig('km_saved.post')).toBe(77.836556);
    expect(fig('km_saved')).toBe(444.78032); // 366.943764 + 77.836556, summed exactly
    // earth_laps = 444.78032 / 40075.017
    expect(fig('earth_laps')).toBeCloseTo(444.78032 / 40075.017, 12);
    // by café: C1 = 166.79262 + 66.717048 = 233.509668
    expect(fig('km_saved', 'cafe', 'C1')).toBe(233.509668);
    // by region: Grand Est (44) = C1 + C2 = 233.509668 + 111.19508 + 11.119508 = 355.824256
    expect(fig('km_saved', 'region', '44')).toBe(355.824256);
    expect(fig('km_saved', 'model', 'participative')).toBe(88.956064);
    expect(fig('km_saved', 'service', 'post')).toBe(77.836556); // the same as km_saved.post, by scope
  });

  it('round trip and road-detour options multiply every distance', async () => {
    const c = defaultConfig();
    const r = await runPeriod(wh, parsePeriod('2023'), { config: { ...c, km: { ...c.km, round_trip: true, detour_factor: 1.3 } } });
    const f = (await runFigures(wh, r.runId)).find((x) => x.indicator === 'km_saved.bread' && x.scope === 'network');
    // 366.943764 × 2 × 1.3 = 954.0537864, exact in decimals
    expect(f?.value).toBe(954.0537864);
    expect((await latestRun(wh, '2023')).parameters).toMatchObject({ km: { round_trip: true, detour_factor: 1.3 } });
  });

  it('is never a silent zero: no cash facility gives no cash figure and a warning naming it', () => {
    expect(fig('km_saved.cash')).toBeUndefined();
    expect(warnings.find((w) => w.code === 'no_facility')?.message).toBe(
      'no cash facility in the warehouse for 3 cafés: their 7 cash uses count in no km_saved figure (import an ATM GeoJSON: cafe-impact reference import geojson <file>)',
    );
  });

  it('keeps the nearest facility, its distance and the skipped self-facility for explain', async () => {
    const d = await wh.all(`SELECT facility_id, distance_km, skipped_self, uses, km FROM run_km_detail WHERE run_id = $1 AND cafe_id = 'C1' AND service = 'bread'`, [runId]);
    expect(d).toEqual([{ facility_id: 'B1', distance_km: 11.119508, skipped_self: ['B2'], uses: 15, km: 166.79262 }]);
  });
});

describe('jobs, suppliers, residents, events', () => {
  it('jobs besides managers: distinct people and FTE averaged over the days', async () => {
    // As computed (int_figures: the primary rule exempts the network total):
    // PEMP1, PEMP2, PEMP3 (PEMP4 starts in 2024; PMGR1 is a manager)
    const computed = (indicator: string) => wh.scalar<number>(`SELECT value FROM int_figures WHERE indicator = '${indicator}' AND scope = 'network'`);
    expect(await computed('jobs.headcount')).toBe(3);
    // (0.5 × 365 + 1 × 184 + 1 × 31 + 1 × 31) / 365 = 428.5 / 365
    expect(await computed('jobs.fte')).toBeCloseTo(428.5 / 365, 12);
    // As published (method 1.1.0, complementary suppression): all 3 people work in Grand Est (44),
    // the only region with a jobs row; region 44 (3 < 5) is suppressed and would equal the
    // network total, so the network total is hidden too (and jobs.fte with it, the same people).
    expect(fig('jobs.headcount')).toBeNull();
    expect(fig('jobs.fte')).toBeNull();
    // one person on a CDD: a cell under min_cell (5) describing people is not published
    expect(fig('jobs.headcount', 'contract', 'CDD')).toBeNull();
    expect(fig('jobs.fte', 'contract', 'CDD')).toBeNull();
  });

  it('local micro-enterprises: distinct SIRENs within 30 km of a café they supply, and their spend', () => {
    expect(fig('suppliers.local_micro')).toBe(1); // 732829320 only (552100554 is 33.4 km away)
    expect(fig('suppliers.local_micro.spend_eur')).toBe(300.75);
    expect(fig('suppliers.local')).toBe(2); // + 443061841 (company, 11.1 km from C2)
  });

  it('residents mobilised: distinct residents, small cells suppressed', async () => {
    expect(fig('residents.mobilised')).toBe(6); // PR01–PR06
    const c2 = (await runFigures(wh, runId)).find((f) => f.indicator === 'residents.mobilised' && f.scope === 'cafe' && f.scope_id === 'C2');
    expect(c2).toMatchObject({ value: null, suppressed: true }); // 2 < 5
    // C1: 5 ≥ min_cell, published until method 1.0.0; from 1.1.0 hidden as a complement:
    // department 52 (C2 alone, 2) is suppressed, so its sibling 51 (5) is hidden, or region 44 (6)
    // − 51 (5) would bound it (≥ 1); 51 has one café, C1, equal to it, so C1 is hidden too.
    expect(fig('residents.mobilised', 'cafe', 'C1')).toBeNull();
    expect(fig('residents.mobilised', 'region', '44')).toBe(6); // PR01–PR06: published
  });

  it('complementary suppression hides exactly these cells besides the small ones (method 1.1.0)', async () => {
    // The published figures (figures, from mart_figures) differ from the computed ones
    // (int_figures, primary rule only) in these cells only, each now suppressed:
    //   jobs.headcount / jobs.fte, network: 3 people, all in region 44 (suppressed): see above
    //   residents.mobilised, department 51 (5) and café C1 (5): see above
    //   residents.mobilised, model associative (5): the complement of entrepreneurial (2), or the
    //     network (6) − associative (5) would bound it (the model breakdown has these two cells)
    const published = await runFigures(wh, runId);
    const primary = await wh.all<{ indicator: string; scope: string; scope_id: string | null; suppressed: boolean }>(
      'SELECT indicator, scope, scope_id, suppressed FROM int_figures',
    );
    const key = (f: { indicator: string; scope: string; scope_id: string | null }) => `${f.indicator}|${f.scope}|${f.scope_id}`;
    const wasSuppressed = new Map(primary.map((f) => [key(f), f.suppressed]));
    expect(published.length).toBe(primary.length);
    expect(published.filter((f) => f.suppressed && wasSuppressed.get(key(f)) === false).map(key).sort()).toEqual(
      [
        'jobs.fte|network|null', 'jobs.headcount|network|null',
        'residents.mobilised|cafe|C1', 'residents.mobilised|department|51', 'residents.mobilised|model|associative',
      ].sort(),
    );
    expect(published.filter((f) => !f.suppressed && wasSuppressed.get(key(f)) !== false)).toEqual([]);
  });

  it('events, attendance and distinct partners, by programme', () => {
    expect(fig('events.count')).toBe(3);
    expect(fig('events.attendance')).toBe(512); // 300 + 200 + 12
    expect(fig('events.associations', 'programme', 'guinguette_mobile')).toBe(3); // A1, A2, A3
    expect(fig('events.producers', 'programme', 'guinguette_mobile')).toBe(2); // P1, P2
    expect(fig('events.count', 'programme', 'seniors')).toBe(1);
  });
});

describe('reproducibility', () => {
  it('running the same period twice gives byte-identical figures but the run id', async () => {
    const again = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
    const strip = (s: string, id: string) => s.replaceAll(id, 'RUN');
    const a = strip(figuresToJson(await runFigures(wh, runId), { ...(await latestRun(wh, '2023')), run_id: runId }), runId);
    const b = strip(figuresToJson(await runFigures(wh, again.runId), await latestRun(wh, '2023')), again.runId);
    expect(b).toBe(a);
  });

  it('re-ingesting a corrected file and re-running changes exactly the affected figures', async () => {
    const before = await runFigures(wh, (await latestRun(wh, '2023')).run_id);
    // C3's bread uses corrected from 4 to 6: only km figures touching C3 change (+2 × 22.239016)
    await ingest(wh, folder({ 'service_uses.csv': USES.replace('C3,2023-11-01,bread,4', 'C3,2023-11-01,bread,6') }), '2023');
    const r = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
    const after = await runFigures(wh, r.runId);
    const key = (f: { indicator: string; scope: string; scope_id: string | null }) => `${f.indicator}|${f.scope}|${f.scope_id}`;
    const old = new Map(before.map((f) => [key(f), f.value]));
    const changed = after.filter((f) => old.get(key(f)) !== f.value).map(key).sort();
    expect(changed).toEqual(
      [
        'earth_laps|network|null',
        'km_saved.bread|cafe|C3', 'km_saved.bread|department|01', 'km_saved.bread|model|participative', 'km_saved.bread|network|null', 'km_saved.bread|region|84', 'km_saved.bread|stage|opening',
        'km_saved|cafe|C3', 'km_saved|department|01', 'km_saved|model|participative', 'km_saved|network|null', 'km_saved|region|84', 'km_saved|stage|opening',
        'km_saved|service|bread',
      ].sort(),
    );
    expect(after.length).toBe(before.length);
    const f = after.find((x) => x.indicator === 'km_saved.bread' && x.scope === 'network')!;
    expect(f.value).toBe(366.943764 + 2 * 22.239016);
  });
});

describe('warnings and versions', () => {
  it('flags a nearest alternative farther than far_warning_km (50 km)', () => {
    // C3 (46.0, 5.0) → P2 (48.1, 5.0), 2.1° north on the same meridian: 6371.0088 × 2.1 × π/180 = 233.5 km
    expect(warnings.find((w) => w.code === 'far_facility' && w.subject === 'C3/post')?.message).toBe(
      'café C3: nearest post alternative P2 is 233.5 km away (over 50 km): check the facilities file covers the area',
    );
  });

  it('breaks figures down by the stage valid at the period’s end', async () => {
    // C3 moves from opening to operating on 1 July (a new version of the café list for 2023-Q3)
    await ingest(wh, folder({ 'cafes.csv': CAFES.replace('participative,opening', 'participative,operating') }), '2023-Q3');
    await runPeriod(wh, parsePeriod('2023-Q2'), { config: defaultConfig() });
    expect(await wh.scalar(`SELECT stage FROM stg_cafes WHERE cafe_id = 'C3'`)).toBe('opening'); // valid on 30 June
    const r = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
    expect(await wh.scalar(`SELECT stage FROM stg_cafes WHERE cafe_id = 'C3'`)).toBe('operating'); // valid on 31 December
    const f = (await runFigures(wh, r.runId)).filter((x) => x.indicator === 'km_saved' && x.scope === 'stage').map((x) => x.scope_id);
    expect(f).toEqual(['operating']); // every café is operating on 31 December
  });
});
