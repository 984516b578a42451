/**
 * From a run to a report model (src/reports/model.ts): `loadReportData` reads the warehouse once
 * (the run, its figures, the quarterly runs, the rows behind the map and the events, place names;
 * every table recorded), `buildReport` turns that data and a template into the model without
 * touching DuckDB — so `--all-cafes` reads once and builds a sheet per café.
 *
 * Section kinds (reports/<id>/template.json, src/reports/template.ts):
 * - `figures`: a table of the report's scope's figures (`compare`: the network's beside them);
 * - `chart`: the same as bars, intervals drawn where they exist;
 * - `quarters`: the figures of the quarterly runs with the year's method version and parameters
 *   (otherwise the reason each quarter is missing);
 * - `map`: the cafés (or the communes the events were held in) as points, by stage, model or
 *   programme, over `--boundaries` when given;
 * - `events`: the events' dates, communes, kinds and programmes (no attendance per event: the
 *   people reached come from the figures, suppressed as they are);
 * - `distribution`: a commune-level estimate across communes (how many, median, range, the
 *   lowest and highest with their intervals);
 * - `did`: the café's estimated effect with its standard error, interval and assumptions;
 * - `appendix`: definitions and formulas of the indicators shown, the suppression rule, data
 *   files and hashes, parameters, the run's warnings in words, and the tables read.
 * A section whose figures are missing says so instead of disappearing.
 */
import { CAFE_MODELS, CAFE_STAGES } from '../contract/datasets.ts';
import type { Period } from '../core/period.ts';
import { UserError } from '../core/errors.ts';
import { reportErrors } from '../core/messages.ts';
import type { Lang } from '../core/vocabulary.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { latestRun, runFigures, type RunRecord } from '../figures/store.ts';
import type { Figure } from '../figures/types.ts';
import { scopeLabel } from '../format/labels.ts';
import { formatDate, formatNumber, formatPeriod, formatValue, SUPPRESSED } from '../format/locale.ts';
import { headlineIndicators, indicatorDef } from '../indicators/registry.ts';
import { barChartSvg } from './charts.ts';
import { boundariesAround, inMetropolitanFrance, mapSvg, type MapPoint } from './map.ts';
import type { Block, Inline, ModelPart, ModelSection, ReportModel } from './model.ts';
import { runRows, type CafeRow, type EventRow, type LoadRow } from './rows.ts';
import type { ReportScope, ReportSection, ReportTemplate } from './template.ts';
import { DID_ASSUMPTION_WORDS, DIMENSION_WORDS, warningWords } from './words.ts';

export interface QuarterData {
  period: string;
  /** Network-and-scopes figures of the quarter's latest run, or why there are none. */
  figures: Figure[] | null;
  why: { fr: string; en: string } | null;
}

export interface ReportData {
  period: Period;
  run: RunRecord;
  figures: Figure[];
  quarters: QuarterData[];
  cafes: CafeRow[];
  events: EventRow[];
  questions: Map<string, string>;
  loads: LoadRow[];
  communeList: string | null;
  regions: Map<string, string>;
  departments: Map<string, string>;
  tablesRead: Set<string>;
}

/** What to read besides the run: the quarterly runs only for templates with a `quarters` section. */
export interface DataNeeds {
  quarters: boolean;
}

export const needsOf = (...templates: ReportTemplate[]): DataNeeds => ({ quarters: templates.some((t) => t.sections.some((s) => s.kind === 'quarters')) });

export async function loadReportData(wh: Warehouse, period: Period, needs: DataNeeds = { quarters: true }): Promise<ReportData> {
  const read = new Set<string>(['runs', 'run_warnings', 'figures']);
  const run = await latestRun(wh, period.label);
  const figures = await runFigures(wh, run.run_id);
  const quarters: QuarterData[] = [];
  if (period.kind === 'year' && needs.quarters) {
    for (const q of [1, 2, 3, 4]) {
      const label = `${period.year}-Q${q}`;
      const r = await latestRun(wh, label).catch(() => null);
      if (!r) quarters.push({ period: label, figures: null, why: { fr: `pas de calcul pour ${formatPeriod(label, 'fr')}`, en: `no run for ${formatPeriod(label, 'en')}` } });
      else if (r.method_version !== run.method_version || JSON.stringify(r.parameters) !== JSON.stringify(run.parameters)) {
        quarters.push({
          period: label, figures: null,
          why: {
            fr: `le calcul de ${formatPeriod(label, 'fr')} (méthode ${r.method_version}) n’a pas la méthode ou les paramètres de celui de l’année (méthode ${run.method_version})`,
            en: `the run of ${formatPeriod(label, 'en')} (method ${r.method_version}) has another method or other parameters than the year's (method ${run.method_version})`,
          },
        });
      } else quarters.push({ period: label, figures: await runFigures(wh, r.run_id), why: null });
    }
  }
  const { cafes, events, questions, loads, communeList } = await runRows(wh, run, period, read);
  read.add('ref_regions').add('ref_departments');
  const regions = new Map((await wh.all<{ code: string; name: string }>('SELECT code, name FROM ref_regions')).map((r) => [r.code, r.name]));
  const departments = new Map((await wh.all<{ code: string; name: string }>('SELECT code, name FROM ref_departments')).map((r) => [r.code, r.name]));
  return { period, run, figures, quarters, cafes, events, questions, loads, communeList, regions, departments, tablesRead: read };
}

