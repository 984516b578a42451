import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertCommunes } from '../../src/importers/communes.ts';
import type { ImportResult } from '../../src/importers/types.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const balanced = (r: ImportResult) => expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
const dir = mkdtempSync(join(tmpdir(), 'cafe-ref-communes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('communes with centroids, small file', () => {
  it('keeps positions, rejects empty, invalid and duplicate rows with their line', async () => {
    const file = join(dir, 'communes_test_2024.csv');
    writeFileSync(file, [
      '\uFEFFcode_insee,nom,lat,lon', // 1 (with a BOM)
      '37109,Genillé,47.18,1.09', // 2
      '2A004,Ajaccio,41.9192,8.7386', // 3
      '60694,Les Hauts-Talican,,', // 4: no position
      '37109,Genillé bis,47.18,1.09', // 5: duplicate
      '97411,Saint-Denis,48.8,2.3', // 6: Paris-like point for a Réunion commune
      '1004,Ambérieu,45.96,5.36', // 7: leading zero lost
    ].join('\n'));
    const r = await convertCommunes(file);
    balanced(r);
    expect(r.dataset).toBe('commune_positions');
    // _line: the physical line numbered in the comments above (the BOM does not shift line 1)
    expect(r.rows).toEqual([
      { commune_insee: '37109', lat: 47.18, lon: 1.09, source: 'communes_test_2024', _line: 2 },
      { commune_insee: '2A004', lat: 41.9192, lon: 8.7386, source: 'communes_test_2024', _line: 3 },
      { commune_insee: '01004', lat: 45.96, lon: 5.36, source: 'communes_test_2024', _line: 7 },
    ]);
    expect(r.rejects.map((x) => [x.line, x.column])).toEqual([[4, 'lat'], [5, 'code_insee'], [6, 'lat']]);
    expect(r.rejects[0]!.reason).toMatch(/commune 60694 has no position/);
    expect(r.rejects[2]!.reason).toMatch(/outside La Réunion/);
  });
});

describe('communes_france_2024.csv', () => {
  const sample = requireSharedData('communes/communes_france_2024.csv');

  it.skipIf(!sample.exists)('gives a position to every commune but the three created in 2024', async () => {
    const r = await convertCommunes(sample.path);
    balanced(r);
    // tail -n +2 communes_france_2024.csv | wc -l → 34976 (shared/data/README.md: 34,976)
    expect(r.read).toBe(34976);
    expect(r.rows.length).toBe(34976 - 3);
    // grep -n '^60694,\|^85165,\|^85212,' → lines 23117, 32743, 32782, lat and lon empty
    expect(r.rejects.map((x) => [x.line, x.value])).toEqual([[23117, ''], [32743, ''], [32782, '']]);
    expect(r.rejects.map((x) => x.reason.slice(0, 14))).toEqual(['commune 60694 ', 'commune 85165 ', 'commune 85212 ']);
    // grep -n '^33063,' → 12370:33063,33,75,Bordeaux,COM,,44.86243,-0.58475,…
    expect(r.rows.find((x) => x.commune_insee === '33063')).toEqual({ commune_insee: '33063', lat: 44.86243, lon: -0.58475, source: 'communes_france_2024', _line: 12370 });
    // grep -n '^97411,' → 34947:97411,974,04,Saint-Denis,… (after the three rejected lines: no drift)
    expect(r.rows.find((x) => x.commune_insee === '97411')?._line).toBe(34947);
    // awk -F, 'NR>1 && $5=="ARM"' … | wc -l → 45 municipal arrondissements (20 Paris 751xx,
    // 9 Lyon 6938x, 16 Marseille 132xx), kept; the file has no quoted field (grep -c '"' → 0)
    expect(r.rows.filter((x) => /^(751\d\d|6938\d|132\d\d)$/.test(String(x.commune_insee))).length).toBe(45);
  });
});
