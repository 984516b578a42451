#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package works straight from a clone
// (`npm install && npx cafe-impact demo`) without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