export interface ReportFor {
  scope: ReportScope;
  id: string | null;
}

/** `region:84`, `cafe:C001`, `programme:guinguette_mobile` (`--for`). */
export function parseFor(value: string): ReportFor {
  const m = /^(region|department|cafe|programme):(.+)$/.exec(value.trim());
  if (!m) throw new UserError(reportErrors.badFor(value));
  return { scope: m[1] as ReportScope, id: m[2]! };
}

interface Target {
  scope: ReportScope;
  id: string | null;
  name: string;
  /** The café's commune, for a café. */
  commune: string | null;
  cafes: CafeRow[];
  events: EventRow[];
}

const key = (indicator: string, scope: string, id: string | null) => `${indicator}\u0000${scope}\u0000${id ?? ''}`;
const humanProgramme = (p: string, lang: Lang) => (p === '(none)' ? scopeLabel('programme', p, null, lang) : p.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()));

/** Whom the report is for: `--for`, else the template's default (the network, or each itinerant café). */
export function targetsOf(data: ReportData, t: ReportTemplate, f: ReportFor | null, lang: Lang): Target[] {
  const scope = f?.scope ?? 'network';
  if (f === null && t.for.default === 'itinerant-cafes') {
    const itinerant = data.cafes.filter((c) => c.model === 'itinerant');
    if (!itinerant.length) throw new UserError(reportErrors.noTarget(t.id, data.period.label));
    return itinerant.map((c) => cafeTarget(data, c));
  }
  if (!t.for.scopes.includes(scope)) throw new UserError(reportErrors.forNotAccepted(t.id, scope, t.for.scopes));
  if (f === null) return [{ scope: 'network', id: null, name: lang === 'fr' ? 'le réseau' : 'the network', commune: null, cafes: data.cafes, events: data.events }];
  const id = f.id!;
  const unknown = () => new UserError(reportErrors.unknownTarget(f.scope, id, data.period.label));
  if (f.scope === 'cafe') {
    const c = data.cafes.find((x) => x.cafe_id === id);
    if (!c) throw unknown();
    return [cafeTarget(data, c)];
  }
  if (f.scope === 'programme') {
    const events = data.events.filter((e) => e.programme === id);
    if (!events.length && !data.figures.some((x) => x.scope === 'programme' && x.scope_id === id)) throw unknown();
    const ids = new Set(events.map((e) => e.cafe_id));
    return [{ scope: 'programme', id, name: humanProgramme(id, lang), commune: null, cafes: data.cafes.filter((c) => ids.has(c.cafe_id)), events }];
  }
  const names = f.scope === 'region' ? data.regions : data.departments;
  const name = names.get(id);
  if (name === undefined) throw unknown();
  const cafes = data.cafes.filter((c) => (f.scope === 'region' ? c.region : c.department) === id);
  const ids = new Set(cafes.map((c) => c.cafe_id));
  return [{ scope: f.scope, id, name, commune: null, cafes, events: data.events.filter((e) => ids.has(e.cafe_id)) }];
}

function cafeTarget(data: ReportData, c: CafeRow): Target {
  return { scope: 'cafe', id: c.cafe_id, name: c.name, commune: `${c.commune_name} (${data.departments.get(c.department) ?? c.department})`, cafes: [c], events: data.events.filter((e) => e.cafe_id === c.cafe_id) };
}

export interface BuildOptions {
  lang: Lang;
  for: ReportFor | null;
  boundaries: GeoJSON.FeatureCollection | null;
}

