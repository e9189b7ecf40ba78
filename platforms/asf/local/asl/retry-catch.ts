/**
 * Retry and Catch: which error names a retrier or catcher takes, and how long a retry waits.
 * `States.ALL` takes every error but the terminal ones (`States.Runtime`,
 * `States.DataLimitExceeded`); `States.TaskFailed` every error of a task but a time-out.
 */
import type { Json, JsonObject } from './json.ts';

const TERMINAL = new Set(['States.Runtime', 'States.DataLimitExceeded']);

export function errorMatches(errorEquals: readonly string[], error: string | undefined): boolean {
  const name = error ?? '';
  return errorEquals.some((wanted) => {
    if (wanted === name) return true;
    if (wanted === 'States.ALL') return !TERMINAL.has(name);
    if (wanted === 'States.TaskFailed') return !TERMINAL.has(name) && name !== 'States.Timeout';
    return false;
  });
}

export function firstMatching(handlers: unknown, error: string | undefined): JsonObject | undefined {
  if (!Array.isArray(handlers)) return undefined;
  return (handlers as JsonObject[]).find((h) => errorMatches((h['ErrorEquals'] as string[] | undefined) ?? [], error));
}

/** The wait before retry number `attempt` (1-based) of a retrier, in milliseconds. */
export function retryDelayMs(retrier: JsonObject, attempt: number): number {
  const intervalSeconds = numberOr(retrier['IntervalSeconds'], 1);
  const backoffRate = numberOr(retrier['BackoffRate'], 2);
  const maxDelaySeconds = numberOr(retrier['MaxDelaySeconds'], Number.POSITIVE_INFINITY);
  const delaySeconds = Math.min(intervalSeconds * backoffRate ** (attempt - 1), maxDelaySeconds);
  const jittered = retrier['JitterStrategy'] === 'FULL' ? Math.random() * delaySeconds : delaySeconds;
  return Math.round(jittered * 1000);
}

export const maxAttempts = (retrier: JsonObject): number => numberOr(retrier['MaxAttempts'], 3);

const numberOr = (value: Json | undefined, fallback: number): number => (typeof value === 'number' ? value : fallback);

/** The error output a catcher hands on: `{ Error, Cause }`, Cause left out when there is none. */
export function errorOutput(error: string | undefined, cause: string | undefined): JsonObject {
  const out: JsonObject = {};
  if (error !== undefined) out['Error'] = error;
  if (cause !== undefined) out['Cause'] = cause;
  return out;
}
