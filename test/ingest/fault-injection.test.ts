/**
 * Fault injection: `cafe-impact ingest` and `cafe-impact run` SIGKILLed at 30 seeded random
 * moments inside their work. After each kill, before any cafe-impact code touches the file
 * (Warehouse.open runs migrations and crash recovery), the warehouse is opened read-only straight
 * with @duckdb/node-api and must show exactly the previous state or exactly the new one — what a
 * researcher reading the file at that moment would see. Then the warehouse is opened normally
 * through the CLI (recovery), the killed command is run again to completion, and the figures of
 * `run` must be identical to those of a clean, never-killed sequence.
 *
 * How the kills are timed. A CLI process spends ~1.5–2 s loading its modules before it opens the
 * warehouse, and that start-up varies from one process to the next by more than the work itself
 * lasts, so a delay counted from spawn would mostly land in the start-up. Each child therefore
 * runs with CAFE_IMPACT_PROFILE=1, which prints a line on stderr after every SQL statement and
 * step (hashing, scanning…): the first line (`open`, just after DuckDB opened the file) is the
 * moment the work starts, and the lines that follow mark its progress. One un-killed run of each command is
 * measured: W = exit − first line. The kills aim at first line + u × W, u in [0.05, 0.95],
 * stratified (one u drawn uniformly in each of n equal slices of that window, per command, so
 * every part of the work is hit), the plan shuffled by the seeded PRNG. Each moment is replayed
 * on the killed process's own progress, as "d ms after its j-th statement line" read off the
 * measured timeline, or at its (j+1)-th line if that statement finishes sooner than it did when
 * measured: counted from spawn or from the first line, the moments drift, as soon as other
 * processes share the cores, by more than the short phases last (from the end of the big INSERT
 * to the COMMIT is about a tenth of the work), and those phases were then never hit.
 * A process that exits before its kill counts as no kill. Without profile output (the variable
 * gone), the kills are counted from spawn plus the start-up measured with `--version`.
 *
 * The outcome of each trial (where the kill landed: the last statement the process finished;
 * what the reader saw; the rerun) is printed as it happens. The model tables (mart_figures) are
 * compared with the latest run's figures too, reported but not asserted: they are rebuilt outside
 * the run's transaction, so a killed run may leave them ahead of the published figures.
 *
 * Time: 32 processes that each load the CLI's modules (~2 s of CPU) dominate: on two cores,
 * ~9 s of setup and ~3 s per trial (the rerun overlaps the next process's start-up), about 100 s;
 * 2–2.5 min when other test runs share the cores (hence the generous hook timeout).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { CAFES_CSV, folder, tempDir } from '../helpers/warehouse.ts';
import { mulberry32 } from '../helpers/random.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PERIOD = '2023-Q2';
const SEED = 0x1000caf3;
const TRIALS = { ingest: 18, run: 12 }; // 30 kills
const ROWS = 300_000; // an ingest process lasts ~2 s: ~1.6 s of start-up, then the work

// ------------------------------------------------------------------------------------ the data

// Other places offering each service, a few km to a few hundred km from the cafés of CAFES_CSV
// (C1 48.70,4.80 · C2 46.15,4.93 · C3 48.64,4.95), so that every km figure is non-trivial.
const FACILITIES = [
  'facility_id,service,lat,lon,source',
  'B1,bread,48.80,4.80,test',
  'B2,bread,46.20,4.93,test',
  'B3,bread,48.54,4.95,test',
  'P1,post,48.90,4.80,test',
  'P2,post,46.35,4.93,test',
  'A1,cash,48.74,4.95,test',
].join('\n');
// Q1 rows, loaded with the references: outside the period, they must survive every Q2 load.
const USES_Q1 = 'cafe_id,date,service,uses\nC1,2023-01-15,bread,4\nC2,2023-03-20,post,6\n'; // 2 rows, Σ 10
// The period's rows before the big load (the "previous" state).
const USES_Q2_PREV = 'cafe_id,date,service,uses\nC1,2023-04-03,bread,7\nC2,2023-05-10,post,3\nC3,2023-06-20,cash,2\n'; // 3 rows, Σ 12

/**
 * The big file: row i (0 ≤ i < ROWS) is café C(1 + i mod 3), 2023-(4 + ⌊i/3⌋ mod 3)-(1 + i mod 28),
 * service bread/post/cash by ⌊i/9⌋ mod 3, uses 1 + (i mod 5). Every date is in Q2 and valid.
 * Σ uses: ROWS is a multiple of 5, so ROWS/5 cycles of 1+2+3+4+5 = 15, i.e. 3 × ROWS.
 */
