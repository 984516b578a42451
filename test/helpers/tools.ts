/**
 * Software the project did not write, used by tests as real clients (LibreOffice, poppler, R,
 * Chromium): never a dependency of the product. Locally a missing tool skips its tests with a
 * visible warning naming the Debian package; in CI (`CI=true`, where .ci/run installs them) it
 * fails.
 */
import { spawnSync } from 'node:child_process';

export function requireTool(command: string, debianPackage: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (!found) {
    if (process.env.CI === 'true') throw new Error(`${command} is missing; in CI it is required (apt-get install ${debianPackage})`);
    console.warn(`${command} is missing (apt-get install ${debianPackage}): tests using it are skipped`);
  }
  return found;
}
