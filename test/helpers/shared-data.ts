/**
 * Access to the real open-data samples in `../shared/data` (outside the repository, never copied
 * into it). Locally a missing sample skips its tests with a visible warning; in CI
 * (`CI=true`) it fails, so a broken checkout of the samples cannot pass silently.
 * `SHARED_DATA_DIR` overrides the location.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Absolute path of a sample, e.g. `sharedDataPath('facilities/laposte_points_contact_2025.csv')`. */
export function sharedDataPath(rel: string): string {
  return join(SHARED_DATA_DIR, rel);
}

/**
 * Path of a sample and whether it exists. Absent: warns naming the file (use with
 * `it.skipIf(!sample.exists)`), or throws when `CI=true`.
 */
export function requireSharedData(rel: string): { path: string; exists: boolean } {
  const path = sharedDataPath(rel);
  const exists = existsSync(path);
  if (!exists) {
    if (process.env.CI === 'true') throw new Error(`shared data sample missing: ${path}; in CI the samples are required`);
    console.warn(`shared data sample missing: ${path} (tests using it are skipped)`);
  }
  return { path, exists };
}
