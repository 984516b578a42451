/**
 * Conformance of the indicator declarations (src/indicators/families/) with what runs emit:
 * - every declared indicator has a declared unit (decimals, names in French and English) and
 *   formats in both languages;
 * - every family has its figures model (models/figures/fig_<family>.sql) and every figures model
 *   its family;
 * - on the golden network (test/helpers/golden-network.ts, with its ATM so that cash has a
 *   figure, and its survey), every indicator a run emits is declared, in its declared unit and scopes, and every
 *   declared indicator is emitted;
 * - a figures model emitting an indicator its family does not declare stops the run as a bug;
 * - a dummy indicator added by its declaration and its SQL file alone is computed, suppressed by
 *   its declared rule, labelled in the exports and explained, and changes no other figure.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/runs/config.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InternalError } from '../../src/core/errors.ts';
import { figuresToCsv } from '../../src/figures/export.ts';
import { explainIndicator } from '../../src/figures/explain.ts';
import { latestRun, runFigures } from '../../src/figures/store.ts';
import type { Figure } from '../../src/figures/types.ts';
import { formatValue } from '../../src/format/locale.ts';
import type { IndicatorFamily } from '../../src/indicators/family.ts';
import { FAMILIES, INDICATORS, indicatorDef } from '../../src/indicators/registry.ts';
import { REFERENCE_BEGIN, REFERENCE_END, withMethodologyBlock } from '../../src/indicators/reference-doc.ts';
import { UNITS } from '../../src/format/units.ts';
import { MODELS_DIR } from '../../src/models/runner.ts';
import { parsePeriod } from '../../src/core/period.ts';
import { allModels, runPeriod } from '../../src/runs/run.ts';
import { ingestGolden, ingestGoldenPanel, ingestGoldenSurvey } from '../helpers/golden-network.ts';
import { tempDir, tempWarehouse } from '../helpers/warehouse.ts';

const key = (f: Figure) => `${f.indicator}|${f.scope}|${f.scope_id ?? ''}`;

describe('indicator declarations', () => {
  it('declare units with decimals and names in both languages, and format in both', () => {
    for (const d of INDICATORS) {
      const u = UNITS[d.unit];
      expect(u, `${d.id}: unit ${d.unit}`).toBeDefined();
      expect(Number.isInteger(u!.decimals) && u!.decimals >= 0, d.unit).toBe(true);
      if (u!.count) expect(u!.decimals, `${d.unit} is a count: no decimals`).toBe(0);
      for (const lang of ['fr', 'en'] as const) {
        expect(u![lang].length, `${d.unit} ${lang}`).toBeGreaterThan(0);
        expect(formatValue(12345.678, d.unit, lang), `${d.id} ${lang}`).toMatch(/12[ ,]34[56]/);
      }
    }
  });

  it('METHODOLOGY.md holds the indicator reference generated from them (run `npm run methodology` after a change)', () => {
    const text = readFileSync(new URL('../../METHODOLOGY.md', import.meta.url), 'utf8');
    expect(withMethodologyBlock(text)).toBe(text);
    // both languages, every indicator
    const block = text.slice(text.indexOf(REFERENCE_BEGIN), text.indexOf(REFERENCE_END));
    for (const d of INDICATORS) expect(block.split(`| \`${d.id}\``).length - 1, d.id).toBe(2);
  });

  it('match the figures models one to one (SQL files, or TypeScript models of the figures layer)', () => {
    const sql = readdirSync(join(MODELS_DIR, 'figures')).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, ''));
    const ts = allModels().filter((m) => m.type === 'ts' && m.name.startsWith('fig_')).map((m) => m.name);
    expect([...sql, ...ts].sort()).toEqual(FAMILIES.map((f) => `fig_${f.id}`).sort());
  });
});

describe('on the golden network', () => {
  let wh: Warehouse;
  let figures: Figure[];
  beforeAll(async () => {
    wh = await tempWarehouse();
    await ingestGolden(wh, { atm: true });
    await ingestGoldenSurvey(wh);
    await ingestGoldenPanel(wh);
    const config = defaultConfig();
    config.did.outcomes = ['golden.y'];
    const run = await runPeriod(wh, parsePeriod('2023'), { config });
    figures = await runFigures(wh, run.runId);
  });

  it('every emitted indicator is declared, in its unit and scopes; every declared one is emitted', () => {
    for (const f of figures) {
      const d = indicatorDef(f.indicator);
      expect(d, `${f.indicator} is emitted but declared in no family`).toBeDefined();
      expect(f.unit, f.indicator).toBe(d!.unit);
      expect(d!.scopes, `${f.indicator} for scope ${f.scope}`).toContain(f.scope);
    }
    const emitted = new Set(figures.map((f) => f.indicator));
    for (const d of INDICATORS) {
      if (d.pattern) expect([...emitted].some((id) => d.pattern!.test(id)), `${d.id} is declared but not emitted on the golden network`).toBe(true);
      else expect(emitted, `${d.id} is declared but not emitted on the golden network`).toContain(d.id);
    }
    // the ATM, 0.1° north of C2: its 7 cash uses × 11.119508 km = 77.836556 km
    expect(figures.find((f) => f.indicator === 'km_saved.cash' && f.scope === 'network')?.value).toBe(77.836556);
  });

  it('a figures model emitting an undeclared indicator stops the run as a bug, naming it', async () => {
    const models = tempDir('models-');
    cpSync(MODELS_DIR, models, { recursive: true });
    writeFileSync(
      join(models, 'figures', 'fig_events.sql'),
      "-- grain: one row per indicator × scope × scope_id\n-- check not_null: indicator\nselect 'events.typo' as indicator, 'network' as scope, null::VARCHAR as scope_id, null::VARCHAR as scope_label, 1 as value, null::BIGINT as people\n",
    );
    const failure = await runPeriod(wh, parsePeriod('2023'), { config: defaultConfig(), modelsDir: models }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InternalError);
    expect((failure as Error).message).toBe('fig_events emits indicator events.typo, which family events does not declare (src/indicators/families/)');
  });

  it('a dummy indicator needs only its declaration and its SQL file', async () => {
    // Its SQL: everyone taking part, whatever their role. Golden network: C1 has PR01–PR05 and
    // PEL01 → 6 people; C2 has PR06 and PR01 → 2; the network PR01–PR06 and PEL01 → 7.
    const models = tempDir('models-');
    cpSync(MODELS_DIR, models, { recursive: true });
    writeFileSync(
      join(models, 'figures', 'fig_dummy.sql'),
      [
        '-- A test family: everyone taking part, whatever their role.',
        '-- grain: one row per indicator × scope × scope_id',
        '-- check not_null: indicator, scope, people',
        "select 'dummy.participants' as indicator, s.scope, s.scope_id, s.scope_label, count(distinct p.person_key) as value, count(distinct p.person_key) as people",
        'from stg_participation p join int_cafe_scopes s on s.cafe_id = p.cafe_id group by all',
      ].join('\n'),
    );
    const dummy: IndicatorFamily = {
      id: 'dummy',
      label: { fr: 'Participants', en: 'Participants' },
      scopes: ['network', 'region', 'department', 'cafe', 'model', 'stage'],
      suppression: 'people',
      indicators: [
        {
          id: 'dummy.participants',
          unit: 'people',
          label: { fr: 'Participants (tous rôles)', en: 'Participants (any role)' },
          definition: { fr: 'Personnes distinctes ayant participé.', en: 'Distinct people who took part.' },
          formula: { fr: 'count(distinct person_key)', en: 'count(distinct person_key)' },
          parameters: ['disclosure.min_cell'],
          detail: 'stg_participation',
        },
      ],
      explain: { kind: 'scopes' },
    };
    const families = [...FAMILIES, dummy];
    const before = await runFigures(wh, (await latestRun(wh, '2023')).run_id);
    const config = defaultConfig();
    config.did.outcomes = ['golden.y']; // as the first run
    const run = await runPeriod(wh, parsePeriod('2023'), { config, families, modelsDir: models });
    const after = await runFigures(wh, run.runId);
    const mine = after.filter((f) => f.indicator === 'dummy.participants');
    const at = (scope: string, id: string | null) => mine.find((f) => f.scope === scope && f.scope_id === id);
    expect(at('network', null)).toMatchObject({ value: 7, unit: 'people', suppressed: false });
    // C2: 2 people < min_cell 5 → suppressed by the declared rule (primary); department 52 holds
    // C2 alone, so it is hidden with it, and region 44 (C1 + C2) then needs a second hidden child
    // among its departments: 51, whose only café C1 is hidden with it.
    expect(at('cafe', 'C2')).toMatchObject({ value: null, suppressed: true });
    expect(at('department', '52')).toMatchObject({ value: null, suppressed: true });
    expect(at('cafe', 'C1')).toMatchObject({ value: null, suppressed: true });
    // nothing else changed
    const strip = (fs: Figure[]) => fs.filter((f) => f.indicator !== 'dummy.participants').map((f) => `${key(f)}=${f.value}/${f.suppressed}`).sort();
    expect(strip(after)).toEqual(strip(before));
    // labelled in the exports, explained by scope
    const prov = await latestRun(wh, '2023');
    expect(figuresToCsv(mine, prov, { families })).toContain(';Participants (tous rôles);');
    const x = await explainIndicator(wh, 'dummy.participants', '2023', { families });
    expect(x.network?.value).toBe(7);
    expect('figures' in x.breakdown && x.breakdown.figures.length).toBe(mine.length);
  });
});