export async function buildReport(data: ReportData, t: ReportTemplate, o: BuildOptions): Promise<ReportModel> {
  const { lang } = o;
  const fr = lang === 'fr';
  const targets = targetsOf(data, t, o.for, lang);
  const byKey = new Map(data.figures.map((f) => [key(f.indicator, f.scope, f.scope_id), f]));
  const shown = new Set<string>();
  const ctx: Ctx = { data, lang, fr, byKey, shown, boundaries: o.boundaries, minCell: minCell(data.run), specs: t.specs };

  const parts: ModelPart[] = [];
  for (const target of targets) {
    const sections: ModelSection[] = [];
    for (const s of t.sections) {
      if (s.kind === 'appendix') continue;
      const blocks: Block[] = s.intro ? [{ kind: 'paragraph', parts: [{ text: s.intro[lang] }] }] : [];
      blocks.push(...(await section(ctx, s, target)));
      sections.push({ id: targets.length > 1 ? `${s.id}-${target.id}` : s.id, title: s.title[lang], blocks });
    }
    parts.push({
      id: targets.length > 1 ? String(target.id) : '',
      heading: targets.length > 1 || target.scope !== 'network' ? target.name : null,
      narrative: narrative(ctx, t.narrative[lang], target),
      sections,
    });
  }
  const closing: ModelSection[] = [];
  for (const s of t.sections) if (s.kind === 'appendix') closing.push({ id: s.id, title: s.title[lang], blocks: appendix(ctx, s.compact ?? false, t.id) });

  const forName = targets.length === 1 && targets[0]!.scope !== 'network' ? ` — ${targets[0]!.name}` : '';
  const run = data.run;
  return {
    lang,
    template: t.id,
    title: `${t.title[lang]}${forName} — ${formatPeriod(data.period.label, lang)}`,
    subtitle: fr
      ? `Calcul ${run.run_id} du ${formatDate(run.started_at, lang)}, méthode ${run.method_version}`
      : `Run ${run.run_id} of ${formatDate(run.started_at, lang)}, method ${run.method_version}`,
    parts,
    closing,
    footer: fr ? 'Produit par cafe-impact à partir d’un seul calcul ; aucun chiffre n’est ressaisi.' : 'Produced by cafe-impact from one run; no figure is retyped.',
    onePage: t.pdf?.onePage ?? false,
    run,
    target: o.for ? `${o.for.scope}:${o.for.id}` : null,
    tablesRead: [...data.tablesRead].sort(),
  };
}

interface Ctx {
  data: ReportData;
  lang: Lang;
  fr: boolean;
  byKey: Map<string, Figure>;
  /** Indicators the report shows (their definitions go to the appendix). */
  shown: Set<string>;
  boundaries: GeoJSON.FeatureCollection | null;
  minCell: number;
  specs: ReportTemplate['specs'];
}

function minCell(run: RunRecord): number {
  return Number((run.parameters as { disclosure?: { min_cell?: number } }).disclosure?.min_cell ?? 5);
}

/**
 * An indicator's label for the report: the catalogue's, its code part (`{1}`) in words — a survey
 * item by the questionnaire's question, an index dimension by its name — instead of the code.
 */
function labelIn(data: ReportData, id: string, lang: Lang, field: 'label' | 'definition' = 'label'): string {
  const d = indicatorDef(id);
  if (!d) return id;
  const text = d[field][lang];
  const m = /^(survey|wellbeing|survey\.alpha)\.([a-z0-9_]+)(\.share_ge_\d+)?$/.exec(id);
  if (!m || id === 'wellbeing.index' || id === 'wellbeing.rank') return text;
  const code = id.startsWith('survey.alpha.') ? id.slice('survey.alpha.'.length) : m[2]!;
  const question = id.startsWith('survey.') && !id.startsWith('survey.alpha.') ? data.questions.get(code) : undefined;
  const name = question !== undefined ? `« ${question} »` : (DIMENSION_WORDS[code]?.[lang] ?? code);
  return text.split(code).join(name);
}

function figureOf(ctx: Ctx, id: string, target: { scope: ReportScope; id: string | null }, figures?: Map<string, Figure>): Figure | undefined {
  ctx.shown.add(id);
  return (figures ?? ctx.byKey).get(key(id, target.scope, target.scope === 'network' ? null : target.id));
}

/** A figure in words; a missing one is "no data" (a café without the service, the staff…). */
function words(f: Figure | undefined, lang: Lang): string {
  if (!f) return lang === 'fr' ? 'pas de donnée' : 'no data';
  if (f.suppressed) return SUPPRESSED[lang];
  if (f.value === null) return lang === 'fr' ? 'non calculable' : 'not computable';
  return formatValue(f.value, f.unit, lang);
}

function idsOf(ind: 'headline' | string[]): string[] {
  return ind === 'headline' ? headlineIndicators().map((d) => d.id) : ind;
}

const NETWORK = { scope: 'network' as const, id: null };

function narrative(ctx: Ctx, text: string, target: Target): Inline[] {
  return text
    .split(/(\{[a-z0-9_.:]+\})/)
    .filter((p) => p !== '')
    .map((part): Inline => {
      const m = /^\{([a-z0-9_.:]+)\}$/.exec(part);
      if (!m) return { text: part };
      const name = m[1]!;
      if (name === 'period') return { text: formatPeriod(ctx.data.period.label, ctx.lang), figure: true };
      if (name === 'name') return { text: target.name };
      if (name === 'commune') return { text: target.commune ?? '' };
      const network = name.startsWith('network:');
      const f = figureOf(ctx, network ? name.slice(8) : name, network ? NETWORK : target);
      // a suppressed figure in a sentence: said as such, in brackets, never a number
      return { text: f?.suppressed ? `(${SUPPRESSED[ctx.lang]})` : words(f, ctx.lang), figure: true };
    });
}

