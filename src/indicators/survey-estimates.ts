/**
 * The TypeScript model `fig_survey`, the figures model of the survey family
 * (src/indicators/families/survey.ts): residents' survey estimates per commune, the period's
 * waves pooled, with their standard errors (METHODOLOGY.md, section 13).
 *
 *   respondents of the period (sex F or M; `other` / `undisclosed` left out, warning)
 *   ─► margins: the commune's population by sex and by age band, census year = the latest ≤ the
 *      period's last wave; an age band with population but no respondent merged into the next
 *      younger band (the next older for 15-24), its margin with it (warning)
 *   ─► weights: N/n, raked to the sex then the age-band margin (src/stats/rake.ts, as R's rake)
 *   ─► per item: weighted mean and linearised SE on the raked design (src/stats/svy-mean.ts, as
 *      R's svymean), 95 % interval mean ± 1.959964 · SE; the configured proportions likewise
 *   ─► Cronbach's alpha per dimension of at least two items, network scope (unweighted, listwise,
 *      negative items reversed)
 *
 * A commune without population margins, or where a sex has no respondent, gets no estimate
 * (warning naming it); one with fewer than `survey.min_respondents` respondents gets its rows
 * suppressed (int_figures, the family's `respondents` rule, on the `people` column).
 */
import { AGE_BANDS } from '../contract/datasets.ts';
import { validOnSql } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { writeFiguresTable, writeWarnings, type FigureRow, type ModelWarning } from './figures-table.ts';
import type { TsModel } from '../models/runner.ts';
import type { Config } from '../runs/config.ts';
import { cronbachAlpha } from '../stats/cronbach-alpha.ts';
import { rake } from '../stats/rake.ts';
import { svyMean } from '../stats/svy-mean.ts';

const Z95 = 1.959964;

interface Respondent {
  respondent_key: string;
  wave_date: string;
  commune_insee: string;
  sex: string;
  age_band: string;
}

interface Item {
  item_id: string;
  scale_min: number;
  scale_max: number;
  direction: 'positive' | 'negative';
  dimension: string;
}

export type SurveyRow = FigureRow & { scope: 'commune' | 'network'; people: number };
export type SurveyWarning = ModelWarning;

/** Merges empty age bands into their neighbour: the band index each band's units and margin go to. */
export function mergeEmptyBands(population: number[], respondents: number[]): { target: number[]; merged: string[] } {
  const k = population.length;
  const target = Array.from({ length: k }, (_, i) => i);
  const pop = [...population];
  const resp = [...respondents];
  const merged: string[] = [];
  const root = (i: number): number => (target[i] === i ? i : root(target[i]!));
  for (;;) {
    const live = [...new Set(target.map((_, i) => root(i)))].sort((a, b) => a - b);
    if (live.length < 2) break;
    const empty = live.find((i) => (pop[i]! > 0 && resp[i] === 0) || (pop[i] === 0 && resp[i]! > 0));
    if (empty === undefined) break;
    const at = live.indexOf(empty);
    // the next younger band; the youngest goes to the next older
    const into = at > 0 ? live[at - 1]! : live[at + 1]!;
    target[empty] = into;
    pop[into]! += pop[empty]!;
    resp[into]! += resp[empty]!;
    pop[empty] = 0;
    resp[empty] = 0;
    merged.push(`${AGE_BANDS[empty]} → ${AGE_BANDS[into]}`);
  }
  return { target: target.map((_, i) => root(i)), merged };
}

