import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { convertBpe, projectedToWgs84 } from '../../src/importers/bpe.ts';
import type { ImportResult } from '../../src/importers/types.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const balanced = (r: ImportResult) => expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
const dir = mkdtempSync(join(tmpdir(), 'cafe-ref-bpe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Reference conversions to WGS84 computed independently with pyproj 3.4.1 / PROJ 9.1.1 from the
 * EPSG database: `/usr/bin/python3 test/reference/lambert93.py` prints these lines.
 * [EPSG, x, y, lat, lon]
 */
const PYPROJ: [number, number, number, number, number][] = [
  [2154, 700000.0, 6600000.0, 46.5, 3.0], // Lambert-93 false origin
  [2154, 652470.0, 6862035.0, 48.856597739, 2.352213348], // Paris, near Notre-Dame
  [2154, 417240.0, 6422720.0, 44.845953879, -0.579739386], // Bordeaux
  [2154, 145060.0, 6836900.0, 48.394769492, -4.508069633], // Brest
  [2154, 1050310.0, 6840900.0, 48.573431676, 7.751387285], // Strasbourg
  [2154, 1177700.0, 6110000.0, 41.933996904, 8.7524974], // Ajaccio
  [5490, 652000.0, 1780000.0, 16.095302756, -61.578775855], // Guadeloupe, RGAF09 / UTM 20N
  [5490, 710000.0, 1620000.0, 14.645309878, -61.050155295], // Martinique, RGAF09 / UTM 20N
  [2972, 352000.0, 548000.0, 4.956456101, -52.334877653], // Guyane, RGFG95 / UTM 22N
  [2975, 340000.0, 7690000.0, -20.883318691, 55.461815801], // La Réunion, RGR92 / UTM 40S
  [4471, 515000.0, 8585000.0, -12.799795155, 45.138213533], // Mayotte, RGM04 / UTM 38S
];

describe('projectedToWgs84', () => {
  it.each(PYPROJ)('EPSG:%i %d %d → pyproj values within 1e-6°', (epsg, x, y, lat, lon) => {
    const [gotLat, gotLon] = projectedToWgs84(x, y, epsg);
    expect(Math.abs(gotLat - lat)).toBeLessThan(1e-6);
    expect(Math.abs(gotLon - lon)).toBeLessThan(1e-6);
  });

  it('refuses a projection the BPE does not use', () => {
    expect(() => projectedToWgs84(0, 0, 3857)).toThrow(/EPSG:3857/);
  });
});

describe('BPE national shape (Lambert-93 / UTM, ;, Windows-1252)', () => {
  // Written by the test: the national file's columns, with a non-geolocated row, overseas rows
  // without an EPSG column value, a decimal comma, a type to skip and an embedded line break.
  const lines = [
    'AN;DEPCOM;TYPEQU;LAMBERT_X;LAMBERT_Y;QUALITE_XY;EPSG;NOMRS', // line 1
    '2023;75104;B207;652470;6862035;Bonne;2154;Boulangerie', // 2: Paris
    '2023;33063;B207;417240,0;6422720,0;Acceptable;;"Chez ""Jo"""', // 3: Bordeaux, decimal comma, EPSG from commune
    '2023;33063;A206;;;Non géolocalisé;;Poste', // 4: no coordinates → reject
    '2023;97411;A208;340000;7690000;Bonne;;"Agence', // 5-6: Réunion, UTM 40S deduced from DEPCOM; name spans 2 lines
    'postale"',
    '2023;29019;B101;145060;6836900;Bonne;2154;Hyper', // 7: type not selected → skipped
    '2023;29019;B203;145060;6836900;Bonne;2154;Vieux code', // 8: Brest, B203 (up to 2021) is bread
    '2023;97411;B207;417240;6422720;Bonne;2154;Mauvais', // 9: Lambert coords for a Réunion commune → reject
    '2023;2A004;B207;1177700;6110000;Bonne;;Ajaccio', // 10: Corsican code
    '2023;1004;A207;700000;6600000;Bonne;;Relais', // 11: 4-digit commune (leading zero lost by a spreadsheet)
  ];
  const file = join(dir, 'bpe_national.csv');
  writeFileSync(file, iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252'));

  it('converts, skips and rejects each row once, with physical line numbers', async () => {
    const r = await convertBpe(file);
    balanced(r);
    expect(r.read).toBe(9); // 10 physical data lines, one record spanning two
    expect(r.skippedReasons).toEqual({ 'type B101 not selected': 1 });
    expect(r.rejects.map((x) => [x.line, x.column, x.value])).toEqual([[4, 'LAMBERT_X', ''], [9, 'LAMBERT_X', '417240']]);
    expect(r.rejects[0]!.reason).toBe('no coordinates (QUALITE_XY = Non géolocalisé)');
    expect(r.rejects[1]!.reason).toMatch(/outside La Réunion/);
    const got = r.rows.map((x) => [x.commune_insee, x.kind, x.service]);
    expect(got).toEqual([
      ['75104', 'B207', 'bread'], ['33063', 'B207', 'bread'], ['97411', 'A208', 'post'],
      ['29019', 'B203', 'bread'], ['2A004', 'B207', 'bread'], ['01004', 'A207', 'post'],
    ]);
    // by hand from the numbered lines above: the Réunion record spanning lines 5-6 keeps its start line
    expect(r.rows.map((x) => x._line)).toEqual([2, 3, 5, 8, 10, 11]);
    // Positions against the pyproj table above (Paris, Bordeaux, Réunion, Brest, Ajaccio, origin).
    const expected = [PYPROJ[1], PYPROJ[2], PYPROJ[9], PYPROJ[3], PYPROJ[5], PYPROJ[0]];
    r.rows.forEach((row, k) => {
      expect(Math.abs((row.lat as number) - expected[k]![3])).toBeLessThan(1e-6);
      expect(Math.abs((row.lon as number) - expected[k]![4])).toBeLessThan(1e-6);
    });
    expect(r.rows[0]!.facility_id).toMatch(/^bpe-B207-75104-[0-9a-f]{10}$/);
    expect(r.rows.every((x) => x.source === 'bpe')).toBe(true);
  });

  it('uses the service types given, the other services keeping their defaults', async () => {
    const r = await convertBpe(file, { serviceTypes: { bread: ['B101'] }, source: 'bpe2023' });
    balanced(r);
    // by hand from the lines above: B101 (line 7) as bread; A206 (rejected), A208, A207 still post
    expect(r.rows.map((x) => `${x.kind}:${x.service}`)).toEqual(['A208:post', 'B101:bread', 'A207:post']);
    expect(r.rows[0]!.source).toBe('bpe2023');
  });

  it('refuses a type listed under two services', async () => {
    await expect(convertBpe(file, { serviceTypes: { cash: ['B207'] } })).rejects.toThrow(/B207 is listed for both/);
  });
});

describe('BPE 2023 Gironde sample (WGS84 lat/lon extract)', () => {
  const sample = requireSharedData('facilities/bpe2023_gironde33_points.csv');

  it.skipIf(!sample.exists)('keeps the 1,121 B207 bakeries and skips everything else', async () => {
    const r = await convertBpe(sample.path);
    balanced(r);
    // tail -n +2 bpe2023_gironde33_points.csv | wc -l  → 42158
    expect(r.read).toBe(42158);
    // awk -F, 'NR>1 && $1=="B207"' bpe2023_gironde33_points.csv | wc -l  → 1121 (also in shared/data/README.md)
    expect(r.rows.length).toBe(1121);
    expect(r.rejects).toEqual([]);
    expect(r.skipped).toBe(42158 - 1121);
    // awk -F, 'NR>1 && $1=="E110"' … | wc -l → 8343 (the most frequent type)
    expect(r.skippedReasons['type E110 not selected']).toBe(8343);
    expect(new Set(r.rows.map((x) => x.service))).toEqual(new Set(['bread']));
    // awk -F, 'NR>1 && $1=="B207" && $5=="33063"' … | wc -l → 216 bakeries in Bordeaux
    expect(r.rows.filter((x) => x.commune_insee === '33063').length).toBe(216);
    // grep -n '^B207' … | head -1 → 10056:B207,Commerces alimentaires,45.015201,-0.128147,33001,Abzac
    expect(r.rows[0]).toMatchObject({ lat: 45.015201, lon: -0.128147, commune_insee: '33001', kind: 'B207', source: 'bpe', _line: 10056 });
  });

  it.skipIf(!sample.exists)('gives unique ids that do not depend on row order', async () => {
    const r = await convertBpe(sample.path);
    const ids = r.rows.map((x) => String(x.facility_id));
    expect(new Set(ids).size).toBe(1121);
    // awk -F, 'NR>1 && $1=="B207"{print $5","$3","$4}' … | sort -u | wc -l → 1043 distinct
    // (commune, position): the other 1121 − 1043 = 78 rows repeat a position and get -2, -3…
    expect(ids.filter((id) => /-[0-9a-f]{10}-\d+$/.test(id)).length).toBe(78);

    // Same bakeries, file order reversed: same ids.
    const text = readFileSync(sample.path, 'utf8').split('\n');
    const bakeries = text.filter((l) => l.startsWith('B207,')).reverse();
    const reversed = join(dir, 'gironde_b207_reversed.csv');
    writeFileSync(reversed, `${text[0]}\n${bakeries.join('\n')}\n`);
    const again = await convertBpe(reversed);
    balanced(again);
    expect(again.rows.map((x) => String(x.facility_id)).sort()).toEqual([...ids].sort());
  });
});
