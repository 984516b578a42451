/**
 * Conformance of units: every unit an indicator declares, and every unit a run emits, is declared
 * once in src/indicators/units.ts with its decimals and its name in French and English; each
 * emitted indicator's unit is the one its definition declares (the SQL of int_figures restates
 * each unit as a literal: this catches the two drifting apart). The run is on a small network
 * emitting the kilometres, Earth laps, jobs and events families.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.ts';
import { runFigures } from '../../src/figures/store.ts';
import { INDICATORS, indicatorDef } from '../../src/indicators/definitions.ts';
import { UNITS } from '../../src/indicators/units.ts';
import { parsePeriod } from '../../src/period.ts';
import { runPeriod } from '../../src/run.ts';
import { CAFES_CSV, folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

describe('units', () => {
  it('every declared indicator has a declared unit with decimals and French and English names', () => {
    for (const d of INDICATORS) {
      const u = UNITS[d.unit];
      expect(u, `${d.id}: unit ${d.unit}`).toBeDefined();
      expect(u!.fr.length * u!.en.length, d.unit).toBeGreaterThan(0);
      expect(Number.isInteger(u!.decimals) && u!.decimals >= 0, d.unit).toBe(true);
      if (u!.count) expect(u!.decimals, `${d.unit} is a count: no decimals`).toBe(0);
    }
  });

  it('a run emits only declared indicators, each in the unit its definition declares', async () => {
    const wh = await tempWarehouse();
    try {
      await ingest(
        wh,
        folder({
          'cafes.csv': CAFES_CSV,
          'facilities.csv': 'facility_id,service,lat,lon,source\nB1,bread,48.80,4.80,t\nP1,post,48.90,4.80,t\nA1,cash,48.74,4.95,t\n',
          'staff.csv': 'cafe_id,person_key,start_on,role,contract,fte,end_on\nC1,PEMP1,2022-06-01,employee,CDI,0.5,\n',
        }),
        '2023-Q1',
      );
      await ingest(
        wh,
        folder({
          'service_uses.csv': 'cafe_id,date,service,uses\nC1,2023-02-01,bread,10\nC2,2023-03-01,post,2\n',
          'events.csv': 'event_id,cafe_id,commune_insee,date,kind,attendance,association_ids,producer_ids,programme\nE1,C3,52448,2023-06-01,bal,120,A1|A2,P1,guinguette_mobile\n',
        }),
        '2023',
      );
      const run = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
      const figures = await runFigures(wh, run.runId);
      const families = new Set(figures.map((f) => f.indicator.split('.')[0]));
      for (const fam of ['km_saved', 'earth_laps', 'jobs', 'events']) expect(families, fam).toContain(fam);
      for (const f of figures) {
        const def = indicatorDef(f.indicator);
        expect(def, `${f.indicator} is emitted but not declared in src/indicators/definitions.ts`).toBeDefined();
        expect(f.unit, f.indicator).toBe(def!.unit);
        expect(UNITS[f.unit], f.unit).toBeDefined();
      }
    } finally {
      wh.close();
    }
  });
});
