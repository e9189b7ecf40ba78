/**
 * Errors with a stable `code`; the CLI maps them to exit codes (DESIGN.md §7):
 * 0 ok, 1 regression or failed check, 2 bad input.
 */
export type ErrorCode =
  | 'E_BAD_INPUT'
  | 'E_UNKNOWN_WORKLOAD'
  | 'E_UNKNOWN_PLATFORM'
  | 'E_UNKNOWN_SUITE'
  | 'E_BAD_PARAM'
  | 'E_BAD_SUITE'
  | 'E_BAD_RESULT_FILE'
  | 'E_UNSUPPORTED'
  | 'E_WORKFLOW_FAILED'
  | 'E_INTERRUPTED';

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** The user gave something Baton cannot use: exit 2, one line naming the thing and what was expected. */
export class InputError extends BatonError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, exitCode: 2 });
  }
}

/** The platform cannot run this workflow (a node kind or target it does not support). */
export class UnsupportedError extends BatonError {
  constructor(message: string) {
    super('E_UNSUPPORTED', message);
  }
}

/** An execution ran and failed (a function threw, an instance crashed). */
export class WorkflowFailedError extends BatonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_WORKFLOW_FAILED', message, options);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The user stopped the run (SIGINT, SIGTERM): what was finished is kept, the rest is not measured. */
export class InterruptedError extends BatonError {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super('E_INTERRUPTED', `interrupted by ${signal}`, { exitCode: signal === 'SIGINT' ? 130 : 143 });
    this.signal = signal;
  }
}
