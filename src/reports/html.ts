/**
 * A report as one self-contained HTML file (issue "Reports funders read", started): every figure
 * from one run (never retyped), charts as inline SVG (src/reports/charts.ts), styles inline, no
 * script and no request to the network or another file (a strict Content-Security-Policy says so
 * to the browser), landmarks, headings, table headers and text alternatives for the charts.
 * Everything from the data is escaped: a café named `<img src=x onerror=alert(1)>` is text.
 * The same run gives the same bytes (dates are the run's, never the clock's).
 *
 * Template (reports/<id>/template.json, src/reports/template.ts): its sections — `figures` (the
 * network's figures of a list, or the headline ones), `chart` (a bar chart of network figures),
 * `quarters` (the same indicators from the quarterly runs of the same method and parameters;
 * otherwise it says why they are missing), `appendix` (definitions, formulas, parameters, data
 * vintages and hashes, the suppression rule, the run's warnings) — and a narrative with
 * `{indicator}` placeholders filled with the figures in words.
 */
import type { Warehouse } from '../db/warehouse.ts';
import { latestRun, runFigures, type RunRecord } from '../figures/store.ts';
import type { Figure } from '../figures/types.ts';
import { formatDate, formatPeriod, formatValue, SUPPRESSED, type Lang } from '../format/locale.ts';
import { headlineIndicators, indicatorDef } from '../indicators/registry.ts';
import { barChartSvg } from './charts.ts';
import type { ReportTemplate } from './template.ts';

