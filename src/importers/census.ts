/**
 * The communes file's census columns (data.gouv / INSEE `communes_france_<year>.csv`:
 * `population_2021, population_2015, menages_2021, pop_15_64_2021, chomeurs_15_64_2021,
 * actifs_15_64_2021`) → commune_indicators, one row per commune × column, the year from the
 * column's suffix:
 *
 *   population_<y>      → census.population        menages_<y>         → census.households
 *   pop_15_64_<y>       → census.pop_15_64         chomeurs_15_64_<y>  → census.unemployed_15_64
 *   actifs_15_64_<y>    → census.active_15_64
 *
 * Municipal arrondissements (Paris, Lyon, Marseille) are kept like communes; empty cells null.
 */
import { requireColumn, withCsv, type CsvInput } from '../io/csv.ts';
import { communeColumnsFromCsv, yearColumns } from './filosofi.ts';
import type { ImportOptions, ImportResult } from './types.ts';

const NAMES: Record<string, string> = { population: 'population', menages: 'households', pop_15_64: 'pop_15_64', chomeurs_15_64: 'unemployed_15_64', actifs_15_64: 'active_15_64' };

export async function convertCensus(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withCsv(file, (csv) => censusFromCsv(csv, opts));
}

export async function censusFromCsv(table: CsvInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const cCode = requireColumn(table, 'commune code', 'code_insee', 'codgeo', 'com');
  const columns = yearColumns(table, cCode, /^([a-z_0-9]+?)_(\d{4})$/, NAMES, 'census');
  return communeColumnsFromCsv(table, cCode, columns, opts.year ?? columns[0]!.year!);
}
