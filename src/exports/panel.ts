/**
 * `cafe-impact export panel`: the commune × year panel a researcher opens in R, Python or Stata,
 * with its codebook. One row per commune and year, for the communes with a café and the candidate
 * communes, over the years any of its variables has a value:
 *   - identification: commune_insee, commune_name, department, region, year;
 *   - treatment (src/indicators/did.ts): `cohort` (year of the earliest non-itinerant dated
 *     opening), `treated` (1 from the cohort year on, 0 before and for controls), `did_sample`
 *     (1 for the treated and control communes of the difference-in-differences, whatever the
 *     outcome; `cafe-impact did` then also leaves out, per outcome, cohorts with no year observed
 *     before their opening);
 *   - every objective indicator of `commune_indicators` (current versions), one column each;
 *   - the survey estimates and the well-being index of the latest successful run of each year,
 *     with `_se`, `_n`, `_low`, `_high` where they have them. Suppression applies: a suppressed
 *     estimate is empty, as in every published output.
 * Variable names work in Stata: dots become underscores, at most 32 characters (a long name is
 * cut before its suffix), and two variables that would get the same name are refused.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { exportErrors } from '../core/messages.ts';
import { writeParquet } from '../db/export-parquet.ts';
import { literal } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { treatmentAssignment, validSql } from '../indicators/did.ts';
import { indicatorDef } from '../indicators/registry.ts';
import { csvRow } from '../io/csv.ts';
import { unitName } from '../format/locale.ts';

export type PanelFormat = 'csv' | 'parquet' | 'arrow';

export interface CodebookEntry {
  variable: string;
  label: string;
  definition: string;
  unit: string;
  source: string;
  method_version: string;
}

export interface Panel {
  variables: (CodebookEntry & { type: 'VARCHAR' | 'INTEGER' | 'DOUBLE' })[];
  rows: (string | number | null)[][];
}

/** A Stata-safe name: dots (and anything else) to underscores, the suffix kept within 32 characters. */
export function stataName(base: string, suffix = ''): string {
  const b = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
  return `${b.slice(0, 32 - suffix.length)}${suffix}`;
}

