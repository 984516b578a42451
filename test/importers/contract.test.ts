import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATASETS } from '../../src/contract/datasets.ts';
import { DEFAULT_SERVICE_TYPES, IMPORTERS } from '../../src/importers/index.ts';
import type { ImportResult } from '../../src/importers/types.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

/** The rows as the ingest will see them: null written as an empty cell, i.e. an absent value. */
function contractProblems(r: ImportResult): string[] {
  const schema = DATASETS[r.dataset]!.schema;
  const problems: string[] = [];
  for (const row of r.rows) {
    const present = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
    const parsed = schema.safeParse(present);
    if (!parsed.success) problems.push(`${JSON.stringify(row)}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    if (problems.length >= 5) break;
  }
  const key = DATASETS[r.dataset]!.key!;
  const keys = new Set(r.rows.map((row) => key.map((k) => row[k]).join('\u0000')));
  if (keys.size !== r.rows.length) problems.push(`${r.rows.length - keys.size} duplicate keys (${key.join(', ')})`);
  return problems;
}

describe('IMPORTERS', () => {
  it('lists the seven kinds with their dataset', () => {
    expect(Object.fromEntries(Object.entries(IMPORTERS).map(([k, v]) => [k, v.dataset]))).toEqual({
      bpe: 'facilities', laposte: 'facilities', geojson: 'facilities', communes: 'commune_positions', census: 'commune_indicators', access: 'commune_indicators', filosofi: 'commune_indicators',
    });
    expect(DEFAULT_SERVICE_TYPES.bpe).toEqual({ bread: ['B207', 'B203'], cash: [], post: ['A206', 'A207', 'A208'] });
  });

  const samples: [string, string][] = [
    ['bpe', 'facilities/bpe2023_gironde33_points.csv'],
    ['laposte', 'facilities/laposte_points_contact_2025.csv'],
    ['communes', 'communes/communes_france_2024.csv'],
    ['filosofi', 'indicators/filosofi_2021_communes.csv'],
    ['access', 'indicators/pop_eloignee_equipements_2021.csv'],
    ['census', 'communes/communes_france_2024.csv'],
  ];
  for (const [kind, rel] of samples) {
    const sample = requireSharedData(rel);
    it.skipIf(!sample.exists)(`${kind}: every row of ${rel} satisfies the data contract, keys unique`, async () => {
      const r = await IMPORTERS[kind]!.convert(sample.path);
      expect(r.read).toBe(r.rows.length + r.skipped + r.rejects.length);
      expect(r.rows.length).toBeGreaterThan(0);
      expect(contractProblems(r)).toEqual([]);
    });
  }
});

describe('requireSharedData', () => {
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
    vi.restoreAllMocks();
  });

  it('warns and reports absence locally', () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(requireSharedData('nope/absent.csv').exists).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/shared data sample missing: .*nope\/absent\.csv/));
  });

  it('fails in CI', () => {
    process.env.CI = 'true';
    expect(() => requireSharedData('nope/absent.csv')).toThrow(/nope\/absent\.csv.*in CI the samples are required/);
  });
});
