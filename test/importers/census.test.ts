/**
 * The communes file's census columns (src/importers/census.ts), on the real 2024 file of
 * ../shared/data. Expected values read from the file by Python's csv module (see comments).
 */
import { describe, expect, it } from 'vitest';
import { convertCensus } from '../../src/importers/census.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const sample = requireSharedData('communes/communes_france_2024.csv');

describe.runIf(sample.exists)('census: communes_france_2024.csv', () => {
  it('gives population (2021 and 2015), households and the 15–64 counts per commune', async () => {
    const r = await convertCensus(sample.path);
    expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
    // python3 csv: 34,976 rows (34,931 communes + 45 arrondissements), 6 census columns, none empty
    expect(r.lines).toBe(34976);
    expect(r.rejects).toEqual([]);
    expect(r.rows).toHaveLength(34976 * 6);
    // 51356 Matignicourt-Goncourt: population_2021 153, population_2015 141, menages_2021 66
    const v = (i: string, y: number) => r.rows.find((x) => x.commune_insee === '51356' && x.indicator === i && x.year === y)?.value;
    expect(v('census.population', 2021)).toBe(153);
    expect(v('census.population', 2015)).toBe(141);
    expect(v('census.households', 2021)).toBe(66);
  });
});
