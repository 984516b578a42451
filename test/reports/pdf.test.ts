/**
 * The PDF reports read by poppler, software the project did not write (`pdfinfo`, `pdffonts`,
 * `pdftotext`, `pdftoppm`): A4 pages, every font embedded, the headline figures as selectable
 * text in the report's language, page numbers, the hostile café name printed as its characters,
 * one page for the café sheet, the same bytes for the same run, and page 1 rendered to an image
 * (kept in .test-artifacts/) that is not blank.
 *
 * Figures by hand on the golden network (test/helpers/golden-network.ts, as test/reports/html.test.ts):
 * km_saved.bread = 15 × 11.119508 + 20 × 5.559754 + 4 × 22.239016 = 366.943764 → "367 km";
 * km_saved = 522.616876 → "523 km"; C2's km = 20 × 5.559754 (bread) + 7 × 11.119508 (cash) +
 * 1 × 11.119508 (post) = 200.146 → "200 km"; C2 has 2 residents (< 5): "secret statistique";
 * programme guinguette_mobile: E1 + E2 = 300 + 200 = 500 people.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { HOSTILE, renderFrom, reportWarehouses } from '../helpers/report-network.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir } from '../helpers/warehouse.ts';

const ARTIFACTS = new URL('../../.test-artifacts/', import.meta.url).pathname;
const hasPoppler = requireTool('pdftotext', 'poppler-utils');

const run = (cmd: string, ...args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

let golden: string;
let hostile: string;
beforeAll(async () => {
  ({ golden, hostile } = await reportWarehouses());
}, 120_000);

async function pdf(path: string, template: string, lang: 'fr' | 'en', f: string | null = null): Promise<{ file: string; bytes: Buffer }> {
  const bytes = (await renderFrom(path, template, { lang, format: 'pdf', for: f })) as Buffer;
  const file = join(tempDir(), `${template}-${lang}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

const text = (file: string) => run('pdftotext', '-layout', file, '-').replace(/\u200b/g, '');
const info = (file: string) => Object.fromEntries(run('pdfinfo', file).split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));

/** pdffonts' table: every font embedded (the "emb" column). */
function fonts(file: string): { name: string; emb: string }[] {
  return run('pdffonts', file).split('\n').slice(2).filter(Boolean).map((l) => {
    const cols = l.trim().split(/\s+/);
    return { name: cols[0]!, emb: cols.at(-5)! };
  });
}

