/**
 * INSEE's share of the population far from facilities (src/importers/access.ts), on the real
 * 2021 file of ../shared/data. Expected counts from the file itself, by awk (see each comment).
 */
import { describe, expect, it } from 'vitest';
import { convertAccess } from '../../src/importers/access.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const sample = requireSharedData('indicators/pop_eloignee_equipements_2021.csv');

describe.runIf(sample.exists)('access: pop_eloignee_equipements_2021.csv', () => {
  it('gives three indicators per commune for 2021, empty cells null, never 0', async () => {
    const r = await convertAccess(sample.path);
    expect(r.dataset).toBe('commune_indicators');
    expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
    // awk -F, 'NR>1' … | wc -l → 35,064 lines; of them, awk -F, '$1 ~ /^([0-9]+\.0|2[AB])$/' → 119
    // department and region totals (codes "1.0" Ain … "94.0" Corse, and "2A", "2B"), skipped;
    // 34,945 communes × 3 columns
    expect(r.lines).toBe(35064);
    expect(r.skipped).toBe(119 * 3);
    expect(r.skippedReasons).toEqual({ 'a department or region total, not a commune': 357 });
    expect(r.rows.length).toBe(34945 * 3);
    expect(r.rejects).toEqual([]);
    // python3 csv: empty cells among the 34,945 commune lines' three value columns → 69
    expect(r.rows.filter((x) => x.value === null)).toHaveLength(69);
    // the file's third line: 01002,L'Abergement-de-Varey,0.0,100.0,0.0 (intermédiaires, proximité, supérieurs)
    const v = (i: string) => r.rows.find((x) => x.commune_insee === '01002' && x.indicator === i);
    expect(v('access.far_intermediate')).toMatchObject({ year: 2021, value: 0 });
    expect(v('access.far_proximity')).toMatchObject({ year: 2021, value: 100 });
    expect(v('access.far_major')).toMatchObject({ year: 2021, value: 0 });
  });
});
