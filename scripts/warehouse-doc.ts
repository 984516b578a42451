/** Rewrites docs/WAREHOUSE.md from the warehouse's own descriptions (src/db/descriptions.ts). */
import { writeFileSync } from 'node:fs';
import { warehouseMarkdown } from '../src/runs/warehouse-doc.ts';

writeFileSync(new URL('../docs/WAREHOUSE.md', import.meta.url), await warehouseMarkdown());
console.log('docs/WAREHOUSE.md regenerated');
