/**
 * La Poste contact points ("points de contact", data.gouv / datanova) → `facilities`, service `post`.
 *
 * Columns used: `identifiant_a` (the site id), `caracteristique_du_site` (the type), `code_insee`,
 * `latitude`, `longitude`, `pays`. The June 2025 file has six types: Bureau de Poste, Agence
 * postale communale, Agence postale intercommunale, Relais poste, Agence postale ou Relais poste,
 * Agence postale. Every type counts unless `serviceTypes.post` lists the ones to keep.
 *
 * Points outside France are skipped (counted in skippedReasons), as they carry no French
 * commune: `pays` other than FRANCE (the Andorran offices, whose `code_insee` is a country code
 * or a placeholder like 09920), or a `code_insee` that is an INSEE country code 99xxx (the two
 * Monaco offices, 99138, which the file lists with pays = FRANCE).
 */
import { fieldCountProblem, withCsv, requireColumn, findColumn, type CsvInput } from '../io/csv.ts';
import {
  detach, newResult, normalizeInsee, parseDecimal, positionProblem, reject, skip,
  type ImportOptions, type ImportResult,
} from './types.ts';

/** The types found in the June 2025 file (all are counted by default). */
export const LAPOSTE_KNOWN_TYPES = [
  'Bureau de Poste',
  'Agence postale communale',
  'Agence postale intercommunale',
  'Relais poste',
  'Agence postale ou Relais poste',
  'Agence postale',
] as const;

const norm = (s: string) => s.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ');

export async function convertLaPoste(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withCsv(file, (csv) => laPosteFromCsv(csv, opts));
}

/** Conversion of already parsed or streamed records of a La Poste table; no I/O of its own. */
export async function laPosteFromCsv(table: CsvInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const { header } = table;
  const cId = requireColumn(table, 'site id', 'identifiant_a');
  const cType = requireColumn(table, 'site type', 'caracteristique_du_site');
  const cCommune = requireColumn(table, 'commune', 'code_insee');
  const cLat = requireColumn(table, 'latitude', 'latitude', 'lat');
  const cLon = requireColumn(table, 'longitude', 'longitude', 'lon', 'lng');
  const cCountry = findColumn(header, 'pays');
  // Compared without case or accents: "Relais Poste" and "Relais poste" are the same type.
  const wanted = opts.serviceTypes?.post ? new Set(opts.serviceTypes.post.map(norm)) : null;
  const source = opts.source ?? 'laposte';

  const result = newResult('facilities');
  const firstLine = new Map<string, number>();
  for await (const rec of table.records) {
    result.read++;
    const f = (c: number) => (c >= 0 ? (rec.fields[c] ?? '').trim() : '');
    const rej = (reason: string, column?: number) =>
      reject(result, { line: rec.line, reason, rawLine: rec.raw, ...(column !== undefined ? { column: header[column] ?? '', value: f(column) } : {}) });

    const countProblem = fieldCountProblem(header.length, rec);
    if (countProblem) { rej(countProblem); continue; }
    const kind = f(cType);
    if (wanted && !wanted.has(norm(kind))) { skip(result, `type "${kind}" not selected`); continue; }
    const country = f(cCountry);
    if (country !== '' && norm(country) !== 'france') { skip(result, `outside France (pays = ${country})`); continue; }
    if (/^99\d{3}$/.test(f(cCommune))) { skip(result, `outside France (code_insee = ${f(cCommune)}, an INSEE country code)`); continue; }

    const id = f(cId);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,54}$/.test(id)) { rej(id === '' ? 'no site id' : 'is not a usable site id', cId); continue; }
    const seen = firstLine.get(id);
    if (seen !== undefined) { rej(`duplicate site id (first on line ${seen})`, cId); continue; }
    firstLine.set(id, rec.line);

    const commune = normalizeInsee(f(cCommune));
    if (commune === undefined) { rej('is not an INSEE commune code', cCommune); continue; }
    const lat = parseDecimal(f(cLat));
    const lon = parseDecimal(f(cLon));
    if (lat === null || lon === null) { rej('no coordinates', lat === null ? cLat : cLon); continue; }
    if (Number.isNaN(lat)) { rej('is not a number', cLat); continue; }
    if (Number.isNaN(lon)) { rej('is not a number', cLon); continue; }
    const problem = positionProblem(lat, lon, commune);
    if (problem) { rej(problem, cLat); continue; }

    result.rows.push({ facility_id: `laposte-${id}`, service: 'post', lat, lon, commune_insee: commune, source, kind: detach(kind.slice(0, 64)) || null, _line: rec.line });
  }
  return result;
}
