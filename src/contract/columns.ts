/**
 * Derives, from a dataset's zod schema, what the rest of the code needs: column types for
 * DuckDB, the SQL validation expressions and the data dictionary. The derivation reads the
 * schema through zod's own JSON Schema export, so a change in `datasets.ts` flows everywhere.
 */
import { z } from 'zod';
import type { DatasetDef } from './datasets.ts';

/** How a file's column name maps to the contract's: trimmed, lower case, spaces as `_` (` Cafe ID` → `cafe_id`). */
export const headerKey = (h: string): string => h.trim().toLowerCase().replace(/\s+/g, '_');

export type SqlType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ' | 'VARCHAR[]' | 'BOOLEAN';

export interface Column {
  name: string;
  sqlType: SqlType;
  required: boolean;
  /** Value used when the column is absent from a file. */
  default?: unknown;
  enum?: readonly string[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  description: string;
  unit?: string;
  example?: unknown;
  /** Column is a pseudonymous key of a person. */
  pseudonym?: boolean;
  /** Column is an INSEE commune code (checked against the official list). */
  commune?: boolean;
  /** Column is a SIREN (Luhn-checked). */
  siren?: boolean;
  /** Survey item declared in the questionnaire (not in the zod schema). */
  item?: boolean;
}

interface JsonSchemaProp {
  type?: string;
  anyOf?: JsonSchemaProp[];
  enum?: string[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  description?: string;
  items?: JsonSchemaProp;
  [k: string]: unknown;
}

const cache = new WeakMap<z.ZodObject, Column[]>();

/** The columns of a zod object schema, in declaration order. */
export function columnsOf(schema: z.ZodObject): Column[] {
  const hit = cache.get(schema);
  if (hit) return hit;
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonSchemaProp>;
    required?: string[];
  };
  const required = new Set(js.required ?? []);
  const cols: Column[] = Object.entries(js.properties).map(([name, raw]) => {
    const p = raw.anyOf ? { ...raw, ...raw.anyOf.find((a) => a.type !== 'null') } : raw;
    const col: Column = {
      name,
      sqlType: sqlTypeOf(p),
      required: required.has(name) && p.default === undefined,
      description: p.description ?? '',
    };
    if (p.default !== undefined) col.default = p.default;
    if (p.enum) col.enum = p.enum;
    if (p.minimum !== undefined) col.min = p.minimum;
    if (p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER) col.max = p.maximum;
    if (p.minLength !== undefined) col.minLength = p.minLength;
    if (p.maxLength !== undefined) col.maxLength = p.maxLength;
    if (p.pattern && p.format !== 'date') col.pattern = p.pattern;
    for (const k of ['unit', 'example', 'pseudonym', 'commune', 'siren'] as const) {
      if (p[k] !== undefined) (col as unknown as Record<string, unknown>)[k] = p[k];
    }
    return col;
  });
  cache.set(schema, cols);
  return cols;
}

function sqlTypeOf(p: JsonSchemaProp): SqlType {
  if (typeof p.sqlType === 'string') return p.sqlType as SqlType;
  if (p.type === 'integer') return 'BIGINT';
  if (p.type === 'number') return 'DOUBLE';
  if (p.type === 'boolean') return 'BOOLEAN';
  if (p.type === 'array') return 'VARCHAR[]';
  if (p.format === 'date') return 'DATE';
  return 'VARCHAR';
}

export function datasetColumns(def: DatasetDef): Column[] {
  return columnsOf(def.schema);
}
