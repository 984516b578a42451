#!/usr/bin/env node
/**
 * Reproduction (not a test, not a benchmark): SIGKILL of `cafe-impact run` while DuckDB writes
 * its checkpoint as the command closes the warehouse can leave a file that DuckDB 1.5.6 can no
 * longer open ("IO Error: Corrupt database file: computed checksum … does not match stored
 * checksum … in block at location …"), read-only or read-write, with or without its write-ahead
 * log. Found by test/ingest/fault-injection.test.ts (2 of 4 full runs of the suite on 2026-12-01
 * had one such trial); this script aims every kill at the close.
 *
 *   npm run build && node scripts/repro-kill-at-close.mjs [--trials 60] [--from 90] [--step 2]
 *
 * It builds a warehouse (3 cafés, 300,000 service uses for 2023-Q2, one run), then, for each
 * trial, copies it, runs `run --period 2023-Q2` with CAFE_IMPACT_PROFILE=1, kills the process
 * `from + (k mod 20) × step` ms after the run's last SQL statement (the figures query) is
 * printed, and opens the copy read-only. Measured on 2026-12-01 (2 cores): 1 corrupt file in
 * 20–60 kills landing 90–130 ms after that line (e.g. 124 ms), none in 69 kills with the code of
 * 29f88a1 (not significant either way).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '60' }, from: { type: 'string', default: '90' }, step: { type: 'string', default: '2' } } });
const bin = new URL('../bin/cafe-impact.js', import.meta.url).pathname;
const base = mkdtempSync(join(tmpdir(), 'kill-at-close-'));
const cli = (...args) => execFileSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

const ref = join(base, 'ref');
mkdirSync(ref);
writeFileSync(join(ref, 'cafes.csv'), 'cafe_id,name,commune_insee,lat,lon,model,stage,opened_on\nC1,Un,51356,48.70,4.80,associative,operating,2021-05-01\nC2,Deux,01001,46.15,4.93,entrepreneurial,opening,2023-03-15\nC3,Trois,52448,48.64,4.95,itinerant,operating,2023-05-01\n');
writeFileSync(join(ref, 'facilities.csv'), 'facility_id,service,lat,lon,source\nB1,bread,48.80,4.80,t\nP1,post,48.90,4.80,t\nA1,cash,48.74,4.95,t\n');
const big = join(base, 'big');
mkdirSync(big);
const services = ['bread', 'post', 'cash'];
let rows = 'cafe_id,date,service,uses\n';
for (let i = 0; i < 300_000; i++) rows += `C${1 + (i % 3)},2023-0${4 + (Math.floor(i / 3) % 3)}-${String(1 + (i % 28)).padStart(2, '0')},${services[Math.floor(i / 9) % 3]},${1 + (i % 5)}\n`;
writeFileSync(join(big, 'service_uses.csv'), rows);
const tpl = join(base, 'tpl.duckdb');
cli('--warehouse', tpl, 'ingest', ref, '--period', '2023-Q1');
cli('--warehouse', tpl, 'ingest', big, '--period', '2023-Q2');
cli('--warehouse', tpl, 'run', '--period', '2023-Q2');

let killed = 0;
let corrupt = 0;
for (let k = 0; k < Number(values.trials); k++) {
  const dir = join(base, `trial-${k}`);
  mkdirSync(dir);
  const path = join(dir, 'w.duckdb');
  copyFileSync(tpl, path);
  const delay = Number(values.from) + (k % 20) * Number(values.step);
  const child = spawn(process.execPath, [bin, '--warehouse', path, 'run', '--period', '2023-Q2'], { env: { ...process.env, CAFE_IMPACT_PROFILE: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let armed = false;
  child.stderr.on('data', (d) => {
    err += d;
    if (!armed && /\] SELECT indicator, scope, scope_id, scope_label/.test(err)) {
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), delay);
    }
  });
  const how = await new Promise((r) => child.on('close', (code, signal) => r(signal ?? code)));
  if (how === 'SIGKILL') killed++;
  try {
    const i = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const c = await i.connect();
    await c.run('SELECT count(*) FROM figures');
    await c.run('SELECT count(*) FROM service_uses');
    c.closeSync();
    i.closeSync();
    rmSync(dir, { recursive: true, force: true });
  } catch (e) {
    corrupt++;
    console.log(`trial ${k}: killed ${delay} ms after the figures query (${how}): ${e.message.split('\n')[0]} — kept in ${dir}`);
  }
}
console.log(`${killed} of ${values.trials} processes killed, ${corrupt} warehouse${corrupt === 1 ? '' : 's'} left unreadable (in ${base})`);
