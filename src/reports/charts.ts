/**
 * Charts of the reports (issue "Reports funders read"), rendered to SVG in Node: a vega-lite
 * spec compiled to vega and rendered by a headless `View` (`renderer: 'none'`, no canvas, no
 * network: the data is inline). Numbers are the reader's: the axis ticks in the locale's format
 * (French: `,` decimals, a space between thousands, as src/format/locale.ts writes them), the
 * value beside each bar written by src/format/locale.ts itself (so a chart and the tables never
 * disagree on a rounding). A suppressed figure has no bar and says "secret statistique" /
 * "suppressed (confidential)" — never a number. Where a figure has an interval it is drawn as a
 * rule across the bar. The SVG carries its title and a text alternative (`aria-label`, `<title>`),
 * and the same inputs give the same bytes.
 *
 * Text width is estimated without a canvas (vega: ≈ 0.8 × characters × font size), so labels get
 * room (`labelLimit`) instead of being cut.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Lang } from '../core/vocabulary.ts';
import { decimalsOf, formatNumber, formatValue, SUPPRESSED } from '../format/locale.ts';

export interface BarDatum {
  label: string;
  /** Null when suppressed or not computed. */
  value: number | null;
  suppressed?: boolean;
  low?: number | null;
  high?: number | null;
}

export interface BarChart {
  title: string;
  /** Unit of the values (a key of src/format/units.ts). */
  unit: string;
  data: readonly BarDatum[];
  lang: Lang;
  /** Text alternative; by default the title and each bar's label and value in words. */
  description?: string;
  width?: number;
  /**
   * A template's edits of the vega-lite spec (reports/<id>/<file>.vl.json): merged into it, objects
   * key by key and arrays (the layers) item by item — colours, sizes, fonts, axes. The data, the
   * values' text and the text alternative stay the report's.
   */
  overrides?: Record<string, unknown>;
}

/** `a` with `b` merged in: objects key by key, arrays item by item, other values replaced. */
export function mergeSpec(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return a.map((x, i) => (i < b.length ? mergeSpec(x, b[i]) : x)).concat(b.slice(a.length));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? mergeSpec(out[k], v) : v;
    return out;
  }
  return b === undefined ? a : b;
}

const LOCALES: Record<Lang, vega.NumberLocale> = {
  fr: { decimal: ',', thousands: ' ', grouping: [3], currency: ['', ' €'] },
  en: { decimal: '.', thousands: ',', grouping: [3], currency: ['€', ''] },
};

/**
 * The View's locale: vega accepts the definitions themselves (`{ number }`, measured: the axes then
 * use them), though its typings declare only built formatters.
 */
const localeOf = (lang: Lang): vega.LocaleFormatters => ({ number: LOCALES[lang] }) as unknown as vega.LocaleFormatters;

/** What a bar says in words: its value in the unit, or that it is suppressed. */
function spoken(d: BarDatum, unit: string, lang: Lang): string {
  return d.suppressed ? SUPPRESSED[lang] : d.value === null ? (lang === 'fr' ? 'non calculé' : 'not computed') : formatValue(d.value, unit, lang);
}

/** A horizontal bar chart as a self-contained SVG string. */
export async function barChartSvg(c: BarChart): Promise<string> {
  const decimals = decimalsOf(c.unit);
  const rows = c.data.map((d, i) => ({
    key: i,
    label: d.label,
    value: d.suppressed ? null : d.value,
    low: d.suppressed ? null : (d.low ?? null),
    high: d.suppressed ? null : (d.high ?? null),
    text: d.suppressed || d.value === null ? spoken(d, c.unit, c.lang) : formatNumber(d.value, decimals, c.lang),
  }));
  const longest = Math.max(8, ...rows.map((r) => r.label.length));
  const description = c.description ?? `${c.title}: ${c.data.map((d) => `${d.label} ${spoken(d, c.unit, c.lang)}`).join('; ')}`;
  const y = { field: 'label', type: 'nominal', sort: { field: 'key', op: 'min' }, title: null, axis: { labelLimit: Math.ceil(longest * 0.8 * 11) + 10, labelFontSize: 11 } } as const;
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    description,
    width: c.width ?? 420,
    height: { step: 26 },
    background: 'white',
    data: { values: rows },
    encoding: { y },
    layer: [
      { mark: { type: 'bar', color: '#2f6f8f' }, encoding: { x: { field: 'value', type: 'quantitative', title: null, axis: { format: `,.${Math.min(decimals, 2)}~f`, tickCount: 5 } } } },
      { mark: { type: 'rule', color: '#1b1b1b', strokeWidth: 1.5 }, transform: [{ filter: 'datum.low != null && datum.high != null' }], encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#1b1b1b' }, encoding: { x: { datum: 0 }, text: { field: 'text' } }, transform: [{ filter: 'datum.value == null' }] },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#1b1b1b' }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } }, transform: [{ filter: 'datum.value != null' }] },
    ],
    // one text alternative for the whole chart (below), in the report's language: vega's own ARIA
    // labels of marks and axes are English and would be read inside a French report
    config: { font: 'sans-serif', view: { stroke: null }, aria: false },
  };
  // the template's edits, then what the report owns: its data and its text alternative
  const edited = { ...(mergeSpec(spec, c.overrides ?? {}) as vl.TopLevelSpec), data: { values: rows }, description } as vl.TopLevelSpec;
  return renderSvg(edited, description, localeOf(c.lang));
}

/**
 * A vega-lite spec rendered to SVG in Node (the charts' and the map's one renderer), with one text
 * alternative for the whole figure, in the report's language, on its root: the ARIA roles and
 * labels vega writes on axes, legends and titles (English) are dropped.
 */
export async function renderSvg(spec: vl.TopLevelSpec, description: string, locale?: vega.LocaleFormatters): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none', ...(locale ? { locale } : {}) });
  try {
    const svg = await view.toSVG();
    const root = /^<svg[^>]*>/.exec(svg)![0];
    const inner = svg.slice(root.length).replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, '');
    return `${root.replace(/^<svg /, `<svg role="img" aria-label="${escapeAttribute(description)}" `)}<title>${escapeText(description)}</title>${inner}`;
  } finally {
    view.finalize();
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