function writeBigUses(dir: string): void {
  const services = ['bread', 'post', 'cash'];
  const parts: string[] = ['cafe_id,date,service,uses\n'];
  for (let i = 0; i < ROWS; i++) {
    const month = 4 + (Math.floor(i / 3) % 3);
    const day = String(1 + (i % 28)).padStart(2, '0');
    parts.push(`C${1 + (i % 3)},2023-0${month}-${day},${services[Math.floor(i / 9) % 3]},${1 + (i % 5)}\n`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'service_uses.csv'), parts.join(''));
}

// ------------------------------------------------------------------------ what a reader sees

interface Figure {
  indicator: string;
  scope: string;
  scope_id: string | null;
  value: number | null;
}

interface State {
  rows: number;
  uses: number;
  /** Loads with status 'loaded' for the period. */
  loads: number;
  /** The latest successful run's figures for the period, sorted. */
  figures: Figure[];
}

/** The states, computed independently of the warehouse (see the data above). */
const ROWS_PREV = 2 + 3;
const USES_PREV = 10 + 12;
const ROWS_NEW = 2 + ROWS; // the period's 3 rows replaced by the big file's
const USES_NEW = 10 + 3 * ROWS;

/**
 * Opens the file read-only with DuckDB itself (no cafe-impact code: no migration, no recovery)
 * and reads what a researcher would. `service_uses` may be a table or a view: only its rows count.
 * Also tells whether the model table `mart_figures` agrees with the latest run's figures (reported,
 * not asserted: the models are rebuilt outside the run's transaction).
 */
async function readOnly(path: string): Promise<{ state: State; martAgrees: boolean }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
      const figures = (sql: string) =>
        rows(sql).then((fs) => fs.map((f): Figure => ({ indicator: String(f.indicator), scope: String(f.scope), scope_id: f.scope_id === null ? null : String(f.scope_id), value: f.value === null ? null : Number(f.value) })));
      const [u] = await rows('SELECT count(*)::BIGINT AS n, coalesce(sum(uses), 0)::BIGINT AS s FROM service_uses');
      const [l] = await rows(`SELECT count(*)::BIGINT AS n FROM loads WHERE period = '${PERIOD}' AND status = 'loaded'`);
      const latest = await figures(
        `SELECT indicator, scope, scope_id, value FROM figures
         WHERE run_id = (SELECT run_id FROM runs WHERE period = '${PERIOD}' AND status = 'succeeded' ORDER BY started_at DESC, run_id DESC LIMIT 1)
         ORDER BY indicator, scope, scope_id NULLS FIRST`,
      );
      const mart = await figures('SELECT indicator, scope, scope_id, value FROM mart_figures ORDER BY indicator, scope, scope_id NULLS FIRST').catch(() => undefined);
      return {
        state: { rows: Number(u!.n), uses: Number(u!.s), loads: Number(l!.n), figures: latest },
        martAgrees: JSON.stringify(mart) === JSON.stringify(latest),
      };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

// ------------------------------------------------------------------------------- the processes

type Command = 'ingest' | 'run';

/** A warehouse is the .duckdb file, its write-ahead log if any, and the raw/ archive beside it. */
function copyWarehouse(fromDir: string, toDir: string): string {
  mkdirSync(toDir, { recursive: true });
  copyFileSync(join(fromDir, 'w.duckdb'), join(toDir, 'w.duckdb'));
  if (existsSync(join(fromDir, 'w.duckdb.wal'))) copyFileSync(join(fromDir, 'w.duckdb.wal'), join(toDir, 'w.duckdb.wal'));
  if (existsSync(join(fromDir, 'raw'))) cpSync(join(fromDir, 'raw'), join(toDir, 'raw'), { recursive: true });
  return join(toDir, 'w.duckdb');
}

function cliArgs(command: Command, path: string, bigDir: string): string[] {
  return command === 'ingest' ? ['--warehouse', path, 'ingest', bigDir, '--period', PERIOD] : ['--warehouse', path, 'run', '--period', PERIOD];
}

interface Child {
  /** ms from spawn to each profile line (one per finished SQL statement). */
  lines: number[];
  /** The statement of each profile line (its first 60 characters). */
  statements: string[];
  /** The kill was brought forward to the end of the statement it aimed at (see runChild). */
  clamped: boolean;
  /** ms from spawn to exit. */
  exit: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stderr without the profile lines. */
  stderr: string;
}

