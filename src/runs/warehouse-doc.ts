/**
 * docs/WAREHOUSE.md, generated: a warehouse with every migration applied and every model built
 * once on it (empty, so that every table the pipeline makes exists), described by
 * src/db/descriptions.ts. `npm run warehouse-doc` writes it; test/db/descriptions.test.ts
 * fails when the committed file differs.
 */
import { parsePeriod } from '../core/period.ts';
import { describeWarehouse, warehouseDoc, type Described } from '../db/descriptions.ts';
import { Warehouse } from '../db/warehouse.ts';
import { runModels } from '../models/runner.ts';
import { allModels, modelParams } from './run.ts';
import { defaultConfig } from './config.ts';

/** Every table and view of a warehouse that has run once, described. */
export async function describedTables(): Promise<Described[]> {
  const wh = await Warehouse.open(':memory:');
  try {
    const config = defaultConfig();
    const models = allModels({ config });
    await runModels(wh, models, modelParams(parsePeriod('2023'), config));
    return await describeWarehouse(wh, models);
  } finally {
    wh.close();
  }
}

export async function warehouseMarkdown(): Promise<string> {
  return warehouseDoc(await describedTables());
}
