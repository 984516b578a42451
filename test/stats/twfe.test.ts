/**
 * Two-way fixed effects with the CR1 clustered SE (src/stats/twfe.ts) and Student's t
 * (src/stats/student-t.ts): by hand on a 2 × 2 panel, and against R's lm + sandwich::vcovCL
 * (test/reference/twfe.R, rerun here on generated panels, balanced and unbalanced).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/stats/prng.ts';
import { studentTCdf, studentTQuantile } from '../../src/stats/student-t.ts';
import { twfe, type PanelRow } from '../../src/stats/twfe.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('student t', () => {
  it('equals R: qt(0.975, 39), qt(0.975, 5), pt(2, 10)', () => {
    // print(qt(0.975, 39), digits = 17) etc. in R 4.2
    expect(studentTQuantile(0.975, 39)).toBeCloseTo(2.0226909200367604, 13);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5705818356363137, 13);
    expect(studentTCdf(2, 10)).toBeCloseTo(0.96330598261462974, 14);
  });
});

describe('twfe', () => {
  it('on a 2 × 2 panel is the difference in differences', () => {
    // A treated in 2021 only: (12 − 10) − (7 − 6) = 1. N = K = 4: no residual degree of
    // freedom, the SE is undefined (NaN; R's vcovCL gives NaN too)
    const rows: PanelRow[] = [
      { unit: 'A', time: 2020, y: 10, treated: 0 }, { unit: 'A', time: 2021, y: 12, treated: 1 },
      { unit: 'B', time: 2020, y: 6, treated: 0 }, { unit: 'B', time: 2021, y: 7, treated: 0 },
    ];
    const r = twfe(rows);
    expect(r.estimate).toBeCloseTo(1, 12);
    expect(r.k).toBe(4); // intercept, treated, 1 unit dummy, 1 year dummy
    expect(Number.isNaN(r.se)).toBe(true);
  });

  it('refuses a treatment without variation', () => {
    expect(() => twfe([{ unit: 'A', time: 1, y: 1, treated: 0 }, { unit: 'A', time: 2, y: 2, treated: 0 }, { unit: 'B', time: 1, y: 1, treated: 0 }, { unit: 'B', time: 2, y: 3, treated: 0 }])).toThrow(/no identifying variation/);
  });

  const hasR = requireTool('Rscript', 'r-base-core r-cran-sandwich');
  it.runIf(hasR)('equals R lm + sandwich::vcovCL(type = "HC1") on 40 communes × 6 years, balanced and unbalanced', () => {
    const rng = new Rng(2026);
    const panel: PanelRow[] = [];
    for (let c = 0; c < 40; c++) {
      const opens = c < 25 ? 2019 + (c % 5) : Infinity; // 25 cohorts 2019–2023, 15 never treated
      const fe = rng.normal(0, 2);
      for (let t = 2018; t <= 2023; t++) panel.push({ unit: `C${String(c).padStart(2, '0')}`, time: t, y: fe + 0.3 * (t - 2018) + (t >= opens ? 1.5 : 0) + rng.normal(0, 1), treated: t >= opens ? 1 : 0 });
    }
    const unbalanced = panel.filter((_, i) => i % 7 !== 3);
    for (const [name, rows] of [['balanced', panel], ['unbalanced', unbalanced]] as const) {
      const dir = tempDir('twfe-');
      writeFileSync(join(dir, 'panel.csv'), ['unit,time,y,treated', ...rows.map((r) => `${r.unit},${r.time},${r.y},${r.treated}`)].join('\n'));
      const out = spawnSync('Rscript', [new URL('../reference/twfe.R', import.meta.url).pathname, join(dir, 'panel.csv'), join(dir, 'out.csv')], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      const [estimate, se, qt, n, k] = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n')[1]!.split(',').map((x) => Number(x.replace(/"/g, '')));
      const r = twfe(rows);
      expect(Math.abs(r.estimate - estimate!) / Math.abs(estimate!), `${name} estimate`).toBeLessThan(1e-6);
      expect(Math.abs(r.se - se!) / se!, `${name} se`).toBeLessThan(1e-6);
      expect(r.nObs).toBe(n);
      expect(r.k).toBe(k); // 46 on the balanced panel: N = 240, K = 40 + 6
      expect(r.ciHigh - r.estimate).toBeCloseTo(qt! * se!, 6);
    }
  });
});
