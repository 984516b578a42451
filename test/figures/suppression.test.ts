/**
 * Small cells stay secret: the test plays the attacker. It takes published figures (a purpose-made
 * array fed to the pure function, random networks, and the JSON export of a real run) and, for
 * every suppressed cell, tries every subtraction of published cells along the linked hierarchies:
 *
 *   network ⊃ regions ⊃ departments ⊃ cafés,   network ⊃ models,   network ⊃ stages,   network ⊃ contracts
 *
 * (parent − Σ published siblings, Σ published children for a parent, and chains of them: a cell
 * recovered in one group is used in the next), then, stronger, any linear combination of all the
 * groups' equations at once (exact rank over the integers). It must recover no suppressed cell.
 * The attacker builds its own groups from the geography: nothing of src/figures/suppression.ts
 * is used to judge it. Expected values are computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/runs/config.ts';
import { Rng } from '../../src/stats/prng.ts';
import { figuresToJson } from '../../src/figures/export.ts';
import { latestRun, runFigures } from '../../src/figures/store.ts';
import { applySecondarySuppression, complementaryCells, type CafeGeography, type SuppressionCell } from '../../src/figures/suppression.ts';
import { suppressionGroups } from '../../src/indicators/registry.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { runPeriod } from '../../src/runs/run.ts';
import { folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

// ------------------------------------------------------------------------------- the attacker

interface Cell {
  indicator: string;
  scope: string;
  scope_id: string | null;
  value: number | null;
  suppressed: boolean;
  period?: string;
}

const key = (scope: string, id: string | null) => (id === null ? scope : `${scope}:${id}`);

/** The attacker's groups: a parent and its children, as keys, from the public geography. */
function attackGroups(cells: Cell[], geo: CafeGeography[]): { parent: string; children: string[] }[] {
  const has = new Set(cells.map((c) => key(c.scope, c.scope_id)));
  const idsOf = (scope: string) => [...new Set(cells.filter((c) => c.scope === scope).map((c) => c.scope_id!))];
  const groups: { parent: string; children: string[] }[] = [];
  const push = (parent: string, children: string[]) => {
    const kids = children.filter((k) => has.has(k));
    if (has.has(parent) && kids.length > 0) groups.push({ parent, children: kids });
  };
  const regions = [...new Set(geo.map((g) => g.region))];
  const depts = [...new Set(geo.map((g) => g.department))];
  push('network', regions.map((r) => key('region', r)));
  for (const r of regions) push(key('region', r), [...new Set(geo.filter((g) => g.region === r).map((g) => g.department))].map((d) => key('department', d)));
  for (const d of depts) push(key('department', d), geo.filter((g) => g.department === d).map((g) => key('cafe', g.cafe_id)));
  for (const s of ['model', 'stage', 'contract']) push('network', idsOf(s).map((id) => key(s, id)));
  return groups;
}

/**
 * Every subtraction along the groups, chained: while a group has exactly one unknown cell, the
 * unknown is the parent minus the other children (or the children's sum, for the parent); it
 * then becomes known for the other groups. Returns what was derived, by key.
 */
function differencingAttack(cells: Cell[], geo: CafeGeography[]): Map<string, number> {
  const known = new Map<string, number>();
  for (const c of cells) if (!c.suppressed && c.value !== null) known.set(key(c.scope, c.scope_id), c.value);
  const derived = new Map<string, number>();
  const groups = attackGroups(cells, geo);
  let progress = true;
  while (progress) {
    progress = false;
    for (const g of groups) {
      const unknown = [g.parent, ...g.children].filter((k) => !known.has(k));
      if (unknown.length !== 1) continue;
      const u = unknown[0]!;
      const sumKids = g.children.filter((k) => k !== u).reduce((s, k) => s + known.get(k)!, 0);
      const v = u === g.parent ? sumKids : known.get(g.parent)! - sumKids;
      known.set(u, v);
      derived.set(u, v);
      progress = true;
    }
  }
  return derived;
}

