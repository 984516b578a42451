/**
 * Quarterly ingestion: a folder of files named after datasets → validated rows in the warehouse.
 *
 *   discover files ─► hash each (SHA-256, UTF-8 check; in the background) ─► unchanged? skip
 *        │
 *        ▼  phase 1, file by file: references first (cafes… so dated rows can be checked against them)
 *     sniff dialect ─► (transcode Windows-1252) ─► DuckDB reads the file with the contract's types,
 *        rejects kept: into a temporary table (references, survey, Parquet/JSON), or straight into
 *        the dataset's table as rows of a pending load (dated CSV files: one pipelined pass)
 *        ─► contract checks in SQL (enums, ranges, formats, SIREN, communes, cafés, period, keys)
 *        ─► rejects placed on their physical line ─► threshold
 *        │
 *        ▼  phase 2, one transaction
 *   upsert reference versions, write staged rows, replace the period's earlier rows, record the
 *   load ─► COMMIT. Any failure: ROLLBACK, delete the pending rows, record the failed load and its
 *   rejects. A crash: the next open deletes the pending rows (src/db/migrate.ts). Either way the
 *   warehouse is as it was.
 *
 * Rows: for every file, accepted + rejected = data rows read.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { columnsOf, headerKey, type Column } from '../contract/columns.ts';
import { DATASETS, type DatasetDef } from '../contract/datasets.ts';
import { guardCsvValues, guardParquetValues, identifierWord, keyColumns, redactReject } from './personal.ts';
import { storedTable } from '../db/ddl.ts';
import { ident } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { IngestFailed, InternalError, UserError } from '../core/errors.ts';
import type { Period } from '../core/period.ts';
import { codeVersion } from '../core/version.ts';
import { buildChecks, unknownCafesSql, valueExprs, type Problem } from './checks.ts';
import { badNumberSql, mayUnderflow, numberProblem, parsedSql, typedBadNumberSql, typedNumberSql } from './numbers.ts';
import { indexRecords, recordAtDuckLine } from './lines.ts';
import { fileErrors, ingestErrors, pseudonymErrors, reasons, unreadableWhy } from '../core/messages.ts';
import { pruneArchive } from '../db/archive.ts';
import { archiveFile, fileFacts, transcodeToUtf8, type FileFacts } from './prepare.ts';
import { headEncoding, scanCsv, startsWithUtf8Bom, textEncoding, writeSanitized, type LineReject, type ScanResult, type TextEncoding } from './scan.ts';
import { detectDateFormat, detectDecimalComma, detectOffsets, detectTimestampFormat, sniffCsv, type Dialect } from './sniff.ts';
import { csvReaderSql, parquetColumns, readerRejects as readReaderRejects, stageCsv, stageOther, type FileFormat, type ReaderReject } from './stage.ts';
import { prepareJson } from './json.ts';
import { keyId, pseudonymiseCsv, pseudonymSecret, type PseudonymSpec } from './pseudonymise.ts';
import { splitRecords } from '../io/csv.ts';
import { inPeriodSql, replaceDated, upsertReference, type WriteCounts } from './write.ts';
import { publishSnapshot } from '../db/snapshot.ts';
import { profiled } from '../core/profile.ts';

export interface IngestOptions {
  period: Period;
  dryRun?: boolean;
  /** Share of rejected rows above which a file fails the ingest (default 0.05). */
  threshold?: number;
  /** Dated datasets whose file may have no data row and so empty the period. */
  allowEmpty?: string[];
  /** Let a load remove more than half of a dataset's rows in the period. */
  allowShrink?: boolean;
  /** Columns of people datasets holding clear identifiers, to derive the key from (`survey.email`). */
  pseudonymise?: PseudonymSpec[];
  /** Where raw inputs are archived (default: `raw/` beside the warehouse file). */
  archiveDir?: string;
  reporter?: Reporter;
  /**
   * How the numbers of dated CSV files are read: `auto` (default) lets DuckDB's reader parse them
   * when the file allows it (numbers.ts, typedNumberSql), `text` always reads them as text and
   * converts them in SQL. Both give the same rows and rejects; `text` is for tests and benchmarks.
   */
  numbers?: 'auto' | 'text';
  /** Recorded in the load log (`ingest`, `import:bpe`...). */
  command?: string;
  /**
   * Called on each file's report before the threshold is applied (reference imports use it to
   * put rejects back on the source file's lines and add the converter's own rejects).
   */
  adjust?: (report: FileReport) => void;
}

export interface Reporter {
  fileStart?(file: string, dataset: string, size: number): void;
  fileStep?(file: string, step: string): void;
  fileDone?(report: FileReport): void;
  warn?(message: string): void;
}

export interface RejectRow {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
  rawLine: string | null;
}

export interface FileReport {
  dataset: string;
  file: string;
  path: string;
  format: FileFormat;
  size: number;
  sha256: string;
  encoding?: TextEncoding;
  delimiter?: string;
  dateFormat?: string;
  decimalSeparator?: string;
  read: number;
  accepted: number;
  rejected: number;
  /** Rows of earlier loads replaced (dated) or versions superseded (reference). */
  replaced: number;
  /** Commune codes of merged communes mapped to the current commune. */
  mappedCommunes: number;
  status: 'loaded' | 'unchanged' | 'failed' | 'dry_run';
  message?: string;
  rejects: RejectRow[];
  archivePath?: string;
  /**
   * CSV files: the file's physical lines, `total = header + blank + accepted + rejected`
   * (the lines of accepted and of rejected records; a quoted newline makes a record span two).
   */
  lines?: { total: number; header: number; blank: number; accepted: number; rejected: number };
  /** CSV records spanning several lines: start line → lines. */
  multiLine?: Map<number, number>;
}

export interface IngestReport {
  loadId: string;
  period: string;
  status: 'loaded' | 'failed' | 'noop' | 'dry_run';
  files: FileReport[];
  warnings: string[];
  message: string;
}

