/**
 * The TypeScript model `fig_wellbeing`, the figures model of the well-being family
 * (src/indicators/families/wellbeing.ts): the composite territorial well-being index per commune
 * (src/stats/composite-index.ts; METHODOLOGY.md, section 14), from
 *   - the commune's survey estimates of this run (fig_survey; only those published, i.e. from at
 *     least survey.min_respondents respondents), with their standard errors, bounds = the item's
 *     questionnaire scale;
 *   - commune_indicators values (latest year ≤ the period's), with the config's fixed bounds.
 * Seed and draws are the config's, recorded with the run like every parameter.
 */
import { validOnSql } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { writeFiguresTable, writeWarnings, type FigureRow, type ModelWarning } from './figures-table.ts';
import type { TsModel } from '../models/runner.ts';
import type { Config } from '../runs/config.ts';
import { compositeIndex, type IndexIndicator, type IndexUnitValue } from '../stats/composite-index.ts';

export function wellbeingModel(config: Config): TsModel {
  return {
    type: 'ts',
    name: 'fig_wellbeing',
    layer: 'figures',
    description: 'The composite well-being index per commune, its dimensions and rank, with 90 % bands from a seeded Monte Carlo.',
    grain: 'one row per indicator × scope × scope_id',
    dependsOn: ['fig_survey'],
    readsDatasets: ['commune_indicators', 'questionnaire'],
    checks: [
      { kind: 'not_null', columns: ['indicator', 'scope', 'value'] },
      { kind: 'unique', columns: ['indicator', 'scope', 'scope_id'] },
      { kind: 'expression', sql: "indicator = 'wellbeing.rank' OR (value BETWEEN 0 AND 10 AND ci_low <= ci_high)" },
    ],
    async build(wh: Warehouse, params) {
      const last = (params.last as { date: string }).date;
      const year = Number(last.slice(0, 4));
      const valid = validOnSql(last);
      const scales = new Map((await wh.all<{ item_id: string; scale_min: number; scale_max: number }>(`SELECT item_id, scale_min, scale_max FROM questionnaire WHERE ${valid}`)).map((q) => [`survey.${q.item_id}`, q]));
      const minResp = config.survey.min_respondents;
      const indicators: IndexIndicator[] = [];
      const warnings: ModelWarning[] = [];
      for (const i of config.index.indicators) {
        const q = scales.get(i.code);
        if (i.code.startsWith('survey.')) {
          if (!q) warnings.push({ code: 'index_indicator', subject: i.code, message: `index.indicators names ${i.code}, not an item of the questionnaire: left out of the index` });
          else indicators.push({ code: i.code, dimension: i.dimension, direction: i.direction, min: Number(q.scale_min), max: Number(q.scale_max) });
        } else if (i.min === undefined || i.max === undefined) {
          warnings.push({ code: 'index_indicator', subject: i.code, message: `index.indicators: ${i.code} has no bounds (min, max): left out of the index` });
        } else indicators.push({ code: i.code, dimension: i.dimension, direction: i.direction, min: i.min, max: i.max });
      }
      const data = new Map<string, Map<string, IndexUnitValue>>();
      const names = new Map<string, string | null>();
      const put = (commune: string, code: string, v: IndexUnitValue) => {
        let m = data.get(commune);
        if (!m) data.set(commune, (m = new Map()));
        m.set(code, v);
      };
      const surveyCodes = indicators.filter((i) => i.code.startsWith('survey.')).map((i) => i.code);
      const survey = surveyCodes.length
        ? await wh.all<{ indicator: string; scope_id: string; scope_label: string | null; value: number; se: number | null }>(
            `SELECT indicator, scope_id, scope_label, value, se FROM fig_survey WHERE scope = 'commune' AND value IS NOT NULL AND people >= ${minResp} AND indicator IN (${surveyCodes.map((c) => `'${c}'`).join(', ')})`,
          )
        : [];
      for (const s of survey) {
        put(s.scope_id, s.indicator, { value: s.value, se: s.se });
        names.set(s.scope_id, s.scope_label);
      }
      const objective = indicators.filter((i) => !i.code.startsWith('survey.')).map((i) => i.code);
      // objective values only for the communes the survey describes (the index is theirs)
      if (objective.length && data.size) {
        const rows = await wh.all<{ commune_insee: string; indicator: string; value: number }>(
          `SELECT c.commune_insee, c.indicator, c.value FROM commune_indicators c
           WHERE ${valid} AND c.value IS NOT NULL AND c.indicator IN (${objective.map((c) => `'${c}'`).join(', ')})
             AND c.year = (SELECT max(d.year) FROM commune_indicators d WHERE d.commune_insee = c.commune_insee AND d.indicator = c.indicator AND d.year <= ${year} AND d.value IS NOT NULL)`,
        );
        for (const r of rows) if (data.has(r.commune_insee)) put(r.commune_insee, r.indicator, { value: Number(r.value) });
      }
      const results = indicators.length && data.size ? compositeIndex(indicators, data, { weights: config.index.weights, missing: config.index.missing, draws: config.index.draws, seed: config.index.seed }) : [];
      const out: FigureRow[] = [];
      const row = (indicator: string, commune: string, v: { value: number; low: number; high: number }) =>
        out.push({ indicator, scope: 'commune', scope_id: commune, scope_label: names.get(commune) ?? null, value: v.value, people: null, ci_low: v.low, ci_high: v.high, se: null, n: null, ci_level: 0.9 });
      let noIndex = 0;
      for (const r of results) {
        for (const [d, v] of Object.entries(r.dimensions)) row(`wellbeing.${d}`, r.unit, v);
        if (r.index) row('wellbeing.index', r.unit, r.index);
        else noIndex++;
        if (r.rank) row('wellbeing.rank', r.unit, r.rank);
      }
      if (noIndex) warnings.push({ code: 'index_missing_dimension', subject: null, message: `${noIndex} commune${noIndex > 1 ? 's' : ''} with survey estimates miss a whole dimension of the index: no index for them (index.missing = reweight would re-weight the others)` });
      await writeFiguresTable(wh, 'fig_wellbeing', out);
      await writeWarnings(wh, 'int_wellbeing_warnings', warnings);
    },
  };
}
