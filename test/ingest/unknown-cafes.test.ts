/**
 * Sales lines naming a café no café file has: the checks of rows written straight to their table
 * list the unknown ids first (one aggregate) and test each row against the list; beyond 1,000
 * unknown ids they join every row with the cafés, as the other checks do. Both ways, every line
 * naming an unknown café is rejected with its reason and every other line kept — counted here by
 * construction of the files.
 */
import { describe, expect, it } from 'vitest';
import { reasons } from '../../src/core/messages.ts';
import { CAFES_CSV, folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

const HEAD = 'cafe_id,ts,category,amount_eur,qty';

async function rejectsOf(unknownIds: number) {
  // 3 known cafés (CAFES_CSV: C1 C2 C3); line i names C1..C3 when i is even, else unknown id X<i mod n>
  const lines = Array.from({ length: 4000 }, (_, i) => `${i % 2 === 0 ? `C${1 + (i % 3)}` : `X${i % unknownIds}`},2023-05-0${1 + (i % 9)} 10:00:00,pain,1.5,1`);
  const wh = await tempWarehouse();
  try {
    const rep = await ingest(wh, folder({ 'cafes.csv': CAFES_CSV, 'sales.csv': [HEAD, ...lines].join('\n') + '\n' }), '2023', { threshold: 1 });
    const f = rep.files.find((x) => x.dataset === 'sales')!;
    return { f, kept: Number(await wh.scalar('SELECT count(*) FROM sales')) };
  } finally {
    wh.close();
  }
}

describe('lines naming a café no café file has', () => {
  for (const n of [3, 1001]) {
    it(`are rejected, each on its line, with ${n} distinct unknown ids`, async () => {
      const { f, kept } = await rejectsOf(n);
      // 2,000 odd lines name an unknown id (X0…X<n-1>), 2,000 even lines a known café
      expect(f.rejected).toBe(2000);
      expect(kept).toBe(2000);
      expect(new Set(f.rejects.map((r) => r.reason))).toEqual(new Set([reasons.unknownCafe()]));
      expect(f.rejects.every((r) => r.column === 'cafe_id' && /^X\d+$/.test(r.value ?? ''))).toBe(true);
      // line of data row i (0-based) = i + 2; odd rows are the unknown ones
      expect(f.rejects.map((r) => r.line)).toEqual(Array.from({ length: 2000 }, (_, k) => 2 * k + 1 + 2));
    });
  }
});
