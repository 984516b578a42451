import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertLaPoste } from '../../src/importers/laposte.ts';
import type { ImportResult } from '../../src/importers/types.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const balanced = (r: ImportResult) => expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
const dir = mkdtempSync(join(tmpdir(), 'cafe-ref-laposte-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'identifiant_a,libelle_du_site,caracteristique_du_site,site_acores_de_rattachement,adresse,complement_d_adresse,lieu_dit,code_postal,localite,code_insee,pays,latitude,longitude,numero_de_telephone';

describe('La Poste contact points, small file', () => {
  const file = join(dir, 'laposte.csv');
  writeFileSync(file, [
    HEADER, // 1
    '10001A,GENILLE AP,Agence postale communale,,1 PLACE,,,37460,GENILLE,37109,FRANCE,47.18,1.09,3631', // 2
    '10002A,LOCHES,Bureau de Poste,,2 RUE,,,37600,LOCHES,37132,FRANCE,47.128,0.995,3631', // 3
    '10003A,SANS POSITION,Relais poste,,3 RUE,,,37600,LOCHES,37132,FRANCE,,,3631', // 4: empty coordinates
    '10002A,LOCHES BIS,Bureau de Poste,,2 RUE,,,37600,LOCHES,37132,FRANCE,47.128,0.995,3631', // 5: duplicate id
    '10004A,ZERO,Relais Poste,,4 RUE,,,37600,LOCHES,37132,FRANCE,0,0,3631', // 6: 0,0
    '10005A,"TOURS, GARE",Relais poste,,5 RUE,,,37000,TOURS,37261,FRANCE,47.39,0.69,3631', // 7: quoted comma
    '10006A,ANDORRE,Bureau de Poste,,6 C,,,AD500,ANDORRE,99130,ANDORRE,42.5,1.5,3631', // 8: outside France
  ].join('\n'));

  it('converts every type by default and rejects unusable rows with their line', async () => {
    const r = await convertLaPoste(file);
    balanced(r);
    expect(r.read).toBe(7);
    expect(r.rows.map((x) => x.facility_id)).toEqual(['laposte-10001A', 'laposte-10002A', 'laposte-10005A']);
    expect(r.rows[0]).toEqual({ facility_id: 'laposte-10001A', service: 'post', lat: 47.18, lon: 1.09, commune_insee: '37109', source: 'laposte', kind: 'Agence postale communale', _line: 2 });
    // by hand: 10001A, 10002A and 10005A are on lines 2, 3 and 7 (numbered above)
    expect(r.rows.map((x) => x._line)).toEqual([2, 3, 7]);
    expect(r.rejects.map((x) => [x.line, x.column, x.reason])).toEqual([
      [4, 'latitude', 'no coordinates'],
      [5, 'identifiant_a', 'duplicate site id (first on line 3)'],
      [6, 'latitude', 'coordinates are 0, 0 (a missing position)'],
    ]);
    expect(r.rejects[0]!.rawLine).toContain('10003A,SANS POSITION');
    expect(r.skippedReasons).toEqual({ 'outside France (pays = ANDORRE)': 1 });
  });

  it('keeps only the types asked for, ignoring case and accents', async () => {
    const r = await convertLaPoste(file, { serviceTypes: { post: ['relais poste'] }, source: 'laposte2025' });
    balanced(r);
    // by hand: lines 4, 6, 7 are Relais poste / Relais Poste; 4 and 6 have no usable position
    expect(r.rows.map((x) => [x.facility_id, x.kind, x.source])).toEqual([['laposte-10005A', 'Relais poste', 'laposte2025']]);
    expect(r.skippedReasons).toEqual({ 'type "Agence postale communale" not selected': 1, 'type "Bureau de Poste" not selected': 3 });
  });
});

describe('La Poste contact points, June 2025 file', () => {
  const sample = requireSharedData('facilities/laposte_points_contact_2025.csv');

  it.skipIf(!sample.exists)('converts 17,962 of the 17,972 points', async () => {
    const r = await convertLaPoste(sample.path);
    balanced(r);
    // tail -n +2 laposte_points_contact_2025.csv | wc -l → 17972 (the file has no quoted fields: grep -c '"' → 0)
    expect(r.read).toBe(17972);
    // grep -c ',ANDORRE,' → 7 ; grep -c ',99138,' → 2 (Monaco, listed with pays FRANCE)
    expect(r.skippedReasons).toEqual({ 'outside France (pays = ANDORRE)': 7, 'outside France (code_insee = 99138, an INSEE country code)': 2 });
    // grep -n '^06086A' → 4962:06086A,LE BOUSCAT AP,…,33069,FRANCE,-0.589286,44.86918,3631 (lat/lon swapped)
    expect(r.rejects.map((x) => [x.line, x.column, x.value])).toEqual([[4962, 'latitude', '-0.589286']]);
    expect(r.rejects[0]!.reason).toMatch(/swapped/);
    expect(r.rows.length).toBe(17972 - 7 - 2 - 1);
    expect(new Set(r.rows.map((x) => x.facility_id)).size).toBe(r.rows.length);

    // awk -F, 'NR>1 && $11=="FRANCE" && $10 !~ /^99/ {print $3}' … | sort | uniq -c, minus the
    // rejected Le Bouscat agence postale communale:
    const byKind: Record<string, number> = {};
    for (const x of r.rows) byKind[String(x.kind)] = (byKind[String(x.kind)] ?? 0) + 1;
    expect(byKind).toEqual({
      'Agence postale': 1,
      'Agence postale communale': 7025 - 1,
      'Agence postale intercommunale': 234,
      'Agence postale ou Relais poste': 7,
      'Bureau de Poste': 6843,
      'Relais poste': 3853,
    });
  });

  it.skipIf(!sample.exists)('copies coordinates and commune from the raw line', async () => {
    const r = await convertLaPoste(sample.path);
    const byId = new Map(r.rows.map((x) => [x.facility_id, x]));
    // grep -n '^00001A,' → 2:00001A,AMBERIEU EN BUGEY,Bureau de Poste,,…,01500,AMBERIEU EN BUGEY,01004,FRANCE,45.9598,5.3582,3631
    expect(byId.get('laposte-00001A')).toEqual({ facility_id: 'laposte-00001A', service: 'post', lat: 45.9598, lon: 5.3582, commune_insee: '01004', source: 'laposte', kind: 'Bureau de Poste', _line: 2 });
    // grep -n '^01964B,' → 1605:01964B,CHICONI LPAC AP,Agence postale communale,…,97605,FRANCE,-12.832442,45.115264,3631 (Mayotte)
    expect(byId.get('laposte-01964B')).toMatchObject({ lat: -12.832442, lon: 45.115264, commune_insee: '97605', _line: 1605 });
  });
});
