/**
 * Communes file with centroids (data.gouv / INSEE, e.g. `communes_france_2024.csv`:
 * `code_insee, …, lat, lon, …`) → `commune_positions` {commune_insee, lat, lon, source}.
 *
 * Every row with a position is kept, municipal arrondissements (Paris, Lyon, Marseille) included,
 * since other files may code places by arrondissement. A row without lat/lon is a reject: in the
 * 2024 file, the three communes created on 1 January 2024 (60694, 85165, 85212) have none.
 */
import { basename, extname } from 'node:path';
import { fieldCountProblem, withCsv, requireColumn, type CsvInput } from '../io/csv.ts';
import { newResult, normalizeInsee, parseDecimal, positionProblem, reject, type ImportOptions, type ImportResult } from './types.ts';

/** Default `source`: the file's name without extension (`communes_france_2024`), made id-safe. */
export function sourceFromFile(file: string): string {
  const stem = basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return stem === '' ? 'communes' : stem;
}

export async function convertCommunes(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withCsv(file, (csv) => communesFromCsv(csv, opts));
}

/** Conversion of already parsed or streamed records of a communes table; no I/O of its own. */
export async function communesFromCsv(table: CsvInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const { header } = table;
  const cCode = requireColumn(table, 'commune code', 'code_insee', 'codgeo', 'insee_com', 'com', 'code_commune_insee', 'code_commune');
  const cLat = requireColumn(table, 'latitude', 'lat', 'latitude', 'latitude_centre', 'centre_lat');
  const cLon = requireColumn(table, 'longitude', 'lon', 'lng', 'longitude', 'longitude_centre', 'centre_lon');
  const source = opts.source ?? sourceFromFile(table.file);

  const result = newResult('commune_positions');
  const firstLine = new Map<string, number>();
  for await (const rec of table.records) {
    result.read++;
    const f = (c: number) => (rec.fields[c] ?? '').trim();
    const rej = (reason: string, column?: number) =>
      reject(result, { line: rec.line, reason, rawLine: rec.raw, ...(column !== undefined ? { column: header[column] ?? '', value: f(column) } : {}) });

    const countProblem = fieldCountProblem(header.length, rec);
    if (countProblem) { rej(countProblem); continue; }
    const code = normalizeInsee(f(cCode));
    if (!code) { rej(code === null ? 'no commune code' : 'is not an INSEE commune code', cCode); continue; }
    const seen = firstLine.get(code);
    if (seen !== undefined) { rej(`duplicate commune (first on line ${seen})`, cCode); continue; }
    firstLine.set(code, rec.line);

    const lat = parseDecimal(f(cLat));
    const lon = parseDecimal(f(cLon));
    if (lat === null || lon === null) {
      rej(`commune ${code} has no position in the file (empty ${lat === null ? header[cLat] : header[cLon]}; a commune created after the geometry was made?)`, lat === null ? cLat : cLon);
      continue;
    }
    if (Number.isNaN(lat)) { rej('is not a number', cLat); continue; }
    if (Number.isNaN(lon)) { rej('is not a number', cLon); continue; }
    const problem = positionProblem(lat, lon, code);
    if (problem) { rej(problem, cLat); continue; }
    result.rows.push({ commune_insee: code, lat, lon, source, _line: rec.line });
  }
  return result;
}
