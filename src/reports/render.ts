/**
 * A report from the warehouse in one call (the CLI's `report` and the demo use it): read the
 * run's data once, build the model of the template for whom it is for, render it as HTML or PDF.
 * `cafeSheets` builds one sheet per café of the run from that one read.
 */
import type { Period } from '../core/period.ts';
import type { Lang } from '../core/vocabulary.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { buildReport, loadReportData, needsOf, type ReportData, type ReportFor } from './build.ts';
import type { ReportModel } from './model.ts';
import type { ReportTemplate } from './template.ts';

export type ReportFormat = 'html' | 'pdf';

export interface ReportOptions {
  period: Period;
  lang: Lang;
  format: ReportFormat;
  for?: ReportFor | null;
  boundaries?: GeoJSON.FeatureCollection | null;
}

export interface Rendered {
  content: string | Buffer;
  model: ReportModel;
}

export async function renderModel(model: ReportModel, format: ReportFormat): Promise<string | Buffer> {
  if (format === 'html') return (await import('./html.ts')).renderHtml(model);
  return (await import('./pdf.ts')).renderPdf(model);
}

export async function renderReport(wh: Warehouse, t: ReportTemplate, o: ReportOptions, data?: ReportData): Promise<Rendered> {
  const d = data ?? (await loadReportData(wh, o.period, needsOf(t)));
  const model = await buildReport(d, t, { lang: o.lang, for: o.for ?? null, boundaries: o.boundaries ?? null });
  return { content: await renderModel(model, o.format), model };
}

/** One sheet per café of the run (`--all-cafes`): `write(cafe_id, content)` for each, in café order. */
export async function cafeSheets(wh: Warehouse, t: ReportTemplate, o: ReportOptions, write: (cafeId: string, content: string | Buffer) => void): Promise<{ data: ReportData; count: number }> {
  const data = await loadReportData(wh, o.period, needsOf(t));
  for (const c of data.cafes) {
    const model = await buildReport(data, t, { lang: o.lang, for: { scope: 'cafe', id: c.cafe_id }, boundaries: o.boundaries ?? null });
    write(c.cafe_id, await renderModel(model, o.format));
  }
  return { data, count: data.cafes.length };
}
