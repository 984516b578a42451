/**
 * Typed user errors. Library code throws these; the CLI's one top-level handler turns them
 * into a one-line message and an exit code. Anything else is an unexpected error (stack trace
 * only with --debug).
 */
export class UserError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, opts: { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? 2;
    this.hint = opts.hint;
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
    super(message, { exitCode: 3 });
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
