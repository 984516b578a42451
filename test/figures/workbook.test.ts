/**
 * The staff workbook (`figures --format xlsx`), on the golden network (test/helpers/golden-network.ts,
 * whose figures test/indicators/golden.test.ts works out by hand), read back by exceljs and by
 * LibreOffice, software the project did not write, converting it headless to CSV.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/runs/config.ts';
import { latestRun, runFigures, type RunRecord } from '../../src/figures/store.ts';
import type { Figure } from '../../src/figures/types.ts';
import { figuresToWorkbook } from '../../src/figures/workbook.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { ingestGolden } from '../helpers/golden-network.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir, tempWarehouse } from '../helpers/warehouse.ts';

let run: RunRecord;
let figures: Figure[];
let fr: Buffer;
beforeAll(async () => {
  const wh = await tempWarehouse();
  try {
    await ingestGolden(wh);
    await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
    run = await latestRun(wh, '2023');
    figures = await runFigures(wh, run.run_id);
  } finally {
    wh.close();
  }
  fr = await figuresToWorkbook(figures, run);
});

async function read(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
const rowsOf = (ws: ExcelJS.Worksheet) => {
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
};

describe('the staff workbook', () => {
  it('has a summary, one sheet per family, the warnings and the provenance, in French by default', async () => {
    const wb = await read(fr);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Synthèse', 'Kilomètres évités', 'Emplois', 'Fournisseurs locaux', 'Habitants mobilisés', 'Événements', 'Avertissements', 'Provenance']);
    const en = await read(await figuresToWorkbook(figures, run, { lang: 'en' }));
    expect(en.worksheets.map((w) => w.name)).toEqual(['Summary', 'Kilometres saved', 'Jobs', 'Local suppliers', 'Residents mobilised', 'Events', 'Warnings', 'Provenance']);
  });

  it('gives the headline figures in words, values as numbers at the unit’s decimals', async () => {
    const rows = rowsOf((await read(fr)).getWorksheet('Synthèse')!);
    const line = (label: string) => rows.find((r) => r[0] === label);
    // golden network: bread 366.943764 km → 367; post 77.836556 → 78; total 444.78032 → 445
    expect(line('Kilomètres évités — pain')).toEqual(['Kilomètres évités — pain', 367, 'km', 'Kilomètres évités — pain : 367 km']);
    expect(line('Kilomètres évités — total')?.[1]).toBe(445);
    // no cash facility: no cash figure, so no line (the warnings sheet says why)
    expect(line('Kilomètres évités — retrait d’espèces')).toBeUndefined();
    // 444.78032 / 40 075.017 = 0.0111 → 1 decimal → 0.0
    expect(line('Tours de la Terre')?.slice(1)).toEqual([0, 'fois le tour de la Terre', 'Tours de la Terre : 0,0 fois le tour de la Terre']);
    // jobs: all 3 people work in one region, so the network total is suppressed (METHODOLOGY 8.2)
    expect(line('Emplois hors gérants (personnes)')?.slice(1, 2)).toEqual(['secret statistique']);
    // residents 6 (PR01 once), events 3 with 512 people
    expect(line('Habitants mobilisés')?.slice(1)).toEqual([6, 'personnes', 'Habitants mobilisés : 6 personnes']);
    expect(line('Personnes touchées par les événements')?.[1]).toBe(512);
    expect(String(rows[1]![0])).toMatch(new RegExp(`^Calcul ${run.run_id} du \\d{1,2}(er)? \\p{L}+ \\d{4}, méthode ${run.method_version.replace(/\./g, '\\.')}$`, 'u'));
    expect(rows.at(-1)![0]).toContain('moins de 5 personnes'); // the threshold of the run's parameters
  });

  it('family sheets: labels and scopes in words, codes as text, suppressed cells marked', async () => {
    const wb = await read(fr);
    const ws = wb.getWorksheet('Kilomètres évités')!;
    const rows = rowsOf(ws);
    expect(rows[2]).toEqual(['Indicateur', 'Périmètre', 'Libellé', 'Valeur', 'Unité', 'Identifiant', 'Code du périmètre']);
    // C3's department, the Ain: code "01" stays text
    const ain = rows.find((r) => r[0] === 'Kilomètres évités — total' && r[1] === 'Département' && r[6] === '01')!;
    expect(ain[2]).toBe('Ain');
    expect(ws.getCell(`G${rows.indexOf(ain) + 1}`).type).toBe(ExcelJS.ValueType.String);
    // C3: 4 bread uses × 22.239016 km = 88.956064 → 89
    expect(ain[3]).toBe(89);
    expect(ws.getCell(`D${rows.indexOf(ain) + 1}`).numFmt).toBe('#,##0');
    const jobs = rowsOf(wb.getWorksheet('Emplois')!);
    const cdd = jobs.find((r) => r[0] === 'Emplois hors gérants (personnes)' && r[1] === 'Contrat' && r[6] === 'CDD')!;
    expect(cdd[3]).toBe('secret statistique'); // 1 person
    expect(jobs[1]![0]).toContain('« secret statistique »');
  });

  it('prints landscape, fit to width, headers repeated; dated from the run, not the clock', async () => {
    const wb = await read(fr);
    const ws = wb.getWorksheet('Kilomètres évités')!;
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:3' });
    // the run's start, to the second (the workbook's properties keep no milliseconds)
    expect(wb.created.toISOString()).toBe(run.started_at.replace(/\.\d+Z$/, '.000Z'));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2031-12-25T23:59:58Z'));
      expect((await figuresToWorkbook([...figures].reverse(), run)).equals(fr)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lists the run’s warnings', async () => {
    const rows = rowsOf((await read(fr)).getWorksheet('Avertissements')!);
    expect(rows[0]).toEqual(['Code', 'Objet', 'Message']);
    expect(rows.find((r) => r[0] === 'no_facility')?.[1]).toBe('cash');
  });

  const office = requireTool('soffice', 'libreoffice-calc-nogui');
  it.skipIf(!office)('reads back in LibreOffice: the summary figures are numbers', () => {
    const dir = tempDir('lo-');
    writeFileSync(join(dir, 'chiffres.xlsx'), fr);
    // CSV export options: comma, double quote, UTF-8, …, token 7 "quote all text cells" = true
    // (so a number cell is the one unquoted field), token 12 = -1: every sheet to its own file.
    const r = spawnSync(
      'soffice',
      [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,-1', '--outdir', join(dir, 'out'), join(dir, 'chiffres.xlsx')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toContain('chiffres-Synthèse.csv');
    const summary = readFileSync(join(dir, 'out', 'chiffres-Synthèse.csv'), 'utf8').split(/\r?\n/);
    // unquoted = a number cell: 367 km of bread, 445 km in total, 6 residents, 512 people reached
    expect(summary).toContain('"Kilomètres évités — pain",367,"km","Kilomètres évités — pain : 367 km"');
    expect(summary).toContain('"Kilomètres évités — total",445,"km","Kilomètres évités — total : 445 km"');
    expect(summary).toContain('"Habitants mobilisés",6,"personnes","Habitants mobilisés : 6 personnes"');
    expect(summary.find((l) => l.startsWith('"Personnes touchées par les événements",'))).toMatch(/^"[^"]+",512,/);
    expect(summary.find((l) => l.startsWith('"Emplois hors gérants (personnes)",'))).toMatch(/^"[^"]+","secret statistique",/);
    // the department code stays text: quoted "01", not the number 1
    const km = readFileSync(join(dir, 'out', 'chiffres-Kilomètres évités.csv'), 'utf8');
    expect(km).toContain('"Kilomètres évités — total","Département","Ain",89,"km","km_saved","01"');
  });
});
