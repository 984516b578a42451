/**
 * SQL models: `models/staging/*.sql`, `models/marts/*.sql`, then `models/figures/*.sql` (one figures
 * model per indicator family, src/indicators/family.ts), one model per file, materialized as a table
 * named after the file. Each file states its grain and its checks in a header:
 *
 *   -- grain: one row per café × service
 *   -- check not_null: cafe_id, service
 *   -- check unique: cafe_id, service
 *   -- check relationships: cafe_id -> stg_cafes.cafe_id
 *   -- check expression: km IS NULL OR km >= 0
 *
 * Dependencies are read from the SQL (the names of other models it mentions), so models build
 * in dependency order; TypeScript models (computations SQL is poor at, like the nearest-facility
 * search) take part with the same metadata. After each model its checks run; a failed check
 * fails the run, naming the model, the check and the failing rows.
 *
 * Parameters appear as `{{name}}` and are replaced by SQL literals (dates and numbers that the
 * runner itself produced and validated; never user text).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ident } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { EXIT, InternalError, UserError } from '../core/errors.ts';

export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

export const LAYERS = ['staging', 'marts', 'figures'] as const;
export type Layer = (typeof LAYERS)[number];

export type Check =
  | { kind: 'not_null'; columns: string[] }
  | { kind: 'unique'; columns: string[] }
  | { kind: 'relationships'; column: string; to: string; toColumn: string }
  | { kind: 'expression'; sql: string };

export interface ModelMeta {
  name: string;
  layer: Layer;
  grain: string;
  description: string;
  checks: Check[];
}

export interface SqlModel extends ModelMeta {
  type: 'sql';
  path: string;
  sql: string;
}

export interface TsModel extends ModelMeta {
  type: 'ts';
  /** Models it reads. */
  dependsOn: string[];
  /** Warehouse datasets it reads directly (their loads become the run's recorded inputs). */
  readsDatasets?: string[];
  build(wh: Warehouse, params: Record<string, SqlParam>): Promise<void>;
}

export type Model = SqlModel | TsModel;
export type SqlParam = { date: string } | number | boolean;

export class CheckFailed extends UserError {
  constructor(
    readonly model: string,
    readonly check: string,
    readonly rows: Record<string, unknown>[],
    readonly count: number,
  ) {
    super(
      `model ${model}: check ${check} failed for ${count} row${count > 1 ? 's' : ''}, e.g. ${rows
        .slice(0, 3)
        .map((r) => JSON.stringify(r))
        .join(' ')}`,
      { exitCode: EXIT.runStopped },
    );
    this.name = 'CheckFailed';
  }
}

/** Parses a model file's header and SQL. */
export function parseSqlModel(path: string): SqlModel {
  const text = readFileSync(path, 'utf8');
  const name = basename(path, '.sql');
  const dir = basename(dirname(path));
  const layer: Layer = (LAYERS as readonly string[]).includes(dir) ? (dir as Layer) : 'staging';
  const checks: Check[] = [];
  const description: string[] = [];
  let grain = '';
  for (const line of text.split('\n')) {
    const m = /^--\s?(.*)$/.exec(line);
    if (!m) {
      if (line.trim() === '') continue;
      break;
    }
    const c = m[1]!.trim();
    const g = /^grain:\s*(.+)$/.exec(c);
    const k = /^check (not_null|unique|relationships|expression):\s*(.+)$/.exec(c);
    if (g) grain = g[1]!;
    else if (k) checks.push(parseCheck(name, k[1]!, k[2]!));
    else if (!grain && checks.length === 0) description.push(c);
  }
  if (!grain) throw new Error(`model ${name} (${path}) states no grain (-- grain: one row per …)`);
  return { type: 'sql', name, layer, grain, description: description.join(' '), checks, path, sql: text };
}

function parseCheck(model: string, kind: string, arg: string): Check {
  if (kind === 'not_null' || kind === 'unique') return { kind, columns: arg.split(',').map((x) => x.trim()) };
  if (kind === 'expression') return { kind, sql: arg };
  const m = /^(\w+)\s*->\s*(\w+)\.(\w+)$/.exec(arg.trim());
  if (!m) throw new Error(`model ${model}: relationships check must read "column -> model.column", got "${arg}"`);
  return { kind: 'relationships', column: m[1]!, to: m[2]!, toColumn: m[3]! };
}

export function loadSqlModels(dir = MODELS_DIR): SqlModel[] {
  const out: SqlModel[] = [];
  for (const layer of LAYERS) {
    const d = join(dir, layer);
    for (const f of readdirSync(d).filter((x) => x.endsWith('.sql')).sort()) out.push(parseSqlModel(join(d, f)));
  }
  return out;
}

/** The models each model reads: other models' names found as words in its SQL. */
export function dependencies(models: Model[]): Map<string, string[]> {
  const names = models.map((m) => m.name);
  const deps = new Map<string, string[]>();
  for (const m of models) {
    if (m.type === 'ts') deps.set(m.name, m.dependsOn);
    else {
      const body = m.sql.replace(/--.*$/gm, '');
      deps.set(m.name, names.filter((n) => n !== m.name && new RegExp(`\\b${n}\\b`).test(body)));
    }
  }
  return deps;
}

