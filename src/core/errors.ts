/**
 * Typed errors. Library code throws UserError (and its kinds) for what the user can fix: the
 * CLI's one top-level handler turns them into a one-line message and an exit code. An
 * InternalError is a broken invariant of the code itself (a bug); anything else is an unexpected
 * error. Stack traces only with --debug.
 */

/** The exit codes of `cafe-impact`, one meaning each (README, "Commands"). */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** An unexpected or internal error: a bug, reported with --debug's stack trace. */
  unexpected: 1,
  /** A user error: a bad flag, a bad or missing file, a warehouse in use. */
  usage: 2,
  /** The ingest refused its files: nothing was loaded (the attempt and its rejects are recorded). */
  ingestRefused: 3,
  /** A run stopped on a failed model check or by --strict: no figure was published. */
  runStopped: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  constructor(message: string, opts: { hint?: string; exitCode?: ExitCode } = {}) {
    super(message);
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? EXIT.usage;
    this.hint = opts.hint;
  }
}

/**
 * An internal invariant of the code broke (rows not conserved, a cycle between models…): not
 * something the user's input or flags can cause or fix. Exit 1, like any unexpected error.
 */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

/** A problem located in an input file: `file: line L, column C: "value" reason`. */
export class InputError extends UserError {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  readonly value?: string;
  readonly reason: string;
  constructor(loc: { file: string; line?: number; column?: string; value?: string; reason: string; hint?: string }) {
    super(formatLocation(loc), { hint: loc.hint });
    this.name = 'InputError';
    this.file = loc.file;
    this.line = loc.line;
    this.column = loc.column;
    this.value = loc.value;
    this.reason = loc.reason;
  }
}

/** The ingest ran but refused to load (threshold exceeded, missing columns...). Exit code 3. */
export class IngestFailed extends UserError {
  constructor(message: string, readonly summary?: unknown) {
    super(message, { exitCode: EXIT.ingestRefused });
    this.name = 'IngestFailed';
  }
}

export function formatLocation(loc: { file: string; line?: number; column?: string; value?: string; reason: string }): string {
  const parts = [loc.file];
  const where = [loc.line !== undefined ? `line ${loc.line}` : '', loc.column ? `column ${loc.column}` : '']
    .filter(Boolean)
    .join(', ');
  const value = loc.value !== undefined ? `${JSON.stringify(loc.value)} ` : '';
  return `${parts.join('')}${where ? `: ${where}` : ''}: ${value}${loc.reason}`;
}

/** What a Node fs error (`error.code`) means, in words for the analyst. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'symbolic link loop',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
};

/** A Node fs error (has a `code` like ENOENT and a `syscall`), as thrown by `node:fs`. */
export function isFsError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!) && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** The reason of an fs error in words: "permission denied", "symbolic link loop"… (else its code). */
export function fsReason(e: NodeJS.ErrnoException): string {
  // mkdir of a path whose last part is a file
  if (e.code === 'EEXIST' && e.syscall === 'mkdir') return 'is a file, not a folder';
  return (e.code && FS_REASONS[e.code]) ?? e.code ?? e.message;
}

/** A one-line message for an fs error naming its path: `/x/y.csv: permission denied`. */
export function fsErrorMessage(e: NodeJS.ErrnoException): string {
  const where = e.path ?? (e as { dest?: string }).dest;
  return `${where ?? e.syscall ?? 'file system'}: ${fsReason(e)}`;
}
