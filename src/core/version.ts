/**
 * The code version recorded with every load and run: the package version and the commit the
 * code was built from. The compiled package reads `dist/build-info.json`, written at build time
 * (scripts/build-assets.mjs); running from the sources (tsx, tests), the same is asked of git —
 * only when this package's folder is the top of its checkout, never another repository's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The package's folder: this file is src/core/version.ts, or dist/core/version.js once built. */
const root = join(here, '../..');
let cached: string | undefined;

export function codeVersion(): string {
  if (cached) return cached;
  const built = join(here, '..', 'build-info.json'); // dist/build-info.json when compiled; absent beside src/
  let info: { version: string; commit: string | null; dirty: boolean };
  if (existsSync(built)) info = JSON.parse(readFileSync(built, 'utf8'));
  else {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    info = { version, commit: null, dirty: false };
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
      if (realpathSync(git('rev-parse', '--show-toplevel')) === realpathSync(root)) {
        info.commit = git('rev-parse', '--short=12', 'HEAD');
        info.dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
      }
    } catch {
      // not a git checkout: the package version alone
    }
  }
  cached = info.commit ? `${info.version} (${info.commit}${info.dirty ? '+dirty' : ''})` : info.version;
  return cached;
}
