/**
 * Report templates: `reports/<id>/template.json`, validated here (a template is data, editable
 * without touching the code): its title, what it needs, the scopes it can be made for (`for`),
 * its narrative in French and English with placeholders, and its sections. What each section kind
 * shows is written in src/reports/build.ts; charts' specs in src/reports/charts.ts and map.ts.
 *
 * Placeholders of the narrative: `{period}`, `{name}` (the café, region, department or programme
 * the report is for), `{<indicator>}` (that indicator's figure for the report's scope, in words)
 * and `{network:<indicator>}` (the network's).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { reportErrors } from '../core/messages.ts';

/** reports/ of the package (beside src/ and dist/). */
export const REPORTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../reports');

/** The scopes a report can be made for (`--for <scope>:<id>`), besides the whole network. */
export const REPORT_SCOPES = ['region', 'department', 'cafe', 'programme'] as const;
export type ReportScope = 'network' | (typeof REPORT_SCOPES)[number];

const text = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();
const indicators = z.union([z.literal('headline'), z.array(z.string().min(1)).min(1)]);
const id = z.string().regex(/^[a-z][a-z0-9_-]*$/);
const base = { id, title: text, intro: text.optional() };
const section = z.discriminatedUnion('kind', [
  /** A table of figures of the report's scope (`compare`: the network's beside them). */
  z.object({ ...base, kind: z.literal('figures'), indicators, compare: z.boolean().optional() }).strict(),
  /** A bar chart of figures of the report's scope (intervals drawn where they exist); `spec`: a vega-lite file of the template merged into the chart's spec. */
  z.object({ ...base, kind: z.literal('chart'), indicators, spec: z.string().regex(/^[a-z0-9_-]+\.vl\.json$/).optional() }).strict(),
  /** The same figures from the quarterly runs of the same method and parameters. */
  z.object({ ...base, kind: z.literal('quarters'), indicators }).strict(),
  /** Cafés (or the communes an itinerant café visited) as points, coloured by stage, model or programme. */
  z.object({ ...base, kind: z.literal('map'), points: z.enum(['cafes', 'events']), color: z.enum(['stage', 'model', 'programme']), spec: z.string().regex(/^[a-z0-9_-]+\.vl\.json$/).optional() }).strict(),
  /** The report's events: date, commune, kind, programme (attendance only through the figures). */
  z.object({ ...base, kind: z.literal('events') }).strict(),
  /** A commune-level estimate across communes: how many, the range, the extremes with intervals. */
  z.object({ ...base, kind: z.literal('distribution'), indicator: z.string().min(1), show: z.number().int().min(1).max(20) }).strict(),
  /** The café's estimated effect (did.<outcome>), its standard error, interval and assumptions. */
  z.object({ ...base, kind: z.literal('did') }).strict(),
  /** Definitions, formulas, the suppression rule, parameters, inputs and the run's warnings (`compact`: the rule and the run, for a one-page sheet). */
  z.object({ ...base, kind: z.literal('appendix'), compact: z.boolean().optional() }).strict(),
]);
const template = z
  .object({
    id: z.string(),
    title: text,
    needs: text,
    /** Scopes accepted by `--for` ('network': without it); `default`: whom it is for without `--for`. */
    for: z.object({ scopes: z.array(z.enum(['network', ...REPORT_SCOPES])).min(1), default: z.enum(['network', 'itinerant-cafes']) }).strict(),
    /** A page per report in PDF (the café sheet: one A4 page). */
    pdf: z.object({ onePage: z.boolean() }).strict().optional(),
    narrative: text,
    sections: z.array(section).min(1),
  })
  .strict();

export type ReportTemplate = z.infer<typeof template> & {
  /** The vega-lite edits of the template's charts, by file name (read and checked when the template is loaded). */
  specs: Record<string, Record<string, unknown>>;
};
export type ReportSection = ReportTemplate['sections'][number];

export function listTemplates(dir = REPORTS_DIR): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'template.json'))).sort() : [];
}

export function loadTemplate(id: string, dir = REPORTS_DIR): ReportTemplate {
  const path = join(dir, id, 'template.json');
  if (!/^[a-z][a-z0-9-]*$/.test(id) || !existsSync(path)) throw new UserError(reportErrors.unknownTemplate(id, listTemplates(dir)));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(reportErrors.badTemplate(path, (e as Error).message));
  }
  const r = template.safeParse(json);
  if (!r.success) throw new UserError(reportErrors.badTemplate(path, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
  const specs: Record<string, Record<string, unknown>> = {};
  for (const s of r.data.sections) {
    if ((s.kind !== 'chart' && s.kind !== 'map') || !s.spec) continue;
    const file = join(dir, id, s.spec);
    let spec: unknown;
    try {
      spec = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UserError(reportErrors.badTemplate(file, (e as Error).message));
    }
    if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new UserError(reportErrors.badTemplate(file, 'a vega-lite spec is a JSON object'));
    specs[s.spec] = spec as Record<string, unknown>;
  }
  return { ...r.data, specs };
}
