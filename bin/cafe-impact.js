#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` / `npm ci` through the `prepare` script,
// or `npm run build`). Developers and tests may run the sources with `node --import tsx src/cli/main.ts`.
import { existsSync } from 'node:fs';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('error: cafe-impact is not built (dist/ is missing): run `npm run build` in the package folder\n');
  process.exit(2);
}
const cli = await import(main.href);
cli.reportEscapedErrors(process.argv);
process.exitCode = await cli.main(process.argv);
