/**
 * The demo as the library runs it (src/demo/demo.ts), on a small network: a second run on the
 * same warehouse keeps the loads (ingesting the Q1 reference folder again would rewrite the
 * history the Q3 café list wrote) and runs the year again, with the same figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { runDemo } from '../../src/demo/demo.ts';
import { runFigures } from '../../src/figures/store.ts';
import { cli } from '../helpers/cli.ts';
import { requireTool } from '../helpers/tools.ts';
import { tempDir } from '../helpers/warehouse.ts';

describe('cafe-impact demo', () => {
  it('runs again on its own warehouse: the loads kept, the same figures', async () => {
    const dir = tempDir('demo-');
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const first = await runDemo(wh, { data: join(dir, 'data'), scale: 0.3 });
      const loads = await wh.scalar<number>('SELECT count(*) FROM loads');
      let kept = '';
      const second = await runDemo(wh, { data: join(dir, 'data'), scale: 0.3, onAlreadyLoaded: (d) => (kept = d) });
      expect(kept).toBe(join(dir, 'data'));
      expect(await wh.scalar<number>('SELECT count(*) FROM loads')).toBe(loads);
      const strip = async (runId: string) => (await runFigures(wh, runId)).map(({ run_id: _r, ...f }) => f);
      expect(await strip(second.runId)).toEqual(await strip(first.runId));
    } finally {
      wh.close();
    }
  }, 120_000);
});

const hasPoppler = requireTool('pdftotext', 'poppler-utils');

describe.runIf(hasPoppler)('cafe-impact demo as a user runs it', () => {
  it('ends by writing the annual report and a funder\'s report, HTML and PDF, and prints their paths', async () => {
    const dir = tempDir('demo-cli-');
    const r = await cli('--warehouse', join(dir, 'w.duckdb'), 'demo', '--data', join(dir, 'data'), '--scale', '0.3');
    expect(r.code, r.stderr).toBe(0);
    const paths = [...r.stdout.matchAll(/^[^\n]*? : (\/\S+\.(?:html|pdf))$/gm)].map((m) => m[1]!);
    expect(paths.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['annual-2023.fr.html', 'annual-2023.fr.pdf', 'annual-2023.en.html', 'cohesion-2023.fr.html', 'cohesion-2023.fr.pdf']);
    for (const p of paths) expect(existsSync(p), p).toBe(true);
    // the PDF read back by poppler: French thousands ("12 345 km", a space between thousands) and the DiD effect
    const text = spawnSync('pdftotext', ['-layout', paths[4]!, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/Kilomètres évités — total\s+\d{1,3}(?: \d{3})+ km/);
    expect(text).toContain('Effet du café sur services.local_per_1000');
    expect(readFileSync(paths[0]!, 'utf8')).toContain('<html lang="fr">');
  }, 180_000);
});
