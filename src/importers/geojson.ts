/**
 * GeoJSON points (typically an OpenStreetMap export: overpass-turbo / osmtogeojson, osmium, QGIS)
 * → `facilities`.
 *
 * Accepted files: a FeatureCollection, a single Feature, or a GeoJSON text sequence (one Feature
 * per line, RFC 8142). Coordinates must be WGS84 (RFC 7946); a legacy `crs` member naming another
 * system is refused.
 *
 * - Service: from OSM tags in `properties` (or `properties.tags`, older osmtogeojson), by tag
 *   filters per service (DEFAULT_OSM_TAGS, overridable with `serviceTypes`). A filter is
 *   `key=value` pairs joined by `&`; `key=*` means any value. The first service that matches,
 *   in the order bread, cash, post, wins; `kind` = the filter that matched.
 * - Geometry: a Point is used as is; a Polygon or MultiPolygon (a shop mapped as its building)
 *   is reduced to its centre of mass (Turf `centerOfMass`); any other geometry is rejected.
 * - Id: `osm-<node|way|relation>-<n>` from `@id`/`id` (`node/123`, `n123`, or a number with
 *   `@type`/`osm_type`); another id gives `osm-id-<id>`; no id gives `osm-hash-<sha1 of service
 *   and coordinates>`, stable across re-imports of the same data.
 * - Commune: `ref:INSEE`, `addr:citycode`, `commune_insee` or `code_insee` when present; an
 *   invalid one is dropped (free-text tags), the point is kept.
 */
import { readFile } from 'node:fs/promises';
import { centerOfMass } from '@turf/turf';
import type { Feature, Geometry, Polygon, MultiPolygon } from 'geojson';
import { FACILITY_SERVICES } from '../contract/datasets.ts';
import { InputError, UserError } from '../core/errors.ts';
import { importErrors, inputReasons } from '../core/messages.ts';
import { decodeText } from '../io/csv.ts';
import {
  IdRegistry, idSafe, mergeServiceTypes, newResult, normalizeInsee, positionProblem, reject, shortHash, skip,
  type FacilityService, type ImportOptions, type ImportResult,
} from './types.ts';

/**
 * OSM tag filters counted per service by default: `amenity=atm`, or a bank tagged `atm=yes`, is
 * cash; `shop=bakery` is bread; `amenity=post_office` is post.
 */
export const DEFAULT_OSM_TAGS: Record<FacilityService, readonly string[]> = {
  bread: ['shop=bakery'],
  cash: ['amenity=atm', 'amenity=bank&atm=yes'],
  post: ['amenity=post_office'],
};

interface Located { feature: unknown; line: number }

type TagFilter = { spec: string; pairs: [string, string][] };

function parseFilter(spec: string): TagFilter {
  const pairs = spec.split('&').map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UserError(importErrors.badTagFilter(spec));
    return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as [string, string];
  });
  return { spec: spec.trim(), pairs };
}

const OSM_TYPES: Record<string, string> = { node: 'node', way: 'way', relation: 'relation', n: 'node', w: 'way', r: 'relation' };

/** The OSM element of a feature (`{type, id}`) or its other id, if any. */
function featureId(feature: Record<string, unknown>, props: Record<string, unknown>): { osm?: string; other?: string } {
  const raw = feature.id ?? props['@id'] ?? props.id ?? props.osm_id;
  if (raw === undefined || raw === null || raw === '') return {};
  const text = String(raw).trim();
  const typed = /^(node|way|relation)\/(\d+)$/.exec(text) ?? /^([nwr])(\d+)$/.exec(text);
  if (typed) return { osm: `${OSM_TYPES[typed[1]!]}-${typed[2]}` };
  const type = OSM_TYPES[String(props['@type'] ?? props.osm_type ?? props.type ?? '').toLowerCase()];
  if (type && /^\d+$/.test(text)) return { osm: `${type}-${text}` };
  return { other: text };
}

/** [lat, lon] of a feature's geometry, or the reason it has none usable. */
function position(geometry: Geometry | null | undefined): [number, number] | string {
  if (!geometry || typeof geometry !== 'object') return 'no geometry';
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);
  if (geometry.type === 'Point') {
    const c = geometry.coordinates;
    if (!Array.isArray(c) || c.length < 2) return 'Point without coordinates';
    return [num(c[1]), num(c[0])];
  }
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
    try {
      const c = centerOfMass(geometry as Polygon | MultiPolygon).geometry.coordinates;
      // 1e-7° ≈ 1 cm: the digits beyond are floating-point noise of the computation.
      return [Math.round(num(c[1]) * 1e7) / 1e7, Math.round(num(c[0]) * 1e7) / 1e7];
    } catch (e) {
      return `${geometry.type} whose centre cannot be computed (${(e as Error).message})`;
    }
  }
  return `geometry ${String(geometry.type)} is not a point or an area`;
}

export async function convertGeoJson(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new InputError({ file, reason: inputReasons.unreadable((e as NodeJS.ErrnoException).code ?? (e as Error).message) });
  }
  return geoJsonFromText(decodeText(bytes).text, opts, file);
}