export function surveyModel(config: Config): TsModel {
  return {
    type: 'ts',
    name: 'fig_survey',
    layer: 'figures',
    description: "Residents' survey estimates per commune (raked weights, linearised SEs) and the scales' reliability: the survey family's figures.",
    grain: 'one row per indicator × scope × scope_id',
    dependsOn: ['stg_cafes'],
    readsDatasets: ['survey', 'population', 'questionnaire'],
    checks: [
      { kind: 'not_null', columns: ['indicator', 'scope', 'people'] },
      { kind: 'unique', columns: ['indicator', 'scope', 'scope_id'] },
      { kind: 'expression', sql: 'se IS NULL OR se >= 0' },
    ],
    async build(wh: Warehouse, params) {
      const start = (params.start as { date: string }).date;
      const end = (params.end as { date: string }).date;
      const last = (params.last as { date: string }).date;
      const valid = validOnSql(last);
      const respondents = await wh.all<Respondent>(
        `SELECT respondent_key, wave_date::VARCHAR AS wave_date, commune_insee, sex, age_band FROM survey
         WHERE wave_date >= DATE '${start}' AND wave_date < DATE '${end}' ORDER BY commune_insee, respondent_key, wave_date`,
      );
      const items = await wh.all<Item>(`SELECT item_id, scale_min, scale_max, direction, dimension FROM questionnaire WHERE ${valid} ORDER BY item_id`);
      const answers = await wh.all<{ respondent_key: string; wave_date: string; item_id: string; value: number | null }>(
        `SELECT respondent_key, wave_date::VARCHAR AS wave_date, item_id, value FROM survey_answers
         WHERE wave_date >= DATE '${start}' AND wave_date < DATE '${end}'`,
      );
      const lastWaveYear = respondents.reduce((y, r) => Math.max(y, Number(r.wave_date.slice(0, 4))), 0);
      const population = await wh.all<{ commune_insee: string; year: number; sex: string; age_band: string; population: number }>(
        `SELECT p.commune_insee, p.year, p.sex, p.age_band, p.population FROM population p
         WHERE ${valid} AND p.year = (SELECT max(q.year) FROM population q WHERE q.commune_insee = p.commune_insee AND q.year <= ${lastWaveYear} AND ${validOnSql(last, 'q')})`,
      );
      const names = new Map((await wh.all<{ code: string; name: string }>('SELECT code, name FROM ref_communes')).map((r) => [r.code, r.name]));
      const { rows, warnings } = surveyEstimates({ respondents, items, answers, population, names, config });
      await writeFiguresTable(wh, 'fig_survey', rows);
      await writeWarnings(wh, 'int_survey_warnings', warnings);
    },
  };
}

