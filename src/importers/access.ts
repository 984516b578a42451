/**
 * INSEE's share of the population far from facilities, per commune (`pop_eloignee_equipements_
 * <year>.csv`: `code_insee, nom, pct_pop_eloignee_equip_<range>_<year>`, in %: the share of the
 * commune's population more than 7 / 15 / 30 minutes by road from the proximity / intermediate /
 * major facilities of the BPE, "Metric" distances) → commune_indicators rows:
 *
 *   pct_pop_eloignee_equip_proximite_2021      → access.far_proximity     (2021, %)
 *   pct_pop_eloignee_equip_intermediaires_2021 → access.far_intermediate  (2021, %)
 *   pct_pop_eloignee_equip_superieurs_2021     → access.far_major         (2021, %)
 *
 * Empty cells (no value for the commune) become null, never 0. The department and region totals
 * at the end of the file (codes "1.0" … "94.0", "2A", "2B") are skipped.
 */
import { requireColumn, withCsv, type CsvInput } from '../io/csv.ts';
import { communeColumnsFromCsv, yearColumns } from './filosofi.ts';
import type { ImportOptions, ImportResult } from './types.ts';

const RANGES: Record<string, string> = { proximite: 'far_proximity', intermediaires: 'far_intermediate', superieurs: 'far_major' };

export async function convertAccess(file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withCsv(file, (csv) => accessFromCsv(csv, opts));
}

export async function accessFromCsv(table: CsvInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const cCode = requireColumn(table, 'commune code', 'code_insee', 'CODGEO', 'COM');
  const columns = yearColumns(table, cCode, /^pct_pop_eloignee_equip_([a-z]+)_(\d{4})$/, RANGES, 'access');
  // The file ends with department and region totals, their codes written as decimals ("1.0" Ain,
  // "84.0" Auvergne-Rhône-Alpes) but for Corsica's departments ("2A", "2B").
  return communeColumnsFromCsv(table, cCode, columns, opts.year ?? columns[0]!.year!, (code) => (/^(\d{1,3}\.0|2[AB])$/.test(code) ? 'a department or region total, not a commune' : null));
}
