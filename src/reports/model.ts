/**
 * The report model: what a report says, as data — parts (one per café, region… the report is
 * for), sections of blocks (paragraphs with the figures marked, notes, tables, charts as SVG) and
 * a closing appendix — built once from a run (src/reports/build.ts) and written by two renderers
 * that never read the warehouse: HTML (src/reports/html.ts) and PDF (src/reports/pdf.ts). Every
 * string in it is text (never markup): the renderers escape it or hand it to pdfmake as text.
 */
import type { Lang } from '../core/vocabulary.ts';
import type { RunRecord } from '../figures/store.ts';

export interface Inline {
  text: string;
  /** A figure in words (kept on one line, bold in the PDF). */
  figure?: boolean;
}

export type Block =
  | { kind: 'paragraph'; parts: Inline[] }
  | { kind: 'note'; text: string }
  /** Identifiers, file names, hashes: code, not prose (not translated). */
  | { kind: 'code'; label: string; text: string }
  | { kind: 'subheading'; text: string }
  | {
      kind: 'table';
      /** `code`: the column holds identifiers, formulas or hashes (code, not prose). */
      columns: { label: string; numeric?: boolean; code?: boolean }[];
      /** `header`: the row's first cell (a row header). */
      rows: { header: string; cells: string[] }[];
      /** Small print (the appendix's long tables). */
      small?: boolean;
    }
  | { kind: 'chart'; svg: string; caption: string; width: number }
  | { kind: 'list'; items: string[] };

export interface ModelSection {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ModelPart {
  /** Anchor of the part ('' for a report with one part). */
  id: string;
  /** The café, region… this part is about; null for a report of one part. */
  heading: string | null;
  narrative: Inline[];
  sections: ModelSection[];
}

export interface ReportModel {
  lang: Lang;
  template: string;
  title: string;
  /** Run, date and method, in words. */
  subtitle: string;
  parts: ModelPart[];
  /** The appendix, once after the parts. */
  closing: ModelSection[];
  footer: string;
  /** The PDF keeps to one A4 page (the café sheet). */
  onePage: boolean;
  run: RunRecord;
  /** `scope:id` the report is for, null for the network. */
  target: string | null;
  /** Every table the report read (its provenance). */
  tablesRead: string[];
}
