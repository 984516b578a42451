/**
 * The compiled package as a user gets it (`npm test` builds it before vitest runs): what `npm
 * pack` ships, the version the installed command prints, the hashing worker, and the empty
 * warehouse new warehouses are copied from.
 *
 * Expected values come from outside the code under test: the file list from npm itself
 * (`npm pack --dry-run --json`), the version from package.json and git, the file facts from
 * Node's crypto over the whole file read at once, the template's contents from a warehouse
 * created from scratch by the TypeScript sources (which have no template).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { fileFacts } from '../../src/ingest/prepare.ts';
import { tempDir } from '../helpers/warehouse.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const built = existsSync(join(DIST, 'cli', 'main.js'));

describe('the compiled package', () => {
  it('is built (npm test builds it: `npm run build`)', () => {
    expect(built, 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
  });

  it('npm pack ships the compiled code, models, migrations, the empty warehouse and the docs; nothing from test/, scripts/ or .ci/', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString()) as [{ files: { path: string }[] }];
    const paths = pack.files.map((f) => f.path);
    expect(paths.filter((p) => /^(test|scripts|\.ci|src)\//.test(p) || p.startsWith('.bench'))).toEqual([]);
    for (const p of ['bin/cafe-impact.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/ingest/file-facts.mjs', 'dist/db/migrations/001_initial.sql', 'dist/db/empty-warehouse.duckdb', 'dist/build-info.json', 'README.md', 'METHODOLOGY.md']) {
      expect(paths, p).toContain(p);
    }
    expect(paths.some((p) => p.startsWith('models/') && p.endsWith('.sql'))).toBe(true);
    // the report templates and their chart specs, and the reports' entry point
    for (const p of ['reports/annual/template.json', 'reports/annual/km.vl.json', 'reports/cafe-sheet/template.json', 'dist/reports/index.js', 'dist/reports/index.d.ts']) expect(paths, p).toContain(p);
  });

  it('a JavaScript program renders a report through `cafe-impact/reports` (the compiled package, as its README shows)', async () => {
    const { reportWarehouse } = await import('../helpers/report-network.ts');
    const path = await reportWarehouse();
    const script = `
      import { Warehouse, parsePeriod } from 'cafe-impact';
      import { renderReport, loadTemplate, parseFor } from 'cafe-impact/reports';
      const wh = await Warehouse.open(${JSON.stringify(path)}, { readOnly: true, migrate: false });
      const { content, model } = await renderReport(wh, loadTemplate('cafe-sheet'), { period: parsePeriod('2023'), lang: 'fr', format: 'pdf', for: parseFor('cafe:C1') });
      wh.close();
      console.log(JSON.stringify({ head: content.subarray(0, 5).toString(), title: model.title }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }).toString()) as { head: string; title: string };
    expect(out).toEqual({ head: '%PDF-', title: 'Fiche du café — Café Un — 2023' });
  }, 60_000);

  it('`cafe-impact --version` prints the package version and the commit the build was made from', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const printed = execFileSync(process.execPath, [join(ROOT, 'bin', 'cafe-impact.js'), '--version']).toString().trim();
    let commit: string | undefined;
    try {
      commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      commit = undefined; // a tarball: the version alone
    }
    expect(printed).toMatch(commit ? new RegExp(`^${version.replace(/\./g, '\\.')} \\(${commit}(\\+dirty)?\\)$`) : new RegExp(`^${version}$`));
  });
});

describe('file facts (hash, UTF-8, BOM), on the main thread and in the worker', () => {
  // Expected: Node's crypto over the whole buffer; isUtf8 of the whole buffer.
  const check = async (buf: Buffer) => {
    const dir = tempDir();
    const p = join(dir, 'f.csv');
    writeFileSync(p, buf);
    const ff = await fileFacts(p);
    expect(ff).toEqual({ size: buf.length, sha256: createHash('sha256').update(buf).digest('hex'), utf8: (await import('node:buffer')).isUtf8(buf), bom: buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf });
  };
  it('small files (main thread): valid, BOM, a cut UTF-8 sequence at the end, a bad byte', async () => {
    await check(Buffer.from('a,b\n1,é\n'));
    await check(Buffer.from('\uFEFFa,b\n1,€\n'));
    await check(Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from('€').subarray(0, 2)]));
    await check(Buffer.from([0x61, 0x2c, 0xe9, 0x0a]));
  });
  it('a 40 MiB file (worker thread): a 3-byte character straddling every 4 MiB read, then one bad byte at the very end', async () => {
    // "€" is 3 bytes; a line of 1,048,575 bytes + LF puts characters across the 4 MiB boundaries.
    const line = Buffer.from(`${'€'.repeat(349_525)}\n`);
    const body = Buffer.concat(Array.from({ length: 40 }, () => line));
    await check(Buffer.concat([Buffer.from('\uFEFF'), body]));
    await check(Buffer.concat([body, Buffer.from([0xff])]));
  }, 60_000);
});

describe('the empty warehouse new warehouses are copied from (dist/db/empty-warehouse.duckdb)', () => {
  it('holds what a warehouse created from scratch holds: the same tables, columns, views, macros and rows', async () => {
    const started = Date.now() - 1000;
    const dir = tempDir();
    // From scratch: the TypeScript sources have no template beside them.
    expect(existsSync(join(ROOT, 'src', 'db', 'empty-warehouse.duckdb'))).toBe(false);
    const scratch = await Warehouse.open(join(dir, 'scratch.duckdb'));
    // From the template: the compiled Warehouse, as the installed command opens a new file.
    const compiled = (await import(join(DIST, 'db', 'warehouse.js'))) as { Warehouse: typeof Warehouse; TEMPLATE: string };
    expect(existsSync(compiled.TEMPLATE)).toBe(true);
    const copy = await compiled.Warehouse.open(join(dir, 'copy.duckdb'));
    try {
      const describeAll = async (wh: Warehouse) => {
        const shape = await wh.all(`SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_catalog = current_database() ORDER BY ALL`);
        const views = await wh.all(`SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND database_name = current_database() ORDER BY ALL`);
        const macros = await wh.all(`SELECT function_name, macro_definition FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') AND database_name = current_database() AND NOT internal ORDER BY ALL`);
        const tables = await wh.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary ORDER BY 1`);
        const rows: Record<string, unknown> = {};
        for (const { name } of tables) {
          // meta_migrations records when each migration was applied: the names and versions must agree
          const cols = name === 'meta_migrations' ? 'version, name' : '*';
          rows[name] = await wh.scalar(`SELECT count(*) || ':' || coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM (SELECT (${cols}) AS x FROM "${name}")`);
        }
        return { shape, views, macros, rows };
      };
      const a = await describeAll(scratch);
      const b = await describeAll(copy);
      expect(Object.keys(a.rows).length).toBeGreaterThan(20);
      expect(String(a.rows.ref_communes)).toMatch(/^3\d{4}:/); // ~34,900 communes
      expect(b).toEqual(a);
      // …and the copy really is the template: its migrations are dated from the build, before this test.
      const applied = await copy.scalar<string>(`SELECT max(applied_at)::VARCHAR FROM meta_migrations`);
      expect(new Date(applied).getTime()).toBeLessThan(started);
    } finally {
      scratch.close();
      copy.close();
    }
  }, 120_000);
});
