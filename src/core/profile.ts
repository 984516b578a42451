/**
 * `CAFE_IMPACT_PROFILE=1` prints a timeline on stderr, for developers: every SQL statement's
 * duration and the pipeline's other steps (hashing, scanning, archiving), each line starting
 * with the time since the process started (`performance.now()` counts from it).
 * `CAFE_IMPACT_PROFILE_WIDTH` sets how much of each statement is shown (default 140 characters).
 */
export const PROFILE = process.env.CAFE_IMPACT_PROFILE === '1';
const WIDTH = Number(process.env.CAFE_IMPACT_PROFILE_WIDTH ?? 140);

/** One timeline line: `what` took from `t0` (a `performance.now()` value) to now. */
export function profileLine(kind: string, what: string, t0: number): void {
  const now = performance.now();
  process.stderr.write(`[${now.toFixed(0).padStart(6)} ms ${kind} ${(now - t0).toFixed(0).padStart(6)} ms] ${what.replace(/\s+/g, ' ').slice(0, WIDTH)}\n`);
}

/** Times a step of the pipeline when profiling; otherwise just awaits it. */
export async function profiled<T>(what: string, step: () => Promise<T>): Promise<T> {
  if (!PROFILE) return step();
  const t0 = performance.now();
  try {
    return await step();
  } finally {
    profileLine('step', what, t0);
  }
}
