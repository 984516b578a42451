import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertGeoJson } from '../../src/importers/geojson.ts';
import type { ImportResult } from '../../src/importers/types.ts';

const balanced = (r: ImportResult) => expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
const dir = mkdtempSync(join(tmpdir(), 'cafe-ref-geojson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

// One feature per line, so the expected line numbers can be read off the file.
const OSM = [
  '{"type":"FeatureCollection","features":[', // 1
  '{"type":"Feature","id":"node/1001","properties":{"amenity":"atm","operator":"Crédit Agricole"},"geometry":{"type":"Point","coordinates":[1.0912,47.1803]}},', // 2
  '{"type":"Feature","properties":{"@id":"way/2002","shop":"bakery","ref:INSEE":"37109"},"geometry":{"type":"Polygon","coordinates":[[[1.09,47.18],[1.092,47.18],[1.092,47.182],[1.09,47.182],[1.09,47.18]]]}},', // 3
  '{"type":"Feature","properties":{"amenity":"atm"},"geometry":{"type":"Point","coordinates":[0.995,47.128]}},', // 4: no id
  '{"type":"Feature","properties":{"amenity":"bank","atm":"yes","@id":"node/1004"},"geometry":{"type":"Point","coordinates":[0.69,47.39]}},', // 5
  '{"type":"Feature","properties":{"amenity":"bank","atm":"no","@id":"node/1005"},"geometry":{"type":"Point","coordinates":[0.69,47.391]}},', // 6
  '{"type":"Feature","properties":{"amenity":"post_office","@id":"relation/7"},"geometry":{"type":"LineString","coordinates":[[1,47],[1.1,47.1]]}},', // 7
  '{"type":"Feature","properties":{"amenity":"restaurant","@id":"node/1008"},"geometry":{"type":"Point","coordinates":[1,47]}},', // 8
  '{"type":"Feature","properties":{"amenity":"atm","@id":"node/1001"},"geometry":{"type":"Point","coordinates":[1.0912,47.1803]}},', // 9: same node again
  '{"type":"Feature","properties":{"amenity":"atm","@type":"node","@id":1010,"ref:INSEE":"2A004"},"geometry":{"type":"Point","coordinates":[8.7375,41.9192]}},', // 10
  '{"type":"Feature","properties":{"amenity":"atm","@id":"node/1011","ref:INSEE":"37109"},"geometry":{"type":"Point","coordinates":[47.18,1.09]}},', // 11: swapped
  '{"type":"Feature","properties":{"shop":"bakery","@id":"n1012","ref:INSEE":"not-a-code"},"geometry":{"type":"Point","coordinates":[1.09,47.18]}}', // 12
  ']}', // 13
].join('\n');

describe('GeoJSON (OSM export)', () => {
  it('maps tags to services, uses polygon centres, and rejects with the line of each feature', async () => {
    const r = await convertGeoJson(write('osm.geojson', OSM));
    balanced(r);
    expect(r.read).toBe(11);
    expect(r.rows.map((x) => [x.facility_id, x.service, x.kind, x.commune_insee])).toEqual([
      ['osm-node-1001', 'cash', 'amenity=atm', null],
      ['osm-way-2002', 'bread', 'shop=bakery', '37109'],
      [expect.stringMatching(/^osm-hash-[0-9a-f]{10}$/), 'cash', 'amenity=atm', null],
      ['osm-node-1004', 'cash', 'amenity=bank&atm=yes', null],
      ['osm-node-1010', 'cash', 'amenity=atm', '2A004'],
      ['osm-node-1012', 'bread', 'shop=bakery', null], // invalid ref:INSEE dropped, point kept
    ]);
    // by hand: the kept features are on lines 2, 3, 4, 5, 10 and 12 (numbered in OSM above)
    expect(r.rows.map((x) => x._line)).toEqual([2, 3, 4, 5, 10, 12]);
    expect(r.rows[0]).toMatchObject({ lat: 47.1803, lon: 1.0912, source: 'osm' });
    // by hand: centre of the square [1.090, 1.092] × [47.180, 47.182] is (47.181, 1.091)
    expect(r.rows[1]!.lat).toBeCloseTo(47.181, 9);
    expect(r.rows[1]!.lon).toBeCloseTo(1.091, 9);
    expect(r.skippedReasons).toEqual({ 'not selected (amenity=bank)': 1, 'not selected (amenity=restaurant)': 1 });
    expect(r.rejects.map((x) => [x.line, x.column, x.reason])).toEqual([
      [7, 'geometry', 'geometry LineString is not a point or an area'],
      [9, 'id', 'duplicate OSM element node/1001 (first on line 2)'],
      [11, 'geometry', expect.stringMatching(/swapped/)],
    ]);
    expect(r.rejects[0]!.rawLine).toContain('"relation/7"');
  });

  it('gives the hash id of a feature without id again on a re-import', async () => {
    const a = await convertGeoJson(write('a.geojson', OSM));
    const b = await convertGeoJson(write('b.geojson', OSM.replace('"operator":"Crédit Agricole"', '"operator":"CA"')));
    expect(b.rows[2]!.facility_id).toBe(a.rows[2]!.facility_id);
  });

  it('uses the tag filters given', async () => {
    const r = await convertGeoJson(write('osm2.geojson', OSM), { serviceTypes: { cash: ['amenity=atm'], post: ['amenity=*&@id=relation/7'] } });
    balanced(r);
    // by hand: the bank with atm=yes (line 5) is no longer cash; relation/7 now matches post but is a LineString
    expect(r.skippedReasons['not selected (amenity=bank)']).toBe(2);
    expect(r.rows.some((x) => x.facility_id === 'osm-node-1004')).toBe(false);
    expect(r.rejects.map((x) => x.line)).toEqual([7, 9, 11]);
  });

  it('finds the start line of pretty-printed features', async () => {
    const pretty = [
      '{', // 1
      '  "type": "FeatureCollection",',
      '  "features": [',
      '    {', // 4
      '      "type": "Feature",',
      '      "properties": { "amenity": "post_office", "name": "La Poste \\"centre\\" [a], {b}" },',
      '      "geometry": { "type": "MultiLineString", "coordinates": [[[1, 47], [2, 47]]] }',
      '    },',
      '    {', // 9
      '      "type": "Feature",',
      '      "properties": { "amenity": "atm" },',
      '      "geometry": null',
      '    }',
      '  ]',
      '}',
    ].join('\r\n');
    const r = await convertGeoJson(write('pretty.geojson', pretty));
    balanced(r);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
      [4, 'geometry MultiLineString is not a point or an area'],
      [9, 'no geometry'],
    ]);
  });

  it('reads a GeoJSON text sequence (one feature per line)', async () => {
    const seq = [
      '\x1e{"type":"Feature","id":"node/1","properties":{"shop":"bakery"},"geometry":{"type":"Point","coordinates":[1,47]}}',
      '',
      '\x1e{"type":"Feature","id":"node/2","properties":{"amenity":"post_office"},"geometry":{"type":"Point","coordinates":[500,47]}}',
    ].join('\n');
    const r = await convertGeoJson(write('seq.geojsons', seq));
    balanced(r);
    expect(r.rows.map((x) => [x.facility_id, x.service])).toEqual([['osm-node-1', 'bread']]);
    expect(r.rows[0]!._line).toBe(1);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[3, 'longitude 500 is outside [-180, 180]']]);
  });

  it('refuses coordinates in another system than WGS84', async () => {
    const file = write('l93.geojson', '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[]}');
    await expect(convertGeoJson(file)).rejects.toThrow(/EPSG::2154.*WGS84/);
  });
});
