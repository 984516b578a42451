#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package works straight from a clone
// (`npm install && npx cafe-impact demo`) without a build step.
import { register } from 'tsx/esm/api';
register();
const { main, reportEscapedErrors } = await import('../src/cli/main.ts');
// Errors escaping main() get the same one-line report (stack only with --debug); a closed stdout
// (`| head`) is handled inside main().
reportEscapedErrors(process.argv);
process.exitCode = await main(process.argv);
