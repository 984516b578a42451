/**
 * The TypeScript model `int_figures`: every figure of the period, one row per indicator × scope,
 * the union of the families' figures models (models/figures/fig_<family>.sql) with the unit each
 * indicator declares and the primary suppression applied here, once, by each family's declared
 * rule (src/indicators/family.ts):
 *
 *   people: a cell outside the network total describing fewer than {{min_cell}} people is
 *           published without its value (value null, suppressed true);
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
import { indicatorsOf } from '../indicators/registry.ts';
import type { SqlParam, TsModel } from '../models/runner.ts';

export function intFiguresModel(families: readonly IndicatorFamily[]): TsModel {
  const indicators = indicatorsOf(families);
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
      { kind: 'expression', sql: 'value IS NULL OR value >= 0' },
    ],
    async build(wh: Warehouse, params: Record<string, SqlParam>) {
      const minCell = params.min_cell;
      if (typeof minCell !== 'number' || !Number.isInteger(minCell)) throw new InternalError('int_figures: parameter min_cell is not a whole number');
      const parts: string[] = [];
      for (const f of families) {
        const model = ident(figuresModelName(f));
        const own = indicators.filter((d) => d.family === f);
        const emitted = await wh.all<{ indicator: string; scope: string }>(`SELECT DISTINCT indicator, scope FROM ${model} ORDER BY ALL`);
        for (const e of emitted) {
          const d = own.find((x) => x.id === e.indicator);
          if (!d) throw new InternalError(`${figuresModelName(f)} emits indicator ${e.indicator}, which family ${f.id} does not declare (src/indicators/families/)`);
          if (!(d.scopes as readonly string[]).includes(e.scope)) throw new InternalError(`${figuresModelName(f)} emits ${e.indicator} for scope ${e.scope}, which its declaration does not publish (${d.scopes.join(', ')})`);
        }
        const units = own.map((d) => `(${literal(d.id)}, ${literal(d.unit)})`).join(', ');
        const hidden = f.suppression === 'people' ? `(f.scope <> 'network' AND f.people < ${minCell})` : 'false';
        parts.push(
          `SELECT f.indicator, f.scope, f.scope_id, f.scope_label,
                  CASE WHEN ${hidden} THEN NULL ELSE CAST(f.value AS DOUBLE) END AS value,
                  u.unit, ${hidden} AS suppressed
           FROM ${model} f JOIN (VALUES ${units}) u(indicator, unit) ON u.indicator = f.indicator`,
        );
      }
      await wh.run(`CREATE OR REPLACE TABLE int_figures AS ${parts.join('\nUNION ALL\n')}`);
    },
  };
}