function suppressionNote(ctx: Ctx): Block {
  return {
    kind: 'note',
    text: ctx.fr
      ? `« ${SUPPRESSED.fr} » : le nombre concerne moins de ${ctx.minCell} personnes (ou permettrait d’en retrouver un) ; il n’est pas publié, pour protéger les personnes.`
      : `"${SUPPRESSED.en}": the count concerns fewer than ${ctx.minCell} people (or would give one away); it is not published, to protect them.`,
  };
}

async function section(ctx: Ctx, s: ReportSection, target: Target): Promise<Block[]> {
  const { lang, fr } = ctx;
  switch (s.kind) {
    case 'figures': {
      const ids = idsOf(s.indicators);
      const compare = (s.compare ?? false) && target.scope !== 'network';
      const rows = ids.map((id) => {
        const mine = figureOf(ctx, id, target);
        const cells = [words(mine, lang)];
        if (compare) cells.push(words(figureOf(ctx, id, NETWORK), lang));
        return { header: labelIn(ctx.data, id, lang), cells, suppressed: mine?.suppressed ?? false };
      });
      const columns = [{ label: fr ? 'Indicateur' : 'Indicator' }, { label: target.scope === 'network' ? (fr ? 'Réseau' : 'Network') : target.name, numeric: true }];
      if (compare) columns.push({ label: fr ? 'Réseau' : 'Network', numeric: true });
      const out: Block[] = [{ kind: 'table', columns, rows: rows.map(({ header, cells }) => ({ header, cells })) }];
      if (rows.some((r) => r.suppressed)) out.push(suppressionNote(ctx));
      return out;
    }
    case 'chart': {
      const ids = idsOf(s.indicators);
      const figs = ids.map((id) => figureOf(ctx, id, target));
      if (figs.every((f) => f === undefined)) return [{ kind: 'note', text: fr ? 'Aucun de ces chiffres n’est calculé pour ce périmètre dans ce calcul.' : 'None of these figures is computed for this scope in this run.' }];
      const unit = figs.find((f) => f)?.unit ?? 'km';
      // bars labelled by what differs ("pain", not "Kilomètres évités — pain": the title says it), room for the bars on a phone
      const labels = ids.map((id) => labelIn(ctx.data, id, lang));
      const prefix = /^(.+? — )/.exec(labels[0] ?? '')?.[1];
      const short = prefix && labels.length > 1 && labels.every((l) => l.startsWith(prefix)) ? labels.map((l) => l.slice(prefix.length)) : labels;
      const svg = await barChartSvg({
        title: s.title[lang], unit, lang, overrides: s.spec ? ctx.specs[s.spec] : undefined,
        data: ids.map((id, i) => ({ label: short[i]!, value: figs[i]?.value ?? null, suppressed: figs[i]?.suppressed ?? false, low: figs[i]?.ci_low ?? null, high: figs[i]?.ci_high ?? null })),
      });
      const out: Block[] = [{ kind: 'chart', svg, width: 520, caption: ids.map((id, i) => `${labelIn(ctx.data, id, lang)}${fr ? ' : ' : ': '}${words(figs[i], lang)}`).join(' · ') }];
      if (figs.some((f) => f?.suppressed)) out.push(suppressionNote(ctx));
      return out;
    }
    case 'quarters': {
      if (!ctx.data.quarters.length) return [{ kind: 'note', text: fr ? 'Le rapport porte sur un trimestre : pas de détail par trimestre.' : 'The report covers a quarter: no breakdown by quarter.' }];
      const qs = ctx.data.quarters.map((q) => ({ ...q, map: q.figures ? new Map(q.figures.map((f) => [key(f.indicator, f.scope, f.scope_id), f])) : null }));
      const out: Block[] = [{
        kind: 'table',
        columns: [{ label: fr ? 'Indicateur' : 'Indicator' }, ...qs.map((q) => ({ label: formatPeriod(q.period, lang), numeric: true }))],
        rows: idsOf(s.indicators).map((id) => ({ header: labelIn(ctx.data, id, lang), cells: qs.map((q) => (q.map ? words(figureOf(ctx, id, target, q.map), lang) : '—')) })),
      }];
      const missing = qs.filter((q) => q.why);
      if (missing.length) out.push({ kind: 'note', text: `${missing.map((q) => q.why![lang]).join(fr ? ' ; ' : '; ')}.` });
      return out;
    }
    case 'map':
      return mapSection(ctx, s, target);
    case 'events': {
      const ev = target.events;
      if (!ev.length) return [{ kind: 'note', text: fr ? 'Aucun événement dans la période.' : 'No event in the period.' }];
      const LIMIT = 100;
      const out: Block[] = [{
        kind: 'table',
        columns: [{ label: 'Date' }, { label: fr ? 'Commune' : 'Commune' }, { label: fr ? 'Type' : 'Kind' }, { label: fr ? 'Programme' : 'Programme' }],
        rows: ev.slice(0, LIMIT).map((e) => ({ header: formatDate(e.date, lang), cells: [e.commune_name ?? e.commune_insee ?? '—', e.kind ?? '—', humanProgramme(e.programme, lang)] })),
        small: true,
      }];
      const communes = new Set(ev.map((e) => e.commune_insee ?? ''));
      out.unshift({ kind: 'paragraph', parts: fr
        ? [{ text: `${formatNumber(ev.length, 0, lang)} événements`, figure: true }, { text: ' du ' }, { text: formatDate(ev[0]!.date, lang), figure: true }, { text: ' au ' }, { text: formatDate(ev.at(-1)!.date, lang), figure: true }, { text: ', dans ' }, { text: `${formatNumber(communes.size, 0, lang)} commune${communes.size > 1 ? 's' : ''}`, figure: true }, { text: '.' }]
        : [{ text: `${formatNumber(ev.length, 0, lang)} event${ev.length > 1 ? 's' : ''}`, figure: true }, { text: ' from ' }, { text: formatDate(ev[0]!.date, lang), figure: true }, { text: ' to ' }, { text: formatDate(ev.at(-1)!.date, lang), figure: true }, { text: ', in ' }, { text: `${formatNumber(communes.size, 0, lang)} commune${communes.size > 1 ? 's' : ''}`, figure: true }, { text: '.' }] });
      if (ev.length > LIMIT) out.push({ kind: 'note', text: fr ? `Les ${LIMIT} premiers sur ${formatNumber(ev.length, 0, lang)} (tous : cafe-impact query).` : `The first ${LIMIT} of ${formatNumber(ev.length, 0, lang)} (all of them: cafe-impact query).` });
      return out;
    }
    case 'distribution':
      return distribution(ctx, s.indicator, s.show, s.title[lang]);
    case 'did':
      return did(ctx);
    default:
      return [];
  }
}