/**
 * Where to SIGKILL a child: `delay` ms after its profile line number `afterLine` — or at the next
 * line, if the statement in progress finishes sooner than that — or a fixed time after spawn.
 */
type Kill = { afterLine: number; delay: number } | { afterSpawn: number };

function runChild(args: string[], kill?: Kill): Promise<Child> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, CAFE_IMPACT_PROFILE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const lines: number[] = [];
    const statements: string[] = [];
    let stderr = '';
    let partial = '';
    let timer: NodeJS.Timeout | undefined;
    let fired = false;
    let clamped = false;
    const fire = () => {
      fired = true;
      child.kill('SIGKILL');
    };
    const arm = (ms: number) => (timer = setTimeout(fire, ms));
    if (kill && 'afterSpawn' in kill) arm(kill.afterSpawn);
    child.stderr.on('data', (d: Buffer) => {
      const now = performance.now() - t0;
      const text = partial + d.toString();
      const complete = text.split('\n');
      partial = complete.pop()!;
      for (const line of complete) {
        // `[  587 ms sql     12 ms] INSERT …` or `[  587 ms step   12 ms] scan sales.csv` (src/core/profile.ts)
        const m = /^\[ *\d+ ms (?:sql|step) +\d+ ms\] (.*)$/.exec(line);
        if (!m) {
          if (stderr.length < 20_000) stderr += `${line}\n`;
          continue;
        }
        lines.push(now);
        statements.push(m[1]!.slice(0, 60));
        if (kill && 'afterLine' in kill) {
          if (lines.length - 1 === kill.afterLine) arm(kill.delay);
          // The statement aimed at finished sooner than in the measured run: kill now, at its end,
          // rather than in a later phase of the work.
          else if (lines.length - 2 === kill.afterLine && timer && !fired) {
            clearTimeout(timer);
            clamped = true;
            fire();
          }
        }
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ lines, statements, clamped, exit: performance.now() - t0, code, signal, stderr: stderr + partial });
    });
  });
}

/**
 * The kill for a moment `at` ms after spawn on a measured run's timeline: the profile line just
 * before it, and the time past that line. Replayed on a new process, the kill lands at the same
 * point of the work even when the machine is busier or quieter than during the measurement.
 */
function killAt(measured: Child, at: number): Kill {
  if (measured.lines.length === 0) return { afterSpawn: at };
  let j = 0;
  while (j + 1 < measured.lines.length && measured.lines[j + 1]! <= at) j++;
  return { afterLine: j, delay: Math.max(0, at - measured.lines[j]!) };
}

// ------------------------------------------------------------------------------------ the test

interface Trial {
  k: number;
  command: Command;
  /** Share of the measured work W at which the kill was aimed, and how it was replayed. */
  u: number;
  kill: Kill;
  clamped: boolean;
  /** false: the process had exited before its kill (counted as no kill). */
  killed: boolean;
  /** The process failed on its own (an error printed, or a non-zero exit before its kill). */
  ownError?: string;
  /** The last SQL statement the process finished before it died (where the kill landed). */
  lastSql?: string;
  /** What the read-only reader saw before any recovery. */
  seen: 'previous' | 'new' | 'neither' | 'unreadable';
  detail?: string;
  martAgrees?: boolean;
  /** Figures after recovery through the CLI and a rerun, compared with the clean run's. */
  rerun: 'identical' | 'different' | 'failed';
  rerunDetail?: string;
  ms: { kill: number; check: number; rerun: number };
}

const same = (a: State, b: State) => JSON.stringify(a) === JSON.stringify(b);
const summary = (s: State) =>
  `${s.rows} rows, Σ uses ${s.uses}, ${s.loads} loaded ${PERIOD} loads, ${s.figures.length} figures (network km_saved ${s.figures.find((f) => f.indicator === 'km_saved' && f.scope === 'network')?.value ?? '—'})`;

let trials: Trial[] = [];
let states: Record<Command, { previous: State; new: State }>;
let sanity: { name: string; got: unknown; want: unknown }[] = [];

