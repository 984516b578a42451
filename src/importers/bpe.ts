/**
 * INSEE BPE (Base permanente des équipements), geolocated edition → `facilities`.
 *
 * Two shapes are accepted, column names case-insensitive:
 * - the national file: `TYPEQU`, `DEPCOM`, `LAMBERT_X`, `LAMBERT_Y` (projected metres),
 *   `QUALITE_XY`, optionally `EPSG` and an id column. Coordinates are Lambert-93 (EPSG:2154) in
 *   metropolitan France but UTM in the overseas departments (INSEE documentation: UTM 20N for
 *   Guadeloupe and Martinique, 22N Guyane, 40S La Réunion, 38S Mayotte): the `EPSG` column
 *   says which when present, else the department of `DEPCOM` does;
 * - WGS84 extracts with `lat`/`lon` (or `latitude`/`longitude`) columns, such as the Gironde
 *   sample (`typequ,categorie,lat,lon,code_insee_pip2018,nom_commune_pip2018`).
 *
 * Each row of a selected type becomes one facility, `kind` = the TYPEQU code.
 */
import proj4 from 'proj4';
import { UserError } from '../core/errors.ts';
import { importErrors } from '../core/messages.ts';
import { fieldCountProblem, findColumn, withCsv, requireColumn, type CsvInput } from '../io/csv.ts';
import {
  IdRegistry, idSafe, mergeServiceTypes, newResult, normalizeInsee, parseDecimal, positionProblem, reject, shortHash, skip,
  type FacilityService, type ImportOptions, type ImportResult,
} from './types.ts';

/**
 * BPE type codes counted per service by default.
 * - bread: B207 boulangerie-pâtisserie (since the 2022 edition), B203 boulangerie (up to 2021);
 * - post: A206 bureau de poste, A207 relais poste, A208 agence postale communale;
 * - cash: none — cash machines are not in the BPE (A203 is a bank branch, not an ATM).
 */
export const DEFAULT_BPE_TYPES: Record<FacilityService, readonly string[]> = {
  bread: ['B207', 'B203'],
  cash: [],
  post: ['A206', 'A207', 'A208'],
};

/** Official EPSG:2154 (RGF93 v1 / Lambert-93) definition. */
export const LAMBERT93 = '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

/** GRS80-based UTM zone; the French overseas datums (RGAF09, RGFG95, RGR92, RGM04, RGSPM06) equal WGS84 at the metre level. */
const utm = (zone: number, south = false) =>
  `+proj=utm +zone=${zone}${south ? ' +south' : ''} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`;

/** Projections the BPE uses (and their WGS84 UTM twins), by EPSG code. */
export const BPE_PROJECTIONS: Record<number, string> = {
  2154: LAMBERT93,
  5490: utm(20), // RGAF09 / UTM 20N: Guadeloupe, Martinique, Saint-Barthélemy, Saint-Martin
  4559: utm(20), // RRAF 1991 / UTM 20N (older editions)
  2972: utm(22), // RGFG95 / UTM 22N: Guyane
  2975: utm(40, true), // RGR92 / UTM 40S: La Réunion
  4471: utm(38, true), // RGM04 / UTM 38S: Mayotte
  4467: utm(21), // RGSPM06 / UTM 21N: Saint-Pierre-et-Miquelon
  32620: utm(20),
  32621: utm(21),
  32622: utm(22),
  32738: utm(38, true),
  32740: utm(40, true),
};

/** Projection of BPE coordinates for a commune when the file has no EPSG column. */
export function bpeEpsgForCommune(insee: string | null): number {
  switch (insee?.slice(0, 3)) {
    case '971': case '972': case '977': case '978': return 5490;
    case '973': return 2972;
    case '974': return 2975;
    case '975': return 4467;
    case '976': return 4471;
    default: return 2154;
  }
}

/** Projected metres (EPSG code listed in BPE_PROJECTIONS) → WGS84 [lat, lon], degrees. */
export function projectedToWgs84(x: number, y: number, epsg = 2154): [number, number] {
  let converter = converters.get(epsg);
  if (!converter) {
    const def = BPE_PROJECTIONS[epsg];
    if (!def) throw new UserError(importErrors.unknownProjection(epsg, Object.keys(BPE_PROJECTIONS)));
    converter = proj4(def, 'EPSG:4326');
    converters.set(epsg, converter);
  }
  const [lon, lat] = converter.forward([x, y]) as [number, number];
  return [lat, lon];
}

/** proj4 parses a definition on every call unless the converter is kept. */
const converters = new Map<number, proj4.Converter>();

/** 1e-7° ≈ 1 cm: more digits than this are noise from the projection. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** TYPEQU → service, from per-service lists; a code listed under two services is an error. */
function typeIndex(types: Record<FacilityService, string[]>): Map<string, FacilityService> {
  const index = new Map<string, FacilityService>();
  for (const [service, codes] of Object.entries(types) as [FacilityService, string[]][]) {
    for (const raw of codes) {
      const code = raw.trim().toUpperCase();
      const other = index.get(code);
      if (other && other !== service) throw new UserError(importErrors.bpeTypeTwice(code, other, service));
      index.set(code, service);
    }
  }
  return index;
}

/** Reads a BPE file and converts the rows of the selected types (see module comment). */
export async function convertBpe(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withCsv(file, (csv) => bpeFromCsv(csv, opts));
}

