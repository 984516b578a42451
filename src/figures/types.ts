/**
 * A published figure: one row of the `figures` table. Every figure carries where it came from
 * (the run, its method version, parameters and input files' hashes) and room for what later
 * methods add: an interval (`ci_low`, `ci_high`) and a suppression flag (small groups of people
 * are never published: `value` is then null).
 */
import type { Scope } from '../core/vocabulary.ts';

export { SCOPES, type Scope } from '../core/vocabulary.ts';

export interface Figure {
  indicator: string;
  scope: Scope;
  /** null for the network. */
  scope_id: string | null;
  /** Human label of the scope (region or department name, café name...), null for the network. */
  scope_label: string | null;
  period: string;
  /** Unrounded; null when suppressed or not computable. */
  value: number | null;
  unit: string;
  ci_low: number | null;
  ci_high: number | null;
  /** Standard error; null where it does not apply (counts and sums of the network's records). */
  se: number | null;
  /** Respondents or observations behind an estimate; null where it does not apply. */
  n: number | null;
  /** Level of the interval [ci_low, ci_high] (0.95, 0.90); null without an interval. */
  ci_level: number | null;
  suppressed: boolean;
  run_id: string;
  method_version: string;
}

/** Parameters and inputs of a run, attached to each exported figure. */
export interface RunProvenance {
  run_id: string;
  period: string;
  method_version: string;
  code_version: string;
  parameters: Record<string, unknown>;
  /** One entry per input file behind the run's data: dataset, file, SHA-256, load. */
  inputs: { dataset: string; file: string; sha256: string; load_id: string }[];
}
