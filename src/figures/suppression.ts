/**
 * Secondary (complementary) suppression: after the primary rule has hidden the small cells
 * (counts of fewer than `disclosure.min_cell` people, src/figures/int-figures.ts), hide enough other cells
 * that no hidden cell can be computed back by adding and subtracting published cells of the same
 * indicator and period. Pure: no database, no clock; the same cells give the same choice.
 *
 * Linked groups. A group is a parent cell and its children, whose values are tied by
 * parent = Σ children (additive figures, e.g. `jobs.fte`) or, for distinct counts of people,
 * max(children) ≤ parent ≤ Σ children (a person may count in two children). The groups are:
 *
 *   network ⊃ regions,  region ⊃ its departments,  department ⊃ its cafés   (the geography)
 *   network ⊃ models,   network ⊃ stages,   network ⊃ contracts, …          (`NETWORK_BREAKDOWNS`)
 *
 * A cell belongs to at most two geographic groups (as a child, and as a parent), and the
 * breakdowns share only the network cell, so the groups form a tree.
 *
 * Rule (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, §4.2–4.3; the
 * τ-Argus manual, "hypercube" method of Repsilber / Giessing, which applies it subtable by
 * subtable): **in every linked group, a suppressed cell must have at least one other
 * suppressed cell.** With a single hidden cell in a group, that cell is the published parent minus
 * the published children (or the sum of the children). With two or more, the group's equation has
 * infinitely many solutions, and because the groups form a tree, so do all of them together: no
 * combination of sums and differences isolates a hidden cell (for the proof sketch and its
 * limits see METHODOLOGY.md, section 8).
 *
 * Greedy choice, linked across the groups, until nothing changes (a fixed point):
 * for each group in a fixed order (network's geographic group, regions, departments, then the
 * breakdowns; ids sorted) with exactly one hidden cell,
 *   - hide the published child with the smallest value (ties: the smallest scope id), never the
 *     parent while a child can be hidden: children are the less informative, and hiding a parent
 *     would propagate upwards;
 *   - if no child is left (a group of one child: the child *is* the parent), hide the parent.
 * A cell hidden in one group can leave another of its groups with one hidden cell; the passes
 * repeat until every group has zero or at least two hidden cells. Each step hides one more cell,
 * so it ends, and a group with one hidden cell always has a candidate, so the rule then holds.
 *
 * The network total is hidden only in the last case: when it is itself below `min_cell` and one
 * cell of a breakdown holds all of it (e.g. every employee of a small network works in one
 * region), the only way to keep that region secret.
 *
 * Families. `jobs.fte` describes the same people as `jobs.headcount` and is suppressed with it:
 * indicators of a group (`groups`, declared as a family's `suppressTogether`) share one pattern,
 * chosen on the first one's values.
 */
import { InternalError } from '../core/errors.ts';

export interface SuppressionCell {
  indicator: string;
  scope: string;
  /** null for the network. */
  scope_id: string | null;
  value: number | null;
  suppressed: boolean;
  /** Cells of different periods are never linked; absent = one period. */
  period?: string;
}

/** Where a café sits in the geography (`stg_cafes`). */
export interface CafeGeography {
  cafe_id: string;
  department: string;
  region: string;
}

export interface CellRef {
  indicator: string;
  scope: string;
  scope_id: string | null;
  period?: string;
}

/** A parent and its children, as cell keys (`cellKey`) within one indicator and period. */
export interface LinkedGroup {
  parent: string;
  children: string[];
}

/**
 * Indicators sharing one suppression pattern (the first one's values rank the candidates) are
 * declared with their family (`suppressTogether`, src/indicators/family.ts) and passed in as
 * `groups` (`suppressionGroups()` of src/indicators/registry.ts).
 */

/** One-level breakdowns of the network (their cells add up to it, or bound it). */
export const NETWORK_BREAKDOWNS = ['model', 'stage', 'contract', 'programme', 'service'] as const;

/** The key of a cell within an indicator and period. */
export function cellKey(scope: string, scopeId: string | null): string {
  return scopeId === null ? scope : `${scope}\u0000${scopeId}`;
}

/** Plain code-unit comparison, independent of locale. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The linked groups among the cells present (a scope with no figure is in no group), in the
 * fixed order the greedy visits them. A region, department or café cell missing from the
 * geography is a bug upstream and throws: it would otherwise be left unprotected.
 */
export function linkedGroups(cells: { scope: string; scope_id: string | null }[], geography: CafeGeography[]): LinkedGroup[] {
  const present = new Set(cells.map((c) => cellKey(c.scope, c.scope_id)));
  const ids = (scope: string) =>
    [...new Set(cells.filter((c) => c.scope === scope && c.scope_id !== null).map((c) => c.scope_id!))].sort(cmpStr);
  const regionOfDept = new Map<string, string>();
  const deptOfCafe = new Map<string, string>();
  for (const g of geography) {
    regionOfDept.set(g.department, g.region);
    deptOfCafe.set(g.cafe_id, g.department);
  }
  const regions = ids('region');
  const departments = ids('department');
  const cafes = ids('cafe');
  const knownRegions = new Set(regionOfDept.values());
  for (const r of regions) if (!knownRegions.has(r)) throw new InternalError(`suppression: region ${r} has no café in the geography`);
  for (const d of departments) if (!regionOfDept.has(d)) throw new InternalError(`suppression: department ${d} has no café in the geography`);
  for (const c of cafes) if (!deptOfCafe.has(c)) throw new InternalError(`suppression: café ${c} is not in the geography`);

  const groups: LinkedGroup[] = [];
  const add = (parent: string, children: string[]) => {
    if (present.has(parent) && children.length > 0) groups.push({ parent, children });
  };
  const network = cellKey('network', null);
  add(network, regions.map((r) => cellKey('region', r)));
  for (const r of regions) add(cellKey('region', r), departments.filter((d) => regionOfDept.get(d) === r).map((d) => cellKey('department', d)));
  for (const d of departments) add(cellKey('department', d), cafes.filter((c) => deptOfCafe.get(c) === d).map((c) => cellKey('cafe', c)));
  for (const scope of NETWORK_BREAKDOWNS) add(network, ids(scope).map((id) => cellKey(scope, id)));
  return groups;
}