async function mapSection(ctx: Ctx, s: Extract<ReportSection, { kind: 'map' }>, target: Target): Promise<Block[]> {
  const { lang, fr } = ctx;
  const points: MapPoint[] = [];
  let noPosition = 0;
  let overseas = 0;
  const place = (lon: number | null, lat: number | null, group: string, lbl: string) => {
    if (lon === null || lat === null) noPosition++;
    else if (!inMetropolitanFrance(lon, lat)) overseas++;
    else points.push({ lon, lat, group, label: lbl });
  };
  let what: (n: number) => string;
  if (s.points === 'cafes') {
    for (const c of target.cafes) place(c.lon, c.lat, s.color === 'programme' ? '' : c[s.color], c.name);
    what = (n) => (n > 1 ? 'cafés' : 'café');
  } else {
    // one point per commune visited, coloured by the programme of its first event
    const seen = new Map<string, EventRow>();
    for (const e of target.events) if (e.commune_insee && !seen.has(e.commune_insee)) seen.set(e.commune_insee, e);
    for (const e of seen.values()) {
      const cafe = ctx.data.cafes.find((c) => c.cafe_id === e.cafe_id);
      // the commune's position, else the café's own when the event was held in its commune
      const home = cafe && cafe.commune_insee === e.commune_insee;
      place(e.lon ?? (home ? cafe.lon : null), e.lat ?? (home ? cafe.lat : null), s.color === 'programme' ? e.programme : (cafe?.[s.color] ?? ''), e.commune_name ?? e.commune_insee ?? '');
    }
    what = (n) => (fr ? (n > 1 ? 'communes visitées' : 'commune visitée') : n > 1 ? 'communes visited' : 'commune visited');
  }
  const unplaced = () => [
    ...(overseas ? [fr ? `${formatNumber(overseas, 0, lang)} ${what(overseas)} hors de la France métropolitaine, non ${overseas > 1 ? 'représentés' : 'représenté'} sur la carte.` : `${formatNumber(overseas, 0, lang)} ${what(overseas)} outside metropolitan France, not drawn.`] : []),
    ...(noPosition ? [fr ? `${formatNumber(noPosition, 0, lang)} ${what(noPosition)} sans position connue (commune_positions), non ${noPosition > 1 ? 'représentés' : 'représenté'} sur la carte.` : `${formatNumber(noPosition, 0, lang)} ${what(noPosition)} without a known position (commune_positions), not drawn.`] : []),
  ];
  if (!points.length) return [{ kind: 'note', text: [fr ? 'Pas de carte : rien à y placer.' : 'No map: nothing to place on it.', ...unplaced()].join(' ') }];
  const scopeOf = s.color === 'stage' ? 'stage' : s.color === 'model' ? 'model' : 'programme';
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.group, (counts.get(p.group) ?? 0) + 1);
  const order = s.color === 'stage' ? CAFE_STAGES : s.color === 'model' ? CAFE_MODELS : [];
  const rank = (k: string) => ((order as readonly string[]).indexOf(k) + 1 || order.length + 1);
  const groups = [...counts.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((k) => ({ key: k, label: `${scopeOf === 'programme' ? humanProgramme(k, lang) : scopeLabel(scopeOf, k, null, lang)} (${formatNumber(counts.get(k)!, 0, lang)})` }));
  const legend = s.color === 'stage' ? (fr ? 'Étape' : 'Stage') : s.color === 'model' ? (fr ? 'Modèle' : 'Model') : 'Programme';
  const description = `${s.title[lang]}${fr ? ' : ' : ': '}${formatNumber(points.length, 0, lang)} ${what(points.length)}${fr ? ' ; ' : '; '}${groups.map((g) => g.label).join(', ')}`;
  // the whole network over France; a region's cafés or an itinerant café's communes zoomed on their departments
  const zoom = ctx.boundaries && (target.scope !== 'network' || s.points === 'events');
  const boundaries = zoom ? boundariesAround(ctx.boundaries!, points) : ctx.boundaries;
  const svg = await mapSvg({ title: s.title[lang], legend, groups, points, boundaries, description, lang, overrides: s.spec ? ctx.specs[s.spec] : undefined });
  const out: Block[] = [{ kind: 'chart', svg, width: 440, caption: description }];
  const notes: string[] = [];
  if (!ctx.boundaries) notes.push(fr ? 'Sans contours des départements (option --boundaries) : les points sur un quadrillage de 2° de longitude et de latitude, en projection conique conforme.' : 'Without department boundaries (option --boundaries): the points over a 2° grid of longitude and latitude, in a conic conformal projection.');
  notes.push(...unplaced());
  if (notes.length) out.push({ kind: 'note', text: notes.join(' ') });
  return out;
}

