/**
 * A report model (src/reports/model.ts) as an A4 PDF, without a browser: pdfmake lays the text
 * out (Roboto, embedded and subset; text selectable), embeds the charts' and the map's SVG as
 * vectors, numbers the pages ("page 2 sur 5" / "page 2 of 5") and tags the document's language
 * and structure. Data is handed to pdfmake as text, never as instructions: a café named
 * `<img src=x onerror=alert(1)>` is printed as those characters. The creation date is the run's,
 * so one run gives the same bytes. Nothing is fetched: pdfmake may read its own font files only.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Block, Inline, ModelSection, ReportModel } from './model.ts';

const require = createRequire(import.meta.url);

type PdfMake = typeof import('pdfmake');
let engine: PdfMake | null = null;
function pdfmake(): PdfMake {
  if (engine) return engine;
  const p = require('pdfmake') as PdfMake;
  const fonts = require('pdfmake/fonts/Roboto.js') as Parameters<PdfMake['addFonts']>[0];
  const fontDir = dirname(require.resolve('pdfmake/fonts/Roboto.js'));
  p.addFonts(fonts);
  (p as unknown as { setUrlAccessPolicy(f: (url: string) => boolean): void }).setUrlAccessPolicy(() => false);
  (p as unknown as { setLocalAccessPolicy(f: (path: string) => boolean): void }).setLocalAccessPolicy((path) => path.startsWith(fontDir));
  engine = p;
  return p;
}

const A4_WIDTH = 595.28;
const BLUE = '#1d4b61';

/** Long unbroken strings (hashes, ids) get break opportunities (zero-width spaces) so they wrap in a cell. */
const breakable = (s: string) => s.replace(/[^\s]{24,}/g, (w) => w.replace(/(.{16})/g, '$1\u200b'));

const inline = (parts: Inline[]) => parts.map((p) => (p.figure ? { text: p.text, bold: true } : { text: p.text }));

function block(b: Block, width: number, onePage: boolean): Content[] {
  switch (b.kind) {
    case 'paragraph':
      return [{ text: inline(b.parts), margin: [0, 0, 0, 6] }];
    case 'note':
      return [{ text: b.text, style: 'note' }];
    case 'code':
      return [{ text: [b.label, ' ', { text: breakable(b.text), color: '#1b1b1b' }], style: 'note' }];
    case 'subheading':
      return [{ text: b.text, style: 'h3' }];
    case 'list':
      return [{ ul: b.items.map((i) => breakable(i)), margin: [0, 0, 0, 6] }];
    case 'chart':
      return [{ svg: b.svg, fit: [width, onePage ? 190 : 440], alignment: 'center', margin: [0, 4, 0, 2] }, { text: b.caption, style: 'note' }];
    case 'table': {
      const fontSize = b.small || onePage ? 7.5 : 9.5;
      const body = [
        b.columns.map((c) => ({ text: c.label, bold: true, fillColor: '#e8eef1', alignment: c.numeric ? ('right' as const) : ('left' as const) })),
        ...b.rows.map((r) => [{ text: breakable(r.header), bold: true }, ...r.cells.map((c, i) => ({ text: breakable(c), alignment: b.columns[i + 1]?.numeric ? ('right' as const) : ('left' as const) }))]),
      ];
      // the first column takes the room, unless other text columns share it
      const texts = b.columns.filter((c) => !c.numeric).length;
      const widths = b.columns.map((c, i) => (c.numeric ? 'auto' : i === 0 && texts > 1 ? '25%' : '*'));
      return [{ table: { headerRows: 1, widths, body, dontBreakRows: true, keepWithHeaderRows: 1 }, layout: 'lightHorizontalLines', fontSize, margin: [0, 2, 0, 8] }];
    }
  }
}

/** A section: its heading kept on the page of what follows it (one unbreakable stack with its first block). */
function section(s: ModelSection, width: number, onePage: boolean, style: 'h2' | 'h3'): Content[] {
  const [first, ...rest] = s.blocks.map((b) => block(b, width, onePage));
  const head: Content = { text: s.title, style };
  if (!first) return [head];
  // a long table may not be unbreakable (it would not fit a page): its heading goes with it anyway
  const long = s.blocks[0]?.kind === 'table' && s.blocks[0].rows.length > 12;
  return [long ? { stack: [head, ...first] } : { stack: [head, ...first], unbreakable: true }, ...rest.flat()];
}

export async function renderPdf(m: ReportModel): Promise<Buffer> {
  const margin = m.onePage ? 28 : 42;
  const width = A4_WIDTH - 2 * margin;
  const fr = m.lang === 'fr';
  const content: Content[] = [
    { text: m.title, style: 'h1' },
    { text: m.subtitle, style: 'note', margin: [0, 0, 0, 8] },
  ];
  m.parts.forEach((p, i) => {
    if (p.heading !== null && m.parts.length > 1) content.push({ text: p.heading, style: 'part', pageBreak: i > 0 ? 'before' : undefined });
    content.push({ text: inline(p.narrative), margin: [0, 0, 0, 8] });
    for (const s of p.sections) content.push(...section(s, width, m.onePage, m.parts.length > 1 ? 'h3' : 'h2'));
  });
  for (const s of m.closing) content.push(...section(s, width, m.onePage, 'h2'));
  content.push({ text: m.footer, style: 'note', margin: [0, 8, 0, 0] });

  const base = m.onePage ? 8.5 : 10.5;
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [margin, margin, margin, margin + 8],
    language: fr ? 'fr-FR' : 'en-GB',
    info: { title: m.title, author: 'cafe-impact', subject: m.subtitle, creator: `cafe-impact ${m.run.code_version}`, producer: 'cafe-impact (pdfmake)', creationDate: new Date(m.run.started_at), modDate: new Date(m.run.started_at) },
    content,
    defaultStyle: { font: 'Roboto', fontSize: base, lineHeight: 1.2, color: '#1b1b1b' },
    styles: {
      h1: { fontSize: m.onePage ? 15 : 20, bold: true, margin: [0, 0, 0, 4] },
      part: { fontSize: 16, bold: true, margin: [0, 4, 0, 6] },
      h2: { fontSize: m.onePage ? 11 : 14, bold: true, color: BLUE, margin: [0, m.onePage ? 6 : 12, 0, 4] },
      h3: { fontSize: m.onePage ? 9.5 : 11.5, bold: true, margin: [0, 6, 0, 3] },
      note: { fontSize: base - 1.5, color: '#4a5a62', margin: [0, 0, 0, 6] },
    },
    footer: (page: number, pages: number) => ({
      text: fr ? `${m.title} — page ${page} sur ${pages}` : `${m.title} — page ${page} of ${pages}`,
      fontSize: 7.5, color: '#4a5a62', alignment: 'center', margin: [margin, 6, margin, 0],
    }),
  };
  return pdfmake().createPdf(doc).getBuffer();
}
