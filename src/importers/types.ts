/**
 * Shared shapes of the reference importers (`cafe-impact reference import <kind> <file>`), and the
 * few helpers they all use: result bookkeeping, commune codes, coordinate checks, stable ids.
 *
 * An importer reads an official open-data file and returns rows of one contract dataset
 * (src/contract/datasets.ts); the caller writes them to a normalized CSV and ingests that through
 * the normal validated path. Importers never touch the warehouse.
 */
import { createHash } from 'node:crypto';
import { FACILITY_SERVICES } from '../contract/datasets.ts';

export type FacilityService = (typeof FACILITY_SERVICES)[number];
export type ImportDataset = 'facilities' | 'commune_positions' | 'commune_indicators';
/** A converted row; `_line` is the physical line of the source record it came from. */
export type ImportRow = Record<string, string | number | null> & { _line: number };

export interface ImportReject {
  /** Physical line (1-based, as a text editor shows it) where the record starts. */
  line: number;
  column?: string;
  value?: string;
  reason: string;
  rawLine?: string;
}

/**
 * Outcome of one conversion. Every input record lands in exactly one bucket:
 * `read = rows.length + skipped + rejects.length`.
 *
 * The unit of `read` is the unit of the output rows: a data line for the one-row-per-line
 * importers, and one (line × indicator column) cell for Filosofi, which turns a wide file into
 * long rows; `lines` then gives the data lines of the file.
 */
export interface ImportResult {
  dataset: ImportDataset;
  rows: ImportRow[];
  /** Input records read (data lines; cells for wide → long importers, see above). */
  read: number;
  /** Records that are not relevant (e.g. a BPE type that is not a bakery): not errors. */
  skipped: number;
  skippedReasons: Record<string, number>;
  /** Relevant records that cannot be used (missing or invalid coordinates...). */
  rejects: ImportReject[];
  /** Data lines in the file, when it differs from `read` (wide → long importers). */
  lines?: number;
}

export interface ImportOptions {
  /**
   * Source type codes counted per service; a service given here replaces its default, the others
   * keep theirs. Meaning depends on the importer: BPE `TYPEQU` codes, La Poste
   * `caracteristique_du_site` values, GeoJSON tag filters (`amenity=bank&atm=yes`).
   * See DEFAULT_SERVICE_TYPES in ./index.ts.
   */
  serviceTypes?: Partial<Record<'bread' | 'cash' | 'post', string[]>>;
  /** Value of the `source` column (defaults per importer). */
  source?: string;
  /** Reference year, where the file does not carry it (Filosofi checks it against the columns). */
  year?: number;
}

// ---------------------------------------------------------------- result bookkeeping

export function newResult(dataset: ImportDataset): ImportResult {
  return { dataset, rows: [], read: 0, skipped: 0, skippedReasons: {}, rejects: [] };
}

export function skip(result: ImportResult, reason: string): void {
  result.skipped += 1;
  result.skippedReasons[reason] = (result.skippedReasons[reason] ?? 0) + 1;
}

/** Longest raw line kept in a reject (the rest is cut, with an ellipsis). */
const RAW_LINE_MAX = 500;

export function reject(result: ImportResult, r: ImportReject): void {
  const rawLine = r.rawLine !== undefined && r.rawLine.length > RAW_LINE_MAX ? `${r.rawLine.slice(0, RAW_LINE_MAX)}…` : r.rawLine;
  const out: ImportReject = { line: r.line, reason: r.reason };
  if (r.column !== undefined) out.column = r.column;
  if (r.value !== undefined) out.value = detach(r.value);
  if (rawLine !== undefined) out.rawLine = detach(rawLine);
  result.rejects.push(out);
}

/**
 * A copy of `s` that shares no memory with the text it was cut from. V8 keeps substrings of 13
 * characters or more as views of their parent, so a value kept from a streamed chunk would keep
 * the whole chunk (megabytes) alive.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

// ---------------------------------------------------------------- commune codes

export const INSEE_RE = /^\d[0-9AB]\d{3}$/;

/**
 * Commune code as found in a file → canonical code, `null` when empty, `undefined` when it is
 * not a commune code. A 4-digit number gets its leading zero back (files re-saved by a
 * spreadsheet turn 01004 into 1004). Codes 99xxx are INSEE *country* codes, not communes.
 */
export function normalizeInsee(raw: string): string | null | undefined {
  let v = raw.trim().toUpperCase();
  if (v === '') return null;
  if (/^\d{4}$/.test(v)) v = `0${v}`;
  if (!INSEE_RE.test(v) || v.startsWith('99')) return undefined;
  return v;
}

