/**
 * The TypeScript model `mart_figures`: the period's figures as they are published (`run` copies
 * this table into `figures`). It reads `int_figures` (every figure, small cells already hidden by
 * the primary rule) and the cafés' geography, chooses the complementary cells with the pure
 * `complementaryCells` (src/figures/suppression.ts) and hides them: value null, `suppressed`
 * true. Nothing else changes: same rows, same values to the last bit.
 */
import type { Warehouse } from '../db/warehouse.ts';
import type { TsModel } from '../models/runner.ts';
import { signCheckSql } from '../format/units.ts';
import { complementaryCells, type CafeGeography, type SuppressionCell } from './suppression.ts';

/** `groups`: indicators suppressed with one pattern (suppressionGroups of the families). */
export const martFiguresModel = (groups: readonly (readonly string[])[]): TsModel => ({
  type: 'ts',
  name: 'mart_figures',
  layer: 'marts',
  description: 'The published figures: int_figures with complementary suppression, so that no suppressed cell can be recovered by differencing.',
  grain: 'one row per indicator × scope × scope_id',
  dependsOn: ['int_figures', 'stg_cafes'],
  checks: [
    { kind: 'not_null', columns: ['indicator', 'scope', 'unit', 'suppressed'] },
    { kind: 'unique', columns: ['indicator', 'scope', 'scope_id'] },
    { kind: 'expression', sql: 'suppressed OR value IS NOT NULL' },
    // a suppressed cell never carries its number
    { kind: 'expression', sql: 'NOT suppressed OR (value IS NULL AND ci_low IS NULL AND ci_high IS NULL AND se IS NULL AND n IS NULL)' },
    { kind: 'expression', sql: signCheckSql() },
  ],
  async build(wh: Warehouse) {
    const cells = await wh.all<SuppressionCell>('SELECT indicator, scope, scope_id, value, suppressed FROM int_figures');
    const geography = await wh.all<CafeGeography>('SELECT cafe_id, department, region FROM stg_cafes');
    const hide = complementaryCells(cells, geography, groups);
    await wh.run('CREATE OR REPLACE TEMP TABLE _complements (indicator VARCHAR, scope VARCHAR, scope_id VARCHAR)');
    const app = await wh.conn.createAppender('_complements', 'main', 'temp');
    for (const c of hide) {
      app.appendVarchar(c.indicator);
      app.appendVarchar(c.scope);
      if (c.scope_id === null) app.appendNull();
      else app.appendVarchar(c.scope_id);
      app.endRow();
    }
    app.closeSync();
    await wh.run(`CREATE OR REPLACE TABLE mart_figures AS
      SELECT f.indicator, f.scope, f.scope_id, f.scope_label,
             CASE WHEN c.indicator IS NULL THEN f.value END AS value,
             f.unit,
             CASE WHEN c.indicator IS NULL THEN f.ci_low END AS ci_low,
             CASE WHEN c.indicator IS NULL THEN f.ci_high END AS ci_high,
             CASE WHEN c.indicator IS NULL THEN f.se END AS se,
             CASE WHEN c.indicator IS NULL THEN f.n END AS n,
             f.ci_level,
             f.suppressed OR c.indicator IS NOT NULL AS suppressed
      FROM int_figures f
      LEFT JOIN _complements c ON c.indicator = f.indicator AND c.scope = f.scope AND c.scope_id IS NOT DISTINCT FROM f.scope_id;
      DROP TABLE _complements`);
  },
});