/**
 * The datasets the models read: for a SQL model, every dataset named after FROM or JOIN in its
 * SQL (comments aside; a CTE of the same name is not the dataset); for a TypeScript model, its
 * `readsDatasets`. A run records the loads of exactly these datasets as its inputs, so a model
 * that starts reading another dataset brings it into the provenance without anyone keeping a list.
 */
export function datasetsRead(models: Model[], datasets: readonly string[]): string[] {
  const known = new Set(datasets);
  const read = new Set<string>();
  for (const m of models) {
    if (m.type === 'ts') {
      for (const d of m.readsDatasets ?? []) read.add(d);
      continue;
    }
    const body = m.sql.replace(/--.*$/gm, '');
    const ctes = new Set([...body.matchAll(/\b(\w+)\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s*)?\(/gi)].map((x) => x[1]!.toLowerCase()));
    for (const x of body.matchAll(/\b(?:FROM|JOIN)\s+"?(\w+)"?/gi)) {
      const name = x[1]!.toLowerCase();
      if (known.has(name) && !ctes.has(name)) read.add(name);
    }
  }
  return [...read].sort();
}

/** Dependency order (Kahn), ties by layer then name so the order is stable. */
export function buildOrder(models: Model[]): Model[] {
  const deps = dependencies(models);
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const order: Model[] = [];
  const rank = (m: Model) => `${LAYERS.indexOf(m.layer)}${m.name}`;
  while (order.length < models.length) {
    const ready = models.filter((m) => !done.has(m.name) && deps.get(m.name)!.every((d) => done.has(d))).sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
    if (ready.length === 0) {
      const left = models.filter((m) => !done.has(m.name)).map((m) => m.name);
      throw new InternalError(`models depend on each other in a cycle: ${left.join(', ')}`);
    }
    for (const m of ready) {
      for (const d of deps.get(m.name)!) if (!byName.has(d)) throw new InternalError(`model ${m.name} reads unknown model ${d}`);
      order.push(m);
      done.add(m.name);
    }
  }
  return order;
}

/** `{{name}}` → SQL literal. */
export function render(sql: string, params: Record<string, SqlParam>, model = ''): string {
  return sql.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`model ${model}: unknown parameter {{${k}}}`);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`parameter ${k} is not finite`);
      return String(v);
    }
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) throw new Error(`parameter ${k} is not a date`);
    return `DATE '${v.date}'`;
  });
}

/** The SQL of a check: the rows that break it. */
export function checkSql(model: string, c: Check): { label: string; sql: string } {
  const t = ident(model);
  switch (c.kind) {
    case 'not_null':
      return { label: `not_null(${c.columns.join(', ')})`, sql: `SELECT * FROM ${t} WHERE ${c.columns.map((x) => `${ident(x)} IS NULL`).join(' OR ')}` };
    case 'unique': {
      const cols = c.columns.map(ident).join(', ');
      return { label: `unique(${c.columns.join(', ')})`, sql: `SELECT ${cols}, count(*) AS n FROM ${t} GROUP BY ${cols} HAVING count(*) > 1` };
    }
    case 'relationships':
      return {
        label: `relationships(${c.column} -> ${c.to}.${c.toColumn})`,
        sql: `SELECT * FROM ${t} WHERE ${ident(c.column)} IS NOT NULL AND ${ident(c.column)} NOT IN (SELECT ${ident(c.toColumn)} FROM ${ident(c.to)} WHERE ${ident(c.toColumn)} IS NOT NULL)`,
      };
    case 'expression':
      return { label: `expression(${c.sql})`, sql: `SELECT * FROM ${t} WHERE NOT coalesce((${c.sql}), false)` };
  }
}

export interface ModelTiming {
  model: string;
  rows: number;
  ms: number;
  checks: number;
}

/** Builds every model in order and runs its checks. */
export async function runModels(wh: Warehouse, models: Model[], params: Record<string, SqlParam>, onModel?: (t: ModelTiming) => void): Promise<ModelTiming[]> {
  const timings: ModelTiming[] = [];
  for (const m of buildOrder(models)) {
    const t0 = performance.now();
    if (m.type === 'sql') await wh.run(`CREATE OR REPLACE TABLE ${ident(m.name)} AS ${render(m.sql, params, m.name)}`);
    else await m.build(wh, params);
    for (const c of m.checks) {
      const { label, sql } = checkSql(m.name, c);
      const rendered = render(sql, params, m.name);
      const n = await wh.scalar<number>(`SELECT count(*) FROM (${rendered})`);
      if (n > 0) throw new CheckFailed(m.name, label, await wh.all(`${rendered} LIMIT 5`), n);
    }
    const t: ModelTiming = { model: m.name, rows: await wh.scalar<number>(`SELECT count(*) FROM ${ident(m.name)}`), ms: performance.now() - t0, checks: m.checks.length };
    timings.push(t);
    onModel?.(t);
  }
  return timings;
}
