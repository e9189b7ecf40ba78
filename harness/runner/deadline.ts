/**
 * The per-run deadline every platform gets (`--run-timeout`), and the interrupt: a run
 * that has not ended by its deadline fails its cell with a reason that says so; an
 * interrupt stops waiting at once. Adapters that poll get the same deadline through
 * `RunOptions.timeoutMs` and give their own reason (where the run was); this one is the
 * backstop for any run, a few seconds later.
 */
import { InterruptedError, WorkflowFailedError } from '../model/errors.ts';

/** Time a platform gets past the deadline to report it itself (it knows where the run was). */
export const DEADLINE_GRACE_MS = 2000;

/** No result by the deadline: the platform may still hold the run (a hung function), so it is restarted. */
export class RunDeadlineError extends WorkflowFailedError {}

export function withinDeadline<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined, where: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new RunDeadlineError(`no result within the run deadline of ${timeoutMs / 1000} s (--run-timeout): ${where()}`));
    }, timeoutMs + DEADLINE_GRACE_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // Handlers first: a run given up on (deadline, interrupt) may still settle later, and must not be an unhandled rejection.
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