function rank(rows: bigint[][]): number {
  const m = rows.map((r) => r.slice());
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? abs(a) : gcd(b, a % b));
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let col = 0; col < cols && r < m.length; col++) {
    const p = m.findIndex((row, i) => i >= r && row[col] !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    const pivot = m[r]!;
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i]![col] === 0n) continue;
      const a = pivot[col]!;
      const b = m[i]![col]!;
      const next = m[i]!.map((v, j) => v * a - pivot[j]! * b);
      const g = next.reduce((x, y) => gcd(x, y), 0n);
      m[i] = g > 1n ? next.map((v) => v / g) : next;
    }
    r++;
  }
  return r;
}

/**
 * The strongest linear attacker: the suppressed cells are unknowns, each group an equation
 * parent − Σ children = (published part); a cell is determined exactly iff its unit vector is a
 * combination of the equations (rank test, exact integers). Returns the determined keys.
 */
function linearAttack(cells: Cell[], geo: CafeGeography[]): string[] {
  const hidden = cells.filter((c) => c.suppressed || c.value === null).map((c) => key(c.scope, c.scope_id));
  const col = new Map(hidden.map((k, i) => [k, i]));
  const rows: bigint[][] = [];
  for (const g of attackGroups(cells, geo)) {
    const row = hidden.map(() => 0n);
    if (col.has(g.parent)) row[col.get(g.parent)!] = 1n;
    for (const k of g.children) if (col.has(k)) row[col.get(k)!]! -= 1n;
    if (row.some((x) => x !== 0n)) rows.push(row);
  }
  const base = rank(rows);
  return hidden.filter((k) => rank([...rows, hidden.map((h) => (h === k ? 1n : 0n))]) === base);
}

/** Cells per indicator (and period): the attacker works within one indicator and period. */
function byIndicator(cells: Cell[]): Cell[][] {
  const m = new Map<string, Cell[]>();
  for (const c of cells) {
    const k = `${c.period ?? ''}|${c.indicator}`;
    m.set(k, [...(m.get(k) ?? []), c]);
  }
  return [...m.values()];
}

/** What the attacker recovers, as "indicator|key = value", over every indicator. */
function recovered(cells: Cell[], geo: CafeGeography[]): string[] {
  const out: string[] = [];
  for (const list of byIndicator(cells)) {
    const hidden = new Set(list.filter((c) => c.suppressed).map((c) => key(c.scope, c.scope_id)));
    for (const [k, v] of differencingAttack(list, geo)) if (hidden.has(k)) out.push(`${list[0]!.indicator}|${k} = ${v}`);
  }
  return out.sort();
}

function determined(cells: Cell[], geo: CafeGeography[]): string[] {
  return byIndicator(cells).flatMap((list) => linearAttack(list, geo).map((k) => `${list[0]!.indicator}|${k}`)).sort();
}

// ------------------------------------------------------------------------------- a worked example

/*
 * Worked example: distinct residents, nobody active in two cafés (so every breakdown adds up
 * exactly, as for an additive figure). Primary rule: under 5 outside the network → suppressed (*).
 *
 *   region 44 (16):  department 51 (13) = A1 7 + A2 6;   department 52 (3*) = A3 3*
 *   region 84 (24):  department 01 (16) = B1 9 + B2 2* + B3 5;   department 69 (8) = B4 8
 *   network 40 = 16 + 24
 *   models: associative 15 (A1, B4), itinerant 11 (A2, B3), entrepreneurial 3* (A3), participative 11 (B1, B2)
 *   stages: operating 38, opening 2* (B2)
 *
 * Primary only, an attacker gets: 52 = 16 − 13 = 3, hence A3 = 3 (52's only café); B2 = 16 − 9 − 5
 * = 2; entrepreneurial = 40 − 15 − 11 − 11 = 3; opening = 40 − 38 = 2. Complements, group by group:
 *   (44; 51, 52*)        → 51, the only other child (13)
 *   (51*; A1 7, A2 6)    → A2, the smaller child (6) — a hidden parent needs a hidden child
 *   (01; B1 9, B2*, B3 5) → B3 (5 < 9)
 *   models: entrepreneurial* → itinerant and participative tie at 11: itinerant (id first)
 *   stages: opening*     → operating (38), the only other child
 * Then every group has 0 or ≥ 2 hidden cells (51 and 52; 51 and A2; 52 and A3; B2 and B3; …): a fixed point.
 */