export async function buildPanel(wh: Warehouse): Promise<Panel> {
  const valid = validSql();
  const t = await treatmentAssignment(wh, valid);
  const candidates = (await wh.all<{ c: string }>(`SELECT commune_insee AS c FROM candidates WHERE ${valid}`)).map((r) => r.c);
  const communes = [...new Set([...t.withCafe, ...candidates])].sort();
  const inList = communes.length ? communes.map(literal).join(', ') : "''";
  const names = new Map(
    (await wh.all<{ code: string; name: string; department: string; region: string }>(`SELECT code, name, department, region FROM ref_communes WHERE code IN (${inList})`)).map((r) => [r.code, r]),
  );
  type Cell = Map<string, number | null>; // variable → value, per commune|year
  const cells = new Map<string, Cell>();
  const put = (c: string, y: number, v: string, x: number | null) => {
    const k = `${c}|${y}`;
    let m = cells.get(k);
    if (!m) cells.set(k, (m = new Map()));
    m.set(v, x);
  };
  const vars: Panel['variables'] = [];
  const seen = new Map<string, string>();
  const declare = (e: CodebookEntry, type: 'VARCHAR' | 'INTEGER' | 'DOUBLE', what: string) => {
    const other = seen.get(e.variable);
    if (other !== undefined) {
      if (other === what) return;
      throw new UserError(exportErrors.nameCollision(e.variable, other, what));
    }
    seen.set(e.variable, what);
    vars.push({ ...e, type });
  };
  const id = (variable: string, label: string, definition: string, type: 'VARCHAR' | 'INTEGER') =>
    declare({ variable, label, definition, unit: '', source: 'ref_communes, cafes, candidates', method_version: '' }, type, variable);
  id('commune_insee', 'INSEE code of the commune', 'Official commune code (COG)', 'VARCHAR');
  id('commune_name', 'Commune', 'Name in the official list', 'VARCHAR');
  id('department', 'Department', 'Department code', 'VARCHAR');
  id('region', 'Region', 'Region code', 'VARCHAR');
  id('year', 'Year', 'Calendar year of the values', 'INTEGER');
  id('cohort', 'Opening cohort', 'Year of the earliest opening of a non-itinerant café of the commune (empty: no dated café)', 'INTEGER');
  id('treated', 'Treated', '1 from the cohort year on (a closure does not end it: intention to treat), 0 before and for the controls; empty outside the DiD sample', 'INTEGER');
  id('did_sample', 'In the DiD sample', '1 for the treated communes and the controls (candidates pending or declined, without a café) of `cafe-impact did`; 0 for the other café and candidate communes', 'INTEGER');

  // objective indicators, current versions
  const objective = await wh.all<{ commune_insee: string; year: number; indicator: string; value: number | null }>(
    `SELECT commune_insee, year, indicator, value FROM commune_indicators WHERE ${valid} AND commune_insee IN (${inList}) ORDER BY indicator`,
  );
  const files = new Map(
    (await wh.all<{ indicator: string; files: string }>(
      `SELECT c.indicator, string_agg(DISTINCT f.file_name, ', ' ORDER BY f.file_name) AS files
       FROM commune_indicators c JOIN loads l ON l.load_no = c._load JOIN load_files f ON f.load_id = l.load_id AND f.dataset = 'commune_indicators'
       WHERE ${valid.replaceAll('_valid', 'c._valid')} GROUP BY c.indicator`,
    )).map((r) => [r.indicator, r.files]),
  );
  for (const code of [...new Set(objective.map((r) => r.indicator))]) {
    declare({ variable: stataName(code), label: code, definition: `commune_indicators value of ${code} for the year (empty when withheld or absent)`, unit: '', source: `commune_indicators (${files.get(code) ?? 'loaded'})`, method_version: '' }, 'DOUBLE', code);
  }
  for (const r of objective) put(r.commune_insee, Number(r.year), stataName(r.indicator), r.value === null ? null : Number(r.value));

  // estimates per commune of each year's latest successful yearly run (suppression applied)
  const est = await wh.all<{ indicator: string; scope_id: string; period: string; value: number | null; se: number | null; n: number | null; ci_low: number | null; ci_high: number | null; ci_level: number | null; unit: string; method_version: string; run_id: string }>(
    `SELECT indicator, scope_id, period, value, se, n, ci_low, ci_high, ci_level, unit, method_version, run_id FROM v_figures_latest
     WHERE scope = 'commune' AND regexp_full_match(period, '\\d{4}') AND scope_id IN (${inList}) ORDER BY indicator, period`,
  );
  const has = new Map<string, { se: boolean; n: boolean; ci: boolean; level: number | null; unit: string; mv: Set<string> }>();
  for (const e of est) {
    const h = has.get(e.indicator) ?? { se: false, n: false, ci: false, level: null, unit: e.unit, mv: new Set<string>() };
    h.se ||= e.se !== null;
    h.n ||= e.n !== null;
    h.ci ||= e.ci_low !== null;
    h.level ??= e.ci_level;
    h.mv.add(e.method_version);
    has.set(e.indicator, h);
  }
  for (const [code, h] of has) {
    const d = indicatorDef(code);
    const label = d?.label.en ?? code;
    const base = { label, unit: unitName(h.unit, 'en'), source: `figures (${code}, scope commune, latest successful run of each year)`, method_version: [...h.mv].sort().join(', ') };
    declare({ ...base, variable: stataName(code), definition: d?.definition.en ?? code }, 'DOUBLE', code);
    if (h.se) declare({ ...base, variable: stataName(code, '_se'), label: `${label}: standard error`, definition: `Standard error of ${code}` }, 'DOUBLE', `${code} se`);
    if (h.n) declare({ ...base, variable: stataName(code, '_n'), label: `${label}: n`, unit: '', definition: `Respondents (or observations) behind ${code}` }, 'INTEGER', `${code} n`);
    if (h.ci) {
      const lvl = h.level === null ? '' : ` (${Math.round(h.level * 100)} %)`;
      declare({ ...base, variable: stataName(code, '_low'), label: `${label}: interval low${lvl}`, definition: `Lower bound of the interval of ${code}${lvl}` }, 'DOUBLE', `${code} low`);
      declare({ ...base, variable: stataName(code, '_high'), label: `${label}: interval high${lvl}`, definition: `Upper bound of the interval of ${code}${lvl}` }, 'DOUBLE', `${code} high`);
    }
  }
  for (const e of est) {
    const y = Number(e.period);
    const h = has.get(e.indicator)!;
    put(e.scope_id, y, stataName(e.indicator), e.value);
    if (h.se) put(e.scope_id, y, stataName(e.indicator, '_se'), e.se);
    if (h.n) put(e.scope_id, y, stataName(e.indicator, '_n'), e.n === null ? null : Number(e.n));
    if (h.ci) {
      put(e.scope_id, y, stataName(e.indicator, '_low'), e.ci_low);
      put(e.scope_id, y, stataName(e.indicator, '_high'), e.ci_high);
    }
  }

  const rows: Panel['rows'] = [];
  const keys = [...cells.keys()].sort();
  const data = vars.slice(8);
  for (const k of keys) {
    const [c, ys] = k.split('|') as [string, string];
    const y = Number(ys);
    const m = cells.get(k)!;
    const g = t.cohortOf.get(c);
    const inSample = g !== undefined || t.controls.has(c);
    const n = names.get(c);
    rows.push([c, n?.name ?? null, n?.department ?? null, n?.region ?? null, y, g ?? null, inSample ? (g !== undefined && y >= g ? 1 : 0) : null, inSample ? 1 : 0, ...data.map((v) => m.get(v.variable) ?? null)]);
  }
  return { variables: vars, rows };
}