/** Conversion of GeoJSON text (pure: no I/O). */
export function geoJsonFromText(text: string, opts: ImportOptions = {}, file = '<geojson>'): ImportResult {
  const filters = mergeServiceTypes(DEFAULT_OSM_TAGS, opts.serviceTypes);
  const byService = FACILITY_SERVICES.map((s) => [s, filters[s].map(parseFilter)] as const);
  const source = opts.source ?? 'osm';
  const result = newResult('facilities');
  const ids = new IdRegistry();
  const osmFirstLine = new Map<string, number>();
  let starts: number[] | undefined; // offsets of line starts, built on the first reject
  const lineText = (line: number): string | undefined => {
    starts ??= [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
    const start = starts[line - 1];
    if (line < 1 || start === undefined) return undefined;
    const end = starts[line] ?? text.length + 1;
    return text.slice(start, end - 1).replace(/\r$/, '').trim();
  };

  for (const { feature, line } of locateFeatures(text, file)) {
    result.read++;
    const rej = (reason: string, column?: string, value?: string) =>
      reject(result, { line, reason, rawLine: lineText(line), ...(column !== undefined ? { column } : {}), ...(value !== undefined ? { value } : {}) });
    if (!feature || typeof feature !== 'object' || (feature as { type?: unknown }).type !== 'Feature') { rej('is not a GeoJSON Feature'); continue; }
    const f = feature as Feature & Record<string, unknown>;
    const props: Record<string, unknown> = { ...(f.properties ?? {}) };
    if (props.tags && typeof props.tags === 'object') Object.assign(props, props.tags as Record<string, unknown>);
    const tag = (k: string) => (props[k] === undefined || props[k] === null ? '' : String(props[k]).trim());

    let service: FacilityService | undefined;
    let kind = '';
    for (const [s, fs] of byService) {
      const hit = fs.find((flt) => flt.pairs.every(([k, v]) => (v === '*' ? tag(k) !== '' : tag(k) === v)));
      if (hit) { service = s; kind = hit.spec.slice(0, 64); break; }
    }
    if (!service) {
      const what = ['amenity', 'shop'].filter((k) => tag(k) !== '').map((k) => `${k}=${tag(k)}`).join(', ');
      skip(result, `not selected (${what || 'no amenity or shop tag'})`);
      continue;
    }

    const pos = position(f.geometry);
    if (typeof pos === 'string') { rej(pos, 'geometry', f.geometry?.type); continue; }
    const [lat, lon] = pos;
    const rawCommune = ['ref:INSEE', 'addr:citycode', 'commune_insee', 'code_insee'].map(tag).find((v) => v !== '') ?? '';
    const commune = normalizeInsee(rawCommune) ?? null;
    const problem = positionProblem(lat, lon, commune);
    if (problem) { rej(problem, 'geometry', JSON.stringify(f.geometry?.type === 'Point' ? f.geometry.coordinates : [lon, lat])); continue; }

    const { osm, other } = featureId(f, props);
    let id: string;
    if (osm) {
      const first = osmFirstLine.get(osm);
      if (first !== undefined) { rej(`duplicate OSM element ${osm.replace('-', '/')} (first on line ${first})`, 'id', osm); continue; }
      osmFirstLine.set(osm, line);
      id = `osm-${osm}`;
    } else if (other) {
      const safe = idSafe(other);
      id = ids.take(`osm-id-${safe.length > 40 ? shortHash(safe) : safe}`);
    } else {
      id = ids.take(`osm-hash-${shortHash(`${service}|${JSON.stringify(f.geometry)}`)}`);
    }
    result.rows.push({ facility_id: id, service, lat, lon, commune_insee: commune, source, kind, _line: line });
  }
  return result;
}

/** The features of a GeoJSON document or text sequence, each with the line where it starts. */
function locateFeatures(text: string, file: string): Located[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return parseSequence(body, file, (e as Error).message);
  }
  if (!doc || typeof doc !== 'object') throw new InputError({ file, reason: inputReasons.notGeoJson() });
  const d = doc as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  const crs = d.crs?.properties?.name;
  if (crs !== undefined && !/(CRS84|4326)$/i.test(String(crs))) {
    throw new UserError(importErrors.notWgs84(file, String(crs)));
  }
  if (d.type === 'Feature') return [{ feature: doc, line: firstContentLine(body) }];
  if (d.type !== 'FeatureCollection' || !Array.isArray(d.features)) {
    throw new InputError({ file, reason: inputReasons.notFeatureCollection(String(d.type)) });
  }
  const features: unknown[] = d.features;
  const lines = featureLines(body);
  // The scanner and JSON.parse see the same text, so they agree; 0 ("unknown") is a safety net.
  return features.map((feature, k) => ({ feature, line: lines.length === features.length ? lines[k]! : 0 }));
}

function firstContentLine(text: string): number {
  const m = /\S/.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 1;
}

/** GeoJSON text sequence: one Feature per line, optionally prefixed by RS (0x1E). */
function parseSequence(text: string, file: string, wholeError: string): Located[] {
  const out: Located[] = [];
  const rows = text.split('\n');
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!.replace(/^\x1e/, '').trim();
    if (row === '') continue;
    try {
      out.push({ feature: JSON.parse(row), line: k + 1 });
    } catch {
      throw new InputError({ file, line: out.length === 0 ? undefined : k + 1, reason: inputReasons.badJson(wholeError) });
    }
  }
  if (out.length === 0) throw new InputError({ file, reason: inputReasons.empty() });
  return out;
}

/**
 * Start line of each element of the top-level `features` array, found by a small scanner that
 * follows strings and nesting (JSON.parse gives no positions).
 */
function featureLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let key: string | null = null; // last key read at depth 1
  let inFeatures = false;
  let expect = false; // next value at depth 2 starts an element
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') { line++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (inFeatures && expect && depth === 2 && c !== ']') { out.push(line); expect = false; }
    if (c === '"') {
      const start = i + 1;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
      }
      if (depth === 1) key = text.slice(start, i);
    } else if (c === '{' || c === '[') {
      if (c === '[' && depth === 1 && key === 'features' && !inFeatures) { inFeatures = true; expect = true; }
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (inFeatures && depth < 2) return out;
    } else if (c === ',' && inFeatures && depth === 2) expect = true;
  }
  return out;
}