export interface RenderedReport {
  html: string;
  /** The run the figures come from, and every table read (the report's provenance). */
  run: RunRecord;
  tablesRead: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const STYLE = `
:root { color: #1b1b1b; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; }
body { margin: 0 auto; max-width: 52rem; padding: 1rem; }
header { border-bottom: 3px solid #2f6f8f; margin-bottom: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0.5rem 0; } h2 { font-size: 1.3rem; margin-top: 2rem; color: #1d4b61; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #c9d3d8; vertical-align: top; overflow-wrap: anywhere; }
p, li { overflow-wrap: anywhere; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; overflow-x: auto; } svg { max-width: 100%; height: auto; }
.muted { color: #4a5a62; font-size: 0.9rem; }
.v { white-space: nowrap; } th.n { text-align: right; }
@media print { body { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`.trim();

function value(f: Figure | undefined, lang: Lang): string {
  if (!f) return lang === 'fr' ? 'non calculé' : 'not computed';
  return f.suppressed ? SUPPRESSED[lang] : formatValue(f.value, f.unit, lang);
}

export async function renderHtml(wh: Warehouse, t: ReportTemplate, o: { period: string; lang: Lang }): Promise<RenderedReport> {
  const { lang } = o;
  const fr = lang === 'fr';
  const run = await latestRun(wh, o.period);
  const figures = await runFigures(wh, run.run_id);
  const tablesRead = ['runs', 'run_warnings', 'figures'];
  const network = new Map(figures.filter((f) => f.scope === 'network').map((f) => [f.indicator, f]));
  const label = (id: string) => indicatorDef(id)?.label[lang] ?? id;
  const out: string[] = [];

  // the template's words escaped, each figure in words kept on one line
  const narrative = t.narrative[lang]
    .split(/(\{[a-z0-9_.]+\})/)
    .map((part) => {
      const m = /^\{([a-z0-9_.]+)\}$/.exec(part);
      if (!m) return esc(part);
      return `<span class="v">${esc(m[1] === 'period' ? formatPeriod(o.period, lang) : value(network.get(m[1]!), lang))}</span>`;
    })
    .join('');
  for (const s of t.sections) {
    out.push(`<section aria-labelledby="s-${esc(s.id)}"><h2 id="s-${esc(s.id)}">${esc(s.title[lang])}</h2>`);
    if (s.kind === 'figures') {
      const ids = s.indicators === 'headline' ? headlineIndicators().map((d) => d.id) : s.indicators;
      out.push(`<table><thead><tr><th scope="col">${fr ? 'Indicateur' : 'Indicator'}</th><th scope="col" class="n">${fr ? 'Valeur' : 'Value'}</th></tr></thead><tbody>`);
      for (const id of ids) out.push(`<tr><th scope="row">${esc(label(id))}</th><td class="n">${esc(value(network.get(id), lang))}</td></tr>`);
      out.push('</tbody></table>');
    } else if (s.kind === 'chart') {
      const ids = s.indicators === 'headline' ? headlineIndicators().map((d) => d.id) : s.indicators;
      const unit = network.get(ids[0]!)?.unit ?? indicatorDef(ids[0]!)?.unit ?? 'km';
      const svg = await barChartSvg({
        title: s.title[lang], unit, lang,
        data: ids.map((id) => {
          const f = network.get(id);
          return { label: label(id), value: f?.value ?? null, suppressed: f?.suppressed ?? false, low: f?.ci_low ?? null, high: f?.ci_high ?? null };
        }),
      });
      out.push(`<figure>${svg}<figcaption class="muted">${esc(ids.map((id) => `${label(id)}${fr ? ' : ' : ': '}${value(network.get(id), lang)}`).join(' · '))}</figcaption></figure>`);
    } else if (s.kind === 'quarters') {
      const quarters = [1, 2, 3, 4].map((q) => `${o.period.slice(0, 4)}-Q${q}`);
      const cols: { q: string; figs: Map<string, Figure> | null; why: string | null }[] = [];
      for (const q of quarters) {
        const r = await latestRun(wh, q).catch(() => null);
        if (!r) cols.push({ q, figs: null, why: fr ? `pas de calcul pour ${formatPeriod(q, lang)}` : `no run for ${formatPeriod(q, lang)}` });
        else if (r.method_version !== run.method_version || JSON.stringify(r.parameters) !== JSON.stringify(run.parameters)) {
          cols.push({ q, figs: null, why: fr ? `le calcul de ${formatPeriod(q, lang)} n'a pas la méthode ou les paramètres de l'année` : `the run of ${formatPeriod(q, lang)} has another method or other parameters than the year's` });
        } else cols.push({ q, figs: new Map((await runFigures(wh, r.run_id)).filter((f) => f.scope === 'network').map((f) => [f.indicator, f])), why: null });
      }
      out.push(`<table><thead><tr><th scope="col">${fr ? 'Indicateur' : 'Indicator'}</th>${cols.map((c) => `<th scope="col" class="n">${esc(formatPeriod(c.q, lang))}</th>`).join('')}</tr></thead><tbody>`);
      for (const id of s.indicators === 'headline' ? headlineIndicators().map((d) => d.id) : s.indicators) {
        out.push(`<tr><th scope="row">${esc(label(id))}</th>${cols.map((c) => `<td class="n">${c.figs ? esc(value(c.figs.get(id), lang)) : '—'}</td>`).join('')}</tr>`);
      }
      out.push('</tbody></table>');
      const missing = cols.filter((c) => c.why);
      if (missing.length) out.push(`<p class="muted">${esc(missing.map((c) => c.why!).join(' ; '))}.</p>`);
    } else {
      out.push(appendix(run, figures, lang));
    }
    out.push('</section>');
  }

  const title = `${t.title[lang]} — ${formatPeriod(o.period, lang)}`;
  const html = [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(title)}</h1><p class="muted">${esc(fr ? `Calcul ${run.run_id} du ${formatDate(run.started_at, lang)}, méthode ${run.method_version}` : `Run ${run.run_id} of ${formatDate(run.started_at, lang)}, method ${run.method_version}`)}</p></header>`,
    '<main>',
    `<p>${narrative}</p>`,
    ...out,
    '</main>',
    `<footer><p class="muted">${esc(fr ? 'Produit par cafe-impact à partir d’un seul calcul ; aucun chiffre n’est ressaisi.' : 'Produced by cafe-impact from one run; no figure is retyped.')}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { html, run, tablesRead };
}

function appendix(run: RunRecord, figures: Figure[], lang: Lang): string {
  const fr = lang === 'fr';
  const ids = [...new Set(figures.map((f) => f.indicator))].sort();
  const defs = ids.map((id) => indicatorDef(id)).filter((d) => d !== undefined);
  const rows = [...new Map(defs.map((d) => [d.family.id + d.label[lang], d])).values()];
  return [
    `<h3>${fr ? 'Définitions' : 'Definitions'}</h3>`,
    `<table><thead><tr><th scope="col">${fr ? 'Indicateur' : 'Indicator'}</th><th scope="col">${fr ? 'Définition' : 'Definition'}</th><th scope="col">${fr ? 'Formule' : 'Formula'}</th></tr></thead><tbody>`,
    ...rows.map((d) => `<tr><th scope="row">${esc(d.label[lang])}</th><td>${esc(d.definition[lang])}</td><td>${esc(d.formula[lang])}</td></tr>`),
    '</tbody></table>',
    `<h3>${fr ? 'Secret statistique' : 'Suppression'}</h3>`,
    `<p>${esc(fr ? `Un nombre de personnes inférieur à ${String((run.parameters as { disclosure?: { min_cell?: number } }).disclosure?.min_cell ?? 5)} hors total du réseau est publié sans sa valeur (« secret statistique »), avec les cellules qui permettraient de le retrouver.` : `A count of fewer than ${String((run.parameters as { disclosure?: { min_cell?: number } }).disclosure?.min_cell ?? 5)} people outside the network total is published without its value ("suppressed (confidential)"), with the cells that would give it away.`)}</p>`,
    `<h3>${fr ? 'Données et paramètres' : 'Data and parameters'}</h3>`,
    `<table><thead><tr><th scope="col">${fr ? 'Jeu de données' : 'Dataset'}</th><th scope="col">${fr ? 'Fichier' : 'File'}</th><th scope="col">SHA-256</th></tr></thead><tbody>`,
    ...run.inputs.map((i) => `<tr><td>${esc(i.dataset)}</td><td>${esc(i.file)}</td><td><code>${esc(i.sha256.slice(0, 16))}…</code></td></tr>`),
    '</tbody></table>',
    `<p class="muted">${esc(fr ? `Paramètres : ${JSON.stringify(run.parameters)}` : `Parameters: ${JSON.stringify(run.parameters)}`)}</p>`,
    run.warnings.length ? `<h3>${fr ? 'Avertissements du calcul' : 'Warnings of the run'}</h3><ul>${run.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>` : '',
  ].join('\n');
}
