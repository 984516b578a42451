/** Rewrites METHODOLOGY.md's indicator reference from the declarations (src/indicators/families/). */
import { readFileSync, writeFileSync } from 'node:fs';
import { withMethodologyBlock } from '../src/indicators/reference-doc.ts';

const path = new URL('../METHODOLOGY.md', import.meta.url);
writeFileSync(path, withMethodologyBlock(readFileSync(path, 'utf8')));
console.log('METHODOLOGY.md: indicator reference regenerated');
