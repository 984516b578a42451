/**
 * Report templates: `reports/<id>/template.json`, validated here (a template is data, editable
 * without touching the code). See src/reports/html.ts for what each section kind renders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { reportErrors } from '../core/messages.ts';

/** reports/ of the package (beside src/ and dist/). */
export const REPORTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../reports');

const text = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();
const indicators = z.union([z.literal('headline'), z.array(z.string().min(1)).min(1)]);
const section = z.discriminatedUnion('kind', [
  z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/), kind: z.literal('figures'), title: text, indicators }).strict(),
  z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/), kind: z.literal('chart'), title: text, indicators }).strict(),
  z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/), kind: z.literal('quarters'), title: text, indicators }).strict(),
  z.object({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/), kind: z.literal('appendix'), title: text }).strict(),
]);
const template = z.object({ id: z.string(), title: text, needs: text, narrative: text, sections: z.array(section).min(1) }).strict();

export type ReportTemplate = z.infer<typeof template>;

export function listTemplates(dir = REPORTS_DIR): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'template.json'))).sort() : [];
}

export function loadTemplate(id: string, dir = REPORTS_DIR): ReportTemplate {
  const path = join(dir, id, 'template.json');
  if (!/^[a-z][a-z0-9-]*$/.test(id) || !existsSync(path)) throw new UserError(reportErrors.unknownTemplate(id, listTemplates(dir)));
  const r = template.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!r.success) throw new UserError(reportErrors.badTemplate(path, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
  return r.data;
}