const GEO: CafeGeography[] = [
  { cafe_id: 'A1', department: '51', region: '44' },
  { cafe_id: 'A2', department: '51', region: '44' },
  { cafe_id: 'A3', department: '52', region: '44' },
  { cafe_id: 'B1', department: '01', region: '84' },
  { cafe_id: 'B2', department: '01', region: '84' },
  { cafe_id: 'B3', department: '01', region: '84' },
  { cafe_id: 'B4', department: '69', region: '84' },
];

function cells(indicator: string, values: Record<string, number>, minCell = 5): SuppressionCell[] {
  return Object.entries(values).map(([k, value]) => {
    const [scope, scope_id = null] = k.split(':') as [string, string | undefined];
    const suppressed = scope !== 'network' && value < minCell;
    return { indicator, scope, scope_id, value: suppressed ? null : value, suppressed };
  });
}

const EXAMPLE = cells('residents.mobilised', {
  network: 40,
  'region:44': 16, 'region:84': 24,
  'department:51': 13, 'department:52': 3, 'department:01': 16, 'department:69': 8,
  'cafe:A1': 7, 'cafe:A2': 6, 'cafe:A3': 3, 'cafe:B1': 9, 'cafe:B2': 2, 'cafe:B3': 5, 'cafe:B4': 8,
  'model:associative': 15, 'model:itinerant': 11, 'model:entrepreneurial': 3, 'model:participative': 11,
  'stage:operating': 38, 'stage:opening': 2,
});

