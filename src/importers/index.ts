/**
 * Reference importers: `cafe-impact reference import <kind> <file>` converts an official
 * open-data file into rows of a contract dataset (src/contract/datasets.ts). The caller writes
 * the rows to a normalized CSV and ingests it through the normal validated path.
 *
 *   file ──readCsv / JSON──▶ records ──convert──▶ ImportResult { rows | skipped | rejects }
 *                                                  read = rows + skipped + rejects
 */
import { convertBpe, DEFAULT_BPE_TYPES } from './bpe.ts';
import { convertAccess } from './access.ts';
import { convertCensus } from './census.ts';
import { convertCommunes } from './communes.ts';
import { convertFilosofi } from './filosofi.ts';
import { convertGeoJson, DEFAULT_OSM_TAGS } from './geojson.ts';
import { convertLaPoste, LAPOSTE_KNOWN_TYPES } from './laposte.ts';
import type { FacilityService, ImportDataset, ImportOptions, ImportResult } from './types.ts';

export type { ImportDataset, ImportOptions, ImportReject, ImportResult, ImportRow, FacilityService } from './types.ts';

export interface Importer {
  description: string;
  dataset: ImportDataset;
  convert(file: string, opts?: ImportOptions): Promise<ImportResult>;
}

/**
 * What each facility importer counts per service when `serviceTypes` does not say otherwise
 * (a service given in `serviceTypes` replaces its list, the others keep these):
 * - bpe: TYPEQU codes. bread = B207 boulangerie-pâtisserie and B203 (its code up to the 2021
 *   edition); post = A206 bureau de poste, A207 relais poste, A208 agence postale communale;
 *   cash = none (cash machines are not in the BPE; A203 is a bank branch).
 * - laposte: `caracteristique_du_site` values, all service `post`. The default is *every* type;
 *   the list here is the types of the June 2025 file, for reference.
 * - geojson: OSM tag filters (`key=value[&key=value]`, `key=*` for any value).
 */
export const DEFAULT_SERVICE_TYPES: {
  bpe: Record<FacilityService, readonly string[]>;
  laposte: { post: 'all'; known: readonly string[] };
  geojson: Record<FacilityService, readonly string[]>;
} = {
  bpe: DEFAULT_BPE_TYPES,
  laposte: { post: 'all', known: LAPOSTE_KNOWN_TYPES },
  geojson: DEFAULT_OSM_TAGS,
};

export const IMPORTERS: Record<string, Importer> = {
  bpe: {
    description: 'INSEE BPE geolocated facilities (TYPEQU + Lambert-93/UTM or lat/lon) → facilities (bakeries, post offices)',
    dataset: 'facilities',
    convert: convertBpe,
  },
  laposte: {
    description: 'La Poste contact points (bureaux, agences postales, relais) → facilities, service post',
    dataset: 'facilities',
    convert: convertLaPoste,
  },
  geojson: {
    description: 'GeoJSON points, e.g. an OpenStreetMap export of amenity=atm / shop=bakery / amenity=post_office → facilities',
    dataset: 'facilities',
    convert: convertGeoJson,
  },
  communes: {
    description: 'Communes file with centroids (data.gouv/INSEE communes_france_<year>.csv) → commune_positions',
    dataset: 'commune_positions',
    convert: convertCommunes,
  },
  census: {
    description: 'The communes file\'s census columns (population_<y>, menages_<y>, pop_15_64_<y>, chomeurs_15_64_<y>, actifs_15_64_<y>) → commune_indicators census.population, census.households…',
    dataset: 'commune_indicators',
    convert: convertCensus,
  },
  access: {
    description: "INSEE share of the population far from facilities (pop_eloignee_equipements_<year>.csv: code_insee, pct_pop_eloignee_equip_<range>_<year>) → commune_indicators access.far_proximity / far_intermediate / far_major (%)",
    dataset: 'commune_indicators',
    convert: convertAccess,
  },
  filosofi: {
    description: 'INSEE Filosofi commune file (CODGEO;MED21;…, decimal comma, s = secret) → commune_indicators, long format',
    dataset: 'commune_indicators',
    convert: convertFilosofi,
  },
};

export const IMPORTER_KINDS = Object.keys(IMPORTERS);

export { convertAccess, convertBpe, convertCensus, convertCommunes, convertFilosofi, convertGeoJson, convertLaPoste };
