/** SQL quoting for the few places where a value cannot be bound (identifiers, table-function arguments). */

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal (for table-function arguments, which cannot be bound). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * SQL: the version of a reference row valid on `date` (YYYY-MM-DD) — `_valid_from` at or before
 * it (or none), `_valid_to` after it (or none). `alias` qualifies the columns (`q` → `q._valid_from`).
 */
export function validOnSql(date: string, alias?: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`validOnSql: not a date: ${date}`);
  const c = (name: string) => (alias ? `${alias}.${name}` : name);
  return `(${c('_valid_from')} IS NULL OR ${c('_valid_from')} <= DATE '${date}') AND (${c('_valid_to')} IS NULL OR DATE '${date}' < ${c('_valid_to')})`;
}
