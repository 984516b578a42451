/**
 * The message catalogue: every user-facing message of cafe-impact — rejection reasons, ingest
 * messages, errors of the CLI, the warehouse, periods, runs, loads, importers and exports. Code
 * throws `new UserError(someGroup.someMessage(...))`, never an inline string, and tests compare
 * against these functions, so a wording change is made once (test/core/messages.test.ts checks
 * that no inline message comes back).
 *
 * src/core imports nothing of the project: the few types the messages need are local.
 */

/** The SQL types of the data contract (src/contract/columns.ts `SqlType`). */
type SqlType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ' | 'VARCHAR[]' | 'BOOLEAN';

/** What `reasons.badFormat` needs to know of a column (a contract `Column` fits). */
interface ColumnKind {
  commune?: boolean;
  siren?: boolean;
  pseudonym?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Ingest: rejection reasons of a value, refusals of a file

const TYPE_NAMES: Record<SqlType, string> = {
  VARCHAR: 'text',
  BIGINT: 'whole number',
  DOUBLE: 'number',
  DATE: 'date',
  TIMESTAMP: 'date and time',
  TIMESTAMPTZ: 'date and time',
  'VARCHAR[]': 'list',
  BOOLEAN: 'true/false value',
};

export const reasons = {
  required: () => 'is required',
  notType: (t: SqlType, format?: string) => `is not a ${TYPE_NAMES[t]}${format ? ` (expected ${format})` : ''}`,
  notInEnum: (values: readonly string[]) => `is not one of: ${values.join(', ')}`,
  belowMin: (min: number) => `is below the minimum (${min})`,
  aboveMax: (max: number) => `is above the maximum (${max})`,
  tooShort: (n: number) => `is shorter than ${n} characters`,
  tooLong: (n: number) => `is longer than ${n} characters`,
  badFormat: (c: ColumnKind) =>
    c.commune
      ? 'is not a commune code (5 characters, e.g. 51356 or 2A004)'
      : c.siren
        ? 'is not a SIREN (9 digits)'
        : c.pseudonym
          ? 'is not a pseudonymous key (letters, digits, _ and -, at least 4 characters)'
          : 'is not an identifier (letters, digits, _ . -)',
  sirenKey: () => 'is not a valid SIREN (its Luhn check digit is wrong)',
  unknownCommune: () => 'is not a commune in the official list (COG, @etalab/decoupage-administratif)',
  unknownCafe: () => 'is not a known cafe_id (neither in the warehouse nor in this folder\'s cafes file)',
  outsidePeriod: (label: string) => `outside period ${label}`,
  looksLikePhone: () => 'looks like a phone number: people are identified by pseudonymous keys only',
  duplicateKey: (key: string[]) => `duplicate key (${key.join(', ')}): several rows of this file share it`,
  fieldCount: (found: number, expected: number) => `has ${found} fields, expected ${expected}`,
  noNumber: (name: string) => `${name} must be a number`,
  unterminatedQuote: () => 'unterminated quote: a quoted field opens on this line and does not close as a well-formed record; the line is rejected and reading resumes on the next line',
  invalidUtf8: (offset: number) => `holds bytes that are not UTF-8 (first at byte offset ${offset} of the file)`,
  nulByte: (offset: number) => `holds a NUL byte (at byte offset ${offset} of the file)`,
  strayCarriageReturn: (offset: number) => `holds a carriage return inside the line (at byte offset ${offset} of the file)`,
  notFinite: () => 'is not a finite number (NaN and infinities are refused)',
  outOfRange: () => 'is out of the range of numbers (exponent too large or too small)',
  emptyWithDefault: (dflt: unknown) => `is empty (a missing value; the default ${String(dflt)} applies only when the column is absent from the file)`,
  lineTooLong: (bytes: number, max: number) => `the record is ${bytes} bytes long, more than the ${max} bytes a record may hold`,
  booleanNotNumber: () => 'is a true/false value, not a number',
  badJsonLine: (msg: string) => `is not a JSON object: ${msg}`,
} as const;

export const fileErrors = {
  missingColumns: (file: string, cols: string[]) =>
    `${file}: missing required column${cols.length > 1 ? 's' : ''} ${cols.join(', ')}`,
  directIdentifier: (file: string, col: string) =>
    `${file}: column "${col}" carries a direct identifier of a person; people must be identified by pseudonymous keys only (person_key / respondent_key made by the office) — remove the column and ingest again, or derive the key from it with --pseudonymise`,
  identifierValue: (file: string, line: number | string, col: string, kind: string) =>
    `${file}: line ${line}, column ${col} holds ${kind}; people must be identified by pseudonymous keys only — nothing of this file was stored or archived (the value is not repeated here)`,
  duplicateHeader: (file: string, col: string) => `${file}: column "${col}" appears twice in the header`,
  undeclaredItem: (file: string, col: string) =>
    `${file}: column "${col}" is not an item of the questionnaire (declare it in questionnaire.csv)`,
  threshold: (file: string, rejected: number, read: number, threshold: number) =>
    `${file}: ${rejected} of ${read} rows rejected (${pct(rejected, read, threshold)}), above the ${pct(threshold, 1)} threshold`,
  twoFormats: (dataset: string, files: string[]) => `two files for dataset ${dataset}: ${files.join(', ')} (keep one)`,
  empty: (file: string) => `${file}: the file is empty (no header line)`,
  notText: (file: string, looksLike: string) => `${file}: not a text file (looks like ${looksLike})`,
  emptyDated: (file: string, dataset: string, period: string, rows: number) =>
    `${file}: no data row; loading it would remove the ${rows} ${dataset} rows of ${period} — give --allow-empty ${dataset} to empty the period`,
  shrink: (file: string, dataset: string, period: string, before: number, after: number) =>
    `${file}: would remove ${before - after} of the ${before} ${dataset} rows of ${period} (keeping ${after}); a load that removes more than half of a period's rows needs --allow-shrink`,
  emptyReference: (file: string) => `${file}: no data row; nothing changed`,
  badJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
  notRecords: (file: string, detail: string) => `${file}: expected an array of JSON objects (${detail})`,
  badParquet: (file: string) => `${file}: not a readable Parquet file (corrupt or truncated)`,
  unreadable: (file: string, why: string) => `${file}: cannot be read (${why})`,
  historyRewrite: (file: string, dataset: string, from: string, period: string) =>
    `${file}: ${dataset} has versions valid from ${from}, after the start of ${period}; ingesting it for ${period} would rewrite history — unload the later load first`,
} as const;

/**
 * A share as a percentage, with as many decimals as it takes to tell it from `against` (so
 * 5.008 % above a 5 % threshold does not print as "5.0 %, above the 5 % threshold").
 */
export function pct(part: number, whole: number, against?: number): string {
  if (whole === 0) return '0 %';
  const v = (100 * part) / whole;
  let digits = v < 10 ? 1 : 0;
  if (against !== undefined) {
    const a = 100 * against;
    while (digits < 6 && v !== a && Number(v.toFixed(digits)) === Number(a.toFixed(digits))) digits++;
  }
  return `${v.toFixed(digits)} %`;
}

/** Why a dataset file of the folder cannot be read (the `why` of `fileErrors.unreadable`). */
export const unreadableWhy = {
  folder: () => 'it is a folder, not a file',
  notRegular: () => 'not a regular file',
  permission: () => 'permission denied',
  linkLoop: () => 'symbolic link loop',
  brokenLink: () => 'broken symbolic link: its target does not exist',
} as const;

/** The details of `fileErrors.notRecords` for a JSON file. */
export const jsonDetails = {
  /** `data`: what JSON.parse gave instead of an array. */
  notArray: (data: unknown) =>
    `the file holds ${data === null ? 'null' : typeof data === 'object' ? 'an object' : `a ${typeof data}`}, not an array; NDJSON files are named .ndjson`,
  noObject: (elements: number) => `none of its ${elements} elements is an object`,
} as const;

/** The ingest of a folder as a whole. */
export const ingestErrors = {
  /** The one-line message of a refused ingest (exit 3), around the reason. */
  failed: (message: string) => `ingest failed, nothing loaded: ${message}`,
  noSuchFolder: (folder: string) => `${folder}: no such folder`,
  notAFolder: (folder: string) => `${folder}: not a folder`,
  noDatasetFile: (folder: string) => `${folder}: no dataset file found (expected e.g. service_uses.csv, cafes.csv)`,
} as const;

/** `--pseudonymise` and its secret key. */
export const pseudonymErrors = {
  badSpec: (spec: string) => `--pseudonymise ${spec}: expected <dataset>.<column>, e.g. survey.email`,
  notPeople: (spec: string, dataset: string) => `--pseudonymise ${spec}: ${dataset} is not a dataset of people (participation, staff, survey)`,
  noKey: (env: string, minBytes: number) =>
    `--pseudonymise needs the secret key in ${env} (at least ${minBytes} bytes; keep it outside the warehouse, the same for a whole study)`,
  shortKey: (env: string, bytes: number, minBytes: number) => `${env} is ${bytes} bytes long: at least ${minBytes} are needed`,
  noFile: (dataset: string, column: string) => `--pseudonymise ${dataset}.${column}: the folder has no ${dataset} file`,
  notCsv: (file: string, format: string) => `${file}: --pseudonymise reads CSV files (convert ${format} to CSV, or give the keys in the file)`,
  noColumn: (file: string, dataset: string, column: string, header: string[]) =>
    `${file}: --pseudonymise ${dataset}.${column}: no column ${column} (columns: ${header.join(', ')})`,
  keyColumnPresent: (file: string, keyColumn: string, dataset: string, column: string) =>
    `${file}: already has a ${keyColumn} column; --pseudonymise ${dataset}.${column} would derive it from ${column} (keep one of the two)`,
} as const;

// ---------------------------------------------------------------------------------------------
// Reading files (src/io/csv.ts, importers): the `reason` of an InputError (`file: line L: reason`)

export const inputReasons = {
  /** `code`: the fs error code (ENOENT…), else the error's message. */
  unreadable: (code: string) => `cannot be read (${code})`,
  emptyCsv: () => 'the file is empty (no header line)',
  unclosedQuote: () => 'a quoted field opened on this line is never closed',
  noColumn: (what: string, expected: string[], header: string[]) =>
    `no ${what} column (expected one of ${expected.join(', ')}; found ${header.join(', ')})`,
  notGeoJson: () => 'is not a GeoJSON object',
  notFeatureCollection: (type: string) => `is a GeoJSON ${type}, not a FeatureCollection of points`,
  badJson: (detail: string) => `is not valid JSON (${detail})`,
  empty: () => 'is empty',
} as const;

// ---------------------------------------------------------------------------------------------
// The command line

export const usage = {
  /** A commander error (unknown option, missing argument…), `command`: e.g. "cafe-impact ingest". */
  commander: (what: string, command: string) => `${what} (see ${command} --help)`,
  outputNoFolder: (file: string, folder: string) => `cannot write ${file}: folder ${folder} does not exist`,
  outputNotFolder: (file: string, folder: string) => `cannot write ${file}: ${folder} is not a folder`,
  cannotWrite: (file: string, reason: string) => `cannot write ${file}: ${reason}`,
  badThreshold: (value: string) => `--threshold ${value}: expected a share between 0 and 1 (e.g. 0.05) or a percentage (5%)`,
  badServiceTypes: (value: string) => `--service-types ${value}: expected service=TYPE1,TYPE2 (e.g. bread=B207,B203)`,
  allowEmptyNotDated: (dataset: string, dated: string[]) => `--allow-empty ${dataset}: not a dated dataset (one of ${dated.join(', ')})`,
  xlsxNeedsOutput: () => '--format xlsx needs --output <file.xlsx>',
  unknownDataset: (dataset: string, known: string[]) => `unknown dataset ${dataset} (one of ${known.join(', ')})`,
  badWait: (value: string) => `--wait ${value}: expected a number of seconds (e.g. 30)`,
  badYear: (option: string, value: string) => `${option} ${value}: expected a year (e.g. 2019)`,
  badDate: (option: string, value: string) => `${option} ${value}: expected a date YYYY-MM-DD`,
} as const;

// ---------------------------------------------------------------------------------------------
// The warehouse (src/db/warehouse.ts)

export const warehouseErrors = {
  missing: (path: string) => `warehouse ${path} does not exist; ingest a folder first, or give --warehouse`,
  cannotCreate: (path: string, why: string) => `cannot create warehouse ${path}: ${why}`,
  inUse: (path: string, holder: { program: string; pid: number } | null, waited: number) =>
    `warehouse ${path} is in use by ${holder ? `another process: ${holder.program} (PID ${holder.pid})` : 'another process'}${waited ? `, still after waiting ${waited} s` : ''} (DuckDB allows one writer, or readers, at a time)`,
  inUseHint: () => 'wait for it to finish (--wait <seconds> retries), or point --warehouse at another file; readers should open the published snapshot (published/ beside the warehouse), never the warehouse',
  /** `why`: the first line of DuckDB's message. */
  cannotOpen: (path: string, why: string) => `cannot open warehouse ${path}: ${why}`,
} as const;

// ---------------------------------------------------------------------------------------------
// Periods (src/core/period.ts)

export const periodErrors = {
  badPeriod: (text: string) => `invalid period "${text}": expected a year (2023) or a quarter (2023-Q2)`,
  yearOutOfRange: (text: string) => `invalid period "${text}": year out of range 1990–2100`,
} as const;

// ---------------------------------------------------------------------------------------------
// Runs (src/runs/)

export const configErrors = {
  notFound: (file: string) => `config file ${file} not found`,
  badJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
  /** `path`: the zod issue's path joined with dots ('' for the root). */
  invalid: (file: string, path: string, message: string) => `${file}: ${path || '(root)'}: ${message}`,
} as const;

export const runErrors = {
  strictEmptyQuarters: (quarters: string[], period: string) => `--strict: no service_uses for ${quarters.join(', ')} of ${period}`,
  noCafe: () => 'the warehouse holds no café: ingest a cafes file first (cafe-impact ingest <folder> --period …)',
} as const;

// ---------------------------------------------------------------------------------------------
// Reports (src/reports/)

export const reportErrors = {
  unknownTemplate: (id: string, known: string[]) => `no report template ${id} (${known.length ? `one of ${known.join(', ')}` : 'none installed'}; cafe-impact report --list)`,
  badTemplate: (path: string, why: string) => `${path}: not a valid report template (${why})`,
  needsOutput: () => '--output <file> is required (or --list)',
  needsPeriod: () => '--period <period> is required (or --list)',
  badFor: (value: string) => `--for ${value}: give <scope>:<id>, the scope one of region, department, cafe, programme (region:84, cafe:C001, programme:guinguette_mobile)`,
  forNotAccepted: (template: string, scope: string, accepted: string[]) =>
    `the ${template} template is not made for ${scope === 'network' ? 'the whole network (give --for)' : `--for ${scope}:…`} (it accepts ${accepted.map((s) => (s === 'network' ? 'no --for' : `--for ${s}:<id>`)).join(', ')})`,
  unknownTarget: (scope: string, id: string, period: string) => `--for ${scope}:${id}: no such ${scope} in the run of ${period}`,
  noTarget: (template: string, period: string) => `the ${template} template found nothing to report on in the run of ${period} (no itinerant café)`,
  runLoadGone: (runId: string, period: string, loads: string[]) =>
    `the run ${runId} of ${period} read load${loads.length > 1 ? 's' : ''} ${loads.join(', ')}, unloaded since: its figures no longer match the warehouse (cafe-impact run --period ${period} first)`,
  allCafes: () => '--all-cafes writes one file per café: give --output <folder> and no --for',
  allCafesTemplate: (template: string) => `--all-cafes needs a template made for --for cafe:<id> (${template} is not)`,
  boundaries: (path: string, why: string) => `--boundaries ${path}: not usable as boundaries (${why}); give a GeoJSON FeatureCollection of polygons in longitude/latitude`,
} as const;

// ---------------------------------------------------------------------------------------------
// `cafe-impact query` (src/db/query.ts)

export const queryErrors = {
  cannotOpen: (path: string, why: string) => `cannot open the snapshot ${path}: ${why}`,
  invalid: (why: string) => `the query is not valid SQL for this warehouse: ${why}`,
  oneStatement: (n: number) => `give exactly one statement (the query holds ${n})`,
  refused: (what: string, detail: string | null) =>
    `refused: the query ${/^(reads|writes)/.test(what) ? what : `is a ${what} statement`} — query is read-only: one SELECT (or EXPLAIN) on the snapshot, no files, no settings, no temporary objects${detail ? ` (${detail})` : ''}`,
  failed: (why: string) => `the query failed: ${why}`,
  needsOutput: (format: string) => `--format ${format} needs --output <file>`,
} as const;

// ---------------------------------------------------------------------------------------------
// Difference-in-differences (src/indicators/did.ts): errors, and what the sample leaves out

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const didErrors = {
  badYears: (from: number, to: number) => `--from ${from} is after --to ${to}`,
  unknownOutcome: (outcome: string, known: string[]) =>
    `no commune_indicators value for ${outcome}${known.length ? ` (the warehouse has: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})` : ' (commune_indicators is empty: cafe-impact reference import …)'}`,
  indexWaves: (years: number[]) =>
    `wellbeing.index needs yearly runs with the index for at least two years; ${years.length ? `the runs have it for ${years.join(', ')} only` : 'no yearly run has it'}`,
  noObservation: (outcome: string) => `no café commune or candidate commune has a value of ${outcome}`,
  noTreated: (outcome: string, from: number, to: number) =>
    `no treated commune left for ${outcome} in ${from}–${to} (every cohort was left out: see the exclusions with --json)`,
  noControls: (outcome: string, from: number, to: number) =>
    `no control commune (a candidate, pending or declined, without a café) has ${outcome} in ${from}–${to}`,
  noVariation: (outcome: string) => `${outcome}: the treatment does not vary within communes and years; no effect can be estimated`,
  noOpeningDate: (cafes: number, communes: number) =>
    `${plural(cafes, 'café')} without opened_on left out${communes ? `; ${plural(communes, 'commune')} with no dated café left out of the sample` : ''}`,
  itinerantOnly: (n: number) => `${plural(n, 'commune')} whose only café is itinerant: neither treated nor controls`,
  openedWithoutCafe: (n: number) => `${plural(n, 'candidate')} marked opened without a café in the list: neither treated nor controls`,
  openedAfterTo: (n: number, to: number) => `${plural(n, 'commune')} treated after ${to} (--to) left out`,
  noPrePeriod: (n: number, cohorts: number[], from: number) =>
    `${plural(n, 'commune')} of cohort${cohorts.length > 1 ? 's' : ''} ${cohorts.join(', ')} left out: no observed year before the opening (from ${from})`,
  noOutcome: (treated: number, controls: number, outcome: string, from: number, to: number) =>
    `${[treated ? plural(treated, 'treated commune') : '', controls ? plural(controls, 'control commune') : ''].filter(Boolean).join(' and ')} without ${outcome} in ${from}–${to} left out`,
} as const;