/** The estimates from the rows, pure (the model reads the rows; tests call this directly). */
export function surveyEstimates(input: {
  respondents: Respondent[];
  items: Item[];
  answers: { respondent_key: string; wave_date: string; item_id: string; value: number | null }[];
  population: { commune_insee: string; sex: string; age_band: string; population: number }[];
  names: Map<string, string>;
  config: Config;
}): { rows: SurveyRow[]; warnings: SurveyWarning[] } {
  const { config } = input;
  const rows: SurveyRow[] = [];
  const warnings: SurveyWarning[] = [];
  const answerOf = new Map<string, Map<string, number | null>>();
  for (const a of input.answers) {
    const k = `${a.respondent_key}\u0000${a.wave_date}`;
    let m = answerOf.get(k);
    if (!m) answerOf.set(k, (m = new Map()));
    m.set(a.item_id, a.value === null ? null : Number(a.value));
  }
  const answer = (r: Respondent, item: string) => answerOf.get(`${r.respondent_key}\u0000${r.wave_date}`)?.get(item) ?? null;
  const itemIds = new Set(input.items.map((i) => i.item_id));
  const proportions = config.survey.proportions.filter((p) => {
    if (itemIds.has(p.item)) return true;
    warnings.push({ code: 'survey_proportion', subject: p.item, message: `survey.proportions names ${p.item}, which is not an item of the questionnaire: no share computed` });
    return false;
  });
  const popOf = new Map<string, { sex: number[]; age: number[] }>();
  for (const p of input.population) {
    let m = popOf.get(p.commune_insee);
    if (!m) popOf.set(p.commune_insee, (m = { sex: [0, 0], age: AGE_BANDS.map(() => 0) }));
    const pop = Number(p.population);
    m.sex[p.sex === 'F' ? 0 : 1]! += pop;
    m.age[AGE_BANDS.indexOf(p.age_band as (typeof AGE_BANDS)[number])]! += pop;
  }
  const byCommune = new Map<string, Respondent[]>();
  for (const r of input.respondents) {
    let l = byCommune.get(r.commune_insee);
    if (!l) byCommune.set(r.commune_insee, (l = []));
    l.push(r);
  }
  const minRespondents = config.survey.min_respondents;
  for (const [commune, all] of [...byCommune].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const label = input.names.get(commune) ?? null;
    const us = all.filter((r) => r.sex === 'F' || r.sex === 'M');
    if (us.length < all.length) {
      warnings.push({ code: 'survey_sex_left_out', subject: commune, message: `commune ${commune}: ${all.length - us.length} respondent${all.length - us.length > 1 ? 's' : ''} of sex other or undisclosed left out of the weighted estimates (the census margins know F and M only)` });
    }
    const indicatorsOf = [...input.items.map((i) => `survey.${i.item_id}`), ...proportions.map((p) => `survey.${p.item}.share_ge_${p.at_least}`)];
    const suppressedRows = () => {
      for (const id of indicatorsOf) rows.push({ indicator: id, scope: 'commune', scope_id: commune, scope_label: label, value: null, people: us.length, ci_low: null, ci_high: null, se: null, n: null, ci_level: null });
    };
    if (us.length < minRespondents) {
      // published suppressed (int_figures: fewer than survey.min_respondents respondents)
      suppressedRows();
      continue;
    }
    const margins = popOf.get(commune);
    if (!margins) {
      warnings.push({ code: 'survey_no_population', subject: commune, message: `commune ${commune}: no population margins (dataset population) for the survey's year: no estimate` });
      continue;
    }
    const sexCat = us.map((r) => (r.sex === 'F' ? 0 : 1));
    const sexCount = [sexCat.filter((c) => c === 0).length, sexCat.filter((c) => c === 1).length];
    if (sexCount.some((c, i) => c === 0 && margins.sex[i]! > 0)) {
      warnings.push({ code: 'survey_sex_missing', subject: commune, message: `commune ${commune}: no respondent of sex ${sexCount[0] === 0 ? 'F' : 'M'}: no estimate` });
      continue;
    }
    const ageRaw = us.map((r) => AGE_BANDS.indexOf(r.age_band as (typeof AGE_BANDS)[number]));
    const ageCount = AGE_BANDS.map((_, b) => ageRaw.filter((a) => a === b).length);
    const { target, merged } = mergeEmptyBands(margins.age, ageCount);
    if (merged.length) warnings.push({ code: 'survey_bands_merged', subject: commune, message: `commune ${commune}: age bands without respondent merged with their neighbour (${merged.join(', ')}), margins merged likewise` });
    // compact the merged bands to 0 … k − 1
    const kept = [...new Set(target)].sort((a, b) => a - b);
    const ageCat = ageRaw.map((a) => kept.indexOf(target[a]!));
    const agePop = kept.map((b) => margins.age.reduce((s, p, i) => (target[i] === b ? s + p : s), 0));
    const sexPop = margins.sex;
    const N = sexPop[0]! + sexPop[1]!;
    const raked = rake(us.map(() => N / us.length), [{ category: sexCat, population: sexPop }, { category: ageCat, population: agePop }], { maxit: 200, epsilon: 1e-13 });
    if (!raked.converged) warnings.push({ code: 'survey_not_converged', subject: commune, message: `commune ${commune}: raking did not converge in 200 passes (margins inconsistent?)` });
    const cal = { categories: [sexCat, ageCat], marginWeights: raked.marginWeights };
    const emit = (indicator: string, y: (number | null)[]) => {
      const e = svyMean(y, raked.weights, cal);
      rows.push({
        indicator, scope: 'commune', scope_id: commune, scope_label: label, people: us.length,
        value: e?.mean ?? null, se: e?.se ?? null, n: e?.n ?? 0,
        ci_low: e ? e.mean - Z95 * e.se : null, ci_high: e ? e.mean + Z95 * e.se : null, ci_level: e ? 0.95 : null,
      });
    };
    for (const it of input.items) emit(`survey.${it.item_id}`, us.map((r) => answer(r, it.item_id)));
    for (const p of proportions) emit(`survey.${p.item}.share_ge_${p.at_least}`, us.map((r) => { const v = answer(r, p.item); return v === null ? null : v >= p.at_least ? 1 : 0; }));
  }
  // reliability of each dimension's scale, over every respondent of the period
  const dims = [...new Set(input.items.map((i) => i.dimension))].sort();
  for (const d of dims) {
    const its = input.items.filter((i) => i.dimension === d);
    if (its.length < 2) continue;
    const a = cronbachAlpha(its.map((it) => input.respondents.map((r) => { const v = answer(r, it.item_id); return v === null ? null : it.direction === 'negative' ? it.scale_min + it.scale_max - v : v; })));
    if (a) rows.push({ indicator: `survey.alpha.${d}`, scope: 'network', scope_id: null, scope_label: null, value: a.alpha, people: a.n, ci_low: null, ci_high: null, se: null, n: a.n, ci_level: null });
  }
  return { rows, warnings };
}