describe('complementary suppression (pure function)', () => {
  it('the worked example: exactly the complements chosen by hand', () => {
    expect(complementaryCells(EXAMPLE, GEO).map((c) => key(c.scope, c.scope_id))).toEqual(
      ['cafe:A2', 'cafe:B3', 'department:51', 'model:itinerant', 'stage:operating'],
    );
  });

  it('without it the attacker recovers the small cells; with it, nothing', () => {
    expect(recovered(EXAMPLE, GEO)).toEqual(
      [
        'residents.mobilised|cafe:A3 = 3', 'residents.mobilised|cafe:B2 = 2', 'residents.mobilised|department:52 = 3',
        'residents.mobilised|model:entrepreneurial = 3', 'residents.mobilised|stage:opening = 2',
      ],
    );
    const published = applySecondarySuppression(EXAMPLE, GEO);
    expect(recovered(published, GEO)).toEqual([]);
    expect(determined(published, GEO)).toEqual([]);
    // and it only hides: every primary cell stays hidden, every published value is unchanged
    for (const [i, f] of published.entries()) {
      if (EXAMPLE[i]!.suppressed) expect(f.suppressed).toBe(true);
      if (!f.suppressed) expect(f.value).toBe(EXAMPLE[i]!.value);
    }
  });

  it('is deterministic: the input order does not matter', () => {
    const a = complementaryCells(EXAMPLE, GEO);
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Rng(seed);
      expect(complementaryCells(rng.shuffle(EXAMPLE), rng.shuffle(GEO))).toEqual(a);
    }
  });

  it('cascades down: a region hidden as a complement needs a hidden department, then a café', () => {
    // R1 (3*) = D1 (3*) = X1 3*;  R2 (12) = D2 (7: Y1 7) + D3 (5: Z1 5);  R3 (15) = D4 (15: W1 15);  network 30
    // (N; R1*, R2 12, R3 15) → R2 (12 < 15); (R2*; D2 7, D3 5) → D3 (5); (D3*; Z1) → Z1 (its only café)
    const geo: CafeGeography[] = [
      { cafe_id: 'X1', department: 'D1', region: 'R1' },
      { cafe_id: 'Y1', department: 'D2', region: 'R2' },
      { cafe_id: 'Z1', department: 'D3', region: 'R2' },
      { cafe_id: 'W1', department: 'D4', region: 'R3' },
    ];
    const fs = cells('residents.mobilised', {
      network: 30, 'region:R1': 3, 'region:R2': 12, 'region:R3': 15,
      'department:D1': 3, 'department:D2': 7, 'department:D3': 5, 'department:D4': 15,
      'cafe:X1': 3, 'cafe:Y1': 7, 'cafe:Z1': 5, 'cafe:W1': 15,
    });
    expect(complementaryCells(fs, geo).map((c) => key(c.scope, c.scope_id))).toEqual(['cafe:Z1', 'department:D3', 'region:R2']);
    expect(recovered(fs, geo)).toEqual(['residents.mobilised|cafe:X1 = 3', 'residents.mobilised|department:D1 = 3', 'residents.mobilised|region:R1 = 3']);
    expect(recovered(applySecondarySuppression(fs, geo), geo)).toEqual([]);
  });

  it('hides the network total only when a breakdown has one cell, hidden, equal to it; jobs.fte follows jobs.headcount', () => {
    // The golden network's jobs: 3 people, all in region 44 (C1: 2 in department 51, C2: 1 in 52).
    // Region 44 (3*) is the network's only region: network = 44, so the network total is hidden;
    // then its other groups (models, stages, contracts) already have ≥ 2 hidden cells.
    const geo: CafeGeography[] = [
      { cafe_id: 'C1', department: '51', region: '44' },
      { cafe_id: 'C2', department: '52', region: '44' },
      { cafe_id: 'C3', department: '01', region: '84' }, // no job at C3: no jobs row for 84, 01, C3
    ];
    const headcount = { network: 3, 'region:44': 3, 'department:51': 2, 'department:52': 1, 'cafe:C1': 2, 'cafe:C2': 1, 'model:associative': 2, 'model:entrepreneurial': 1, 'stage:operating': 3 };
    const fs = [
      ...cells('jobs.headcount', headcount),
      // FTE, rounded: C1 0.5 + 184/365 = 1.0041, C2 62/365 = 0.1699, network 1.174; every cell but
      // the network is suppressed with the headcount of its cell (the same people)
      ...cells('jobs.fte', { network: 1.174, 'region:44': 1.174, 'department:51': 1.0041, 'department:52': 0.1699, 'cafe:C1': 1.0041, 'cafe:C2': 0.1699, 'model:associative': 1.0041, 'model:entrepreneurial': 0.1699, 'stage:operating': 1.174 }).map((c) => {
        const suppressed = c.scope !== 'network';
        return { ...c, value: suppressed ? null : c.value, suppressed };
      }),
    ];
    // the jobs family declares headcount and FTE suppressed together
    const groups = suppressionGroups();
    expect(groups).toEqual([['jobs.headcount', 'jobs.fte']]);
    expect(complementaryCells(fs, geo, groups).map((c) => `${c.indicator}|${key(c.scope, c.scope_id)}`)).toEqual(['jobs.fte|network', 'jobs.headcount|network']);
    expect(recovered(fs, geo)).toContain('jobs.fte|region:44 = 1.174');
    expect(recovered(applySecondarySuppression(fs, geo, groups), geo)).toEqual([]);
  });

  it('random networks: every group ends with 0 or ≥ 2 hidden cells, and the attackers recover nothing', () => {
    const MODELS = ['associative', 'entrepreneurial', 'itinerant', 'participative'];
    const STAGES = ['opening', 'operating', 'transition'];
    let leakedBefore = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = new Rng(seed);
      const geo: CafeGeography[] = [];
      const cafeValue = new Map<string, number>();
      const cafeModel = new Map<string, string>();
      const cafeStage = new Map<string, string>();
      const regions = rng.int(1, 4);
      for (let r = 0; r < regions; r++) {
        const depts = rng.int(1, 3);
        for (let d = 0; d < depts; d++) {
          const cafes = rng.int(1, 4);
          for (let c = 0; c < cafes; c++) {
            const id = `c${r}${d}${c}`;
            geo.push({ cafe_id: id, department: `d${r}${d}`, region: `r${r}` });
            cafeValue.set(id, rng.int(1, 12));
            cafeModel.set(id, rng.pick(MODELS));
            cafeStage.set(id, rng.pick(STAGES));
          }
        }
      }
      // an additive figure: every parent is the sum of its cafés (computed here, not by the code under test)
      const values: Record<string, number> = {};
      const add = (k: string, v: number) => (values[k] = (values[k] ?? 0) + v);
      for (const g of geo) {
        const v = cafeValue.get(g.cafe_id)!;
        for (const k of ['network', `region:${g.region}`, `department:${g.department}`, `cafe:${g.cafe_id}`, `model:${cafeModel.get(g.cafe_id)}`, `stage:${cafeStage.get(g.cafe_id)}`]) add(k, v);
      }
      const fs = cells('x', values);
      leakedBefore += recovered(fs, geo).length;
      const out = applySecondarySuppression(fs, geo);
      for (const g of attackGroups(out, geo)) {
        const hidden = [g.parent, ...g.children].filter((k) => out.find((c) => key(c.scope, c.scope_id) === k)!.suppressed).length;
        expect(hidden === 0 || hidden >= 2, `seed ${seed}: ${JSON.stringify(g)}`).toBe(true);
      }
      expect(recovered(out, geo), `seed ${seed}`).toEqual([]);
      expect(determined(out, geo), `seed ${seed}`).toEqual([]);
      for (const [i, f] of out.entries()) {
        if (fs[i]!.suppressed) expect(f.suppressed).toBe(true);
        if (!f.suppressed) expect(f.value).toBe(fs[i]!.value);
      }
    }
    expect(leakedBefore).toBeGreaterThan(100); // the attacker has teeth: the primary rule alone leaks
  });
});

