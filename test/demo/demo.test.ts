/**
 * The demo as the library runs it (src/demo/demo.ts), on a small network: a second run on the
 * same warehouse keeps the loads (ingesting the Q1 reference folder again would rewrite the
 * history the Q3 café list wrote) and runs the year again, with the same figures.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { runDemo } from '../../src/demo/demo.ts';
import { runFigures } from '../../src/figures/store.ts';
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