async function distribution(ctx: Ctx, indicator: string, show: number, title: string): Promise<Block[]> {
  const { lang, fr } = ctx;
  ctx.shown.add(indicator);
  const all = ctx.data.figures.filter((f) => f.indicator === indicator && f.scope === 'commune');
  const est = all.filter((f) => !f.suppressed && f.value !== null).sort((a, b) => a.value! - b.value! || String(a.scope_id).localeCompare(String(b.scope_id)));
  if (!est.length) {
    return [{ kind: 'note', text: fr ? `${labelIn(ctx.data, indicator, lang)} : pas d’estimation dans ce calcul (il faut l’enquête auprès des habitants et les marges de population ; cafe-impact explain ${indicator}).` : `${labelIn(ctx.data, indicator, lang)}: no estimate in this run (it needs the residents' survey and population margins; cafe-impact explain ${indicator}).` }];
  }
  const unit = est[0]!.unit;
  const v = (x: number) => formatValue(x, unit, lang);
  const mid = est.length % 2 ? est[(est.length - 1) / 2]!.value! : (est[est.length / 2 - 1]!.value! + est[est.length / 2]!.value!) / 2;
  const level = est[0]!.ci_level;
  const name = (f: Figure) => `${f.scope_label ?? f.scope_id} (${f.scope_id})`;
  const picked = est.length <= 2 * show ? est : [...est.slice(0, show), ...est.slice(-show)];
  const svg = await barChartSvg({
    title, unit, lang,
    data: picked.map((f) => ({ label: name(f), value: f.value, low: f.ci_low, high: f.ci_high })),
  });
  const lvl = level === null ? '' : formatNumber(level * 100, 0, lang);
  const out: Block[] = [
    {
      kind: 'paragraph',
      parts: fr
        ? [{ text: `${formatNumber(est.length, 0, lang)} communes`, figure: true }, { text: ' estimées' + (all.length > est.length ? ` (${formatNumber(all.length - est.length, 0, lang)} sous le seuil de répondants, non publiées)` : '') + ' ; médiane ' }, { text: v(mid), figure: true }, { text: ', de ' }, { text: v(est[0]!.value!), figure: true }, { text: ' à ' }, { text: v(est.at(-1)!.value!), figure: true }, { text: '.' }]
        : [{ text: `${formatNumber(est.length, 0, lang)} communes`, figure: true }, { text: ' estimated' + (all.length > est.length ? ` (${formatNumber(all.length - est.length, 0, lang)} below the respondent threshold, not published)` : '') + '; median ' }, { text: v(mid), figure: true }, { text: ', from ' }, { text: v(est[0]!.value!), figure: true }, { text: ' to ' }, { text: v(est.at(-1)!.value!), figure: true }, { text: '.' }],
    },
    { kind: 'chart', svg, width: 520, caption: picked.map((f) => `${name(f)}${fr ? ' : ' : ': '}${v(f.value!)}${f.ci_low !== null && f.ci_high !== null ? ` [${formatNumber(f.ci_low, 1, lang)}${fr ? ' ; ' : ', '}${formatNumber(f.ci_high, 1, lang)}]` : ''}`).join(' · ') },
  ];
  out.push({
    kind: 'note',
    text: fr
      ? `${est.length > 2 * show ? `Les ${show} communes les plus basses et les ${show} plus hautes. ` : ''}${lvl ? `Trait noir : intervalle à ${lvl} % ; ` : ''}deux communes dont les intervalles se chevauchent ne sont pas distinguées par l’enquête.`
      : `${est.length > 2 * show ? `The ${show} lowest and ${show} highest communes. ` : ''}${lvl ? `Black line: ${lvl} % interval; ` : ''}two communes whose intervals overlap are not told apart by the survey.`,
  });
  return out;
}