// ---------------------------------------------------------------------------------------------
// Loads (src/loads/): unload, reload

export const loadErrors = {
  noLoad: (loadId: string) => `no load ${loadId} (see \`cafe-impact status\` for the loads)`,
  notLoaded: (loadId: string, status: string) => `load ${loadId} is ${status}: only a loaded load can be unloaded`,
  replacedSince: (loadId: string, dataset: string, later: string) =>
    `load ${loadId} brought ${dataset} versions that load ${later} has since replaced: unload ${later} first`,
  noPeriod: (loadId: string) => `load ${loadId} has no period`,
  noFile: (loadId: string) => `load ${loadId} recorded no file`,
  notArchived: (file: string, loadId: string, archivePath: string | null) =>
    `${file} of load ${loadId} is not in the archive (${archivePath ?? 'never archived'})`,
} as const;

// ---------------------------------------------------------------------------------------------
// Importers of official files (src/importers/)

export const importErrors = {
  unknownKind: (kind: string, known: string[]) => `unknown reference kind "${kind}" (one of ${known.join(', ')})`,
  unknownProjection: (epsg: number, known: string[]) => `EPSG:${epsg} is not a projection the BPE uses (known: ${known.join(', ')})`,
  bpeTypeTwice: (code: string, other: string, service: string) => `BPE type ${code} is listed for both ${other} and ${service}`,
  noCoordinates: (file: string, header: string[]) =>
    `${file}: no coordinate columns (expected LAMBERT_X and LAMBERT_Y, or lat and lon; found ${header.join(', ')})`,
  badTagFilter: (spec: string) => `tag filter "${spec}" is not of the form key=value[&key=value]`,
  notWgs84: (file: string, crs: string) => `${file}: coordinates are in ${crs}; export the file in WGS84 (EPSG:4326), as GeoJSON requires`,
  filosofiNoIndicators: (file: string, codeColumn: string | undefined) => `${file}: no indicator columns besides ${codeColumn}`,
  filosofiYearMismatch: (file: string, fromColumns: number, suffix: string, year: number) =>
    `${file}: the columns are for ${fromColumns} (suffix ${suffix}) but the year given is ${year}`,
  /** `odd`: the columns without the common suffix (the first 5 are named). */
  filosofiNoYear: (file: string, odd: string[]) =>
    `${file}: cannot tell the year: the indicator columns do not share a 2-digit year suffix (${odd.slice(0, 5).join(', ')}…); give the year`,
} as const;