beforeAll(async () => {
  const t0 = performance.now();
  const base = tempDir('ci-fault-');
  try {
    const refDir = folder({ 'cafes.csv': CAFES_CSV, 'facilities.csv': FACILITIES, 'service_uses.csv': USES_Q1 }, join(base, 'in-ref'));
    const prevDir = folder({ 'service_uses.csv': USES_Q2_PREV }, join(base, 'in-prev'));
    const bigDir = join(base, 'in-big');
    writeBigUses(bigDir);

    // The CLI, in this process (test/helpers/cli.ts): commander, Warehouse.open (migrations and
    // crash recovery), the command, close — everything a `cafe-impact` process does but load its modules.
    const ok = async (...args: string[]) => {
      const r = await cli(...args);
      if (r.code !== 0) throw new Error(`cafe-impact ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`.slice(0, 2000));
    };
    // Template A, the state before the big ingest: references and Q1 rows, the period's earlier
    // rows, and one successful run of the period on them.
    const tplA = join(base, 'tpl-a');
    mkdirSync(tplA);
    await ok('--warehouse', join(tplA, 'w.duckdb'), 'ingest', refDir, '--period', '2023-Q1');
    await ok('--warehouse', join(tplA, 'w.duckdb'), 'ingest', prevDir, '--period', PERIOD);
    await ok('--warehouse', join(tplA, 'w.duckdb'), 'run', '--period', PERIOD);
    // Template B, the state before the run: A plus the big ingest.
    const tplB = join(base, 'tpl-b');
    await ok('--warehouse', copyWarehouse(tplA, tplB), 'ingest', bigDir, '--period', PERIOD);
    // The clean, never-killed sequence: B plus the run.
    const clean = join(base, 'clean');
    await ok('--warehouse', copyWarehouse(tplB, clean), 'run', '--period', PERIOD);

    const [a, b, c] = [(await readOnly(join(tplA, 'w.duckdb'))).state, (await readOnly(join(tplB, 'w.duckdb'))).state, (await readOnly(join(clean, 'w.duckdb'))).state];
    // An ingest changes rows and loads, not figures; a run changes the figures only.
    states = {
      ingest: { previous: { rows: ROWS_PREV, uses: USES_PREV, loads: 1, figures: a.figures }, new: { rows: ROWS_NEW, uses: USES_NEW, loads: 2, figures: a.figures } },
      run: { previous: { rows: ROWS_NEW, uses: USES_NEW, loads: 2, figures: a.figures }, new: { rows: ROWS_NEW, uses: USES_NEW, loads: 2, figures: c.figures } },
    };
    sanity = [
      { name: 'template A holds the previous state of the formula', got: a, want: states.ingest.previous },
      { name: 'template B holds the new state of the formula', got: b, want: states.ingest.new },
      { name: 'the clean run holds the new state of the run', got: c, want: states.run.new },
      { name: 'the big file changes the figures', got: same(states.run.previous, states.run.new), want: false },
      { name: 'the clean run has km figures', got: c.figures.filter((f) => f.indicator.startsWith('km_saved.') && f.scope === 'network').map((f) => f.indicator), want: ['km_saved.bread', 'km_saved.cash', 'km_saved.post'] },
    ];

    // One un-killed run of each command as a process: the timeline of its work, the state it leaves.
    const measured = {} as Record<Command, Child>;
    const span = {} as Record<Command, { start: number; work: number }>;
    for (const command of ['ingest', 'run'] as const) {
      const path = copyWarehouse(command === 'ingest' ? tplA : tplB, join(base, `measure-${command}`));
      const r = (measured[command] = await runChild(cliArgs(command, path, bigDir)));
      sanity.push({ name: `un-killed ${command} process exits 0`, got: [r.code, r.stderr.slice(0, 300)], want: [0, expect.anything()] });
      sanity.push({ name: `un-killed ${command} process reaches the new state`, got: (await readOnly(path)).state, want: states[command].new });
      // The work starts at the first profile line: DuckDB has just opened the file.
      span[command] = { start: r.lines[0] ?? 0, work: r.exit - (r.lines[0] ?? 0) };
    }
    const anchored = measured.ingest.lines.length > 0 && measured.run.lines.length > 0;
    if (!anchored) {
      // No profile output: count from spawn, after the start-up measured with `--version`.
      const v = (await runChild(['--version'])).exit;
      for (const command of ['ingest', 'run'] as const) {
        measured[command].lines = [];
        span[command] = { start: v, work: Math.max(100, measured[command].exit - v) };
      }
    }

    // 30 seeded moments: per command, one u uniform in each of n equal slices of [0.05, 0.95]
    // (stratified, so every part of the work is hit), the whole plan shuffled.
    const rand = mulberry32(SEED);
    const plan: { command: Command; u: number }[] = [];
    for (const command of ['ingest', 'run'] as const) {
      const n = TRIALS[command];
      for (let i = 0; i < n; i++) plan.push({ command, u: 0.05 + (0.9 * (i + rand())) / n });
    }
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [plan[i], plan[j]] = [plan[j]!, plan[i]!];
    }

    const where = (t: Trial) => ('afterLine' in t.kill ? `line ${String(t.kill.afterLine).padStart(2)} + ${String(Math.round(t.kill.delay)).padStart(3)} ms${t.clamped ? ', sooner' : ''}` : `spawn + ${Math.round(t.kill.afterSpawn)} ms`);
    const fmt = (t: Trial) =>
      `#${String(t.k).padStart(2)} ${t.command.padEnd(6)} u=${t.u.toFixed(3)} (${where(t)}) ${t.killed ? 'killed' : 'exited'} after ${(t.lastSql ?? '—').padEnd(60)} saw ${t.seen.padEnd(8)} marts ${t.martAgrees === undefined ? '?' : t.martAgrees ? 'agree   ' : 'DISAGREE'} rerun ${t.rerun} [${(t.ms.kill / 1000).toFixed(1)}+${(t.ms.check / 1000).toFixed(1)}+${(t.ms.rerun / 1000).toFixed(1)} s]` +
      `${t.ownError ? `\n      failed on its own: ${t.ownError}` : ''}${t.detail ? `\n      ${t.detail}` : ''}${t.rerunDetail ? `\n      rerun: ${t.rerunDetail}` : ''}`;
    console.log(
      `fault injection, ${ROWS.toLocaleString('en')} rows (setup ${((performance.now() - t0) / 1000).toFixed(1)} s); un-killed processes: start-up ${span.ingest.start.toFixed(0)} / ${span.run.start.toFixed(0)} ms, ` +
        `then work W ${span.ingest.work.toFixed(0)} / ${span.run.work.toFixed(0)} ms over ${measured.ingest.lines.length} / ${measured.run.lines.length} statements (ingest / run); ` +
        (anchored ? 'kills replayed on each process’s own statement lines' : 'no profile output: kills timed from spawn'),
    );
    // 2. Open normally through the CLI (migrations, crash recovery) by running the killed command
    //    again to completion (then the run, after an ingest): the clean run's figures, exactly.
    //    It runs while the next trial's process loads its modules (that process's kill is replayed
    //    on its own statement lines, so sharing the cores moves it little).
    const rerun = async (trial: Trial, path: string) => {
      const tr = performance.now();
      try {
        await ok(...cliArgs(trial.command, path, bigDir));
        if (trial.command === 'ingest') await ok(...cliArgs('run', path, bigDir));
        const after = (await readOnly(path)).state;
        trial.rerun = same(after, states.run.new) ? 'identical' : 'different';
        if (trial.rerun === 'different') trial.rerunDetail = `${summary(after)}; clean: ${summary(states.run.new)}`;
      } catch (e) {
        trial.rerun = 'failed';
        trial.rerunDetail = (e as Error).message.split('\n')[0];
      }
      trial.ms.rerun = performance.now() - tr;
      console.log(fmt(trial));
      rmSync(dirname(path), { recursive: true, force: true });
    };

    trials = [];
    let previousRerun: Promise<void> = Promise.resolve();
    for (const [k, p] of plan.entries()) {
      const path = copyWarehouse(p.command === 'ingest' ? tplA : tplB, join(base, `trial-${k}`));
      const kill = killAt(measured[p.command], span[p.command].start + p.u * span[p.command].work);
      const [r] = await Promise.all([runChild(cliArgs(p.command, path, bigDir), kill), previousRerun]);
      const trial: Trial = { k, command: p.command, u: p.u, kill, clamped: r.clamped, killed: r.signal === 'SIGKILL', lastSql: r.statements.at(-1), seen: 'neither', rerun: 'failed', ms: { kill: r.exit, check: 0, rerun: 0 } };
      const printed = /^(unexpected )?error: .*$/m.exec(r.stderr)?.[0];
      if (printed || (!trial.killed && r.code !== 0)) trial.ownError = `${trial.killed ? 'killed' : `exited ${r.code}`} after printing: ${printed ?? r.stderr.slice(-300)}`;
      trials.push(trial);

      // 1. Before any recovery: a direct read-only open.
      const tc = performance.now();
      try {
        const { state, martAgrees } = await readOnly(path);
        const { previous, new: next } = states[p.command];
        trial.seen = same(state, previous) ? 'previous' : same(state, next) ? 'new' : 'neither';
        if (trial.seen === 'neither') trial.detail = `saw ${summary(state)}; previous: ${summary(previous)}; new: ${summary(next)}`;
        trial.martAgrees = martAgrees;
      } catch (e) {
        trial.seen = 'unreadable';
        trial.detail = (e as Error).message.split('\n')[0];
      }
      trial.ms.check = performance.now() - tc;
      previousRerun = rerun(trial, path);
    }
    await previousRerun;

    console.log(`setup and ${trials.length} trials: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}, 300_000);

/**
 * The one known exception, not ours to fix here: a kill while DuckDB 1.5.6 writes the checkpoint
 * of a closing `run` (after its last statement, the figures query) can leave a file DuckDB no
 * longer opens ("Corrupt database file: computed checksum … does not match stored checksum"),
 * read-only or read-write, with or without its write-ahead log. Found by this test on 2026-12-01
 * (one such trial in 2 of 4 runs of the suite); scripts/repro-kill-at-close.mjs aims kills at the
 * close and reproduces it (1 corrupt file in 20–60 kills there). Such a trial is printed and
 * counted apart — at most one per run of this test is tolerated; any other outcome fails.
 */
const closeCheckpointCorruption = (t: Trial) =>
  t.command === 'run' && t.seen === 'unreadable' && /Corrupt database file: computed checksum/.test(t.detail ?? '') && /^SELECT indicator, scope, scope_id, scope_label/.test(t.lastSql ?? '');

describe('fault injection: SIGKILL during ingest and run at 30 seeded moments', () => {
  it('compares against the right states: previous and new from the formula and from un-killed runs', () => {
    for (const s of sanity) expect(s.got, s.name).toEqual(s.want);
    expect(trials).toHaveLength(TRIALS.ingest + TRIALS.run);
  });

  it('a read-only reader, before any recovery, sees exactly the previous or exactly the new state', () => {
    const known = trials.filter(closeCheckpointCorruption);
    for (const t of known) console.warn(`KNOWN DuckDB PROBLEM — #${t.k} run killed in the close checkpoint (u=${t.u.toFixed(3)}, after ${t.lastSql}): ${t.detail}`);
    expect(known.length, 'kills in the close checkpoint leaving a corrupt file (known DuckDB problem, see closeCheckpointCorruption)').toBeLessThanOrEqual(1);
    const bad = trials
      .filter((t) => (t.seen === 'neither' || t.seen === 'unreadable') && !closeCheckpointCorruption(t))
      .map((t) => `#${t.k} ${t.command} killed at u=${t.u.toFixed(3)} of its work, after ${t.lastSql}: ${t.seen} — ${t.detail}`);
    expect(bad).toEqual([]);
  });

  it('after recovery through the CLI, rerunning the killed command gives the figures of a clean run', () => {
    const bad = trials.filter((t) => t.rerun !== 'identical' && !closeCheckpointCorruption(t)).map((t) => `#${t.k} ${t.command} (saw ${t.seen}): rerun ${t.rerun} — ${t.rerunDetail}`);
    expect(bad).toEqual([]);
  });

  it('the processes work until their kill: none fails on its own (such a trial would prove nothing)', () => {
    expect(trials.filter((t) => t.ownError).map((t) => `#${t.k} ${t.command}: ${t.ownError}`)).toEqual([]);
  });

  it('the kills land inside the work: before the commit and after it, both at least once', () => {
    const killed = trials.filter((t) => t.killed && !t.ownError);
    const count = (seen: Trial['seen'], c?: Command) => killed.filter((t) => t.seen === seen && (!c || t.command === c)).length;
    console.log(
      `${killed.length} of ${trials.length} kills hit a live process: previous state (before the commit) ${count('previous')}, new state (after it) ${count('new')}, neither ${count('neither')}, unreadable ${count('unreadable')}; ` +
        (['ingest', 'run'] as const).map((c) => `${c}: ${count('previous', c)} before, ${count('new', c)} after, ${count('neither', c)} neither`).join('; '),
    );
    expect(count('previous'), 'kills landing before the commit').toBeGreaterThanOrEqual(1);
    expect(count('new'), 'kills landing after the commit').toBeGreaterThanOrEqual(1);
  });
});
