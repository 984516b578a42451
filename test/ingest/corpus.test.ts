/**
 * The malformed-input corpus: one folder per case under test/fixtures/ingest/, holding the input
 * files (named after datasets) and an expected.json written from the ingestion's rules (not from
 * its behaviour on the day). Every case runs the CLI in-process on a copy of a baseline
 * warehouse and checks:
 *
 * - the exit code (0 loaded, 3 refused for the content, 2 bad arguments);
 * - refusals: the one-line message (texts from src/core/messages.ts), and every dataset table
 *   exactly as before;
 * - loads: the rejects (file, line, column, reason) in order, their raw line (the record alone),
 *   the rows of each dataset in the period, and row conservation — for every file
 *   read = accepted + rejected, and for CSV files the line identity
 *   lines.total = header + blank + accepted + rejected = the physical lines of the file, counted
 *   here independently of the ingestion.
 *
 * Assertions are soft: a case reports every mismatch, and one failing case hides no other.
 * Huge or binary inputs that are not committed are generated from expected.json's `generate`.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../src/contract/datasets.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { cli } from '../helpers/cli.ts';
import {
  comparableRecord,
  describeRef,
  loadCases,
  materialise,
  messagePattern,
  physicalLines,
  recordText,
  resolveArg,
  type Case,
  type TextEncoding,
} from '../helpers/corpus.ts';
import { CAFES_CSV, contents, folder, ingest, tempDir } from '../helpers/warehouse.ts';

/** The baseline's 10 service_uses rows of 2023-Q2 (no corpus file has the same content). */
const BASELINE_SERVICE_USES = [
  'cafe_id,date,service,uses',
  'C1,2023-04-01,bread,1',
  'C1,2023-04-15,bread,1',
  'C1,2023-05-02,cash,1',
  'C2,2023-05-03,post,1',
  'C2,2023-05-20,bread,1',
  'C2,2023-06-01,parcel,1',
  'C3,2023-06-02,digital,1',
  'C3,2023-06-03,other,1',
  'C3,2023-06-10,bread,1',
  'C1,2023-06-29,post,1',
].join('\n');

const TABLES = Object.keys(DATASETS);
const templates: Record<string, string> = {};
const templateTables: Record<string, Record<string, string[]>> = {};
let root: string;

