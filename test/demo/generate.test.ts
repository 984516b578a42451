import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoSummary } from '../../src/demo/generate.ts';

const require = createRequire(import.meta.url);
const communes = require('@etalab/decoupage-administratif/data/communes.json') as { code: string; type: string; population?: number }[];
const population = new Map(communes.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c.population ?? 0]));

const YEAR = 2023;
const OPTIONS = { scale: 1, seed: 2023, year: YEAR, salesLinesPerDay: 1 };

/** Minimal CSV parser (quoted fields, doubled quotes, CRLF), good enough for the demo files. */
function parseCsv(text: string, sep: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.endsWith('\r') ? field.slice(0, -1) : field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries((header ?? []).map((h, k) => [h.replace(/^\uFEFF/, ''), r[k] ?? ''])));
}

/** SIREN check written independently of the generator: Luhn over the 9 digits. */
function luhnValid(siren: string): boolean {
  if (!/^\d{9}$/.test(siren)) return false;
  let sum = 0;
  [...siren].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

let tmp: string;
let dirA: string;
let dirB: string;
let summary: DemoSummary;

const readUtf8 = (rel: string) => readFile(path.join(dirA, rel), 'utf8');
const quarters = [1, 2, 3, 4].map((q) => `${YEAR}-Q${q}`);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'demo-test-'));
  dirA = path.join(tmp, 'a');
  dirB = path.join(tmp, 'b');
  summary = await generateDemo({ out: dirA, ...OPTIONS });
  await generateDemo({ out: dirB, ...OPTIONS });
}, 60_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('generateDemo', () => {
  it('is deterministic: the same options give byte-identical files', async () => {
    const filesA = await listFiles(dirA);
    const filesB = await listFiles(dirB);
    expect(filesA).toEqual(filesB);
    expect(filesA.length).toBeGreaterThan(20);
    for (const f of filesA) expect(await sha256(path.join(dirB, f)), f).toBe(await sha256(path.join(dirA, f)));
  });

  it('gives different data for another seed', async () => {
    const dirC = path.join(tmp, 'c');
    await generateDemo({ out: dirC, ...OPTIONS, scale: 0.2, seed: 7 });
    const dirD = path.join(tmp, 'd');
    await generateDemo({ out: dirD, ...OPTIONS, scale: 0.2, seed: 8 });
    expect(await sha256(path.join(dirC, 'reference/cafes.csv'))).not.toBe(await sha256(path.join(dirD, 'reference/cafes.csv')));
  }, 30_000);

  it('places about 220 cafés in about 70 departments, in real small communes', async () => {
    expect(summary.cafes).toBeGreaterThanOrEqual(200);
    expect(summary.cafes).toBeLessThanOrEqual(240);
    expect(summary.departments).toBeGreaterThanOrEqual(60);
    expect(summary.departments).toBeLessThanOrEqual(80);

    const text = iconv.decode(await readFile(path.join(dirA, 'reference/cafes.csv')), 'win1252');
    const cafes = parseCsv(text, ';');
    expect(cafes).toHaveLength(summary.cafes);
    const departments = new Set<string>();
    for (const c of cafes) {
      const pop = population.get(c.commune_insee as string);
      expect(pop, `commune ${c.commune_insee}`).toBeDefined();
      expect(pop as number).toBeLessThan(3500);
      departments.add((c.commune_insee as string).startsWith('97') ? (c.commune_insee as string).slice(0, 3) : (c.commune_insee as string).slice(0, 2));
    }
    expect(departments.size).toBe(summary.departments);
    expect(cafes.filter((c) => c.model === 'itinerant')).toHaveLength(1);
    expect(text).toContain('œ');
    expect(text).toContain('’');
    expect(text).toContain('é');
  });

  it('sends the itinerant café to 15 distinct communes on 24 dates, May to September', async () => {
    const cafes = parseCsv(iconv.decode(await readFile(path.join(dirA, 'reference/cafes.csv')), 'win1252'), ';');
    const itinerant = cafes.find((c) => c.model === 'itinerant')?.cafe_id;
    const events = (await Promise.all(quarters.map((q) => readUtf8(`${q}/events.csv`)))).flatMap((t) => parseCsv(t, ','));
    const tour = events.filter((e) => e.cafe_id === itinerant);
    expect(tour.length).toBe(60);
    expect(tour.every((e) => e.programme === 'guinguette_mobile')).toBe(true);
    expect(new Set(tour.map((e) => e.commune_insee)).size).toBe(15);
    expect(new Set(tour.map((e) => (e.commune_insee as string).slice(0, 2))).size).toBe(1);
    expect(new Set(tour.map((e) => e.date)).size).toBe(24);
    expect(tour.every((e) => (e.date as string) >= `${YEAR}-05-01` && (e.date as string) <= `${YEAR}-09-30`)).toBe(true);
    expect(new Set(tour.flatMap((e) => (e.association_ids as string).split('|').filter(Boolean))).size).toBe(12);
    const producers = new Set(tour.flatMap((e) => (e.producer_ids as string).split('|').filter(Boolean)));
    expect(producers.size).toBe(15);
    for (const p of producers) expect(luhnValid(p), p).toBe(true);
  });

  it('gives every supplier a SIREN with a valid Luhn key', async () => {
    let count = 0;
    for (const q of quarters) {
      for (const s of parseCsv(await readUtf8(`${q}/suppliers.csv`), ',')) {
        expect(luhnValid(s.siren as string), s.siren).toBe(true);
        count++;
      }
    }
    expect(count).toBeGreaterThan(1000);
    expect(luhnValid('732829320')).toBe(true); // the contract's example
    expect(luhnValid('732829321')).toBe(false);
  });

  it('reports row counts equal to the lines in the files', async () => {
    for (const f of summary.files) {
      const bytes = await readFile(path.join(dirA, f.path));
      let newlines = 0;
      for (const b of bytes) if (b === 0x0a) newlines++;
      expect(newlines - 1, f.path).toBe(f.rows);
      expect(bytes.length, f.path).toBe(f.bytes);
    }
    expect(summary.files.map((f) => f.path)).toContain(`${YEAR}-Q3/cafes.csv`);
    expect(summary.files.filter((f) => f.dataset === 'survey').map((f) => f.path)).toEqual([`${YEAR}-Q2/survey.csv`, `${YEAR}-Q4/survey.csv`]);
  });

  it('plants a handful of bad rows in Q2 service uses, and reports them', async () => {
    const file = summary.files.find((f) => f.path === `${YEAR}-Q2/service_uses.csv`);
    expect(file?.badRows).toBeGreaterThanOrEqual(8);
    expect(file?.badRows).toBeLessThanOrEqual(12);
    expect((file?.badRows ?? 0) / (file?.rows ?? 1)).toBeLessThan(0.01);
    expect(summary.files.filter((f) => f.path !== file?.path).every((f) => f.badRows === 0)).toBe(true);
    const lines = (await readUtf8(`${YEAR}-Q2/service_uses.csv`)).split('\n');
    for (const bad of summary.badRows) {
      expect(bad.file).toBe(file?.path);
      expect(lines[bad.line - 1], bad.reason).toBeDefined();
    }
    const reported = summary.badRows.map((b) => lines[b.line - 1] as string);
    expect(reported.some((l) => /,-\d+$/.test(l))).toBe(true); // negative uses
    expect(reported.some((l) => l.split(',').length === 3)).toBe(true); // missing column
  });

  it('writes the office formats: `;`, French dates and decimal commas in Q1', async () => {
    const uses = await readUtf8(`${YEAR}-Q1/service_uses.csv`);
    expect(uses.split('\r\n')[1]).toMatch(/^C\d+;\d{2}\/\d{2}\/\d{4};[a-z]+;\d+$/);
    const sales = await readUtf8(`${YEAR}-Q1/sales.csv`);
    expect(sales.split('\r\n')[1]).toMatch(/^C\d+;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};[a-z-]+;-?\d+,\d{2};-?\d+$/);
    expect((await readFile(path.join(dirA, 'reference/staff.csv'))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const q2 = parseCsv(await readUtf8(`${YEAR}-Q2/sales.csv`), ',');
    expect(q2.every((s) => (s.ts as string).startsWith(`${YEAR}-0`) && /^-?\d+\.\d{2}$/.test(s.amount_eur as string))).toBe(true);
  });

  describe('reference/commune_positions.csv', () => {
    const readPositions = async () => parseCsv(await readUtf8('reference/commune_positions.csv'), ',');
    const readAll = async (name: string) => (await Promise.all(quarters.map(async (q) => {
      const file = summary.files.find((f) => f.path === `${q}/${name}`);
      return file ? parseCsv(await readUtf8(file.path), file.delimiter) : [];
    }))).flat();

    it('is listed in the summary and in the README, as UTF-8 with `,`', async () => {
      const file = summary.files.find((f) => f.path === 'reference/commune_positions.csv');
      expect(file).toMatchObject({ dataset: 'commune_positions', encoding: 'utf-8', delimiter: ',', badRows: 0 });
      expect(file?.rows).toBeGreaterThan(summary.cafes);
      expect((await readUtf8('reference/commune_positions.csv')).split('\n')[0]).toBe('commune_insee,lat,lon,source');
      expect(await readUtf8('README.md')).toContain('| `reference/commune_positions.csv` | commune_positions |');
    });

    it('has a row for the commune of every supplier without coordinates', async () => {
      const positions = new Set((await readPositions()).map((p) => p.commune_insee));
      const unlocated = (await readAll('suppliers.csv')).filter((s) => s.lat === '' || s.lon === '');
      expect(unlocated.length).toBeGreaterThan(50);
      for (const s of unlocated) expect(positions.has(s.commune_insee), `supplier ${s.siren} in ${s.commune_insee}`).toBe(true);
    });

    it('has one row per commune used anywhere in the demo, with unique codes', async () => {
      const rows = await readPositions();
      const codes = rows.map((p) => p.commune_insee as string);
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes).toEqual([...codes].sort());
      const cafes = parseCsv(iconv.decode(await readFile(path.join(dirA, 'reference/cafes.csv')), 'win1252'), ';');
      const used = new Set([
        ...cafes.map((c) => c.commune_insee),
        ...parseCsv(await readUtf8('reference/candidates.csv'), ',').map((c) => c.commune_insee),
        ...parseCsv(await readUtf8('reference/facilities.csv'), ',').map((f) => f.commune_insee).filter(Boolean),
        ...(await readAll('events.csv')).map((e) => e.commune_insee),
        ...(await readAll('suppliers.csv')).map((s) => s.commune_insee),
        ...(await readAll('survey.csv')).map((r) => r.commune_insee),
      ]);
      expect([...used].sort()).toEqual(codes);
      for (const code of codes) expect(population.has(code), code).toBe(true);
    });

    it('gives synthetic positions within metropolitan France, a café commune its café\'s', async () => {
      const rows = await readPositions();
      for (const p of rows) {
        const lat = Number(p.lat);
        const lon = Number(p.lon);
        expect(p.source, p.commune_insee).toBe('demo-synthetic');
        expect(lat, p.commune_insee).toBeGreaterThanOrEqual(41);
        expect(lat, p.commune_insee).toBeLessThanOrEqual(51.5);
        expect(lon, p.commune_insee).toBeGreaterThanOrEqual(-5.5);
        expect(lon, p.commune_insee).toBeLessThanOrEqual(10);
        expect(p.lat).toMatch(/^\d+\.\d{5}$/);
        expect(p.lon).toMatch(/^-?\d+\.\d{5}$/);
      }
      const byCode = new Map(rows.map((p) => [p.commune_insee, p]));
      const cafes = parseCsv(iconv.decode(await readFile(path.join(dirA, 'reference/cafes.csv')), 'win1252'), ';');
      for (const c of cafes) expect(byCode.get(c.commune_insee), c.cafe_id).toMatchObject({ lat: c.lat, lon: c.lon });
    });
  });

  it('matches the report at scale 1: residents, micro-enterprises, jobs, km saved', () => {
    const e = summary.expected;
    expect(e.residentsMobilised).toBe(718);
    expect(e.microEnterprises).toBe(414);
    expect(e.jobs).toBe(94);
    expect(e.kmSaved.bread).toBeGreaterThan(378_000 * 0.9);
    expect(e.kmSaved.bread).toBeLessThan(378_000 * 1.1);
    expect(e.kmSaved.cash).toBeGreaterThan(10_000 * 0.75);
    expect(e.kmSaved.cash).toBeLessThan(10_000 * 1.25);
    expect(e.kmSaved.post).toBeGreaterThan(3_300 * 0.75);
    expect(e.kmSaved.post).toBeLessThan(3_300 * 1.25);
  });
});