// ---------------------------------------------------------------- coordinates

interface Territory { name: string; lat: [number, number]; lon: [number, number] }

/**
 * Generous bounding boxes of French territories (a few km of margin), to catch points that are
 * plainly wrong: swapped latitude/longitude, projected metres read as degrees, 0/0.
 * Keyed by department (2 characters, or 3 for overseas 97x).
 */
const TERRITORIES: Record<string, Territory> = {
  metro: { name: 'metropolitan France', lat: [41.2, 51.2], lon: [-5.3, 9.7] },
  '971': { name: 'Guadeloupe', lat: [15.8, 16.6], lon: [-61.9, -60.9] },
  '972': { name: 'Martinique', lat: [14.3, 14.95], lon: [-61.3, -60.75] },
  '973': { name: 'Guyane', lat: [2.0, 5.9], lon: [-54.7, -51.5] },
  '974': { name: 'La Réunion', lat: [-21.45, -20.8], lon: [55.1, 55.9] },
  '975': { name: 'Saint-Pierre-et-Miquelon', lat: [46.7, 47.2], lon: [-56.5, -56.0] },
  '976': { name: 'Mayotte', lat: [-13.1, -12.55], lon: [44.95, 45.35] },
  '977': { name: 'Saint-Barthélemy', lat: [17.85, 18.0], lon: [-62.95, -62.75] },
  '978': { name: 'Saint-Martin', lat: [18.0, 18.15], lon: [-63.2, -62.95] },
};

function territoryOf(insee: string): Territory | undefined {
  if (insee.startsWith('97')) return TERRITORIES[insee.slice(0, 3)];
  if (insee.startsWith('98')) return undefined; // Pacific collectivities: no box, range check only
  return TERRITORIES.metro;
}

const inBox = (t: Territory, lat: number, lon: number) => lat >= t.lat[0] && lat <= t.lat[1] && lon >= t.lon[0] && lon <= t.lon[1];

/**
 * Why a WGS84 position cannot be used, or `null` when it can. With a commune code, the point
 * must lie in the commune's territory (metropolitan France, or its overseas department);
 * without one, it only has to be a valid latitude/longitude.
 */
export function positionProblem(lat: number, lon: number, insee?: string | null): string | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return 'coordinates are not numbers';
  if (lat < -90 || lat > 90) return `latitude ${lat} is outside [-90, 90]`;
  if (lon < -180 || lon > 180) return `longitude ${lon} is outside [-180, 180]`;
  if (lat === 0 && lon === 0) return 'coordinates are 0, 0 (a missing position)';
  const t = insee ? territoryOf(insee) : undefined;
  if (!t || inBox(t, lat, lon)) return null;
  if (inBox(t, lon, lat)) return `latitude and longitude look swapped (${lat}, ${lon}): the point would be in ${t.name} the other way round`;
  return `position ${lat}, ${lon} is outside ${t.name}, where commune ${insee} is`;
}

/** Decimal number from a text cell: `.` or `,` as decimal mark; `null` when empty; NaN when not a number. */
export function parseDecimal(raw: string | undefined): number | null {
  const v = (raw ?? '').trim();
  if (v === '') return null;
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(v)) return Number.NaN;
  return Number(v.replace(',', '.'));
}

// ---------------------------------------------------------------- identifiers

/** First `len` hex digits of the SHA-1 of `text`: a short id that only depends on its input. */
export function shortHash(text: string, len = 10): string {
  return createHash('sha1').update(text).digest('hex').slice(0, len);
}

/** Characters allowed in contract identifiers; anything else becomes `_`. */
export function idSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Hands out unique ids: the first use of a base id keeps it, repeats get `-2`, `-3`… in order
 * of appearance (stable as long as the file's order of identical records is).
 */
export class IdRegistry {
  private readonly used = new Set<string>();
  private readonly next = new Map<string, number>();
  take(base: string): string {
    let id = base;
    for (let n = this.next.get(base) ?? 2; this.used.has(id); n++) {
      id = `${base}-${n}`;
      this.next.set(base, n + 1);
    }
    this.used.add(id);
    return id;
  }
}

/** Merges per-service overrides over defaults (a service given replaces its default list). */
export function mergeServiceTypes(
  defaults: Partial<Record<FacilityService, readonly string[]>>,
  overrides?: ImportOptions['serviceTypes'],
): Record<FacilityService, string[]> {
  const out = {} as Record<FacilityService, string[]>;
  for (const s of FACILITY_SERVICES) out[s] = [...(overrides?.[s] ?? defaults[s] ?? [])];
  return out;
}
