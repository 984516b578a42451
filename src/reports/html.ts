/**
 * A report model (src/reports/model.ts) as one self-contained HTML file: charts and the map as
 * inline SVG, styles inline, no script and no request to the network or to another file (a strict
 * Content-Security-Policy says so to the browser), landmarks, headings, table headers, text
 * alternatives for the charts, printable (A4, no break inside a table row or a chart).
 * Everything from the data is escaped: a café named `<img src=x onerror=alert(1)>` is text. The
 * same model gives the same bytes (dates are the run's, never the clock's).
 */
import type { Block, Inline, ModelSection, ReportModel } from './model.ts';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const STYLE = `
:root { color: #1b1b1b; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; }
body { margin: 0 auto; max-width: 52rem; padding: 1rem; }
header { border-bottom: 3px solid #2f6f8f; margin-bottom: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0.5rem 0; } h2 { font-size: 1.3rem; margin-top: 2rem; color: #1d4b61; }
h3 { font-size: 1.1rem; margin-top: 1.2rem; }
article > h2.part { font-size: 1.55rem; color: #1b1b1b; border-top: 2px solid #2f6f8f; padding-top: 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
table.small { font-size: 0.82rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #c9d3d8; vertical-align: top; overflow-wrap: anywhere; }
p, li { overflow-wrap: anywhere; }
code { font-size: 0.85em; overflow-wrap: anywhere; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; overflow-x: auto; } svg { max-width: 100%; height: auto; }
.muted { color: #4a5a62; font-size: 0.9rem; }
.v { white-space: nowrap; font-weight: 600; } th.n { text-align: right; }
th[scope="row"] { min-width: 7.5rem; }
@media (max-width: 40rem) { td.n { white-space: normal; overflow-wrap: normal; } table { font-size: 0.85rem; } th, td { padding: 0.3rem 0.3rem; } }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
`.trim();

const inline = (parts: Inline[]) => parts.map((p) => (p.figure ? `<span class="v">${esc(p.text)}</span>` : esc(p.text))).join('');

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${inline(b.parts)}</p>`;
    case 'note':
      return `<p class="muted">${esc(b.text)}</p>`;
    case 'code':
      return `<p class="muted">${esc(b.label)} <code>${esc(b.text)}</code></p>`;
    case 'subheading':
      return `<h3>${esc(b.text)}</h3>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'chart':
      // the SVG is ours (src/reports/charts.ts, map.ts: vega escapes the data it writes)
      return `<figure>${b.svg}<figcaption class="muted">${esc(b.caption)}</figcaption></figure>`;
    case 'table': {
      const head = b.columns.map((c) => `<th scope="col"${c.numeric ? ' class="n"' : ''}>${esc(c.label)}</th>`).join('');
      const cell = (c: string, i: number) => (b.columns[i]?.code ? `<code>${esc(c)}</code>` : esc(c));
      const rows = b.rows.map((r) => `<tr><th scope="row">${cell(r.header, 0)}</th>${r.cells.map((c, i) => `<td${b.columns[i + 1]?.numeric ? ' class="n"' : ''}>${cell(c, i + 1)}</td>`).join('')}</tr>`);
      return `<table${b.small ? ' class="small"' : ''}><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
    }
  }
}

function section(s: ModelSection, level: 2 | 3): string {
  const id = `s-${esc(s.id)}`;
  return [`<section aria-labelledby="${id}"><h${level} id="${id}">${esc(s.title)}</h${level}>`, ...s.blocks.map(block), '</section>'].join('\n');
}

export function renderHtml(m: ReportModel): string {
  const body: string[] = [];
  for (const p of m.parts) {
    if (p.heading !== null && m.parts.length > 1) {
      // several cafés in one report: one article each, its sections one level down
      body.push(`<article aria-labelledby="p-${esc(p.id)}"><h2 class="part" id="p-${esc(p.id)}">${esc(p.heading)}</h2>`, `<p>${inline(p.narrative)}</p>`, ...p.sections.map((s) => section(s, 3)), '</article>');
    } else body.push(`<p>${inline(p.narrative)}</p>`, ...p.sections.map((s) => section(s, 2)));
  }
  body.push(...m.closing.map((s) => section(s, 2)));
  return [
    '<!doctype html>',
    `<html lang="${m.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    `<meta name="generator" content="cafe-impact ${esc(m.run.code_version)}">`,
    `<meta name="cafe-impact:run" content="${esc(m.run.run_id)}">`,
    `<title>${esc(m.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(m.title)}</h1><p class="muted">${esc(m.subtitle)}</p></header>`,
    '<main>',
    ...body,
    '</main>',
    `<footer><p class="muted">${esc(m.footer)}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
