/**
 * Clear errors and the right exit codes (README, "Exit codes"): bad arguments, paths or flags → 2;
 * a file refused for its content → 3 (nothing loaded); anything else → 1. Each is one line on
 * stderr without a stack trace. Also: a closed stdout (`| head`) ends quietly, data printed on a
 * terminal cannot carry control characters, and the rejects CSV neutralises formulas.
 *
 * The exit codes of commander's own errors and the closed pipe are checked on the real process
 * (bin/cafe-impact.js), the rest in-process (test/helpers/cli.ts runs the same main()).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { clip, printable, table } from '../../src/cli/format.ts';
import { fileErrors, ingestErrors, unreadableWhy, usage, warehouseErrors } from '../../src/core/messages.ts';
import { cli } from '../helpers/cli.ts';
import { CAFES_CSV, folder, tempDir } from '../helpers/warehouse.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs a command line (argv for node, or a bash script) as a real process from the repository root. */
function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // A warehouse of its own, so that nothing reaches the repository's warehouse/ folder.
    const env = { ...process.env, CAFE_IMPACT_WAREHOUSE: join(tempDir(), 'never-created.duckdb') };
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (status) => done({ status, stdout, stderr }));
  });
}
const cafeImpact = (...args: string[]) => run(process.execPath, ['bin/cafe-impact.js', ...args]);
/** A pipeline; the script exits with the status of cafe-impact (the left side), not of the reader. */
const pipeline = (script: string) => run('bash', ['-c', `${script}; exit \${PIPESTATUS[0]}`]);

/** stderr is exactly one line and carries no stack trace. */
function oneLine(stderr: string): string {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return stderr.trimEnd();
}

const USES_HEADER = 'cafe_id,date,service,uses';