function codebookFiles(dir: string, p: Panel, file: string): void {
  const cols: (keyof CodebookEntry)[] = ['variable', 'label', 'definition', 'unit', 'source', 'method_version'];
  writeFileSync(join(dir, 'codebook.csv'), `${[csvRow(cols), ...p.variables.map((v) => csvRow(cols.map((c) => v[c])))].join('\n')}\n`);
  writeFileSync(join(dir, 'codebook.json'), `${JSON.stringify(p.variables.map((v) => ({ ...Object.fromEntries(cols.map((c) => [c, v[c]])), type: v.type })), null, 2)}\n`);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  writeFileSync(
    join(dir, 'codebook.md'),
    [`# Codebook of ${file}`, '', `${p.rows.length} rows (one per commune and year), ${p.variables.length} variables.`, '', '| variable | label | definition | unit | source | method version |', '|---|---|---|---|---|---|',
      ...p.variables.map((v) => `| \`${v.variable}\` | ${cell(v.label)} | ${cell(v.definition)} | ${cell(v.unit)} | ${cell(v.source)} | ${v.method_version} |`), ''].join('\n'),
  );
}

/** Writes panel.<ext> and the codebook into `dir`; returns the panel's path. */
export async function exportPanel(wh: Warehouse, format: PanelFormat, dir: string): Promise<{ path: string; rows: number; variables: number }> {
  const p = await buildPanel(wh);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `panel.${format}`);
  if (format === 'csv') {
    // UTF-8, a header, `.` decimals, empty for missing
    const text = (v: string | number | null) => (v === null ? '' : String(v));
    writeFileSync(path, `${[csvRow(p.variables.map((v) => v.variable)), ...p.rows.map((r) => csvRow(r.map(text)))].join('\n')}\n`);
  } else if (format === 'arrow') {
    const { resultToArrowIpc } = await import('../db/arrow.ts');
    writeFileSync(path, resultToArrowIpc({ columns: p.variables.map((v) => ({ name: v.variable, type: v.type === 'INTEGER' ? 'INTEGER' : v.type })), rows: p.rows }));
  } else {
    await writeParquet(path, p.variables.map((v) => ({ name: v.variable, type: v.type, label: v.label })), p.rows);
  }
  codebookFiles(dir, p, `panel.${format}`);
  return { path, rows: p.rows.length, variables: p.variables.length };
}
