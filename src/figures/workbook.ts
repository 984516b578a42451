/**
 * The staff workbook (`figures --format xlsx [--lang fr|en]`): what staff paste into the annual
 * report, in words, in French by default. Pure: no database, no console, no clock.
 *
 * Sheets:
 * - Synthèse / Summary: the network's headline figures (the families' `headline` indicators)
 *   as a label, the value as a number cell rounded at the unit's decimals, the unit in words and
 *   the sentence ("Kilomètres évités — pain : 376 789 km"); the run's date, id and method.
 * - one sheet per indicator family (its declared label): indicator, scope and unit in words, the
 *   codes (indicator id, scope code, department and region codes as text), values as numbers
 *   with the unit's decimals; a suppressed cell reads "secret statistique" (legend on each sheet,
 *   with the threshold of the run's parameters). Figures of no declared family: sheet "Autres".
 * - Avertissements / Warnings: the run's warnings.
 * - Provenance: run, date, period, method and code versions, every parameter and input file.
 *
 * Print setup: A4 landscape, fit to the page's width, the title and header rows repeated on
 * every page. Properties and the zip entries are dated from the run (its start), never from the
 * clock: the same run gives the same bytes.
 */
import { UserError } from '../core/errors.ts';
import { figureErrors } from '../core/messages.ts';
import { decimalsOf, formatDate, formatPeriod, formatValue, roundHalfUp, SUPPRESSED, unitName, type Lang } from '../format/locale.ts';
import { scopeLabel, scopeName } from '../format/labels.ts';
import type { IndicatorFamily } from '../indicators/family.ts';
import { FAMILIES, headlineIndicators, indicatorDef } from '../indicators/registry.ts';
import { canonicalParameters, cleanInputs, neutraliseFormula, sortFigures } from './export.ts';
import type { Figure, RunProvenance } from './types.ts';

export interface WorkbookRun extends RunProvenance {
  /** When the run started (ISO 8601): the workbook is dated from it. */
  started_at: string;
  warnings: { code: string; subject: string | null; message: string }[];
}

const T = {
  summary: { fr: 'Synthèse', en: 'Summary' },
  warnings: { fr: 'Avertissements', en: 'Warnings' },
  other: { fr: 'Autres', en: 'Other' },
  title: { fr: 'Chiffres clés du réseau', en: 'Network key figures' },
  runLine: {
    fr: (r: WorkbookRun) => `Calcul ${r.run_id} du ${formatDate(r.started_at, 'fr')}, méthode ${r.method_version}`,
    en: (r: WorkbookRun) => `Run ${r.run_id} of ${formatDate(r.started_at, 'en')}, method ${r.method_version}`,
  },
  legend: {
    fr: (n: string) => `« secret statistique » : valeur non publiée, parce qu’elle décrit moins de ${n} personnes ou qu’elle permettrait d’en recalculer une qui est secrète (METHODOLOGY.md, section 8).`,
    en: (n: string) => `"suppressed (confidential)": value not published, because it describes fewer than ${n} people or would let one that is be computed back (METHODOLOGY.md, section 8).`,
  },
  summaryHeader: { fr: ['Indicateur', 'Valeur', 'Unité', 'En toutes lettres'], en: ['Indicator', 'Value', 'Unit', 'In words'] },
  familyHeader: {
    fr: ['Indicateur', 'Périmètre', 'Libellé', 'Valeur', 'Unité', 'Identifiant', 'Code du périmètre'],
    en: ['Indicator', 'Scope', 'Label', 'Value', 'Unit', 'Indicator id', 'Scope code'],
  },
  uncertaintyHeader: { fr: ['Intervalle bas', 'Intervalle haut', 'Erreur type', 'Effectif', 'Niveau'], en: ['Interval low', 'Interval high', 'Standard error', 'n', 'Level'] },
  warningsHeader: { fr: ['Code', 'Objet', 'Message'], en: ['Code', 'Subject', 'Message'] },
  noWarning: { fr: 'Aucun avertissement pour ce calcul.', en: 'No warning for this run.' },
  provenance: {
    fr: { head: ['Rubrique', 'Clé', 'Valeur'], run: 'calcul', date: 'date', period: 'période', method: 'méthode', code: 'version du code', param: 'paramètre', input: 'entrée', inputsHead: ['entrée', 'jeu de données', 'fichier', 'sha256', 'chargement'] },
    en: { head: ['Section', 'Key', 'Value'], run: 'run', date: 'date', period: 'period', method: 'method', code: 'code version', param: 'parameter', input: 'input', inputsHead: ['input', 'dataset', 'file', 'sha256', 'load'] },
  },
} as const;

/** Characters XML 1.0 forbids: a hostile label containing them would make an unreadable workbook. */
function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

