#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package works straight from a clone
// (`npm install && npx cafe-impact demo`) without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
