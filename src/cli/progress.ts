/** A progress bar per file on a terminal; nothing in a pipe (stderr not a TTY) or with --json. */
import cliProgress from 'cli-progress';
import type { Reporter } from '../ingest/ingest.ts';

const STEPS = ['reading', 'checking', 'writing'];

export function terminalReporter(enabled: boolean, warn: (m: string) => void): Reporter {
  if (!enabled) return { warn };
  let bar: cliProgress.SingleBar | undefined;
  return {
    fileStart(file, dataset, size) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        { format: `  {file} [{bar}] {step}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      bar.start(STEPS.length + 1, 0, { file: `${file} (${dataset}, ${(size / 1e6).toFixed(1)} MB)`, step: 'hashing' });
    },
    fileStep(_file, step) {
      bar?.update(Math.max(0, STEPS.indexOf(step)) + 1, { step });
    },
    fileDone() {
      bar?.stop();
      bar = undefined;
    },
    warn(m) {
      bar?.stop();
      warn(m);
    },
  };
}