// ---------------------------------------------------------------------------------------------
// Figures (src/figures/): store, explain, workbook, export

export const figureErrors = {
  noSuccessfulRun: (period: string) => `no successful run for ${period}: run \`cafe-impact run --period ${period}\` first`,
  unknownIndicator: (id: string, known: string[]) => `unknown indicator ${id} (one of ${known.join(', ')})`,
  badRunStart: (startedAt: string) => `workbook: the run's start ${startedAt} is not a date`,
} as const;

export const exportErrors = {
  nameCollision: (name: string, a: string, b: string) =>
    `export panel: ${a} and ${b} would both be the variable ${name} (dots become underscores, at most 32 characters for Stata): rename one indicator`,
  unknownWhat: (what: string) => `export ${what}: expected panel or warehouse`,
  /** `type`: the `typeof` of the value. */
  notNumber: (what: string, type: string) => `export: ${what} is not a number (${type})`,
  notFinite: (what: string, value: number) => `export: ${what} is not finite (${String(value)}); use null for a value that cannot be computed`,
  otherRun: (figure: string, runId: string, provenanceRunId: string) =>
    `export: figure ${figure} comes from run ${runId}, not from run ${provenanceRunId} whose provenance is attached`,
  otherMethod: (figure: string, method: string, provenanceMethod: string) =>
    `export: figure ${figure} has method ${method}, the run's provenance says ${provenanceMethod}`,
  parameterNotFinite: (path: string, value: number) => `export: ${path} is not finite (${String(value)})`,
  /** `type`: the `typeof` of the value. */
  cannotExport: (path: string, type: string) => `export: ${path} cannot be exported (${type})`,
} as const;

// ---------------------------------------------------------------------------------------------
// The demo generator (src/demo/)

export const demoErrors = {
  badScale: (scale: number) => `invalid scale ${scale}: expected a number in (0, 100]`,
  badSeed: (seed: number) => `invalid seed ${seed}: expected an integer`,
  badYear: (year: number) => `invalid year ${year}: expected 2020–2100`,
  badSalesLines: (n: number) => `invalid sales lines per day ${n}: expected an integer in 0–10000`,
} as const;
