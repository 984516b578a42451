/**
 * Table definitions derived from the data contract. Migrations freeze what this produced when
 * they were written; `test/db/migrations.test.ts` fails when the contract and the migrated
 * warehouse drift apart (a contract change then needs a new migration).
 */
import { columnsOf } from '../contract/columns.ts';
import type { DatasetDef } from '../contract/datasets.ts';
import { ident } from './sql.ts';

/** Bookkeeping columns every data table carries, after the contract's columns. */
export const DATED_SYSTEM_COLUMNS = [['_load', 'INTEGER']] as const; // loads.load_no of the load that brought the row
export const REFERENCE_SYSTEM_COLUMNS = [
  ['_valid_from', 'DATE'], // null: valid since always (first version)
  ['_valid_to', 'DATE'], // null: current version; exclusive bound
  ['_load', 'INTEGER'], // loads.load_no of the load that brought this version
  ['_closed', 'INTEGER'], // loads.load_no of the load that replaced it
] as const;

/**
 * The table that stores a dataset's rows. Dated datasets are stored in `_rows_<name>` and read
 * through the view `<name>`, which hides the rows of an unfinished load (migration 006); writes
 * go to the stored table, reads to the view.
 */
export function storedTable(def: DatasetDef): string {
  return def.kind === 'dated' ? `_rows_${def.name}` : def.name;
}

export function tableDdl(def: DatasetDef): string {
  // Dated tables leave NOT NULL to the ingestion's checks: large files are written first as a
  // pending load and checked in place (migration 004).
  const notNull = (c: { required: boolean; default?: unknown }) => def.kind === 'reference' && (c.required || c.default !== undefined);
  const cols = columnsOf(def.schema).map((c) => `  ${ident(c.name)} ${c.sqlType}${notNull(c) ? ' NOT NULL' : ''}`);
  const sys = (def.kind === 'dated' ? DATED_SYSTEM_COLUMNS : REFERENCE_SYSTEM_COLUMNS).map(([n, t]) => `  ${n} ${t}`);
  return `CREATE TABLE ${ident(def.name)} (\n${[...cols, ...sys].join(',\n')}\n);`;
}