/** Conversion of already parsed or streamed records of a BPE table; no I/O of its own. */
export async function bpeFromCsv(table: CsvInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const { header } = table;
  const types = typeIndex(mergeServiceTypes(DEFAULT_BPE_TYPES, opts.serviceTypes));
  const source = opts.source ?? 'bpe';

  const cType = requireColumn(table, 'facility type', 'TYPEQU');
  const cCommune = findColumn(header, 'DEPCOM', 'code_insee', 'codgeo', 'code_commune', 'com', 'insee_com',
    ...header.filter((h) => /^code_insee/i.test(h)));
  const cLat = findColumn(header, 'lat', 'latitude');
  const cLon = findColumn(header, 'lon', 'lng', 'longitude');
  const cX = findColumn(header, 'LAMBERT_X', 'x');
  const cY = findColumn(header, 'LAMBERT_Y', 'y');
  const cEpsg = findColumn(header, 'EPSG');
  const cQuality = findColumn(header, 'QUALITE_XY');
  const cId = findColumn(header, 'id', 'ideq', 'id_equipement', 'identifiant');
  const hasWgs84 = cLat >= 0 && cLon >= 0;
  const hasProjected = cX >= 0 && cY >= 0;
  if (!hasWgs84 && !hasProjected) {
    throw new UserError(importErrors.noCoordinates(table.file, header));
  }
  const name = (c: number) => header[c] ?? '';

  const result = newResult('facilities');
  const ids = new IdRegistry();
  const skipReasons = new Map<string, string>(); // national file: millions of skips, few types
  for await (const rec of table.records) {
    result.read++;
    // Fast path first: most rows of the national file are of a type not selected.
    const rawType = rec.fields[cType];
    if (rawType !== undefined && rawType !== '' && rec.fields.length === header.length) {
      const code = rawType.trim().toUpperCase();
      if (code !== '' && !types.has(code)) {
        let reason = skipReasons.get(code);
        if (reason === undefined) skipReasons.set(code, (reason = `type ${code} not selected`));
        skip(result, reason);
        continue;
      }
    }
    const f = (c: number) => (c >= 0 ? (rec.fields[c] ?? '').trim() : '');
    const rej = (reason: string, column?: number) =>
      reject(result, { line: rec.line, reason, rawLine: rec.raw, ...(column !== undefined ? { column: name(column), value: f(column) } : {}) });

    const countProblem = fieldCountProblem(header.length, rec);
    if (countProblem) { rej(countProblem); continue; }
    const typequ = f(cType).toUpperCase();
    if (typequ === '') { rej('no facility type', cType); continue; }
    const service = types.get(typequ);
    if (!service) { skip(result, `type ${typequ} not selected`); continue; }

    const commune = cCommune >= 0 ? normalizeInsee(f(cCommune)) : null;
    if (commune === undefined) { rej('is not an INSEE commune code', cCommune); continue; }

    let lat: number | null = null;
    let lon: number | null = null;
    let coordKey = '';
    let posColumn = cLat;
    if (hasWgs84 && (f(cLat) !== '' || f(cLon) !== '' || !hasProjected)) {
      lat = parseDecimal(f(cLat));
      lon = parseDecimal(f(cLon));
      if (lat === null || lon === null) { rej(noPositionReason(f(cQuality)), lat === null ? cLat : cLon); continue; }
      if (Number.isNaN(lat)) { rej('latitude is not a number', cLat); continue; }
      if (Number.isNaN(lon)) { rej('longitude is not a number', cLon); continue; }
      coordKey = `${f(cLat)}|${f(cLon)}`;
    } else {
      const x = parseDecimal(f(cX));
      const y = parseDecimal(f(cY));
      if (x === null || y === null) { rej(noPositionReason(f(cQuality)), x === null ? cX : cY); continue; }
      if (Number.isNaN(x)) { rej('is not a number', cX); continue; }
      if (Number.isNaN(y)) { rej('is not a number', cY); continue; }
      let epsg = bpeEpsgForCommune(commune);
      if (cEpsg >= 0 && f(cEpsg) !== '') {
        epsg = Number(f(cEpsg).replace(/^EPSG:/i, ''));
        if (!BPE_PROJECTIONS[epsg]) { rej('is not a projection the BPE uses', cEpsg); continue; }
      }
      [lat, lon] = projectedToWgs84(x, y, epsg).map(round7) as [number, number];
      coordKey = `${f(cX)}|${f(cY)}`;
      posColumn = cX;
    }
    const problem = positionProblem(lat, lon, commune);
    if (problem) { rej(problem, posColumn); continue; }

    // Stable ids: the same edition re-imported gives the same ids, because an id depends only on
    // the row's own content (type, commune, coordinates as written, or the file's id column),
    // never on its position. Identical rows (several bakeries geocoded at one address) get
    // -2, -3… in file order.
    const own = cId >= 0 && f(cId) !== '' ? idSafe(f(cId)) : shortHash(`${typequ}|${commune ?? ''}|${coordKey}`);
    const base = `bpe-${idSafe(typequ)}-${commune ?? 'na'}-${own.length > 30 ? shortHash(own) : own}`;
    result.rows.push({ facility_id: ids.take(base), service, lat, lon, commune_insee: commune, source, kind: typequ, _line: rec.line });
  }
  return result;
}

function noPositionReason(quality: string): string {
  return quality !== '' ? `no coordinates (QUALITE_XY = ${quality})` : 'no coordinates';
}
