/**
 * The message catalogue (src/core/messages.ts): a few of its messages checked against texts
 * written out by hand (one at least per group, so the catalogue is tested against an expectation
 * independent of it), and a scan of src/ that keeps it the one place messages are written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  configErrors,
  demoErrors,
  exportErrors,
  figureErrors,
  fileErrors,
  importErrors,
  ingestErrors,
  inputReasons,
  jsonDetails,
  loadErrors,
  pct,
  periodErrors,
  pseudonymErrors,
  reasons,
  runErrors,
  unreadableWhy,
  usage,
  warehouseErrors,
} from '../../src/core/messages.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CATALOGUE = join(ROOT, 'src/core/messages.ts');

describe('the catalogue says what the users read', () => {
  it('ingest: reasons, file refusals, the refused ingest', () => {
    expect(reasons.belowMin(0)).toBe('is below the minimum (0)');
    expect(reasons.notType('DATE', 'YYYY-MM-DD')).toBe('is not a date (expected YYYY-MM-DD)');
    expect(reasons.badFormat({ siren: true })).toBe('is not a SIREN (9 digits)');
    expect(fileErrors.missingColumns('x.csv', ['a', 'b'])).toBe('x.csv: missing required columns a, b');
    expect(fileErrors.unreadable('cafes.csv', unreadableWhy.folder())).toBe('cafes.csv: cannot be read (it is a folder, not a file)');
    expect(pct(1, 3)).toBe('33 %');
    expect(ingestErrors.failed(fileErrors.threshold('service_uses.csv', 1, 3, 0.05))).toBe(
      'ingest failed, nothing loaded: service_uses.csv: 1 of 3 rows rejected (33 %), above the 5.0 % threshold',
    );
    expect(ingestErrors.noDatasetFile('/d')).toBe('/d: no dataset file found (expected e.g. service_uses.csv, cafes.csv)');
    expect(fileErrors.notRecords('e.json', jsonDetails.notArray({}))).toBe(
      'e.json: expected an array of JSON objects (the file holds an object, not an array; NDJSON files are named .ndjson)',
    );
    expect(jsonDetails.notArray(null)).toBe('the file holds null, not an array; NDJSON files are named .ndjson');
    expect(jsonDetails.notArray(3)).toBe('the file holds a number, not an array; NDJSON files are named .ndjson');
    expect(jsonDetails.noObject(2)).toBe('none of its 2 elements is an object');
  });

  it('--pseudonymise', () => {
    expect(pseudonymErrors.badSpec('email')).toBe('--pseudonymise email: expected <dataset>.<column>, e.g. survey.email');
    expect(pseudonymErrors.noKey('CAFE_IMPACT_PSEUDONYM_KEY', 32)).toBe(
      '--pseudonymise needs the secret key in CAFE_IMPACT_PSEUDONYM_KEY (at least 32 bytes; keep it outside the warehouse, the same for a whole study)',
    );
    expect(pseudonymErrors.shortKey('CAFE_IMPACT_PSEUDONYM_KEY', 5, 32)).toBe('CAFE_IMPACT_PSEUDONYM_KEY is 5 bytes long: at least 32 are needed');
  });

  it('reading files: the reasons of an InputError', () => {
    expect(inputReasons.unreadable('ENOENT')).toBe('cannot be read (ENOENT)');
    expect(inputReasons.emptyCsv()).toBe('the file is empty (no header line)');
    expect(inputReasons.noColumn('code', ['CODGEO', 'code'], ['a', 'b'])).toBe('no code column (expected one of CODGEO, code; found a, b)');
  });

  it('the command line', () => {
    expect(usage.commander("unknown option '--bogus'", 'cafe-impact status')).toBe("unknown option '--bogus' (see cafe-impact status --help)");
    expect(usage.badThreshold('7')).toBe('--threshold 7: expected a share between 0 and 1 (e.g. 0.05) or a percentage (5%)');
    expect(usage.unknownDataset('nope', ['cafes', 'sales'])).toBe('unknown dataset nope (one of cafes, sales)');
    expect(usage.xlsxNeedsOutput()).toBe('--format xlsx needs --output <file.xlsx>');
  });

  it('warehouse, periods, config, runs, loads', () => {
    expect(warehouseErrors.missing('/w.duckdb')).toBe('warehouse /w.duckdb does not exist; ingest a folder first, or give --warehouse');
    expect(warehouseErrors.inUse('/w.duckdb', null, 0)).toBe('warehouse /w.duckdb is in use by another process (DuckDB allows one writer, or readers, at a time)');
    expect(warehouseErrors.inUse('/w.duckdb', { program: '/usr/bin/python3', pid: 42 }, 5)).toBe('warehouse /w.duckdb is in use by another process: /usr/bin/python3 (PID 42), still after waiting 5 s (DuckDB allows one writer, or readers, at a time)');
    expect(warehouseErrors.inUseHint()).toBe('wait for it to finish (--wait <seconds> retries), or point --warehouse at another file; readers should open the published snapshot (published/ beside the warehouse), never the warehouse');
    expect(periodErrors.badPeriod('2023-Q5')).toBe('invalid period "2023-Q5": expected a year (2023) or a quarter (2023-Q2)');
    expect(periodErrors.yearOutOfRange('1900')).toBe('invalid period "1900": year out of range 1990–2100');
    expect(configErrors.invalid('/c.json', 'km.detour_factor', 'at most 4 decimals')).toBe('/c.json: km.detour_factor: at most 4 decimals');
    expect(configErrors.invalid('/c.json', '', 'Invalid input')).toBe('/c.json: (root): Invalid input');
    expect(runErrors.strictEmptyQuarters(['2023-Q3', '2023-Q4'], '2023')).toBe('--strict: no service_uses for 2023-Q3, 2023-Q4 of 2023');
    expect(runErrors.noCafe()).toBe('the warehouse holds no café: ingest a cafes file first (cafe-impact ingest <folder> --period …)');
    expect(loadErrors.noLoad('L1')).toBe('no load L1 (see `cafe-impact status` for the loads)');
    expect(loadErrors.notLoaded('L1', 'unloaded')).toBe('load L1 is unloaded: only a loaded load can be unloaded');
    expect(loadErrors.notArchived('cafes.csv', 'L1', null)).toBe('cafes.csv of load L1 is not in the archive (never archived)');
  });

  it('importers, figures, exports, the demo', () => {
    expect(importErrors.unknownProjection(3857, ['2154', '2972'])).toBe('EPSG:3857 is not a projection the BPE uses (known: 2154, 2972)');
    expect(importErrors.filosofiNoYear('f.csv', ['A', 'B', 'C', 'D', 'E', 'F'])).toBe(
      'f.csv: cannot tell the year: the indicator columns do not share a 2-digit year suffix (A, B, C, D, E…); give the year',
    );
    expect(figureErrors.noSuccessfulRun('2023')).toBe('no successful run for 2023: run `cafe-impact run --period 2023` first');
    expect(exportErrors.notFinite('value', Number.NaN)).toBe('export: value is not finite (NaN); use null for a value that cannot be computed');
    expect(demoErrors.badYear(1999)).toBe('invalid year 1999: expected 2020–2100');
  });
});

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('the catalogue is the one place messages are written', () => {
  it('no UserError, InputError or IngestFailed in src/ is given a string literal', () => {
    const inline = /new (UserError|InputError|IngestFailed)\(\s*[`'"]/;
    // an InputError's reason: `new InputError({ file, reason: '…' })`
    const inlineReason = /new InputError\(\{[^}]*\breason:\s*[`'"]/;
    const found: string[] = [];
    const files = sources(join(ROOT, 'src')).filter((f) => f !== CATALOGUE);
    expect(files.length).toBeGreaterThan(50);
    let calls = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      calls += (text.match(/new (UserError|InputError|IngestFailed)\(/g) ?? []).length;
      text.split('\n').forEach((line, i) => {
        if (inline.test(line)) found.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
      });
      for (const m of text.matchAll(new RegExp(inlineReason, 'g'))) found.push(`${relative(ROOT, f)}: ${m[0]}`);
    }
    expect(calls).toBeGreaterThan(80); // the scan does see the call sites
    expect(found).toEqual([]);
  });

  it('the scan would see an inline message', () => {
    const inline = /new (UserError|InputError|IngestFailed)\(\s*[`'"]/;
    expect(inline.test("throw new UserError(`${folder}: no such folder`);")).toBe(true);
    expect(inline.test("throw new UserError('--format xlsx needs --output <file.xlsx>');")).toBe(true);
    expect(inline.test('throw new UserError(ingestErrors.noSuchFolder(folder));')).toBe(false);
    expect(/new InputError\(\{[^}]*\breason:\s*[`'"]/.test("throw new InputError({ file, reason: 'is empty' });")).toBe(true);
  });

  it('src/core/messages.ts imports nothing (src/core imports nothing of the project)', () => {
    expect(readFileSync(CATALOGUE, 'utf8')).not.toMatch(/^\s*import\b/m);
  });
});