const FORMATS: Record<string, FileFormat> = { '.csv': 'csv', '.txt': 'csv', '.parquet': 'parquet', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/** Processing order: references first, the café list before what refers to it. */
const ORDER = ['questionnaire', 'cafes', 'facilities', 'staff', 'candidates', 'commune_indicators', 'commune_positions', 'population', 'service_uses', 'sales', 'participation', 'events', 'suppliers', 'survey'];

export interface FoundFile {
  dataset: DatasetDef;
  /** The file DuckDB reads. */
  path: string;
  format: FileFormat;
  /**
   * The user's file when `path` was converted from it (reference imports): it is the one
   * hashed, archived, named in reports and recorded in the load log.
   */
  source?: string;
}

/** Files of a folder named after a dataset (`cafes.csv`, `sales.parquet`...), in processing order. */
export function discover(folder: string): { files: FoundFile[]; ignored: string[] } {
  if (!existsSync(folder)) throw new UserError(ingestErrors.noSuchFolder(folder));
  if (!statSync(folder).isDirectory()) throw new UserError(ingestErrors.notAFolder(folder));
  const files: FoundFile[] = [];
  const ignored: string[] = [];
  const byDataset = new Map<string, string[]>();
  for (const name of readdirSync(folder).sort()) {
    const ext = extname(name).toLowerCase();
    const stem = basename(name, extname(name)).toLowerCase();
    const def = DATASETS[stem];
    const format = FORMATS[ext];
    if (!def || !format) {
      if (!name.startsWith('.') && name !== 'README.md') ignored.push(name);
      continue;
    }
    // A file named after a dataset that cannot be read is refused (exit 3), not ignored: the
    // analyst meant it to be loaded. Its name comes from readdir, so ENOENT is a broken link.
    let why: string | undefined;
    try {
      const st = statSync(join(folder, name));
      if (st.isDirectory()) why = unreadableWhy.folder();
      else if (!st.isFile()) why = unreadableWhy.notRegular();
      // No read bit for anyone (chmod 000 or 200) and not root: opening it would fail with EACCES.
      else if (process.getuid?.() !== 0 && (st.mode & 0o444) === 0) why = unreadableWhy.permission();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      why = code === 'ELOOP' ? unreadableWhy.linkLoop() : code === 'ENOENT' ? unreadableWhy.brokenLink() : code === 'EACCES' || code === 'EPERM' ? unreadableWhy.permission() : (code ?? (e as Error).message);
    }
    if (why) throw new IngestFailed(ingestErrors.failed(fileErrors.unreadable(name, why)));
    byDataset.set(def.name, [...(byDataset.get(def.name) ?? []), name]);
    files.push({ dataset: def, path: join(folder, name), format });
  }
  for (const [dataset, names] of byDataset) if (names.length > 1) throw new UserError(fileErrors.twoFormats(dataset, names));
  files.sort((a, b) => ORDER.indexOf(a.dataset.name) - ORDER.indexOf(b.dataset.name));
  return { files, ignored };
}

/** The next load number (`loads.load_no`; a pending load holds its number in `meta`). */
export async function nextLoadNo(wh: Warehouse): Promise<number> {
  return wh.scalar<number>(
    `SELECT greatest(coalesce((SELECT max(load_no) FROM loads), 0), coalesce((SELECT max(value::INTEGER) FROM meta WHERE key = 'pending_load'), 0)) + 1`,
  );
}

export function newLoadId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `L${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Ingests a folder for a period. Throws IngestFailed (after recording the failed load) when a file fails. */
export async function ingestFolder(wh: Warehouse, folder: string, opts: IngestOptions): Promise<IngestReport> {
  const { files, ignored } = discover(resolve(folder));
  const warnings = ignored.map((n) => `${n}: not a dataset file name, ignored (expected one of ${Object.keys(DATASETS).join(', ')} with .csv, .parquet, .json or .ndjson)`);
  if (files.length === 0) throw new UserError(ingestErrors.noDatasetFile(folder));
  return ingestFiles(wh, files, { ...opts, source: folder, warnings });
}

/**
 * Ingests files for a period (all or nothing), then publishes the warehouse's snapshot
 * (src/db/snapshot.ts) whether the load succeeded or failed — a failed load's rejects are for
 * readers too; not after a dry run, which changes nothing.
 */
export async function ingestFiles(
  wh: Warehouse,
  userFiles: FoundFile[],
  opts: IngestOptions & { source: string; warnings?: string[] },
): Promise<IngestReport> {
  let report: IngestReport;
  try {
    report = await ingestAndRecord(wh, userFiles, opts);
  } catch (e) {
    // the failed load is recorded (its rejects too): readers see it; a publishing error never hides the load's own
    if (!opts.dryRun) await publishSnapshot(wh).catch(() => undefined);
    throw e;
  }
  if (!opts.dryRun) await publishSnapshot(wh);
  return report;
}

async function ingestAndRecord(
  wh: Warehouse,
  userFiles: FoundFile[],
  opts: IngestOptions & { source: string; warnings?: string[] },
): Promise<IngestReport> {
  const { period } = opts;
  let files = userFiles;
  const threshold = opts.threshold ?? 0.05;
  const loadId = newLoadId();
  const loadNo = await nextLoadNo(wh);
  const warnings = [...(opts.warnings ?? [])];
  const warn = (m: string) => {
    warnings.push(m);
    opts.reporter?.warn?.(m);
  };
  const archiveDir = opts.archiveDir ?? join(dirname(wh.path), 'raw');
  const work = mkdtempSync(join(tmpdir(), 'cafe-impact-'));
  const startedAt = new Date();
  // --pseudonymise: the user's file is replaced, before anything reads it, by its pseudonymised
  // copy — the file hashed, checked, loaded and archived; the user's file is only hashed.
  let pseudonymised: Record<string, unknown>[] = [];
  try {
    ({ files, pseudonymised } = await applyPseudonymise(files, opts.pseudonymise ?? [], work));
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }

  // Direct mode writes rows before they are checked: never for people datasets (small), whose
  // rejected rows (a phone number as a key) must not touch the warehouse file at all.
  const isDirect = (f: FoundFile) => f.format === 'csv' && f.dataset.kind === 'dated' && !f.dataset.people;
  const order = [...files.filter((x) => !isDirect(x)), ...files.filter(isDirect)];
  // Hash the files one after the other in the background, in processing order (large files in a
  // worker thread): a file's hash (and UTF-8 check) is computed while DuckDB works on the
  // previous file and while the main thread scans this one; it is awaited only where it decides
  // something (see isUnchanged and checkOne).
  const facts = new Map<string, Promise<FileFacts>>();
  let chain: Promise<unknown> = Promise.resolve();
  for (const f of order) {
    const p = chain.then(() => profiled(`hash ${basename(f.source ?? f.path)}`, () => fileFacts(f.source ?? f.path)));
    p.catch(() => undefined); // awaited in turn; never an unhandled rejection
    facts.set(f.path, p);
    chain = p.catch(() => undefined);
  }
  // The large files' scans as UTF-8 start at once too, one after the other, beside the hashing
  // and the checks of the files before them (DuckDB): when such a file's turn comes, only
  // DuckDB's read is left. Not for a file of the same size as the one last loaded for the
  // period (it may be unchanged: a no-op must not read it twice).
  // Each file's size, and the file the warehouse holds for its dataset and period (asked once).
  const sizes = new Map(order.map((f) => [f.path, statSync(f.source ?? f.path).size]));
  const previous = new Map<string, LoadedFile | undefined>();
  if (!opts.dryRun) for (const f of order) previous.set(f.path, await lastLoaded(wh, f.dataset, period));
  const scans = new Map<string, Promise<Awaited<ReturnType<typeof scanText>> | undefined>>();
  let scanChain: Promise<unknown> = Promise.resolve();
  for (const f of order.filter(isDirect)) {
    if (previous.get(f.path)?.size_bytes === sizes.get(f.path)) continue;
    const p = scanChain.then(async () => ((await headEncoding(f.path)) ? undefined : scanText(f.path, true)));
    p.catch(() => undefined); // awaited in checkOne; never an unhandled rejection
    scans.set(f.path, p);
    scanChain = p.catch(() => undefined);
  }
  const reports: FileReport[] = [];
  const archives: Promise<unknown>[] = [];

  // Phase 1, outside any transaction (DuckDB scans and writes transaction-local temporary tables
  // at half speed): stage and check the reference files, the survey and Parquet/JSON files; read
  // the dated CSV files straight into their tables as rows of a pending load and check them there
  // (see checkOne); place the rejects; apply the threshold. Phase 2, one transaction: write the
  // staged files, replace the period's earlier rows, record the load, commit. Any failure: roll
  // back and delete the pending rows. A dry run stops after phase 1 and deletes them too.
  let failure: Error | undefined;
  const staged: Staged[] = [];
  let inTransaction = false;
  let pending = false;
  try {
    await wh.run(`CREATE OR REPLACE TEMP TABLE _folder_cafes (cafe_id VARCHAR);
      CREATE OR REPLACE TEMP TABLE _folder_positions (commune_insee VARCHAR);
      CREATE OR REPLACE TEMP TABLE _folder_items (item_id VARCHAR, label VARCHAR, scale_min BIGINT, scale_max BIGINT)`);
    for (const f of order) {
      const factsP = facts.get(f.path)!;
      const size = sizes.get(f.path)!;
      // An unchanged file (same dataset, content and period as what the warehouse holds) is a no-op.
      if (await isUnchanged(previous.get(f.path), size, factsP)) {
        reports.push(emptyReport(f, await factsP, 'unchanged', `same content already loaded for ${period.label}`));
        continue;
      }
      if (isDirect(f) && !pending) {
        // A crash from here on leaves this marker; the next open deletes the pending rows.
        await wh.run(`INSERT OR REPLACE INTO meta VALUES ('pending_load', $1)`, [String(loadNo)]);
        pending = true;
      }
      opts.reporter?.fileStart?.(basename(f.source ?? f.path), f.dataset.name, size);
      // The raw copy (a kernel copy, off the event loop) runs beside DuckDB's work.
      // People datasets are archived after their checks: without the rejected records (a key
      // that is a phone number must not stay in the archive either).
      let archived: Promise<string | undefined> | undefined =
        opts.dryRun || f.dataset.people ? undefined : factsP.then((ff) => profiled(`archive ${basename(f.source ?? f.path)}`, () => archiveFile(f.source ?? f.path, ff.sha256, archiveDir)));
      archived?.catch(() => undefined);
      if (archived) archives.push(archived); // a failure waits for the copy before pruning it
      const st = await checkOne(wh, f, size, factsP, { period, loadId, loadNo, work, warn, reporter: opts.reporter, numbers: opts.numbers, scanAhead: scans.get(f.path) }, isDirect(f));
      staged.push(st);
      if (!opts.dryRun && f.dataset.people) {
        archived = archivePeopleFile(f, st.report, st.report.sha256, archiveDir, work);
        archived.catch(() => undefined);
        archives.push(archived);
      }
      if (archived) {
        const done = archived.then((path) => (st.report.archivePath = path));
        done.catch(() => undefined); // awaited before the commit; never an unhandled rejection
        archives.push(done);
      }
      const rep = st.report;
      opts.adjust?.(rep);
      reports.push(rep);
      if (rep.read > 0 && rep.rejected / rep.read > threshold) {
        rep.status = 'failed';
        rep.message = fileErrors.threshold(rep.file, rep.rejected, rep.read, threshold);
        throw new IngestFailed(rep.message);
      }
      await guardShrink(wh, f, rep, opts);
      rep.status = opts.dryRun ? 'dry_run' : 'loaded';
    }
    if (staged.length === 0) {
      sortReports(reports, files);
      return { loadId, period: period.label, status: 'noop', files: reports, warnings, message: `nothing to do: every file is already loaded for ${period.label}` };
    }
    if (opts.dryRun) {
      for (const st of staged.filter((x) => x.written)) await finishDirect(wh, st, { period, loadNo }, true);
      if (pending) await dropPendingLoad(wh, loadNo);
      for (const st of staged) opts.reporter?.fileDone?.(st.report);
    } else {
      await wh.run('BEGIN TRANSACTION');
      inTransaction = true;
      for (const st of staged) {
        opts.reporter?.fileStep?.(st.report.file, 'writing');
        await writeOne(wh, st, { period, loadNo });
        opts.reporter?.fileDone?.(st.report);
      }
      await Promise.all(archives);
      await recordLoad(wh, { loadId, loadNo, opts, startedAt, status: 'loaded', reports, message: null, pseudonymised });
      await wh.run(`DELETE FROM meta WHERE key = 'pending_load'`);
      await wh.run('COMMIT');
      inTransaction = false;
    }
  } catch (e) {
    failure = e as Error;
    if (inTransaction) await wh.run('ROLLBACK').catch(() => undefined);
    if (pending) await dropPendingLoad(wh, loadNo);
    // The archive holds only what was loaded: this attempt's copies go, unless a load kept them.
    await Promise.allSettled(archives);
    for (const st of staged) st.report.archivePath = undefined;
    await pruneArchive(wh, archiveDir).catch(() => undefined);
  } finally {
    for (const st of staged) await dropStaged(wh, st).catch(() => undefined);
    await wh.run('DROP TABLE IF EXISTS _folder_cafes; DROP TABLE IF EXISTS _folder_positions; DROP TABLE IF EXISTS _folder_items').catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
  sortReports(reports, files);
  if (failure) {
    const message = failure instanceof UserError ? failure.message : `unexpected error: ${failure.message}`;
    for (const r of reports) if (r.status !== 'failed' && r.status !== 'unchanged') r.status = 'failed';
    if (!opts.dryRun) {
      // Nothing of the period was loaded; the attempt and its rejects are kept for `rejects`.
      await wh.transaction(() => recordLoad(wh, { loadId, loadNo, opts, startedAt, status: 'failed', reports, message, pseudonymised }));
    }
    if (failure instanceof UserError) throw new IngestFailed(ingestErrors.failed(message), { loadId, period: period.label, status: 'failed', files: reports, warnings, message });
    throw failure;
  }
  const loaded = reports.filter((r) => r.status === 'loaded' || r.status === 'dry_run');
  const rows = loaded.reduce((s, r) => s + r.accepted, 0);
  const rejected = loaded.reduce((s, r) => s + r.rejected, 0);
  const status = opts.dryRun ? 'dry_run' : 'loaded';
  const message = `${opts.dryRun ? 'dry run: would load' : 'loaded'} ${rows} rows from ${loaded.length} file${loaded.length > 1 ? 's' : ''} for ${period.label}; ${rejected} rejected${reports.length > loaded.length ? `; ${reports.length - loaded.length} unchanged` : ''}`;
  return { loadId, period: period.label, status, files: reports, warnings, message };
}

/**
 * The archive copy of a people file: the file itself when nothing was rejected; else, for
 * line-based files (CSV, NDJSON), the file with the rejected records' lines blanked (so lines
 * keep their numbers and `reload` loads the same rows); other formats with rejects are not
 * archived (`reload` then says so). Resolves to the archive path, or undefined.
 */
async function archivePeopleFile(f: FoundFile, rep: FileReport, sha256: string, archiveDir: string, work: string): Promise<string | undefined> {
  const src = f.source ?? f.path;
  if (rep.rejects.length === 0) return archiveFile(src, sha256, archiveDir);
  if (f.format !== 'csv' && f.format !== 'ndjson') return undefined;
  const blank = new Set<number>();
  for (const r of rep.rejects) if (r.line !== null) for (let k = 0; k < (rep.multiLine?.get(r.line) ?? 1); k++) blank.add(r.line + k);
  const lines = (await readFile(src)).toString('latin1').split('\n');
  const copy = join(work, `${f.dataset.name}.archived.${f.format}`);
  writeFileSync(copy, Buffer.from(lines.map((l, i) => (blank.has(i + 1) ? (l.endsWith('\r') ? '\r' : '') : l)).join('\n'), 'latin1'));
  return archiveFile(copy, (await fileFacts(copy)).sha256, archiveDir);
}

/**
 * Replaces each file named by a `--pseudonymise` spec by its pseudonymised copy (same name, in
 * the work folder); returns what the load records of it (key id, never the key; both hashes).
 */
async function applyPseudonymise(files: FoundFile[], specs: PseudonymSpec[], work: string): Promise<{ files: FoundFile[]; pseudonymised: Record<string, unknown>[] }> {
  if (specs.length === 0) return { files, pseudonymised: [] };
  const secret = pseudonymSecret();
  const out: FoundFile[] = [];
  const recorded: Record<string, unknown>[] = [];
  for (const spec of specs) {
    if (!files.some((f) => f.dataset.name === spec.dataset)) throw new UserError(pseudonymErrors.noFile(spec.dataset, spec.column));
  }
  for (const f of files) {
    const spec = specs.find((s) => s.dataset === f.dataset.name);
    if (!spec) {
      out.push(f);
      continue;
    }
    const name = basename(f.source ?? f.path);
    if (f.format !== 'csv') throw new UserError(pseudonymErrors.notCsv(name, f.format));
    const keyCol = columnsOf(f.dataset.schema).find((c) => c.pseudonym)!;
    const dir = join(work, 'pseudonymised');
    mkdirSync(dir, { recursive: true });
    const copy = join(dir, name);
    const { rows, kind } = await pseudonymiseCsv(f.path, copy, spec, keyCol, secret);
    const user = await fileFacts(f.path);
    recorded.push({ dataset: f.dataset.name, file: name, column: spec.column, into: keyCol.name, kind, rows, key_id: keyId(secret), source_sha256: user.sha256, method: 'HMAC-SHA-256, first 32 hex' });
    out.push({ ...f, path: copy, source: undefined });
  }
  return { files: out, pseudonymised: recorded };
}

/**
 * A dated file replaces the period's rows: refuse one that would wipe them by mistake (a
 * header-only file) or remove more than half of them (a quarter's file ingested as the year),
 * unless the user says so.
 */
async function guardShrink(wh: Warehouse, f: FoundFile, rep: FileReport, opts: IngestOptions): Promise<void> {
  if (f.dataset.kind !== 'dated') {
    if (rep.read === 0) rep.message = fileErrors.emptyReference(rep.file);
    return;
  }
  const before = await wh.scalar<number>(`SELECT count(*) FROM ${ident(f.dataset.name)} WHERE ${inPeriodSql(f.dataset, columnsOf(f.dataset.schema), opts.period)}`);
  if (before === 0) return;
  if (rep.read === 0) {
    if (opts.allowEmpty?.includes(f.dataset.name)) return;
    rep.status = 'failed';
    rep.message = fileErrors.emptyDated(rep.file, f.dataset.name, opts.period.label, before);
    throw new IngestFailed(rep.message);
  }
  if (before - rep.accepted > before / 2 && !opts.allowShrink) {
    rep.status = 'failed';
    rep.message = fileErrors.shrink(rep.file, f.dataset.name, opts.period.label, before, rep.accepted);
    throw new IngestFailed(rep.message);
  }
}

function sortReports(reports: FileReport[], files: FoundFile[]): void {
  const order = files.map((f) => f.path);
  reports.sort((a, b) => order.indexOf(a.path) - order.indexOf(b.path));
}

function emptyReport(f: FoundFile, ff: { size: number; sha256: string }, status: FileReport['status'], message?: string): FileReport {
  return { dataset: f.dataset.name, file: basename(f.source ?? f.path), path: f.path, format: f.format, size: ff.size, sha256: ff.sha256, read: 0, accepted: 0, rejected: 0, replaced: 0, mappedCommunes: 0, status, message, rejects: [] };
}

type LoadedFile = { sha256: string; size_bytes: number };

/** The same content is already what the warehouse holds for this dataset and period (`last`, see lastLoaded). */
async function isUnchanged(last: LoadedFile | undefined, size: number, facts: Promise<FileFacts>): Promise<boolean> {
  // Another size is another content: the hash is not waited for here.
  return last !== undefined && last.size_bytes === size && last.sha256 === (await facts).sha256;
}

/**
 * The file the most recent load of `def` overlapping `period` brought, if that load is still
 * loaded and (dated datasets) was for this very period. For dated datasets an unloaded load
 * counts as the most recent writer (its unload removed rows that had replaced the earlier ones,
 * so the earlier file must load again); for reference datasets an unload reopens the versions it
 * closed, so the earlier load is current again.
 */
async function lastLoaded(wh: Warehouse, def: DatasetDef, period: Period): Promise<LoadedFile | undefined> {
  const dated = def.kind === 'dated';
  const overlap = dated ? 'AND l.period_start < $3::DATE AND $2::DATE < l.period_end' : 'AND $2::VARCHAR IS NOT NULL AND $3::VARCHAR IS NOT NULL';
  const statuses = dated ? "l.status IN ('loaded', 'unloaded')" : "l.status = 'loaded'";
  const last = await wh.one<{ sha256: string; size_bytes: number; period: string; status: string }>(
    `SELECT f.sha256, f.size_bytes, l.period, l.status FROM load_files f JOIN loads l USING (load_id)
     WHERE f.dataset = $1 AND ${statuses} AND f.status = 'loaded' ${overlap}
     ORDER BY l.started_at DESC LIMIT 1`,
    [def.name, period.start, period.end],
  );
  if (!last || last.status !== 'loaded' || (dated && last.period !== period.label)) return undefined;
  return last;
}

interface Ctx {
  period: Period;
  loadId: string;
  /** The load's number, written on every row it brings (`_load`). */
  loadNo: number;
  work: string;
  warn: (m: string) => void;
  reporter?: Reporter;
  /** How numbers of large dated CSV files are read (IngestOptions.numbers). */
  numbers?: 'auto' | 'text';
  /** This file's scan as UTF-8, started ahead (undefined when its head says binary or UTF-16). */
  scanAhead?: Promise<Awaited<ReturnType<typeof scanText>> | undefined>;
}

/** A CSV file's dialect and scan (scan.ts); `original`: the user's file, which may start with a byte order mark. */
async function scanText(path: string, original: boolean): Promise<{ bom: boolean; dialect: Dialect; scan: ScanResult }> {
  const bom = original && (await startsWithUtf8Bom(path));
  const dialect = await sniffCsv(path);
  return { bom, dialect, scan: await profiled(`scan ${basename(path)}`, () => scanCsv(path, { delimiter: dialect.delimiter, bom })) };
}

/**
 * Reads and checks one file.
 * - staged (reference files, the survey, Parquet/JSON): read into a temporary table and checked
 *   there; `writeOne` writes the rows that passed inside the load's transaction.
 * - direct (dated CSV files, `direct`): read straight into the dataset's table as rows of a
 *   pending load — one pipelined parse-and-write, the shape of DuckDB's own
 *   `CREATE TABLE AS read_csv` — then checked there and the rejected rows deleted. Pending rows
 *   are invisible in practice: DuckDB lets one process at a time open the warehouse, the load
 *   becomes real only when `finishDirect` commits, and a crash leaves a marker that the next
 *   open uses to delete them (src/db/migrate.ts).
 * Either way: the same rules, reasons and lines.
 */
async function checkOne(wh: Warehouse, f: FoundFile, size: number, facts: Promise<FileFacts>, ctx: Ctx, direct = false): Promise<Staged> {
  const name = basename(f.path);
  // The size and hash are filled in when the hash pass ends (for CSV files, after the scan).
  const rep = emptyReport(f, { size, sha256: '' }, 'loaded');
  const hashed = async (): Promise<FileFacts> => {
    const ff = await facts;
    rep.size = ff.size;
    rep.sha256 = ff.sha256;
    return ff;
  };
  const table = `_stg_${f.dataset.name}`;
  const step = (s: string) => ctx.reporter?.fileStep?.(name, s);
  // Direct mode: this load's rows in the dataset's table (a negative number marks a bad number).
  const pendingRows = `${ident(storedTable(f.dataset))} WHERE _load IN (${ctx.loadNo}, ${-ctx.loadNo})`;
  const contract = await contractColumns(wh, f.dataset);
  let readerRejects: ReaderReject[] = [];
  let present: Column[];
  let readPath = f.path;
  let timestampFormat: string | undefined;
  let withOffsets = false;
  let inserted = 0;
  let refine: Refine | undefined;
  let lineRejects: LineReject[] = [];
  // JSON: the line (NDJSON) or element number (arrays) of each record DuckDB reads.
  let recordLines: number[] | undefined;
  let scanResult: ScanResult | undefined;

  if (f.format === 'csv') {
    // The encoding, decided on evidence; UTF-16 and Windows-1252 are transcoded to UTF-8. The
    // head decides binary files and UTF-16 at once; UTF-8 vs Windows-1252 needs the whole file's
    // UTF-8 check, made by the hash pass: meanwhile the file is scanned as UTF-8 (scanned again
    // after transcoding in the rare case it turns out to be Windows-1252).
    const head = await headEncoding(f.path);
    if (head?.binary) throw new UserError(fileErrors.notText(name, head.binary));
    const transcode = async (enc: 'windows-1252' | 'utf-16le' | 'utf-16be', skipUtf8Bom: boolean) => {
      step('transcoding');
      readPath = join(ctx.work, `${f.dataset.name}.utf8.csv`);
      await transcodeToUtf8(f.path, readPath, enc, skipUtf8Bom);
    };
    if (head) await transcode(head.encoding as 'utf-16le' | 'utf-16be', false);
    // What DuckDB would swallow or choke on (stray quotes, NUL, stray CR, bad bytes, huge
    // records) becomes rejected lines, blanked in the copy DuckDB reads. A large file's scan as
    // UTF-8 may have started already (see ingestFiles).
    step('scanning');
    let { bom, dialect, scan } = (!head && (await ctx.scanAhead)) || (await scanText(readPath, readPath === f.path));
    // (Measured: not waiting for the hash pass when the scan saw only valid UTF-8, so that it goes
    // on beside DuckDB's read, gained nothing: on two cores it slows the read as much.)
    const ff = await hashed();
    const enc = head ?? (await textEncoding(f.path, ff));
    rep.encoding = enc.encoding;
    if (enc.encoding === 'windows-1252') {
      if (enc.bomOverWin1252) ctx.warn(`${name}: starts with a UTF-8 byte order mark but its other bytes are Windows-1252 (no valid UTF-8 accent anywhere): read as Windows-1252`);
      await transcode('windows-1252', enc.bomOverWin1252 === true);
      ({ bom, dialect, scan } = await scanText(readPath, false));
    }
    if (dialect.header.length === 0 || dialect.header.every((h) => h === '')) throw new UserError(fileErrors.empty(name));
    rep.delimiter = dialect.delimiter;
    lineRejects = scan.rejects;
    scanResult = scan;
    if (scan.rejects.length || scan.crOnly || scan.leadingBlank || scan.mixedLineEnds) {
      const clean = join(ctx.work, `${f.dataset.name}.clean.csv`);
      await writeSanitized(readPath, clean, scan, bom);
      readPath = clean;
    }
    const mapping = mapHeader(name, dialect.header, contract, f.dataset);
    present = mapping.present;
    if (f.dataset.people) {
      step('checking for personal data');
      await guardCsvValues(readPath, name, dialect.header, keyColumns(contract), mapping.fileColumns.map((c) => c.name));
    }
    for (const x of mapping.extra) ctx.warn(`${name}: column "${x}" is not in the contract for ${f.dataset.name}, ignored`);
    const sampleOf = (col: string) => {
      const i = mapping.fileColumns.findIndex((c) => c.name === col);
      return dialect.sample.map((r) => r[i] ?? '');
    };
    const dateCols = present.filter((c) => c.sqlType === 'DATE');
    const dateFormat = detectDateFormat(dateCols.flatMap((c) => sampleOf(c.name)));
    const tsCol = present.find((c) => c.sqlType === 'TIMESTAMP');
    timestampFormat = tsCol ? detectTimestampFormat(sampleOf(tsCol.name)) : undefined;
    withOffsets = tsCol !== undefined && !timestampFormat && detectOffsets(sampleOf(tsCol.name));
    const numCols = present.filter((c) => c.sqlType === 'DOUBLE');
    const decimalComma = dialect.delimiter !== ',' && detectDecimalComma(numCols.flatMap((c) => sampleOf(c.name)));
    rep.dateFormat = dateFormat ?? timestampFormat?.slice(0, 8);
    rep.decimalSeparator = decimalComma ? ',' : '.';
    const csvOpts = { dialect, fileColumns: mapping.fileColumns, dateFormat, timestampFormat, withOffsets, decimalComma };
    step('reading');
    if (direct) {
      // Commune codes stay raw here (a join would not keep the file's row order): mapped below.
      const { exprs } = valueExprs(f.dataset, contract, present, { period: ctx.period, withOffsets, rawCommunes: true, decimalComma, parsedColumns: true });
      const nums = present.filter((c) => c.sqlType === 'BIGINT' || c.sqlType === 'DOUBLE');
      const cols = contract.map((c) => ident(c.name));
      const numSet = new Set(nums.map((c) => c.name));
      const target = ident(storedTable(f.dataset));
      // A row with a cell that is not a valid number is written with a negative load number
      // (hidden, like the whole pending load, and deleted after the checks name its reason).
      const loadOf = (bad: string[]) => (bad.length ? `CASE WHEN ${bad.join(' OR ')} THEN ${-ctx.loadNo} ELSE ${ctx.loadNo} END` : String(ctx.loadNo));
      const insertSql = (typed: boolean) => {
        const o = { ...csvOpts, typedNumbers: typed };
        if (typed) {
          // DuckDB's reader parses the numbers (numbers.ts, typedNumberSql): one query level.
          const value = (c: Column, i: number) => (numSet.has(c.name) ? typedNumberSql(`s.${ident(c.name)}`, c.sqlType) : exprs[i]!);
          const loadExpr = loadOf(nums.map((c) => typedBadNumberSql(`s.${ident(c.name)}`, typedNumberSql(`s.${ident(c.name)}`, c.sqlType))));
          return { o, sql: `INSERT INTO ${target} (${cols.join(', ')}, _load) SELECT ${contract.map(value).join(', ')}, ${loadExpr} FROM ${csvReaderSql(readPath, table, o)} s` };
        }
        // Numbers as text: each parsed once (inner query), its value computed once (middle query).
        const parsed = nums.map((c) => `${parsedSql(`s.${ident(c.name)}`, decimalComma)} AS ${ident(`__p_${c.name}`)}`);
        const loadExpr = loadOf(nums.map((c) => badNumberSql(`v.${ident(`__raw_${c.name}`)}`, `v.${ident(c.name)}`)));
        return {
          o,
          sql: `INSERT INTO ${target} (${cols.join(', ')}, _load)
         SELECT ${cols.map((c) => `v.${c}`).join(', ')}, ${loadExpr} FROM (
           SELECT ${[...exprs.map((e, i) => `${e} AS ${cols[i]}`), ...nums.map((c) => `s.${ident(c.name)} AS ${ident(`__raw_${c.name}`)}`)].join(', ')}
           FROM (SELECT s.*${parsed.length ? `, ${parsed.join(', ')}` : ''} FROM ${csvReaderSql(readPath, table, o)} s) s
         ) v`,
        };
      };
      // The fast path when the file allows it (numbers.ts): numbers with a decimal point, no
      // underscore after the header. Its rows are deleted and the file read again the exact way when
      // the result may differ from the exact path's: a number DuckDB refused, or a 0 the file may
      // have spelled as an underflow. (Not in a transaction of its own: its commit and the zero
      // test on transaction-local rows cost 0.4 s; the deleted rows' ids are never reused, and
      // the exact read appends its rows after them, in order.)
      const fast = ctx.numbers !== 'text' && nums.length > 0 && !decimalComma && !scan.underscore;
      let done = false;
      if (fast) {
        step('reading, numbers parsed by DuckDB');
        const { o, sql } = insertSql(true);
        inserted = await wh.exec(sql);
        readerRejects = await readReaderRejects(wh, table, o);
        const refused = readerRejects.some((r) => !r.fromText && r.column !== undefined && numSet.has(r.column));
        const zero = !refused && (await wh.scalar<boolean>(`SELECT EXISTS (SELECT 1 FROM ${pendingRows} AND (${nums.map((c) => `${ident(c.name)} = 0`).join(' OR ')}))`));
        done = !refused && !(zero && (await mayUnderflow(readPath)));
        if (!done) {
          step('reading again (numbers as text)');
          await wh.run(`DELETE FROM ${pendingRows}`);
        }
      }
      if (!done) {
        const { o, sql } = insertSql(false);
        inserted = await wh.exec(sql);
        readerRejects = await readReaderRejects(wh, table, o);
      }
      refine = refineNumbers(contract, { fileColumns: mapping.fileColumns, delimiter: dialect.delimiter, decimalComma });
    } else {
      readerRejects = await stageCsv(wh, readPath, table, csvOpts);
      refine = refineNumbers(contract, { decimalComma });
    }
  } else {
    await hashed();
    let names: string[];
    if (f.format === 'parquet') {
      names = await parquetColumns(wh, f.path).catch((e: Error) => {
        throw new UserError(fileErrors.badParquet(name), { hint: e.message.split('\n')[0] });
      });
      if (f.dataset.people) await guardParquetValues(wh, f.path, name, names, keyColumns(contract));
    } else {
      // JSON: checked and normalised record by record first (json.ts).
      step('checking JSON');
      const prep = await prepareJson(f.path, name, f.format, contract, join(ctx.work, `${f.dataset.name}.norm.ndjson`), f.dataset.people === true);
      readPath = prep.path;
      lineRejects = prep.rejects;
      recordLines = prep.lineOf;
      names = prep.keys;
    }
    // A file with no record at all (an empty JSON array) has no columns: it loads no row.
    const noRecord = f.format !== 'parquet' && recordLines?.length === 0;
    const mapping = mapHeader(name, names, contract, f.dataset, noRecord);
    present = mapping.present;
    for (const x of mapping.extra) ctx.warn(`${name}: column "${x}" is not in the contract for ${f.dataset.name}, ignored`);
    step('reading');
    readerRejects = await stageOther(wh, readPath, f.format, table, present).catch((e: Error) => {
      if (f.format === 'parquet' && !(e instanceof UserError)) throw new UserError(fileErrors.badParquet(name), { hint: e.message.split('\n')[0] });
      throw e;
    });
    refine = refineNumbers(contract, { decimalComma: false });
  }

  step('checking');
  const rowsOf = direct ? `(SELECT rowid FROM ${pendingRows})` : ident(table);
  const firstRowid = (await wh.scalar<number | string | null>(`SELECT min(rowid) FROM ${rowsOf}`)) ?? 0;
  // Rows written straight to their table (millions of sales lines): the café ids no café has,
  // listed first, when they are few (a file of unknown ids keeps the join of every row).
  let unknownCafes: string[] | undefined;
  if (direct && f.dataset.cafeColumn) {
    const ids = (await wh.all<{ c: string }>(`${unknownCafesSql(`(SELECT ${ident(f.dataset.cafeColumn)} FROM ${pendingRows})`, f.dataset.cafeColumn)} LIMIT 1001`)).map((r) => r.c);
    if (ids.length <= 1000) unknownCafes = ids;
  }
  const checks = buildChecks(f.dataset, contract, present, {
    table: direct ? storedTable(f.dataset) : table,
    period: ctx.period,
    decimalComma: rep.decimalSeparator === ',',
    withOffsets: withOffsets || f.format !== 'csv',
    firstRowid: BigInt(firstRowid),
    written: direct ? { loadNo: ctx.loadNo } : undefined,
    unknownCafes,
  });
  await wh.run(checks.viewSql);
  const badTable = `${table}_bad`;
  await wh.run(`CREATE OR REPLACE TEMP TABLE ${ident(badTable)} AS ${checks.badSql}`);
  const nBad = await wh.scalar<number>(`SELECT count(*) FROM ${ident(badTable)}`);
  const bad = nBad ? await wh.all<{ _rn: number; problems: number[] } & Record<string, unknown>>(checks.valuesSql(badTable)) : [];
  // '' when every row passed: the write then needs no anti-join.
  const badSet = nBad ? `(SELECT _rn FROM ${ident(badTable)})` : '';
  const staged = direct ? inserted : await wh.scalar<number>(`SELECT count(*) FROM ${ident(table)}`);
  rep.mappedCommunes = await wh.scalar<number>(checks.mappedSql);

  // Place every rejected row on its line.
  const placed = await placeRejects(readPath, rep.delimiter ?? ',', f.format, readerRejects, bad, checks, refine, recordLines, f.path);
  const rejects = [...placed, ...lineRejects.map((r): RejectRow => ({ line: r.line, column: null, value: null, reason: r.reason, rawLine: r.rawLine }))].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  // People datasets: a key that is not a pseudonym is never repeated in the rejects.
  rep.rejects = f.dataset.people ? rejects.map((r) => redactReject(r, keyColumns(contract))) : rejects;
  const duckRead = staged + countRecords(readerRejects);
  rep.read = duckRead + lineRejects.length;
  rep.rejected = rejects.length;
  rep.accepted = rep.read - rep.rejected;
  if (scanResult) {
    // Two independent counts of the file's records: the scan's and DuckDB's. They must agree.
    if (duckRead !== scanResult.records) throw new InternalError(`row accounting broken for ${rep.file}: the scan found ${scanResult.records} records, DuckDB read ${duckRead}`);
    const spanOf = (line: number | null) => (line === null ? 1 : (scanResult!.multiLine.get(line) ?? 1));
    const placedLines = placed.reduce((n, r) => n + spanOf(r.line), 0);
    const lines = {
      total: scanResult.totalLines,
      header: scanResult.headerLines,
      blank: scanResult.blankLines,
      accepted: scanResult.recordLines - placedLines,
      rejected: placedLines + lineRejects.reduce((n, r) => n + r.span, 0),
    };
    if (lines.header + lines.blank + lines.accepted + lines.rejected !== lines.total) {
      throw new InternalError(`line accounting broken for ${rep.file}: ${JSON.stringify(lines)}`);
    }
    rep.lines = lines;
    rep.multiLine = scanResult.multiLine;
  }

  if (direct) {
    const removed = nBad
      ? await wh.exec(`DELETE FROM ${pendingRows} AND rowid IN (SELECT _rn + ${BigInt(firstRowid)} FROM ${ident(badTable)})`)
      : 0;
    if (inserted - removed !== rep.accepted) throw new InternalError(`row conservation broken for ${rep.file}: ${inserted} written, ${removed} removed, ${rep.accepted} accepted`);
    for (const c of present.filter((x) => x.commune)) {
      // codes of merged communes (and municipal arrondissements) → today's commune
      await wh.run(
        `UPDATE ${ident(storedTable(f.dataset))} t SET ${ident(c.name)} = m.current_code FROM ref_commune_codes m
         WHERE t._load = ${ctx.loadNo} AND m.code = t.${ident(c.name)} AND m.code <> m.current_code`,
      );
    }
  }
  if (f.dataset.name === 'cafes') {
    await wh.run(`INSERT INTO _folder_cafes SELECT cafe_id FROM ${ident(checks.view)}${badSet ? ` WHERE _rn NOT IN ${badSet}` : ''}`);
  }
  if (f.dataset.name === 'commune_positions') {
    await wh.run(`INSERT INTO _folder_positions SELECT commune_insee FROM ${ident(checks.view)}${badSet ? ` WHERE _rn NOT IN ${badSet}` : ''}`);
  }
  if (f.dataset.name === 'questionnaire') {
    await wh.run(`INSERT INTO _folder_items SELECT item_id, label, scale_min, scale_max FROM ${ident(checks.view)}${badSet ? ` WHERE _rn NOT IN ${badSet}` : ''}`);
  }
  return { file: f, report: rep, table, badTable, badSet, checks, contract, written: direct };
}

/**
 * The reason a numeric cell was refused, told from its text (numbers.ts): the shown value of a
 * staged row, or the cell of the raw line for rows checked after being written (which hold NULL).
 */
function refineNumbers(contract: Column[], o: { fileColumns?: { name: string }[]; delimiter?: string; decimalComma: boolean }): Refine {
  return (p, rawLine, shown) => {
    if (!p.number) return p;
    const col = contract.find((c) => c.name === p.column)!;
    let text: string | null = shown;
    if (o.fileColumns) {
      if (rawLine === null) return p;
      text = (splitRecords(rawLine, o.delimiter ?? ',')[0] ?? [])[o.fileColumns.findIndex((c) => c.name === p.column)] ?? null;
    }
    const why = numberProblem(text, col.sqlType, o.decimalComma);
    if (why === 'missing') {
      if (col.required) return { ...p, number: false, reason: reasons.required(), value: null };
      if (col.default !== undefined) return { ...p, number: false, reason: reasons.emptyWithDefault(col.default), value: null };
      return null;
    }
    return { ...p, reason: why ?? p.reason, value: text };
  };
}

/** Makes a pending (direct) load's rows the period's rows: deletes the rows it replaces. */
async function finishDirect(wh: Warehouse, st: Staged, ctx: { period: Period; loadNo: number }, dryRun: boolean): Promise<void> {
  const t = ident(storedTable(st.file.dataset));
  const replaced = `${inPeriodSql(st.file.dataset, st.contract, ctx.period)} AND _load <> ${ctx.loadNo}`;
  st.report.replaced = dryRun ? await wh.scalar<number>(`SELECT count(*) FROM ${t} WHERE ${replaced}`) : await wh.exec(`DELETE FROM ${t} WHERE ${replaced}`);
}

/** Deletes the rows of a pending load (after a failure, or a dry run) and its marker. */
export async function dropPendingLoad(wh: Warehouse, loadNo: number): Promise<void> {
  for (const def of Object.values(DATASETS).filter((d) => d.kind === 'dated')) {
    await wh.run(`DELETE FROM ${ident(storedTable(def))} WHERE _load IN ($1, -$1)`, [loadNo]);
  }
  await wh.run(`DELETE FROM meta WHERE key = 'pending_load' AND value = $1`, [String(loadNo)]);
}

/** Phase 2 for one file, inside the load's transaction. */
async function writeOne(wh: Warehouse, st: Staged, ctx: { period: Period; loadNo: number }): Promise<void> {
  const { file: f, report: rep, checks, contract, badSet } = st;
  if (st.written) return finishDirect(wh, st, ctx, false);
  let counts: WriteCounts;
  if (f.dataset.kind === 'dated') {
    counts = await replaceDated(wh, f.dataset, contract, checks.view, badSet, ctx);
    if (counts.inserted !== rep.accepted) throw new InternalError(`row conservation broken for ${rep.file}: ${counts.inserted} inserted, ${rep.accepted} accepted`);
  } else {
    counts = await upsertReference(wh, f.dataset, contract, checks.view, badSet, ctx, rep.file);
  }
  rep.replaced = counts.replaced;
  if (counts.note) rep.message = [counts.note, rep.message].filter(Boolean).join('; ');
}

async function dropStaged(wh: Warehouse, st: Staged): Promise<void> {
  await wh.run(`DROP VIEW IF EXISTS ${ident(st.checks.checked)}; DROP VIEW IF EXISTS ${ident(st.checks.view)}; DROP TABLE IF EXISTS ${ident(st.badTable)}`);
  if (!st.written) await wh.run(`DROP TABLE IF EXISTS ${ident(st.table)}`);
}

interface Staged {
  file: FoundFile;
  report: FileReport;
  table: string;
  badTable: string;
  /** `(SELECT _rn FROM <bad>)`, or '' when every row passed. */
  badSet: string;
  checks: ReturnType<typeof buildChecks>;
  contract: Column[];
  /** Already in the dataset's table as rows of the pending load (direct mode). */
  written: boolean;
}

function countRecords(rr: ReaderReject[]): number {
  return new Set(rr.map((r) => r.duckLine ?? r.record)).size;
}

/** The contract's columns, plus the questionnaire's items for the survey. */
async function contractColumns(wh: Warehouse, def: DatasetDef): Promise<Column[]> {
  const cols = columnsOf(def.schema);
  if (def.name !== 'survey') return cols;
  // The questionnaire in the warehouse, overridden by this folder's questionnaire file if any.
  const items = await wh.all<{ item_id: string; scale_min: number; scale_max: number; label: string }>(
    `SELECT item_id, scale_min, scale_max, label FROM _folder_items
     UNION ALL
     SELECT item_id, scale_min, scale_max, label FROM questionnaire WHERE _valid_to IS NULL AND item_id NOT IN (SELECT item_id FROM _folder_items)
     ORDER BY item_id`,
  );
  return [...cols, ...items.map((i): Column => ({ name: i.item_id, sqlType: 'BIGINT', required: false, min: i.scale_min, max: i.scale_max, description: i.label, item: true }))];
}

/** Maps a file's header to the contract: present columns, unknown extras, refused identifiers. */
function mapHeader(file: string, header: string[], contract: Column[], def: DatasetDef, noRecord = false) {
  const seen = new Set<string>();
  const fileColumns: { name: string; type: Column['sqlType'] }[] = [];
  const present: Column[] = [];
  const extra: string[] = [];
  header.forEach((raw, i) => {
    const h = headerKey(raw);
    if (seen.has(h)) throw new UserError(fileErrors.duplicateHeader(file, raw));
    seen.add(h);
    const col = contract.find((c) => c.name === h);
    if (col) {
      fileColumns.push({ name: col.name, type: col.sqlType });
      present.push(col);
      return;
    }
    if (def.people && identifierWord(raw)) throw new UserError(fileErrors.directIdentifier(file, raw));
    if (def.name === 'survey' && h !== '') throw new UserError(fileErrors.undeclaredItem(file, raw));
    fileColumns.push({ name: `_extra_${i}`, type: 'VARCHAR' });
    if (h !== '') extra.push(raw);
  });
  const missing = contract.filter((c) => c.required && !seen.has(c.name)).map((c) => c.name);
  if (missing.length && !noRecord) throw new UserError(fileErrors.missingColumns(file, missing));
  return { fileColumns, present, extra };
}

async function placeRejects(
  path: string,
  delimiter: string,
  format: FileFormat,
  readerRejects: ReaderReject[],
  bad: ({ _rn: number; problems: number[] } & Record<string, unknown>)[],
  checks: ReturnType<typeof buildChecks>,
  refine?: Refine,
  recordLines?: number[],
  /** The user's file (NDJSON: rejects keep their line's text). */
  source?: string,
): Promise<RejectRow[]> {
  const out: RejectRow[] = [];
  if (readerRejects.length === 0 && bad.length === 0) return out;
  // Group reader errors by record: several bad fields in one row are one rejected row.
  const byRecord = new Map<number, ReaderReject[]>();
  for (const r of readerRejects) {
    const k = (r.duckLine ?? r.record)!;
    byRecord.set(k, [...(byRecord.get(k) ?? []), r]);
  }
  if (format !== 'csv') {
    // Parquet row / JSON element numbers (1-based), or NDJSON lines.
    for (const [rec, errs] of byRecord) out.push(merge(rec, errs));
    const survivors = [...byRecord.keys()].sort((a, b) => a - b);
    for (const b of bad) out.push(fromChecks(ordinalSkipping(b._rn, survivors) + 1, b, checks, refine, null));
    // JSON: record numbers of the normalised copy → lines (NDJSON) or elements of the user's file.
    if (recordLines) for (const r of out) if (r.line !== null) r.line = recordLines[r.line - 1] ?? r.line;
    if (format === 'ndjson' && source) {
      const texts = await linesOf(source, new Set(out.map((r) => r.line).filter((l): l is number => l !== null)));
      for (const r of out) if (r.line !== null) r.rawLine = texts.get(r.line) ?? r.rawLine;
    }
    return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
  const maxRn = bad.reduce((m, b) => Math.max(m, b._rn), -1);
  const maxDuck = readerRejects.reduce((m, r) => Math.max(m, r.duckLine ?? 0), 0);
  const idx = await indexRecords(path, { needRecords: maxRn + byRecord.size + 1, needDuckLine: maxDuck, delimiter });
  const rejectedRecords = [...byRecord.keys()].map((d) => recordAtDuckLine(idx, d)).sort((a, b) => a - b);
  // The raw text of every rejected record, from the file itself (DuckDB's csv_line may carry the
  // line end of the record before, in CRLF files).
  const raw = await rawLines(path, idx, [...rejectedRecords, ...bad.map((b) => ordinalSkipping(b._rn, rejectedRecords))]);
  for (const [d, errs] of byRecord) {
    const rec = recordAtDuckLine(idx, d);
    out.push({ ...merge(idx.lines[rec]!, errs), rawLine: raw.get(rec) ?? null });
  }
  for (const b of bad) {
    const rec = ordinalSkipping(b._rn, rejectedRecords);
    out.push(fromChecks(idx.lines[rec] ?? null, b, checks, refine, raw.get(rec) ?? null));
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function merge(line: number, all: ReaderReject[]): RejectRow {
  // DuckDB may report the same error twice for one record (e.g. missing columns).
  // A row with the wrong number of fields has its other values shifted: report that alone.
  const structural = all.filter((e) => e.column === undefined);
  const pool = structural.length ? structural : all;
  const errs = pool.filter((e, i) => pool.findIndex((x) => x.reason === e.reason && x.column === e.column) === i);
  const first = errs[0]!;
  const also = errs.slice(1).map((e) => `; also ${[e.column, e.value !== undefined ? JSON.stringify(e.value) : undefined, e.reason].filter(Boolean).join(' ')}`);
  const reason = first.reason + also.join('');
  return { line, column: first.column ?? null, value: first.value ?? null, reason, rawLine: first.rawLine ?? null };
}

/** The record ordinal of the n-th record (0-based) not in `skipped` (sorted ordinals). */
function ordinalSkipping(n: number, skipped: number[]): number {
  let k = n;
  for (const s of skipped) {
    if (s <= k) k++;
    else break;
  }
  return k;
}

/**
 * Rewrites a problem knowing the text of its cell: the shown value (staged rows) or the raw line
 * (rows checked after being written). Null drops it (an empty optional number in a marked row).
 */
type Refine = (p: Problem, rawLine: string | null, shown: string | null) => (Problem & { value?: string | null }) | null;

function fromChecks(line: number | null, b: { problems: number[] } & Record<string, unknown>, checks: ReturnType<typeof buildChecks>, refine: Refine | undefined, rawLine: string | null): RejectRow {
  const shownOf = (p: Problem) => (b[`_v_${p.column}`] === null || b[`_v_${p.column}`] === undefined ? null : String(b[`_v_${p.column}`]));
  const all = b.problems.map((i) => checks.problems[i]!).map((p) => (refine ? refine(p, rawLine, shownOf(p)) : p));
  const probs = all.filter((p): p is Problem & { value?: string | null } => p !== null);
  if (probs.length === 0) probs.push(checks.problems[b.problems[0]!]!);
  const first = probs[0]!;
  const val = (p: (typeof probs)[number]) => (p.value !== undefined ? p.value : shownOf(p));
  const also = probs.slice(1).map((p) => `; also ${p.column}${val(p) !== null ? ` ${JSON.stringify(val(p))}` : ''} ${p.reason}`);
  const reason = first.reason + also.join('');
  return { line, column: first.column, value: val(first), reason, rawLine };
}

/** The text of some physical lines of a file (1-based), for NDJSON rejects. */
async function linesOf(path: string, wanted: Set<number>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const max = Math.max(...wanted);
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const l of rl) {
    n++;
    if (wanted.has(n)) out.set(n, (n === 1 ? l.replace(/^\uFEFF/, '') : l).slice(0, 65536));
    if (n >= max) break;
  }
  rl.close();
  return out;
}

/** The raw text of some records (for the rejects table), read back from the file. */
async function rawLines(path: string, idx: Awaited<ReturnType<typeof indexRecords>>, records: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (records.length === 0) return out;
  const fh = await open(path, 'r');
  try {
    for (const r of records) {
      const start = idx.starts[r];
      if (start === undefined) continue;
      // The record alone: up to its line end (a record is at most MAX_RECORD_BYTES long).
      const len = Math.min((idx.ends[r] ?? start + 65536) - start, 65536);
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, start);
      out.set(r, buf.subarray(0, bytesRead).toString('utf8').replace(/[\r\n]+$/, ''));
    }
  } finally {
    await fh.close();
  }
  return out;
}

async function recordLoad(
  wh: Warehouse,
  o: { loadId: string; loadNo: number; opts: IngestOptions & { source: string }; startedAt: Date; status: 'loaded' | 'failed'; reports: FileReport[]; message: string | null; pseudonymised?: Record<string, unknown>[] },
): Promise<void> {
  const { period } = o.opts;
  await wh.run(
    `INSERT INTO loads (load_id, command, period, period_start, period_end, started_at, ended_at, status, code_version, source, options, message, load_no)
     VALUES ($1, $2, $3, $4::DATE, $5::DATE, $6::TIMESTAMPTZ, now(), $7, $8, $9, $10::JSON, $11, $12)`,
    [o.loadId, o.opts.command ?? 'ingest', period.label, period.start, period.end, o.startedAt.toISOString(), o.status, codeVersion(), o.opts.source,
      JSON.stringify({ threshold: o.opts.threshold ?? 0.05, ...(o.pseudonymised?.length ? { pseudonymised: o.pseudonymised } : {}) }), o.message, o.loadNo],
  );
  for (const r of o.reports) {
    if (r.status === 'unchanged') continue;
    await wh.run(
      `INSERT INTO load_files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [o.loadId, r.dataset, r.file, r.size, r.sha256, o.status === 'failed' ? null : (r.archivePath ?? null), r.format, r.encoding ?? null, r.delimiter ?? null,
        r.dateFormat ?? null, r.decimalSeparator ?? null, r.read, r.accepted, r.rejected, r.replaced, o.status === 'failed' ? 'failed' : r.status, r.message ?? null],
    );
    if (r.rejects.length) await insertRejects(wh, o.loadId, r);
  }
}

async function insertRejects(wh: Warehouse, loadId: string, r: FileReport): Promise<void> {
  const app = await wh.conn.createAppender('rejects');
  for (const x of r.rejects) {
    app.appendVarchar(loadId);
    app.appendVarchar(r.dataset);
    app.appendVarchar(r.file);
    if (x.line === null) app.appendNull();
    else app.appendBigInt(BigInt(x.line));
    for (const v of [x.column, x.value]) {
      if (v === null) app.appendNull();
      else app.appendVarchar(v);
    }
    app.appendVarchar(x.reason);
    if (x.rawLine === null) app.appendNull();
    else app.appendVarchar(x.rawLine);
    app.endRow();
  }
  app.closeSync();
}

