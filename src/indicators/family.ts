/**
 * An indicator family declared once: everything about its indicators but their SQL, which is one
 * figures model per family (`models/figures/fig_<family>.sql`). From these declarations come the
 * published figures' units, the primary suppression rule, the complementary suppression's
 * linking, the headline list, `explain`, the labels of every output for people (terminal,
 * workbook, reports) and the indicator reference of METHODOLOGY.md.
 *
 * A figures model has a fixed column set:
 *
 *   indicator, scope, scope_id, scope_label, value, people
 *
 * `people` is the number of distinct people the cell describes (the primary rule compares it with
 * `disclosure.min_cell`), NULL in families that do not count people. The unit is not restated in
 * the SQL: it is the declaration's (int_figures joins it in). A family with `uncertainty` adds
 * `ci_low, ci_high, se, n, ci_level`.
 */
import type { Scope, Text } from '../core/vocabulary.ts';

export type { Lang, Text } from '../core/vocabulary.ts';

export interface IndicatorDecl {
  id: string;
  /** A key of UNITS (src/format/units.ts): decimals and unit names come from there. */
  unit: string;
  /** Short label (a column header, a workbook line). */
  label: Text;
  definition: Text;
  formula: Text;
  /** Config keys (section.key, or section.* for all of a section) the figure depends on. */
  parameters: string[];
  /** Tables holding the row-level detail. */
  detail: string;
  /**
   * For an indicator whose id carries a part of the data (`survey.<item_id>`): the pattern its
   * ids match, the part captured as `{1}` in the labels. `id` is then the pattern's name.
   */
  pattern?: RegExp;
  /** Position in the network's headline figures (smaller first); absent: not a headline figure. */
  headline?: number;
  /** Scopes it is published for, when fewer than its family's. */
  scopes?: readonly Scope[];
}

/**
 * How `explain` breaks a figure down: by the scopes it is published for (from the run's figures),
 * or by rows of a run table, given as SQL with $1 = run id, $2 = indicator id, $3 = café id or
 * NULL (every café).
 */
export type ExplainBreakdown = { kind: 'scopes' } | { kind: 'rows'; title: Text; sql: string };

export interface IndicatorFamily {
  /** Its figures model is `fig_<id>` (models/figures/fig_<id>.sql). */
  id: string;
  label: Text;
  indicators: IndicatorDecl[];
  /** Scopes its figures are published for (each indicator may narrow them). */
  scopes: readonly Scope[];
  /**
   * Primary suppression: `none` (businesses, events: never suppressed) or `people`: a cell outside
   * the network total describing fewer than `disclosure.min_cell` people is published without
   * its value (`people` column of the figures model); `respondents`: an estimate from fewer than
   * `survey.min_respondents` respondents (`people` column: the commune's respondents) is
   * published without its value.
   */
  suppression: 'none' | 'people' | 'respondents';
  /**
   * Its figures model also has the columns `ci_low, ci_high, se, n, ci_level` (estimates with
   * their uncertainty); without, they are published null.
   */
  uncertainty?: boolean;
  /**
   * Indicators describing the same people, suppressed with one pattern chosen on the first one's
   * values (e.g. jobs.fte with jobs.headcount). Absent: each indicator on its own.
   */
  suppressTogether?: string[];
  explain: ExplainBreakdown;
}

/** The figures model of a family. */
export function figuresModelName(f: IndicatorFamily): string {
  return `fig_${f.id}`;
}
