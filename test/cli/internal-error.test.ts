/**
 * A broken invariant of the code (InternalError) reaches the user as what it is — a bug to
 * report, exit 1 — not as a user error. The library's `status` is replaced (vi.mock) by one that
 * breaks an invariant; everything else is the real CLI.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXIT, InternalError } from '../../src/core/errors.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { cli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';

vi.mock('../../src/loads/loads.ts', async (original) => ({
  ...(await original<typeof import('../../src/loads/loads.ts')>()),
  status: async () => {
    throw new InternalError('row conservation broken for x.csv: 3 written, 0 removed, 2 accepted');
  },
}));

describe('internal errors', () => {
  it('say "internal error", name the invariant, point to --debug, and exit 1', async () => {
    const path = join(tempDir(), 'w.duckdb');
    (await Warehouse.open(path)).close();
    const r = await cli('--warehouse', path, 'status');
    expect(r.code).toBe(EXIT.unexpected);
    expect(EXIT.unexpected).toBe(1); // the README's table
    expect(r.stderr.split('\n')[0]).toBe('internal error (a bug in cafe-impact, please report it with the --debug output): row conservation broken for x.csv: 3 written, 0 removed, 2 accepted');
    expect(r.stderr).toContain('run again with --debug for the stack trace');
    const d = await cli('--warehouse', path, '--debug', 'status');
    expect(d.stderr).toMatch(/InternalError: row conservation broken[\s\S]*at /);
  });
});