// ------------------------------------------------------------------------------- end to end

/*
 * A run on real communes (Marne 51 and Haute-Marne 52 in Grand Est 44; Ain 01 and Rhône 69 in
 * Auvergne-Rhône-Alpes 84), the worked example's residents, and these jobs (contracts over the
 * whole year, so FTE = Σ fte exactly):
 *   A1: 5 CDI at 1 FTE → 5 people, 5 FTE        A2: 2 CDI at 0.5 → 2*, 1 FTE
 *   A3: 3 CDI + 3 CDD at 0.5 → 6, 3 FTE          B1: 5 CDI at 0.8 → 5, 4 FTE        B4: 1 CDI at 1 → 1*, 1 FTE
 * headcount (FTE): 51 = 7 (6), 52 = 6 (3), 01 = 5 (4), 69 = 1* (1), 44 = 13 (9), 84 = 6 (5), network 19 (14);
 * models: associative 6 (6: A1, B4), itinerant 2* (1: A2), entrepreneurial 6 (3: A3), participative 5 (4: B1);
 * stage operating 19 (14); contracts CDI 16 (12.5), CDD 3* (1.5).
 * Primary only, FTE is recovered exactly: A2 = 6 − 5 = 1, 69 = 5 − 4 = 1 = B4, itinerant =
 * 14 − 6 − 3 − 4 = 1, CDD = 14 − 12.5 = 1.5. Complements (both indicators, one pattern):
 *   (51; A1 5, A2*) → A1;  (84; 01 5, 69*) → 01;  (01*; B1) → B1 (01's only café);
 *   models: itinerant* → participative (5, the smallest);  contracts: CDD* → CDI (the only other).
 */
const E2E_CAFES = [
  'cafe_id,name,commune_insee,lat,lon,model,stage,opened_on',
  'A1,Café A1,51001,48.9,4.6,associative,operating,2021-01-01',
  'A2,Café A2,51002,49.0,3.9,itinerant,operating,2021-01-01',
  'A3,Café A3,52001,48.3,5.6,entrepreneurial,operating,2021-01-01',
  'B1,Café B1,01001,46.2,4.9,participative,operating,2021-01-01',
  'B2,Café B2,01002,46.0,5.4,participative,opening,2023-01-01',
  'B3,Café B3,01004,45.9,5.3,itinerant,operating,2021-01-01',
  'B4,Café B4,69001,45.8,4.4,associative,operating,2021-01-01',
].join('\n');

const E2E_RESIDENTS = { A1: 7, A2: 6, A3: 3, B1: 9, B2: 2, B3: 5, B4: 8 };
const E2E_STAFF = [
  ['A1', 5, 'CDI', 1],
  ['A2', 2, 'CDI', 0.5],
  ['A3', 3, 'CDI', 0.5],
  ['A3', 3, 'CDD', 0.5],
  ['B1', 5, 'CDI', 0.8],
  ['B4', 1, 'CDI', 1],
] as const;