describe.runIf(hasPoppler)('the PDF reports through poppler', () => {
  it('annual, French and English: A4, embedded fonts, the figures as text in the locale, page numbers', async () => {
    const fr = await pdf(golden, 'annual', 'fr');
    const i = info(fr.file);
    expect(i['Page size']).toMatch(/^595\.2\d? x 841\.8\d? pts \(A4\)/);
    expect(Number(i.Pages)).toBeGreaterThanOrEqual(2);
    expect(i.Title).toBe('Chiffres clés du réseau — 2023');
    const f = fonts(fr.file);
    expect(f.length).toBeGreaterThan(0);
    expect(f.filter((x) => x.emb !== 'yes')).toEqual([]);
    const t = text(fr.file);
    expect(t).toMatch(/Kilomètres évités — pain\s+367 km/);
    expect(t).toMatch(/En 2023, les cafés du réseau ont évité 523 km de trajets/);
    expect(t).toContain(`page 1 sur ${i.Pages}`);
    expect(t).toContain('« secret statistique »'); // the French guillemets read back
    const en = await pdf(golden, 'annual', 'en');
    const te = text(en.file);
    expect(te).toMatch(/Kilometres saved — bread\s+367 km/);
    expect(te).toContain(`page 1 of ${info(en.file).Pages}`);
    expect(te).not.toContain('Kilomètres');
  }, 60_000);

  it('the same run gives the same bytes; the creation date is the run\'s', async () => {
    const a = await pdf(golden, 'annual', 'fr');
    const b = await pdf(golden, 'annual', 'fr');
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const wh = await Warehouse.open(golden, { readOnly: true, migrate: false });
    const started = (await wh.one<{ s: string }>("SELECT strftime(max(started_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') AS s FROM runs WHERE period = '2023'"))!.s;
    wh.close();
    // pdfinfo prints the date in UTC here (TZ unset): "Wed Dec  2 06:37:36 2026 UTC"
    const d = new Date(`${started}Z`);
    const shown = spawnSync('pdfinfo', [a.file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).stdout;
    expect(shown).toContain(`${d.getUTCHours().toString().padStart(2, '0')}:${d.getUTCMinutes().toString().padStart(2, '0')}:${d.getUTCSeconds().toString().padStart(2, '0')} ${d.getUTCFullYear()}`);
  }, 60_000);

  it('the café sheet: one A4 page, the café beside the network, "secret statistique" for its 2 residents; the hostile name printed as text', async () => {
    const r = await pdf(hostile, 'cafe-sheet', 'fr', 'cafe:C2');
    expect(info(r.file).Pages).toBe('1');
    const t = text(r.file);
    expect(t).toContain(`Fiche du café — ${HOSTILE} — 2023`);
    expect(t).toMatch(/Kilomètres évités — total\s+200 km\s+523 km/);
    expect(t).toMatch(/Habitants mobilisés\s+secret statistique\s+6 personnes/);
    expect(t).toMatch(/« secret statistique » : le nombre concerne moins de 5 personnes/);
    // page 1 rendered and kept; not blank: more than 2 % of its pixels are ink
    mkdirSync(ARTIFACTS, { recursive: true });
    run('pdftoppm', '-r', '60', '-f', '1', '-l', '1', '-png', '-singlefile', r.file, join(ARTIFACTS, 'cafe-sheet-page1'));
    const gray = join(tempDir(), 'p1');
    run('pdftoppm', '-r', '30', '-f', '1', '-l', '1', '-gray', '-singlefile', r.file, gray);
    expect(inkShare(readPgm(`${gray}.pgm`))).toBeGreaterThan(0.02);
  }, 60_000);

  it('every template, in both languages: A4 pages, every font embedded, numbered pages, page 1 not blank', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [template, path, f] of [['annual', golden, null], ['cohesion', golden, null], ['cafe-sheet', golden, 'cafe:C1'], ['itinerant', hostile, null], ['programme', golden, 'programme:guinguette_mobile']] as const) {
      for (const lang of ['fr', 'en'] as const) {
        const r = await pdf(path, template, lang, f);
        const i = info(r.file);
        expect(i['Page size'], template).toMatch(/\(A4\)/);
        expect(fonts(r.file).filter((x) => x.emb !== 'yes'), `${template} ${lang}`).toEqual([]);
        expect(text(r.file), `${template} ${lang}`).toContain(lang === 'fr' ? `page ${i.Pages} sur ${i.Pages}` : `page ${i.Pages} of ${i.Pages}`);
        const gray = join(tempDir(), `${template}-${lang}`);
        run('pdftoppm', '-r', '30', '-f', '1', '-l', '1', '-gray', '-singlefile', r.file, gray);
        expect(inkShare(readPgm(`${gray}.pgm`)), `${template} ${lang}: ink on page 1`).toBeGreaterThan(0.02);
        if (lang === 'fr') run('pdftoppm', '-r', '50', '-f', '1', '-l', '1', '-png', '-singlefile', r.file, join(ARTIFACTS, `${template}-pdf-page1`));
      }
    }
  }, 120_000);

  it('programme and itinerant: the events, dates and communes as text', async () => {
    const p = text((await pdf(golden, 'programme', 'fr', 'programme:guinguette_mobile')).file);
    expect(p).toMatch(/Personnes touchées par les\s+événements\s+500 personnes|Personnes touchées par les événements\s+500 personnes/);
    expect(p).toMatch(/20 mai 2023\s+Saint-Dizier\s+concert\s+Guinguette mobile/);
    const it2 = text((await pdf(hostile, 'itinerant', 'en')).file);
    expect(it2).toContain(`The itinerant café — ${HOSTILE} — 2023`);
    expect(it2).toMatch(/May 20, 2023\s+Saint-Dizier\s+concert/);
  }, 60_000);
});

/** The pixels of a binary PGM (P5, as pdftoppm -gray writes it: "P5\n<w> <h>\n255\n" then one byte a pixel). */
function readPgm(path: string): Uint8Array {
  const buf = readFileSync(path);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`${path}: not a binary PGM`);
  const [w, h] = [Number(header[1]), Number(header[2])];
  return buf.subarray(header[0].length, header[0].length + w * h);
}

const inkShare = (px: Uint8Array) => px.filter((v) => v < 200).length / px.length;
