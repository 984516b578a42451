/**
 * The reports as a library (`import { renderReport, loadTemplate } from 'cafe-impact/reports'`):
 * a subpath of its own, so that `import 'cafe-impact'` does not load vega and pdfmake.
 *
 *   import { Warehouse, parsePeriod } from 'cafe-impact';
 *   import { renderReport, loadTemplate, parseFor } from 'cafe-impact/reports';
 *   const wh = await Warehouse.open('warehouse/cafe-impact.duckdb', { readOnly: true });
 *   const { content } = await renderReport(wh, loadTemplate('cafe-sheet'), { period: parsePeriod('2023'), lang: 'fr', format: 'pdf', for: parseFor('cafe:C001') });
 */
export { renderReport, renderModel, cafeSheets, type ReportFormat, type ReportOptions, type Rendered } from './render.ts';
export { loadReportData, buildReport, parseFor, needsOf, type ReportData, type ReportFor } from './build.ts';
export { listTemplates, loadTemplate, REPORT_SCOPES, type ReportTemplate } from './template.ts';
export { readBoundaries } from './map.ts';
export type { ReportModel, Block, ModelSection, ModelPart } from './model.ts';
