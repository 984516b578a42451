#!/usr/bin/env node
/**
 * Second half of `npm run build` (after `tsc -p tsconfig.build.json`): copies what the compiled
 * code reads beside itself (the SQL migrations, the plain JavaScript modules with their type
 * declarations, which tsc does not emit), makes the empty warehouse new ones are copied from, and writes dist/build-info.json, the code
 * version every load and run records: the package version and the commit the build was made
 * from — only when this package's own folder is the top of its git checkout (never the commit
 * of another repository it is installed in), `+dirty` only when that tree had uncommitted changes.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'db', 'migrations');
const to = join(root, 'dist', 'db', 'migrations');
mkdirSync(to, { recursive: true });
for (const f of readdirSync(from).filter((x) => x.endsWith('.sql'))) copyFileSync(join(from, f), join(to, f));
for (const f of readdirSync(join(root, 'src'), { recursive: true }).filter((x) => x.endsWith('.mjs') || x.endsWith('.d.mts'))) {
  mkdirSync(dirname(join(root, 'dist', f)), { recursive: true });
  copyFileSync(join(root, 'src', f), join(root, 'dist', f));
}

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
// The empty warehouse new warehouses are copied from (src/db/warehouse.ts, createFromTemplate):
// made by the compiled code itself, from scratch, in a temporary folder.
const template = join(root, 'dist', 'db', 'empty-warehouse.duckdb');
rmSync(template, { force: true });
const work = mkdtempSync(join(tmpdir(), 'cafe-impact-build-'));
try {
  const { Warehouse } = await import(pathToFileURL(join(root, 'dist', 'db', 'warehouse.js')).href);
  const wh = await Warehouse.open(join(work, 'empty.duckdb'));
  wh.close();
  if (existsSync(join(work, 'empty.duckdb.wal'))) throw new Error('the empty warehouse kept a write-ahead log after closing');
  copyFileSync(join(work, 'empty.duckdb'), template);
} finally {
  rmSync(work, { recursive: true, force: true });
}

writeFileSync(join(root, 'dist', 'build-info.json'), `${JSON.stringify({ version, commit, dirty }, null, 2)}\n`);
console.log(`built cafe-impact ${version}${commit ? ` (${commit}${dirty ? '+dirty' : ''})` : ''}`);