describe('end to end: the JSON export of a run', () => {
  it('hides the complements chosen by hand, and the attacker recovers no suppressed cell from the export', async () => {
    const wh = await tempWarehouse();
    let n = 0;
    const staff = ['cafe_id,person_key,start_on,role,contract,fte,end_on', ...E2E_STAFF.flatMap(([cafe, count, contract, fte]) =>
      Array.from({ length: count }, () => `${cafe},PEMP${String(++n).padStart(3, '0')},2022-01-01,employee,${contract},${fte},`))];
    const participation = ['cafe_id,date,activity,person_key,role', ...Object.entries(E2E_RESIDENTS).flatMap(([cafe, count]) =>
      Array.from({ length: count }, (_, i) => `${cafe},2023-04-01,workshop,PR${cafe}${String(i + 1).padStart(2, '0')},resident`))];
    await ingest(wh, folder({ 'cafes.csv': E2E_CAFES, 'staff.csv': staff.join('\n') }), '2023-Q1');
    await ingest(wh, folder({ 'participation.csv': participation.join('\n') }), '2023');
    const r = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig() });
    const exported = JSON.parse(figuresToJson(await runFigures(wh, r.runId), await latestRun(wh, '2023'))) as Cell[];

    const suppressed = (indicator: string) => exported.filter((f) => f.indicator === indicator && f.suppressed).map((f) => key(f.scope, f.scope_id)).sort();
    expect(suppressed('residents.mobilised')).toEqual(
      ['cafe:A2', 'cafe:A3', 'cafe:B2', 'cafe:B3', 'department:51', 'department:52', 'model:entrepreneurial', 'model:itinerant', 'stage:opening', 'stage:operating'],
    );
    const jobs = ['cafe:A1', 'cafe:A2', 'cafe:B1', 'cafe:B4', 'contract:CDD', 'contract:CDI', 'department:01', 'department:69', 'model:itinerant', 'model:participative'];
    expect(suppressed('jobs.headcount')).toEqual(jobs);
    expect(suppressed('jobs.fte')).toEqual(jobs);
    for (const f of exported.filter((x) => x.suppressed)) expect(f.value).toBeNull();

    // the attack on the export: no subtraction chain, no linear combination gives a suppressed cell
    expect(recovered(exported, GEO)).toEqual([]);
    expect(determined(exported, GEO)).toEqual([]);
    // the true values of the suppressed FTE cells (by hand, above) are not obtainable either:
    // the only derivations of the attacker are of published cells
    const truth: Record<string, number> = { 'cafe:A1': 5, 'cafe:A2': 1, 'cafe:B1': 4, 'cafe:B4': 1, 'contract:CDD': 1.5, 'contract:CDI': 12.5, 'department:01': 4, 'department:69': 1, 'model:itinerant': 1, 'model:participative': 4 };
    const fte = exported.filter((f) => f.indicator === 'jobs.fte');
    for (const [k, v] of differencingAttack(fte, GEO)) expect(truth[k] === undefined || Math.abs(truth[k] - v) > 1e-9, k).toBe(true);

    // control: the same attacker on the primary rule alone (int_figures) recovers them exactly
    const primary = await wh.all<Cell>('SELECT indicator, scope, scope_id, value, suppressed FROM int_figures');
    expect(recovered(primary.filter((f) => f.indicator === 'jobs.fte'), GEO)).toEqual(
      ['jobs.fte|cafe:A2 = 1', 'jobs.fte|cafe:B4 = 1', 'jobs.fte|contract:CDD = 1.5', 'jobs.fte|department:69 = 1', 'jobs.fte|model:itinerant = 1'],
    );
    expect(recovered(primary.filter((f) => f.indicator === 'residents.mobilised'), GEO)).toEqual(
      [
        'residents.mobilised|cafe:A3 = 3', 'residents.mobilised|cafe:B2 = 2', 'residents.mobilised|department:52 = 3',
        'residents.mobilised|model:entrepreneurial = 3', 'residents.mobilised|stage:opening = 2',
      ],
    );
    wh.close();
  });
});