export interface PatternCell {
  /** The value ranking candidates (smallest hidden first); Infinity when unknown. */
  cost: number;
  scopeId: string;
  hidden: boolean;
}

/**
 * Completes a suppression pattern so that every linked group has zero or at least two hidden
 * cells. `cells` maps cell keys to their state and is updated in place; returns the keys newly
 * hidden, in the order chosen.
 */
export function completePattern(cells: Map<string, PatternCell>, groups: LinkedGroup[]): string[] {
  const chosen: string[] = [];
  const better = (a: string, b: string) => {
    const x = cells.get(a)!;
    const y = cells.get(b)!;
    return x.cost < y.cost || (x.cost === y.cost && cmpStr(x.scopeId, y.scopeId) < 0);
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const g of groups) {
      let hidden = cells.get(g.parent)!.hidden ? 1 : 0;
      for (const c of g.children) if (cells.get(c)!.hidden) hidden++;
      if (hidden !== 1) continue;
      let pick: string | undefined;
      for (const c of g.children) if (!cells.get(c)!.hidden && (pick === undefined || better(c, pick))) pick = c;
      // a group of one hidden child and nothing else: the parent equals it
      pick ??= g.parent;
      cells.get(pick)!.hidden = true;
      chosen.push(pick);
      changed = true;
    }
  }
  return chosen;
}

/**
 * The cells to hide besides those already suppressed (`suppressed = true`), so that no suppressed
 * cell can be recovered by differencing published cells of its indicator and period along the
 * linked groups. Sorted by period, indicator, scope and scope id; the input order does not matter.
 */
export function complementaryCells(
  cells: SuppressionCell[],
  geography: CafeGeography[],
  families: readonly (readonly string[])[] = [],
): CellRef[] {
  const familyOf = new Map<string, readonly string[]>();
  for (const f of families) for (const i of f) familyOf.set(i, f);
  // one pattern per period × family (an indicator outside every family is its own family)
  const byPattern = new Map<string, SuppressionCell[]>();
  for (const c of cells) {
    const members = familyOf.get(c.indicator) ?? [c.indicator];
    const k = `${c.period ?? ''}\u0000${members[0]}`;
    let list = byPattern.get(k);
    if (!list) byPattern.set(k, (list = []));
    list.push(c);
  }
  const out: CellRef[] = [];
  for (const list of byPattern.values()) {
    if (!list.some((c) => c.suppressed)) continue;
    const members = familyOf.get(list[0]!.indicator) ?? [list[0]!.indicator];
    const rank = (indicator: string) => members.indexOf(indicator);
    const state = new Map<string, PatternCell>();
    // cost from the family's first indicator having a value for the cell
    const ordered = [...list].sort((a, b) => rank(a.indicator) - rank(b.indicator));
    for (const c of ordered) {
      const k = cellKey(c.scope, c.scope_id);
      const s = state.get(k) ?? { cost: Infinity, scopeId: c.scope_id ?? '', hidden: false };
      if (s.cost === Infinity && c.value !== null && !c.suppressed) s.cost = c.value;
      s.hidden ||= c.suppressed;
      state.set(k, s);
    }
    const chosen = new Set(completePattern(state, linkedGroups(list, geography)));
    for (const c of list) {
      if (!c.suppressed && chosen.has(cellKey(c.scope, c.scope_id))) {
        out.push(c.period === undefined ? { indicator: c.indicator, scope: c.scope, scope_id: c.scope_id } : { indicator: c.indicator, scope: c.scope, scope_id: c.scope_id, period: c.period });
      }
    }
  }
  return out.sort(
    (a, b) =>
      cmpStr(a.period ?? '', b.period ?? '') ||
      cmpStr(a.indicator, b.indicator) ||
      cmpStr(a.scope, b.scope) ||
      cmpStr(a.scope_id ?? '', b.scope_id ?? ''),
  );
}

/** The figures with the complementary cells hidden too (value null, `suppressed = true`). */
export function applySecondarySuppression<T extends SuppressionCell>(figures: T[], geography: CafeGeography[], groups: readonly (readonly string[])[] = []): T[] {
  const hide = new Set(complementaryCells(figures, geography, groups).map((c) => `${c.period ?? ''}\u0001${c.indicator}\u0001${cellKey(c.scope, c.scope_id)}`));
  return figures.map((f) =>
    hide.has(`${f.period ?? ''}\u0001${f.indicator}\u0001${cellKey(f.scope, f.scope_id)}`) ? { ...f, value: null, suppressed: true } : f,
  );
}
