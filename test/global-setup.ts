/**
 * One temporary folder per test run, removed at its end: every warehouse a test makes (and, since
 * the published snapshots, up to three copies of it) lives there, so runs do not fill the disk.
 * TMPDIR is inherited by the test processes and the commands they spawn. World-readable, so that
 * a test may run a command as another user (test/db/query.test.ts).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'cafe-impact-tests-'));
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