/** Text from the data, as a text cell that no spreadsheet runs as a formula. */
function text(s: string): string {
  return xmlSafe(neutraliseFormula(s));
}

/** Excel number format for a count of decimals (stored locale-independently, shown with the reader's separators). */
function numFmt(decimals: number): string {
  return decimals <= 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
function sheetName(s: string): string {
  return s.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

function minCellOf(prov: RunProvenance): string {
  const v = (prov.parameters as { disclosure?: { min_cell?: unknown } }).disclosure?.min_cell;
  return typeof v === 'number' ? String(v) : '?';
}

export async function figuresToWorkbook(
  figures: Figure[],
  run: WorkbookRun,
  opts: { lang?: Lang; families?: readonly IndicatorFamily[] } = {},
): Promise<Buffer> {
  const lang = opts.lang ?? 'fr';
  const families = opts.families ?? FAMILIES;
  const rows = sortFigures(figures, run);
  const runDate = new Date(run.started_at);
  if (Number.isNaN(runDate.getTime())) throw new UserError(figureErrors.badRunStart(run.started_at));
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cafe-impact';
  wb.lastModifiedBy = 'cafe-impact';
  wb.created = runDate;
  wb.modified = runDate;
  wb.title = `${T.title[lang]} — ${formatPeriod(run.period, lang)}`;
  wb.subject = run.run_id;
  const bold = { bold: true, name: 'Calibri', size: 11 };
  const titleFont = { bold: true, name: 'Calibri', size: 14 };
  const legend = T.legend[lang](minCellOf(run));
  const printSetup = (ws: import('exceljs').Worksheet, titleRows: number) => {
    ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${titleRows}`, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } };
    ws.headerFooter = { oddFooter: `&L${xmlSafe(run.run_id)}&R&P / &N` };
  };

  // --- Summary
  const ss = wb.addWorksheet(sheetName(T.summary[lang]));
  ss.columns = [{ width: 48 }, { width: 16 }, { width: 28 }, { width: 70 }];
  ss.addRow([`${T.title[lang]} — ${formatPeriod(run.period, lang)}`]).font = titleFont;
  ss.addRow([T.runLine[lang](run)]);
  ss.addRow([]);
  ss.addRow([...T.summaryHeader[lang]]).font = bold;
  const network = new Map(rows.filter((f) => f.scope === 'network').map((f) => [f.indicator, f]));
  for (const d of headlineIndicators(families)) {
    const f = network.get(d.id);
    if (!f) continue; // not computed this run: the warnings sheet says why
    const label = d.label[lang];
    if (f.suppressed || f.value === null) {
      ss.addRow([label, SUPPRESSED[lang], unitName(d.unit, lang), `${label}${lang === 'fr' ? ' : ' : ': '}${SUPPRESSED[lang]}`]);
      continue;
    }
    const dec = decimalsOf(f.unit);
    const row = ss.addRow([label, roundHalfUp(f.value, dec), unitName(f.unit, lang, f.value), `${label}${lang === 'fr' ? ' : ' : ': '}${formatValue(f.value, f.unit, lang)}`]);
    row.getCell(2).numFmt = numFmt(dec);
  }
  ss.addRow([]);
  ss.addRow([legend]).font = { italic: true, name: 'Calibri', size: 9 };
  ss.views = [{ state: 'frozen', xSplit: 0, ySplit: 4 }];
  printSetup(ss, 4);

  // --- One sheet per family
  const defs = new Map(rows.map((f) => [f.indicator, indicatorDef(f.indicator, families)]));
  const groups: { name: string; figures: Figure[]; uncertainty: boolean }[] = families.map((fam) => ({ name: fam.label[lang], figures: rows.filter((f) => defs.get(f.indicator)?.family === fam), uncertainty: fam.uncertainty === true }));
  const others = rows.filter((f) => !defs.get(f.indicator));
  if (others.length) groups.push({ name: T.other[lang], figures: others, uncertainty: others.some((f) => f.se !== null || f.ci_low !== null) });
  for (const g of groups) {
    if (g.figures.length === 0) continue;
    const ws = wb.addWorksheet(sheetName(g.name));
    ws.columns = [{ width: 44 }, { width: 14 }, { width: 34 }, { width: 16 }, { width: 26 }, { width: 30 }, { width: 16 }, ...(g.uncertainty ? [{ width: 14 }, { width: 14 }, { width: 14 }, { width: 10 }, { width: 10 }] : [])];
    ws.addRow([`${g.name} — ${formatPeriod(run.period, lang)}`]).font = titleFont;
    ws.addRow([legend]).font = { italic: true, name: 'Calibri', size: 9 };
    const header = [...T.familyHeader[lang], ...(g.uncertainty ? T.uncertaintyHeader[lang] : [])];
    ws.addRow([...header]).font = bold;
    for (const f of g.figures) {
      const d = defs.get(f.indicator);
      const shown = f.suppressed || f.value === null;
      const dec = decimalsOf(f.unit);
      const row = ws.addRow([
        text(d?.label[lang] ?? f.indicator),
        scopeName(f.scope, lang),
        text(scopeLabel(f.scope, f.scope_id, f.scope_label, lang)),
        shown ? (f.suppressed ? SUPPRESSED[lang] : null) : roundHalfUp(f.value!, dec),
        unitName(f.unit, lang, f.value ?? undefined),
        text(f.indicator),
        f.scope_id === null ? null : text(f.scope_id),
        ...(g.uncertainty ? [f.ci_low, f.ci_high, f.se, f.n, f.ci_level] : []),
      ]);
      if (!shown) row.getCell(4).numFmt = numFmt(dec);
      if (g.uncertainty) for (const c of [8, 9, 10]) row.getCell(c).numFmt = numFmt(dec + 2);
      row.getCell(7).numFmt = '@'; // codes stay text: "01", "2A004"
    }
    ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 3 }];
    ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: header.length } };
    printSetup(ws, 3);
  }

  // --- Warnings
  const wsw = wb.addWorksheet(sheetName(T.warnings[lang]));
  wsw.columns = [{ width: 20 }, { width: 22 }, { width: 120 }];
  wsw.addRow([...T.warningsHeader[lang]]).font = bold;
  for (const w of run.warnings) wsw.addRow([text(w.code), w.subject === null ? null : text(w.subject), text(w.message)]);
  if (run.warnings.length === 0) wsw.addRow([T.noWarning[lang]]);
  wsw.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];
  printSetup(wsw, 1);

  // --- Provenance
  const P = T.provenance[lang];
  const ps = wb.addWorksheet('Provenance');
  ps.columns = [{ width: 16 }, { width: 30 }, { width: 68 }, { width: 70 }, { width: 26 }];
  ps.addRow([...P.head]).font = bold;
  ps.addRow([P.run, 'run_id', text(run.run_id)]);
  ps.addRow([P.run, P.date, formatDate(run.started_at, lang)]);
  ps.addRow([P.run, P.period, text(run.period)]);
  ps.addRow([P.run, P.method, text(run.method_version)]);
  ps.addRow([P.run, P.code, text(run.code_version)]);
  for (const [key, value] of flattenParameters(canonicalParameters(run))) {
    ps.addRow([P.param, text(key), typeof value === 'number' ? value : text(typeof value === 'string' ? value : JSON.stringify(value))]);
  }
  ps.addRow([]);
  ps.addRow([...P.inputsHead]).font = bold;
  for (const i of cleanInputs(run)) ps.addRow([P.input, text(i.dataset), text(i.file), text(i.sha256), text(i.load_id)]);
  printSetup(ps, 1);

  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return datedZip(buf, runDate);
}

/** Parameters as [dotted path, leaf] pairs; arrays and empty objects are leaves (shown as JSON). */
function flattenParameters(v: unknown, prefix = ''): [string, unknown][] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
    return Object.entries(v).flatMap(([k, x]) => flattenParameters(x, prefix ? `${prefix}.${k}` : k));
  }
  return prefix ? [[prefix, v]] : [];
}

/**
 * Sets every entry's DOS modification time in a zip (local headers and central directory) to
 * `when`, in Paris time, instead of the clock's (JSZip's). Headers are not covered by the CRC,
 * so the archive stays valid.
 */
function datedZip(zip: Buffer, when: Date): Buffer {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(when)
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  const year = Math.max(1980, p.year!);
  const DOS_DATE = ((year - 1980) << 9) | (p.month! << 5) | p.day!;
  const DOS_TIME = (p.hour! << 11) | (p.minute! << 5) | Math.floor(p.second! / 2);
  const out = Buffer.from(zip);
  let eocd = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 65557); i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('xlsx: end of central directory not found');
  const count = out.readUInt16LE(eocd + 10);
  let q = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (out.readUInt32LE(q) !== 0x02014b50) throw new Error('xlsx: bad central directory entry');
    out.writeUInt16LE(DOS_TIME, q + 12);
    out.writeUInt16LE(DOS_DATE, q + 14);
    const local = out.readUInt32LE(q + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('xlsx: bad local file header');
    out.writeUInt16LE(DOS_TIME, local + 10);
    out.writeUInt16LE(DOS_DATE, local + 12);
    q += 46 + out.readUInt16LE(q + 28) + out.readUInt16LE(q + 30) + out.readUInt16LE(q + 32);
  }
  return out;
}