describe.concurrent('as a real process: commander errors exit 2, a closed pipe ends quietly', () => {
  // A warehouse holding many rejected rows: 5,000 rows of uses -1…-5000, each below the minimum (0),
  // so `rejects --format csv` writes ~0.5 MB, far more than a pipe holds (64 KB on Linux).
  const many = join(tempDir(), 'many.duckdb');
  beforeAll(async () => {
    expect((await cli('--warehouse', many, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1')).code).toBe(0);
    const rows = Array.from({ length: 5000 }, (_, i) => `C1,2023-04-01,bread,-${i + 1}`);
    const r = await cli('--warehouse', many, 'ingest', folder({ 'service_uses.csv': `${USES_HEADER}\n${rows.join('\n')}\n` }), '--period', '2023-Q2');
    expect(r.code).toBe(3); // 100 % rejected: refused, its rejects kept for `rejects`
  });

  // The messages are commander 14's own texts (lib/command.js: unknownOption, missingArgument,
  // _checkForMissingMandatoryOptions, Option.choices, unknownCommand) on one line, followed by the
  // help of the command where it happened.
  it('an unknown option of a subcommand', async ({ expect }) => {
    const r = await cafeImpact('status', '--bogus');
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toBe("error: unknown option '--bogus' (see cafe-impact status --help)");
    expect(r.stdout).toBe('');
  });

  it('a missing argument of a nested subcommand', async ({ expect }) => {
    const r = await cafeImpact('reference', 'import');
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toBe("error: missing required argument 'kind' (see cafe-impact reference import --help)");
  });

  it('--help exits 0', async ({ expect }) => {
    const r = await cafeImpact('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: cafe-impact [options] [command]');
    expect(r.stderr).toBe('');
  });

  it('schema into a reader that has already gone: exit 0, nothing on stderr', async ({ expect }) => {
    // `true` exits without reading, long before cafe-impact has started (> 1 s): its write gets EPIPE.
    const r = await pipeline('node bin/cafe-impact.js schema | true');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('rejects --format csv | head -1: the header, exit 0, nothing on stderr', async ({ expect }) => {
    const r = await pipeline(`node bin/cafe-impact.js --warehouse '${many}' rejects --format csv | head -1`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // the CSV header of `rejects` (src/cli/main.ts, the columns of listRejects)
    expect(r.stdout).toBe('load_id,dataset,file_name,line,column_name,raw_value,reason,raw_line\n');
  });
});

// The same main() in-process (each process costs ~2.5 s of start-up: the other commander errors here).
describe('commander errors in-process', () => {
  it('a value outside the choices; an unknown command', async () => {
    const a = await cli('rejects', '--format', 'xml');
    expect(a.code).toBe(2);
    expect(oneLine(a.stderr)).toBe("error: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, csv, json. (see cafe-impact rejects --help)");
    const b = await cli('nope');
    expect(b.code).toBe(2);
    expect(oneLine(b.stderr)).toBe(`error: ${usage.commander("unknown command 'nope'", 'cafe-impact')}`);
  });

  it('a missing mandatory option; a misspelt option with its suggestion, on one line', async () => {
    const dir = folder({ 'cafes.csv': CAFES_CSV });
    const a = await cli('ingest', dir);
    expect(a.code).toBe(2);
    expect(oneLine(a.stderr)).toBe("error: required option '--period <period>' not specified (see cafe-impact ingest --help)");
    // commander's suggestion ("\n(Did you mean --dry-run?)") is joined to the line
    const b = await cli('ingest', dir, '--period', '2023-Q1', '--dryrun');
    expect(b.code).toBe(2);
    expect(oneLine(b.stderr)).toBe("error: unknown option '--dryrun' (Did you mean --dry-run?) (see cafe-impact ingest --help)");
  });

  it('--version and a subcommand --help exit 0; no command at all prints the help and exits 2', async () => {
    const v = await cli('--version');
    expect([v.code, v.stderr]).toEqual([0, '']);
    expect(v.stdout).toMatch(/^0\.1\.0/); // package.json "version"
    const h = await cli('ingest', '--help');
    expect([h.code, h.stderr]).toEqual([0, '']);
    expect(h.stdout).toContain('Usage: cafe-impact ingest [options] <folder>');
    const n = await cli();
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('Usage: cafe-impact [options] [command]');
  });
});

describe('a warehouse that does not exist', () => {
  it('read commands say so and exit 2, creating neither the file nor its folder', async () => {
    const dir = join(tempDir(), 'sub');
    const wh = join(dir, 'w.duckdb');
    const commands = [
      ['status'],
      ['rejects'],
      ['figures', '--period', '2023'],
      ['explain', 'km_saved', '--period', '2023'],
      ['run', '--period', '2023'],
      ['unload', 'L1'],
      ['reload', 'L1'],
    ];
    for (const c of commands) {
      const r = await cli('--warehouse', wh, ...c);
      expect([c[0], r.code]).toEqual([c[0], 2]);
      expect(oneLine(r.stderr)).toBe(`error: ${warehouseErrors.missing(wh)}`);
    }
    expect(existsSync(dir)).toBe(false);
    // ingest creates it
    expect((await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1')).code).toBe(0);
    expect(existsSync(wh)).toBe(true);
  });

  it('a warehouse path under a file: exit 2 naming it', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const wh = join(file, 'w.duckdb');
    const r = await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`error: cannot create warehouse ${wh}: ${file}: is a file, not a folder`);
  });
});

describe('paths given by the user', () => {
  const wh = join(tempDir(), 'w.duckdb');
  beforeAll(async () => {
    expect((await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': CAFES_CSV }), '--period', '2023-Q1')).code).toBe(0);
  });
  const loads = async () => (JSON.parse((await cli('--warehouse', wh, 'status', '--json')).stdout) as { loads: unknown[] }).loads.length;

  it('figures --output into a folder that does not exist: exit 2, nothing written', async () => {
    const missing = join(tempDir(), 'no', 'such');
    const out = join(missing, 'f.csv');
    const r = await cli('--warehouse', wh, 'figures', '--period', '2023', '--format', 'csv', '--output', out);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`error: ${usage.outputNoFolder(out, missing)}`);
    expect(existsSync(join(missing, '..'))).toBe(false);
  });

  it('a folder argument that is a file, or missing: exit 2', async () => {
    const file = join(tempDir(), 'cafes.csv');
    writeFileSync(file, CAFES_CSV);
    const a = await cli('--warehouse', wh, 'ingest', file, '--period', '2023-Q2');
    expect(a.code).toBe(2);
    expect(oneLine(a.stderr)).toBe(`error: ${ingestErrors.notAFolder(file)}`);
    const missing = join(tempDir(), 'nope');
    const b = await cli('--warehouse', wh, 'ingest', missing, '--period', '2023-Q2');
    expect(b.code).toBe(2);
    expect(oneLine(b.stderr)).toBe(`error: ${ingestErrors.noSuchFolder(missing)}`);
  });

  it('a dataset file that cannot be read is refused (exit 3), naming it and why; nothing loaded', async () => {
    const before = await loads();
    // ln -s service_uses.csv service_uses.csv: stat fails with ELOOP
    const loop = tempDir();
    symlinkSync('service_uses.csv', join(loop, 'service_uses.csv'));
    // a link to a file that is not there: ENOENT on a name readdir just listed
    const dangling = folder({ 'cafes.csv': CAFES_CSV });
    symlinkSync('gone.csv', join(dangling, 'service_uses.csv'));
    // a folder named like a dataset file
    const dir = tempDir();
    mkdirSync(join(dir, 'cafes.csv'));
    const cases: [string, string][] = [
      [loop, 'service_uses.csv: cannot be read (symbolic link loop)'],
      [dangling, 'service_uses.csv: cannot be read (broken symbolic link: its target does not exist)'],
      [dir, 'cafes.csv: cannot be read (it is a folder, not a file)'],
    ];
    // the hand-written texts are the catalogue's
    expect(cases.map(([, why]) => why)).toEqual([
      fileErrors.unreadable('service_uses.csv', unreadableWhy.linkLoop()),
      fileErrors.unreadable('service_uses.csv', unreadableWhy.brokenLink()),
      fileErrors.unreadable('cafes.csv', unreadableWhy.folder()),
    ]);
    for (const [f, why] of cases) {
      const r = await cli('--warehouse', wh, 'ingest', f, '--period', '2023-Q2');
      expect(r.code).toBe(3);
      expect(oneLine(r.stderr)).toBe(`error: ${ingestErrors.failed(why)}`);
    }
    expect(await loads()).toBe(before);
  });

  it('a file-system error reaching the top level is one line naming the path, exit 2', async () => {
    // demo generates its data into --data: under a regular file, mkdir fails with ENOTDIR
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const r = await cli('--warehouse', join(tempDir(), 'demo.duckdb'), 'demo', '--data', join(file, 'demo'));
    expect(r.code).toBe(2);
    const line = oneLine(r.stderr);
    expect(line.startsWith(`error: ${join(file, 'demo')}`)).toBe(true);
    expect(line.endsWith(': a part of the path is not a folder')).toBe(true); // ENOTDIR in words
    expect(line).not.toContain('unexpected error');
  });
});

describe('control characters from the data are escaped on a terminal', () => {
  it('printable: C0, DEL, C1, U+2028/2029 and bidi controls escaped; other text unchanged', () => {
    // expected escapes written by hand from the code points: ESC = 0x1b, NUL = 0x00, BEL = 0x07,
    // DEL = 0x7f, CSI (C1) = 0x9b, RLO = U+202E
    expect(printable('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printable('l1\r\nl2\tx')).toBe('l1\\r\\nl2\\tx');
    expect(printable('\0\x07\x7f\x9b')).toBe('\\x00\\x07\\x7f\\x9b');
    expect(printable('p\u2028q\u2029r\u202es')).toBe('p\\u2028q\\u2029r\\u202es');
    expect(printable('Le Cœur du Village — L’Étape 😀 C:\\x')).toBe('Le Cœur du Village — L’Étape 😀 C:\\x');
  });

  it('table and clip escape, clip never cuts inside an escape', () => {
    expect(table([{ name: 'x\ny' }])).toBe('name\n----\nx\\ny');
    // 'ab' + ESC: "ab\x1b" is 6 characters; cut at 5 keeps "ab" and the ellipsis, not "ab\x1"
    expect(clip('ab\x1bcd', 5)).toBe('ab…');
    expect(clip('a\nb', 10)).toBe('a\\nb');
  });

  it('rejects, figures and explain show hostile values escaped; rejects --format csv neutralises formulas', async () => {
    const wh = join(tempDir(), 'w.duckdb');
    const name = 'Bar\x1b[2J\u2028Fake\u009b31m';
    const cafes = `cafe_id,name,commune_insee,lat,lon,model,stage\nC1,"${name}",51356,48.0,4.0,associative,operating\n`;
    const facilities = 'facility_id,service,lat,lon,source\nB1,bread,48.1,4.0,test\n';
    expect((await cli('--warehouse', wh, 'ingest', folder({ 'cafes.csv': cafes, 'facilities.csv': facilities }), '--period', '2023-Q1')).code).toBe(0);
    const uses = [USES_HEADER, 'C1,2023-03-01,bread,10', 'C1,2023-03-02,bre\x1bad,1', 'C1,2023-03-03,bread,=1+1', 'C1,2023-03-04,bread,@SUM(A1)', 'C1,2023-03-05,bread,-2'].join('\n');
    expect((await cli('--warehouse', wh, 'ingest', folder({ 'service_uses.csv': `${uses}\n` }), '--period', '2023', '--threshold', '1')).code).toBe(0);
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/; // any control but the line feed ending lines

    const rej = await cli('--warehouse', wh, 'rejects');
    expect(rej.stdout).not.toMatch(raw);
    expect(rej.stdout).toContain('bre\\x1bad');

    // the CSV keeps the data as it is (ESC included) but a cell starting with = + - @ gets a quote
    // (OWASP CSV injection rule, as in the figures CSV)
    const csv = (await cli('--warehouse', wh, 'rejects', '--format', 'csv')).stdout.split('\n');
    const value = (line: number) => csv.find((l) => l.includes(`,service_uses.csv,${line},`))!.split(',')[5];
    expect([value(3), value(4), value(5), value(6)]).toEqual(['bre\x1bad', "'=1+1", "'@SUM(A1)", "'-2"]);

    expect((await cli('--warehouse', wh, 'run', '--period', '2023')).code).toBe(0);
    const escaped = 'Bar\\x1b[2J\\u2028Fake\\x9b31m';
    const figs = await cli('--warehouse', wh, 'figures', '--period', '2023', '--scope', 'cafe');
    expect(figs.stdout).not.toMatch(raw);
    expect(figs.stdout).toContain(escaped);
    const ex = await cli('--warehouse', wh, 'explain', 'km_saved.bread', '--period', '2023');
    expect(ex.stdout).not.toMatch(raw);
    expect(ex.stdout).toContain(escaped);
  });
});
