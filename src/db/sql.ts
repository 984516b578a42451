/** SQL quoting for the few places where a value cannot be bound (identifiers, table-function arguments). */

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal (for table-function arguments, which cannot be bound). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