beforeAll(async () => {
  root = tempDir('ci-corpus-');
  for (const b of ['default', 'cafes', 'none'] as const) {
    const path = join(root, `baseline-${b}`, 'wh.duckdb');
    mkdirSync(join(root, `baseline-${b}`));
    const wh = await Warehouse.open(path);
    try {
      if (b !== 'none') await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
      if (b === 'default') await ingest(wh, folder({ 'service_uses.csv': BASELINE_SERVICE_USES }), '2023-Q2');
    } finally {
      wh.close();
    }
    templates[b] = path;
    templateTables[b] = (await inspect(path, '2023-Q2')).tables;
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** After a run: every dataset table's contents, rows per dataset in the period, the case's queries. One open, no migration. */
async function inspect(path: string, period: string, queries: string[] = []) {
  const p = parsePeriod(period);
  const wh = await Warehouse.open(path, { migrate: false });
  try {
    const tables: Record<string, string[]> = {};
    for (const t of TABLES) tables[t] = await contents(wh, t);
    // Rows of a dataset in the period (dated), or its current versions (reference).
    const rows: Record<string, number> = {};
    for (const d of Object.values(DATASETS)) {
      rows[d.name] = d.kind === 'dated'
        ? await wh.scalar<number>(`SELECT count(*) FROM ${d.name} WHERE CAST(${d.dateColumn} AS DATE) >= DATE '${p.start}' AND CAST(${d.dateColumn} AS DATE) < DATE '${p.end}'`)
        : await wh.scalar<number>(`SELECT count(*) FROM ${d.name} WHERE _valid_to IS NULL`);
    }
    const results: Record<string, unknown>[][] = [];
    for (const q of queries) results.push(await wh.all(q));
    return { tables, rows, results };
  } finally {
    wh.close();
  }
}

interface SummaryFile {
  dataset: string;
  file: string;
  status: string;
  read: number;
  accepted: number;
  rejected: number;
  format: string;
  encoding: string | null;
  message: string | null;
  rejects: { line: number | null; column: string | null; value: string | null; reason: string; rawLine: string | null }[];
  lines?: { total: number; header: number; blank: number; accepted: number; rejected: number };
}
interface Summary {
  status: string;
  message: string;
  warnings: string[];
  files: SummaryFile[];
}

const datasetOf = (file: string) => file.replace(/\.[^.]+$/, '').toLowerCase();

async function runCase(c: Case): Promise<void> {
  const s = c.spec;
  const caseDir = join(root, c.name);
  const input = join(caseDir, 'input');
  mkdirSync(input, { recursive: true });
  const whPath = join(caseDir, 'wh.duckdb');
  copyFileSync(templates[s.baseline]!, whPath);
  const names = await materialise(c, input);
  const bytes = new Map(names.map((n) => [n, readFileSync(join(input, n))]));
  const hint = (f: string) => s.decode?.[f] as TextEncoding | undefined;
  const before = templateTables[s.baseline]!;

  const r = await cli('--warehouse', whPath, 'ingest', input, '--period', s.period, '--json', ...(s.args ?? []));
  let summary: Summary | undefined;
  try {
    summary = r.stdout.trim() ? (JSON.parse(r.stdout) as Summary) : undefined;
  } catch {
    summary = undefined;
  }
  const where = `stderr: ${r.stderr.trim().slice(0, 600)}`;
  expect.soft(r.code, `exit code (${where})`).toBe(s.exit);

  // The one-line message: the error line of a refusal; for a load, the summary's or a file's message.
  if (s.message || s.messageMatches || s.messageNot) {
    const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    const texts = s.exit === 0 ? [summary?.message ?? '', ...(summary?.files ?? []).map((f) => f.message ?? ''), ...(summary?.warnings ?? []), r.stderr] : errorLines;
    if (s.exit !== 0) expect.soft(errorLines, `one error line (${where})`).toHaveLength(1);
    const all = texts.join('\n');
    if (s.message) expect.soft(all, `message ${describeRef(s.message)}`).toMatch(messagePattern(s.message, 'fileErrors'));
    if (s.messageMatches) expect.soft(all).toMatch(new RegExp(s.messageMatches, 'i'));
    if (s.messageNot) expect.soft(all).not.toContain(s.messageNot);
  }

  const inspected = await inspect(whPath, s.period, (s.sql ?? []).map((q) => q.query));
  const after = inspected.tables;
  if (s.unchanged) for (const t of TABLES) expect.soft(after[t], `table ${t} unchanged`).toEqual(before[t]);

  if (s.exit === 0) {
    expect.soft(summary, `a JSON summary on stdout (${where})`).toBeDefined();
    const files = summary?.files ?? [];
    // Tables of datasets the folder does not hold are untouched.
    const touched = new Set(names.map(datasetOf));
    for (const t of TABLES.filter((x) => !touched.has(x))) expect.soft(after[t], `table ${t} (no file) unchanged`).toEqual(before[t]);

    // Rejects, exactly, in file then line order (none when the case lists none).
    {
      const got = files.flatMap((f) => f.rejects.map((x) => ({ file: f.file, line: x.line, column: x.column, reason: x.reason, value: x.value })));
      const expected = (s.rejects ?? []).map((x) => ({
        file: x.file,
        line: x.line,
        column: x.column === '*' ? expect.anything() : x.column,
        reason: expect.stringMatching(messagePattern(x.reason, 'reasons', bytes.get(x.file), x)),
      }));
      const shown = got.map((x) => `${x.file}:${x.line} ${x.column ?? '-'} ${JSON.stringify(x.reason.slice(0, 70))}`).slice(0, 20).join(' | ');
      expect.soft(got.map(({ value: _v, ...rest }) => rest), `rejects (file, line, column, reason); got ${got.length}: ${shown}`).toEqual(expected);
      for (const x of (s.rejects ?? []).filter((y) => y.value !== undefined)) {
        expect.soft(got.find((y) => y.file === x.file && y.line === x.line)?.value, `value of ${x.file}:${x.line}`).toBe(x.value);
      }
    }

    // Row conservation, per file.
    for (const f of files) {
      expect.soft(f.read, `${f.file}: read = accepted + rejected`).toBe(f.accepted + f.rejected);
      if (f.format === 'csv' && f.status !== 'unchanged') {
        const raw = bytes.get(f.file);
        const physical = raw ? physicalLines(raw, hint(f.file)) : undefined;
        expect.soft(f.lines, `${f.file}: the summary gives lines { total, header, blank, accepted, rejected }`).toBeDefined();
        if (f.lines) {
          const l = f.lines;
          expect.soft(l.total, `${f.file}: lines.total = header + blank + accepted + rejected`).toBe(l.header + l.blank + l.accepted + l.rejected);
          expect.soft(l.total, `${f.file}: lines.total = the file's physical lines`).toBe(physical);
          expect.soft(l.accepted, `${f.file}: lines.accepted >= accepted records`).toBeGreaterThanOrEqual(f.accepted);
          expect.soft(l.rejected, `${f.file}: lines.rejected >= rejected records`).toBeGreaterThanOrEqual(f.rejected);
        }
      }
    }
    for (const [file, partial] of Object.entries(s.summary ?? {})) {
      const f = files.find((x) => x.file === file) as unknown as Record<string, unknown> | undefined;
      expect.soft(f, `${file} in the summary`).toBeDefined();
      for (const [k, v] of Object.entries(partial)) expect.soft(f?.[k], `summary of ${file}: ${k}`).toEqual(v);
    }
    for (const w of s.warnings ?? []) expect.soft((summary?.warnings ?? []).join('\n'), 'warnings').toContain(w);

    // Rows in the period: as expected, and for a dated dataset equal to what its file accepted.
    const rows = inspected.rows;
    for (const [d, n] of Object.entries(s.loaded ?? {})) expect.soft(rows[d], `${d} rows in ${s.period}`).toBe(n);
    for (const f of files) {
      if (DATASETS[f.dataset]?.kind === 'dated' && f.status === 'loaded') expect.soft(rows[f.dataset], `${f.dataset} rows in ${s.period} = accepted by ${f.file}`).toBe(f.accepted);
    }

    // The raw line of each reject is its record alone, as the rejects command gives it.
    const checkRaw = (s.rejects ?? []).filter((x) => x.raw !== false && x.line !== null && (typeof x.raw === 'string' || !/\.(json|parquet)$/.test(x.file)));
    if (checkRaw.length) {
      const rj = await cli('--warehouse', whPath, 'rejects', '--period', s.period, '--format', 'json');
      const listed = rj.code === 0 ? (JSON.parse(rj.stdout) as { file_name: string; line: number | null; raw_line: string | null }[]) : [];
      for (const x of checkRaw) {
        const raw = bytes.get(x.file)!;
        if (typeof x.raw !== 'string' && !comparableRecord(raw, x.line!, x.span)) continue;
        const want = typeof x.raw === 'string' ? x.raw : recordText(raw, x.line!, x.span, hint(x.file));
        const got = listed.find((y) => y.file_name === x.file && y.line === x.line);
        // Compared as JSON text, so a CR or a newline shows in the failure.
        expect.soft(JSON.stringify(got?.raw_line), `raw_line of ${x.file}:${x.line} (JSON-escaped)`).toBe(JSON.stringify(want));
      }
    }
  }

  (s.sql ?? []).forEach((q, i) => expect.soft(inspected.results[i], q.query).toEqual(q.rows));
}

const cases = loadCases();

describe('malformed-input corpus (test/fixtures/ingest)', () => {
  it('holds at least 65 cases, each naming its rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(65);
    for (const c of cases) expect(c.spec.rule, c.name).toBeGreaterThanOrEqual(1);
  });

  // The corpus checks itself, so a failure below is the ingestion's, not a miscounted fixture's.
  it('the corpus is consistent: expected lines add up to the physical lines, computed offsets exist', async () => {
    for (const c of cases) {
      const dir = join(root, `self-${c.name}`);
      mkdirSync(dir, { recursive: true });
      await materialise(c, dir);
      for (const [file, partial] of Object.entries(c.spec.summary ?? {})) {
        const l = (partial as { lines?: { total: number; header: number; blank: number; accepted: number; rejected: number } }).lines;
        if (!l) continue;
        expect.soft(l.header + l.blank + l.accepted + l.rejected, `${c.name}: expected lines of ${file} add up`).toBe(l.total);
        expect.soft(physicalLines(readFileSync(join(dir, file)), c.spec.decode?.[file] as TextEncoding | undefined), `${c.name}: physical lines of ${file}`).toBe(l.total);
      }
      for (const x of c.spec.rejects ?? []) {
        if (typeof x.reason === 'string') continue;
        for (const a of x.reason.slice(1).filter((y): y is string => typeof y === 'string' && y.startsWith('$'))) {
          expect.soft(resolveArg(a, readFileSync(join(dir, x.file)), x), `${c.name}: ${a} on ${x.file}:${x.line}`).toEqual(expect.any(Number));
          expect.soft(resolveArg(a, readFileSync(join(dir, x.file)), x) as number, `${c.name}: ${a} on ${x.file}:${x.line}`).toBeGreaterThanOrEqual(0);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const c of cases) {
    it(`${c.name} — rule ${c.spec.rule}: ${c.spec.description}`, async () => {
      await runCase(c);
    });
  }
});
