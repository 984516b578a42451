/**
 * The TypeScript model `int_figures`: every figure of the period, one row per indicator × scope,
 * the union of the families' figures models (models/figures/fig_<family>.sql) with the unit each
 * indicator declares and the primary suppression applied here, once, by each family's declared
 * rule (src/indicators/family.ts):
 *
 *   people: a cell outside the network total describing fewer than {{min_cell}} people is
 *           published without its value (value null, suppressed true);
 *   respondents: an estimate from fewer than {{min_respondents}} respondents is published
 *           without its value (nor its interval, SE and n);
 *   none:   never suppressed (businesses, events).
 *
 * Before the union, each family's rows are held to its declaration: an indicator it does not
 * declare, or a scope an indicator is not published for, stops the run as a bug. The published
 * figures are mart_figures (src/figures/mart-figures.ts), which adds the complementary
 * suppression; this table still holds the complements' values, so it is never published itself.
 */
import { ident, literal } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InternalError } from '../core/errors.ts';
import { figuresModelName, type IndicatorFamily } from '../indicators/family.ts';
import { indicatorDef, indicatorsOf } from '../indicators/registry.ts';
import { signCheckSql } from '../format/units.ts';
import type { SqlParam, TsModel } from '../models/runner.ts';

export function intFiguresModel(families: readonly IndicatorFamily[]): TsModel {
  indicatorsOf(families); // a declaration that contradicts itself fails here, before any SQL
  return {
    type: 'ts',
    name: 'int_figures',
    layer: 'figures',
    description: "Every figure of the period: the union of the families' figures models, with their declared units and the primary suppression (small counts of people).",
    grain: 'one row per indicator × scope × scope_id',
    dependsOn: families.map(figuresModelName),
    checks: [
      { kind: 'not_null', columns: ['indicator', 'scope', 'unit', 'suppressed'] },
      { kind: 'unique', columns: ['indicator', 'scope', 'scope_id'] },
      { kind: 'expression', sql: 'suppressed OR value IS NOT NULL' },
      { kind: 'expression', sql: signCheckSql() },
    ],
    async build(wh: Warehouse, params: Record<string, SqlParam>) {
      const minCell = params.min_cell;
      if (typeof minCell !== 'number' || !Number.isInteger(minCell)) throw new InternalError('int_figures: parameter min_cell is not a whole number');
      const minRespondents = () => {
        const v = params.min_respondents;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new InternalError('int_figures: parameter min_respondents is not a whole number');
        return v;
      };
      const parts: string[] = [];
      for (const f of families) {
        const model = ident(figuresModelName(f));
        const emitted = await wh.all<{ indicator: string; scope: string }>(`SELECT DISTINCT indicator, scope FROM ${model} ORDER BY ALL`);
        for (const e of emitted) {
          const d = indicatorDef(e.indicator, families);
          if (!d || d.family !== f) throw new InternalError(`${figuresModelName(f)} emits indicator ${e.indicator}, which family ${f.id} does not declare (src/indicators/families/)`);
          if (!(d.scopes as readonly string[]).includes(e.scope)) throw new InternalError(`${figuresModelName(f)} emits ${e.indicator} for scope ${e.scope}, which its declaration does not publish (${d.scopes.join(', ')})`);
        }
        // units of what the model emitted (an indicator may be one of a declared pattern: survey.<item>)
        const ids = [...new Set(emitted.map((e) => e.indicator))];
        if (ids.length === 0) continue; // nothing computed for this family this period
        const units = ids.map((id) => `(${literal(id)}, ${literal(indicatorDef(id, families)!.unit)})`).join(', ');
        const hidden =
          f.suppression === 'people' ? `(f.scope <> 'network' AND f.people < ${minCell})` : f.suppression === 'respondents' ? `(f.people < ${minRespondents()})` : 'false';
        const unc = (c: string, type: string) => (f.uncertainty ? `CASE WHEN ${hidden} THEN NULL ELSE CAST(f.${c} AS ${type}) END` : `CAST(NULL AS ${type})`);
        parts.push(
          `SELECT f.indicator, f.scope, f.scope_id, f.scope_label,
                  CASE WHEN ${hidden} THEN NULL ELSE CAST(f.value AS DOUBLE) END AS value,
                  u.unit, ${unc('ci_low', 'DOUBLE')} AS ci_low, ${unc('ci_high', 'DOUBLE')} AS ci_high, ${unc('se', 'DOUBLE')} AS se,
                  ${unc('n', 'BIGINT')} AS n, ${f.uncertainty ? 'CAST(f.ci_level AS DOUBLE)' : 'CAST(NULL AS DOUBLE)'} AS ci_level,
                  ${hidden} AS suppressed
           FROM ${model} f JOIN (VALUES ${units}) u(indicator, unit) ON u.indicator = f.indicator`,
        );
      }
      // typed even when no family emitted anything
      parts.push(`SELECT NULL::VARCHAR AS indicator, NULL::VARCHAR AS scope, NULL::VARCHAR AS scope_id, NULL::VARCHAR AS scope_label, NULL::DOUBLE AS value, NULL::VARCHAR AS unit, NULL::DOUBLE AS ci_low, NULL::DOUBLE AS ci_high, NULL::DOUBLE AS se, NULL::BIGINT AS n, NULL::DOUBLE AS ci_level, NULL::BOOLEAN AS suppressed WHERE false`);
      await wh.run(`CREATE OR REPLACE TABLE int_figures AS ${parts.join('\nUNION ALL\n')}`);
    },
  };
}