function did(ctx: Ctx): Block[] {
  const { lang, fr } = ctx;
  const figs = ctx.data.figures.filter((f) => f.indicator.startsWith('did.') && f.scope === 'network');
  if (!figs.length) {
    return [{ kind: 'note', text: fr ? 'Pas d’effet estimé dans ce calcul : la configuration (did.outcomes) n’en demande aucun. Un chercheur l’obtient avec cafe-impact did --outcome <indicateur>.' : 'No effect estimated in this run: the configuration (did.outcomes) asks for none. A researcher gets it with cafe-impact did --outcome <indicator>.' }];
  }
  const n = (x: number | null, d = 3) => (x === null ? '—' : formatNumber(x, d, lang));
  const out: Block[] = [{
    kind: 'table',
    columns: [{ label: fr ? 'Effet estimé sur' : 'Estimated effect on' }, { label: fr ? 'Effet' : 'Effect', numeric: true }, { label: fr ? 'Erreur-type' : 'Standard error', numeric: true }, { label: fr ? 'Intervalle à 95 %' : '95 % interval', numeric: true }, { label: 'Communes', numeric: true }],
    rows: figs.map((f) => {
      ctx.shown.add(f.indicator);
      return { header: labelIn(ctx.data, f.indicator, lang), cells: [f.suppressed ? SUPPRESSED[lang] : n(f.value), n(f.se), f.ci_low === null || f.ci_high === null ? '—' : `[${n(f.ci_low)}${fr ? ' ; ' : ', '}${n(f.ci_high)}]`, f.n === null ? '—' : formatNumber(f.n, 0, lang)] };
    }),
  }];
  for (const f of figs) {
    if (f.value === null || f.ci_low === null || f.ci_high === null) continue;
    const covers0 = f.ci_low <= 0 && f.ci_high >= 0;
    out.push({ kind: 'paragraph', parts: fr
      ? [{ text: `${labelIn(ctx.data, f.indicator, lang)} : ` }, { text: n(f.value), figure: true }, { text: covers0 ? ' ; l’intervalle contient zéro : les données ne permettent pas de conclure à un effet.' : ` ; l’intervalle ne contient pas zéro : un effet ${f.value > 0 ? 'positif' : 'négatif'}, sous les hypothèses ci-dessous.` }]
      : [{ text: `${labelIn(ctx.data, f.indicator, lang)}: ` }, { text: n(f.value), figure: true }, { text: covers0 ? '; the interval contains zero: the data do not show an effect.' : `; the interval excludes zero: a ${f.value > 0 ? 'positive' : 'negative'} effect, under the assumptions below.` }] });
  }
  out.push({ kind: 'subheading', text: fr ? 'Hypothèses' : 'Assumptions' }, { kind: 'list', items: DID_ASSUMPTION_WORDS.map((a) => a[lang]) });
  return out;
}

