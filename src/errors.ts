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
