/**
 * Poll until done, with back-off and a deadline: how an adapter waits for an
 * execution it started on a service (DescribeExecution, a status URL, a result item).
 */
import { WorkflowFailedError } from '../model/index.ts';

export interface PollOptions {
  /** Give up after this long; the error says which deadline fired. */
  readonly timeoutMs: number;
  /** The first wait is 1 ms, doubling up to this. */
  readonly maxIntervalMs: number;
  /** Where the wait was when the deadline fired, for the error (e.g. "instance X still Running"). */
  readonly describe: () => string;
}

/** Calls `check` until it returns something other than `undefined`, and returns that. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let intervalMs = 1;
  for (;;) {
    const done = await check();
    if (done !== undefined) return done;
    if (Date.now() > deadline) throw new WorkflowFailedError(`deadline of ${options.timeoutMs / 1000} s passed: ${options.describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    intervalMs = Math.min(intervalMs * 2, options.maxIntervalMs);
  }
}