function appendix(ctx: Ctx, compact: boolean, template: string): Block[] {
  const { lang, fr, data } = ctx;
  const run = data.run;
  const out: Block[] = [];
  const defs = [...ctx.shown].sort().map((id) => ({ id, d: indicatorDef(id) })).filter((x) => x.d !== undefined);
  if (!compact) {
    out.push({ kind: 'subheading', text: fr ? 'Définitions' : 'Definitions' }, {
      kind: 'table', small: true,
      columns: [{ label: fr ? 'Indicateur' : 'Indicator' }, { label: fr ? 'Définition' : 'Definition' }, { label: fr ? 'Formule' : 'Formula', code: true }],
      rows: defs.map(({ id, d }) => ({ header: labelIn(ctx.data, id, lang), cells: [labelIn(ctx.data, id, lang, 'definition'), d!.formula[lang]] })),
    });
  }
  out.push({ kind: 'subheading', text: fr ? 'Secret statistique' : 'Suppression' }, {
    kind: 'paragraph',
    parts: [{ text: fr
      ? `Un nombre de personnes inférieur à ${ctx.minCell} est publié sans sa valeur (« ${SUPPRESSED.fr} »), avec les cellules qui permettraient de le retrouver (le total du réseau seulement s’il le faut pour protéger une cellule). Les estimations d’enquête d’une commune de moins de ${String((run.parameters as { survey?: { min_respondents?: number } }).survey?.min_respondents ?? 10)} répondants ne sont pas publiées.`
      : `A count of fewer than ${ctx.minCell} people is published without its value ("${SUPPRESSED.en}"), with the cells that would give it away (the network total only when protecting a cell needs it). Survey estimates of a commune with fewer than ${String((run.parameters as { survey?: { min_respondents?: number } }).survey?.min_respondents ?? 10)} respondents are not published.` }],
  });
  const inputs = [...new Map(run.inputs.map((i) => [`${i.dataset}\u0000${i.sha256}`, i])).values()];
  if (compact) {
    out.push({ kind: 'note', text: fr
      ? `Calcul ${run.run_id} du ${formatDate(run.started_at, lang)} (méthode ${run.method_version}, code ${run.code_version}), ${formatNumber(inputs.length, 0, lang)} fichiers d’entrée, leurs empreintes dans le rapport annuel. Définitions et formules : METHODOLOGY.md, ou cafe-impact explain <indicateur>.`
      : `Run ${run.run_id} of ${formatDate(run.started_at, lang)} (method ${run.method_version}, code ${run.code_version}), ${formatNumber(inputs.length, 0, lang)} input files, their hashes in the annual report. Definitions and formulas: METHODOLOGY.md, or cafe-impact explain <indicator>.` },
      { kind: 'code', label: fr ? 'Tables lues :' : 'Tables read:', text: [...data.tablesRead].sort().join(', ') });
    return out;
  }
  out.push({ kind: 'subheading', text: fr ? 'Données' : 'Data' }, {
    kind: 'table', small: true,
    columns: [{ label: fr ? 'Jeu de données' : 'Dataset', code: true }, { label: fr ? 'Fichier' : 'File', code: true }, { label: fr ? 'Période et date du chargement' : 'Period and date of the load' }, { label: fr ? 'Chargement' : 'Load', code: true }, { label: 'SHA-256', code: true }],
    rows: inputs.map((i) => {
      const l = data.loads.find((x) => x.load_id === i.load_id);
      return { header: i.dataset, cells: [i.file, l ? `${formatPeriod(l.period, lang)}, ${formatDate(l.loaded_at, lang)}` : '—', i.load_id, i.sha256] };
    }),
  });
  if (data.communeList) out.push({ kind: 'code', label: fr ? 'Liste officielle des communes (COG) :' : 'Official list of communes (COG):', text: `@etalab/decoupage-administratif ${data.communeList}` });
  out.push({ kind: 'subheading', text: fr ? 'Paramètres' : 'Parameters' }, {
    kind: 'table', small: true,
    columns: [{ label: fr ? 'Paramètre' : 'Parameter', code: true }, { label: fr ? 'Valeur' : 'Value', code: true }],
    rows: flatten(run.parameters).map(([k, v]) => ({ header: k, cells: [v] })),
  });
  const byCode = new Map<string, string[]>();
  for (const w of run.warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w.subject ?? '']);
  out.push({ kind: 'subheading', text: fr ? 'Avertissements du calcul' : 'Warnings of the run' });
  if (!byCode.size) out.push({ kind: 'paragraph', parts: [{ text: fr ? 'Aucun.' : 'None.' }] });
  else {
    out.push({ kind: 'list', items: [...byCode].map(([code, subjects]) => {
      const s = subjects.filter((x) => x !== '');
      const shownSubjects = s.slice(0, 8).join(', ') + (s.length > 8 ? (fr ? `… (${formatNumber(s.length, 0, lang)} en tout)` : `… (${formatNumber(s.length, 0, lang)} in all)`) : '');
      return `${formatNumber(subjects.length, 0, lang)} × ${warningWords(code, lang)}${s.length ? ` — ${shownSubjects}` : ''}`;
    }) }, { kind: 'note', text: fr ? `Le détail : cafe-impact runs / cafe-impact explain, calcul ${run.run_id}.` : `In detail: cafe-impact runs / cafe-impact explain, run ${run.run_id}.` });
  }
  out.push({ kind: 'subheading', text: fr ? 'Provenance de ce rapport' : 'Provenance of this report' }, {
    kind: 'table', small: true,
    columns: [{ label: fr ? 'Élément' : 'Item' }, { label: fr ? 'Valeur' : 'Value' }],
    rows: [
      { header: fr ? 'Calcul' : 'Run', cells: [`${run.run_id} — ${formatDate(run.started_at, lang)}`] },
      { header: fr ? 'Méthode' : 'Method', cells: [run.method_version] },
      { header: fr ? 'Version du code' : 'Code version', cells: [run.code_version] },
    ],
  }, { kind: 'code', label: fr ? 'Modèle de rapport :' : 'Report template:', text: template }, { kind: 'code', label: fr ? 'Tables lues :' : 'Tables read:', text: [...data.tablesRead].sort().join(', ') });
  return out;
}

/** `{ a: { b: 1 } }` → [['a.b', '1']]: the run's parameters as lines, values as the configuration writes them (code). */
function flatten(o: unknown, prefix = ''): [string, string][] {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, JSON.stringify(o)]];
}
