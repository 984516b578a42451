/**
 * The map of a report: points (cafés, or the communes an itinerant café visited) over
 * boundaries, coloured by a category (lifecycle stage or model), rendered to SVG in Node like
 * the charts (vega-lite → vega, `renderer: 'none'`). Projection: conic conformal with the
 * standard parallels of Lambert-93 (44° and 49° N), fitted to what is drawn.
 *
 * Boundaries are an input (`--boundaries FILE`, a GeoJSON FeatureCollection of polygons in
 * longitude/latitude, such as IGN's simplified departments): nothing geographic ships with the
 * package. Polygons are rewound for vega (its spherical clipping fills a polygon of standard
 * winding as the whole sphere but the shape: turf.rewind(fc, { reverse: true })). Only
 * metropolitan France is drawn; points and polygons outside it (overseas) are counted and said,
 * never drawn at the wrong place. Without boundaries the points are drawn over a 2° graticule of
 * metropolitan France, projected the same way.
 */
import { readFileSync } from 'node:fs';
import * as vl from 'vega-lite';
import type { Lang } from '../core/vocabulary.ts';
import { UserError } from '../core/errors.ts';
import { reportErrors } from '../core/messages.ts';
import { mergeSpec, renderSvg } from './charts.ts';

export interface MapPoint {
  lon: number;
  lat: number;
  /** Category key (stage or model code). */
  group: string;
  label: string;
}

export interface MapGroup {
  key: string;
  label: string;
}

export interface MapSpec {
  title: string;
  legend: string;
  groups: readonly MapGroup[];
  points: readonly MapPoint[];
  boundaries: GeoJSON.FeatureCollection | null;
  description: string;
  lang: Lang;
  width?: number;
  /** A template's edits of the vega-lite spec (reports/<id>/<file>.vl.json), merged as the charts' are (src/reports/charts.ts). */
  overrides?: Record<string, unknown>;
}

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000'];

/** Metropolitan France (and Corsica) in longitude/latitude. */
const METRO = { west: -5.5, east: 10, south: 41, north: 51.5 };
export const inMetropolitanFrance = (lon: number, lat: number) => lon >= METRO.west && lon <= METRO.east && lat >= METRO.south && lat <= METRO.north;

/** Reads `--boundaries`: a FeatureCollection of (Multi)Polygons, kept to metropolitan France, rewound for vega. */
export async function readBoundaries(path: string): Promise<GeoJSON.FeatureCollection> {
  let fc: GeoJSON.FeatureCollection;
  try {
    fc = JSON.parse(readFileSync(path, 'utf8')) as GeoJSON.FeatureCollection;
  } catch (e) {
    throw new UserError(reportErrors.boundaries(path, (e as Error).message));
  }
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new UserError(reportErrors.boundaries(path, 'not a FeatureCollection'));
  const polygons = fc.features.filter((f) => f?.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
  if (!polygons.length) throw new UserError(reportErrors.boundaries(path, 'no Polygon or MultiPolygon feature'));
  const { bbox, rewind, featureCollection } = await import('@turf/turf');
  const metro = polygons.filter((f) => {
    const [w, s, e, n] = bbox(f);
    return inMetropolitanFrance((w + e) / 2, (s + n) / 2);
  });
  if (!metro.length) throw new UserError(reportErrors.boundaries(path, 'no polygon in metropolitan France (longitude/latitude expected, not projected coordinates)'));
  // only the geometry: the properties (names, codes) are not drawn and would weigh the SVG
  return rewind(featureCollection(metro.map((f) => ({ type: 'Feature' as const, properties: {}, geometry: f.geometry }))), { reverse: true }) as GeoJSON.FeatureCollection;
}

/** Bounding box of a geometry's positions: [west, south, east, north]. */
function extent(g: GeoJSON.Geometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b[0] = Math.min(b[0], x!); b[1] = Math.min(b[1], y!); b[2] = Math.max(b[2], x!); b[3] = Math.max(b[3], y!);
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk((g as GeoJSON.Polygon).coordinates);
  return b;
}

/**
 * The boundaries around some points only (a region's cafés, the communes an itinerant café
 * visited): the polygons whose extent meets the points' extent widened by `margin` degrees, so that
 * the map zooms on them instead of showing them as a dot in France.
 */
export function boundariesAround(fc: GeoJSON.FeatureCollection, points: readonly MapPoint[], margin = 0.3): GeoJSON.FeatureCollection {
  if (!points.length) return fc;
  const w = Math.min(...points.map((p) => p.lon)) - margin;
  const e = Math.max(...points.map((p) => p.lon)) + margin;
  const so = Math.min(...points.map((p) => p.lat)) - margin;
  const n = Math.max(...points.map((p) => p.lat)) + margin;
  const kept = fc.features.filter((f) => {
    const [fw, fs, fe, fn] = extent(f.geometry);
    return fw <= e && fe >= w && fs <= n && fn >= so;
  });
  return { type: 'FeatureCollection', features: kept.length ? kept : fc.features };
}

export async function mapSvg(m: MapSpec): Promise<string> {
  const width = m.width ?? 440;
  const projection = { type: 'conicConformal' as const, parallels: [44, 49], rotate: [-3, 0] as [number, number] };
  const points = m.points.map((p) => ({ lon: p.lon, lat: p.lat, group: p.group, label: p.label }));
  const domain = m.groups.map((g) => g.key);
  const names = Object.fromEntries(m.groups.map((g) => [g.key, g.label]));
  const layers: Record<string, unknown>[] = [];
  if (m.boundaries) {
    layers.push({ data: { values: m.boundaries, format: { type: 'json', property: 'features' } }, mark: { type: 'geoshape', fill: '#eef2f4', stroke: '#8a9aa3', strokeWidth: 0.4 } });
  } else {
    // no boundaries: a 2° graticule over metropolitan France frames the points (and fixes the extent:
    // three cafés in one region are drawn where they are in France, not spread over the plot)
    layers.push({ data: { graticule: { extent: [[METRO.west, METRO.south], [METRO.east, METRO.north]], step: [2, 2] } }, mark: { type: 'geoshape', filled: false, stroke: '#d5dde1', strokeWidth: 0.6 } });
  }
  layers.push({
    data: { values: points },
    mark: { type: 'circle', size: 36, opacity: 0.9, stroke: 'white', strokeWidth: 0.6 },
    encoding: {
      longitude: { field: 'lon', type: 'quantitative' },
      latitude: { field: 'lat', type: 'quantitative' },
      color: {
        field: 'group', type: 'nominal', scale: { domain, range: PALETTE.slice(0, domain.length) },
        legend: { title: m.legend, orient: 'bottom', columns: 2, labelLimit: 260, labelExpr: `${JSON.stringify(names)}[datum.value]`, symbolType: 'circle' },
      },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: m.title,
    width, height: Math.round(width * 0.92),
    background: 'white',
    projection,
    layer: layers,
    config: { font: 'sans-serif', view: { stroke: null }, aria: false },
  } as unknown as vl.TopLevelSpec;
  return renderSvg(mergeSpec(spec, m.overrides ?? {}) as vl.TopLevelSpec, m.description);
}
