/** `run`, `figures` and `explain` as a staff member or a script uses them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { folder, tempDir } from '../helpers/warehouse.ts';

const wh = join(tempDir(), 'w.duckdb');
beforeAll(async () => {
  const cafes = 'cafe_id,name,commune_insee,lat,lon,model,stage\nC1,=HYPERLINK("http://x"),51356,48.0,4.0,associative,operating\n';
  const facilities = 'facility_id,service,lat,lon,source\nB1,bread,48.1,4.0,test\n';
  expect((await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': cafes, 'facilities.csv': facilities }), '--period', '2023-Q1')).code).toBe(0);
  // 34,000 uses × 11.119508 km (0.1° of meridian, R = 6371.0088 km) = 378,063.272 km
  const uses = 'cafe_id,date,service,uses\nC1,2023-03-01,bread,34000\n';
  expect((await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': uses }), '--period', '2023')).code).toBe(0);
});

describe('cafe-impact run / figures / explain', () => {
  it('run prints the headline figures and exits 0', async () => {
    const r = await cli('--warehouse', wh, 'run', '--period', '2023');
    expect(r.code).toBe(0);
    // French by default: the declared label, the value with its unit once
    expect(r.stdout).toMatch(/Kilomètres évités — pain\s+378 063 km\n/);
    expect(r.stdout).toContain('Chiffres clés 2023 (calcul R');
    const en = await cli('--warehouse', wh, 'run', '--period', '2023', '--lang', 'en');
    expect(en.stdout).toMatch(/Kilometres saved — bread\s+378,063 km\n/);
    expect(r.stderr).toContain('warning: no cash facility in the warehouse for 1 café');
  });

  it('figures --format json: one sorted array, numbers as numbers, identical across runs but the run id', async () => {
    const a = (await cli('--warehouse', wh, 'figures', '--period', '2023', '--format', 'json')).stdout;
    const arr = JSON.parse(a) as { indicator: string; scope: string; value: number; run_id: string }[];
    const bread = arr.find((f) => f.indicator === 'km_saved.bread' && f.scope === 'network')!;
    expect(bread.value).toBe(378063.272);
    for (const f of arr) expect(f.value === null || typeof f.value === 'number').toBe(true);
    const keys = arr.map((f) => `${f.indicator}|${f.scope}`);
    expect(keys).toEqual([...keys].sort((x, y) => (x.split('|')[0]! < y.split('|')[0]! ? -1 : x.split('|')[0]! > y.split('|')[0]! ? 1 : 0)));
    await cli('--warehouse', wh, 'run', '--period', '2023');
    const b = (await cli('--warehouse', wh, 'figures', '--period', '2023', '--format', 'json')).stdout;
    const idA = arr[0]!.run_id;
    const idB = (JSON.parse(b) as { run_id: string }[])[0]!.run_id;
    expect(idB).not.toBe(idA);
    expect(b.replaceAll(idB, 'RUN')).toBe(a.replaceAll(idA, 'RUN'));
  });

  it('figures --format csv and xlsx for staff: French formatting, formula injection neutralised', async () => {
    const csv = (await cli('--warehouse', wh, 'figures', '--period', '2023', '--format', 'csv')).stdout;
    const line = csv.split('\r\n').find((l) => l.startsWith('km_saved.bread;network'))!;
    expect(line).toContain(';378 063;km;378063,272;');
    expect(csv).toContain(`;'=HYPERLINK(""http://x"")"`.slice(1)); // the café name starts with ' in its cell
    const out = join(tempDir(), 'f.xlsx');
    expect((await cli('--warehouse', wh, 'figures', '--period', '2023', '--format', 'xlsx', '--output', out)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Kilomètres évités')!;
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((c) => typeof c.value === 'string' && texts.push(c.value)));
    expect(texts.some((t) => t.startsWith('=HYPERLINK'))).toBe(false);
    expect(texts).toContain(`'=HYPERLINK("http://x")`);
  });

  it('explain km_saved shows the formula, the parameters, the input files and each café’s nearest facility', async () => {
    const r = await cli('--warehouse', wh, 'explain', 'km_saved.bread', '--period', '2023');
    expect(r.stdout).toContain('Formule : comme km_saved, service = bread');
    expect(r.stdout).toContain('"earth_radius_km":6371.0088');
    expect(r.stdout).toMatch(/service_uses\s+service_uses\.csv\s+[0-9a-f]{16}/);
    // French numbers: 11.119508 km rounded by explain to 11.12 → "11,12"; 34 000 uses; 378 063,3 km
    expect(r.stdout).toMatch(/C1\s+=HYPERLINK\("http:\/\/x"\)\s+bread\s+cafe\s+B1\s+test\s+11,12\s+34 000\s+378 063,3\s+ok/);
    const en = await cli('--warehouse', wh, 'explain', 'km_saved.bread', '--period', '2023', '--lang', 'en');
    expect(en.stdout).toContain('Formula: as km_saved, service = bread');
    expect(en.stdout).toMatch(/\s+11\.12\s+34,000\s+378,063\.3\s+ok/);
    expect((await cli('--warehouse', wh, 'explain', 'nope', '--period', '2023')).code).toBe(2);
  });
});
