#!/usr/bin/env node
/**
 * Second half of `npm run build` (after `tsc -p tsconfig.build.json`): copies what the compiled
 * code reads beside itself (the SQL migrations) and writes dist/build-info.json, the code
 * version every load and run records: the package version and the commit the build was made
 * from — only when this package's own folder is the top of its git checkout (never the commit
 * of another repository it is installed in), `+dirty` only when that tree had uncommitted changes.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'db', 'migrations');
const to = join(root, 'dist', 'db', 'migrations');
mkdirSync(to, { recursive: true });
for (const f of readdirSync(from).filter((x) => x.endsWith('.sql'))) copyFileSync(join(from, f), join(to, f));

const git = (...args) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let commit = null;
let dirty = false;
try {
  if (realpathSync(git('rev-parse', '--show-toplevel')) === realpathSync(root)) {
    commit = git('rev-parse', '--short=12', 'HEAD');
    dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  }
} catch {
  // not a git checkout (a tarball): the package version alone
}
writeFileSync(join(root, 'dist', 'build-info.json'), `${JSON.stringify({ version, commit, dirty }, null, 2)}\n`);
console.log(`built cafe-impact ${version}${commit ? ` (${commit}${dirty ? '+dirty' : ''})` : ''}`);
