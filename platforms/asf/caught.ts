/** What a try's catch handler gets on Step Functions (compile.ts builds it, handler.ts reads it). */

/** The field that marks a catch handler's input, set by the Pass state before the handler. */
export const CAUGHT_MARK = '$baton.caught';

/**
 * A catch handler's input as the Pass before it leaves it (compile.ts, try): the error's
 * name, Step Functions' Cause (for a Lambda function's error, the JSON of its errorType,
 * errorMessage and trace) and the try's input, marked. The function gets the model's
 * `{ error, cause, input }`, the cause being the error's message.
 */
export function caughtError(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || (value as Record<string, unknown>)[CAUGHT_MARK] !== true) return value;
  const { error, cause, input } = value as { error: unknown; cause: unknown; input: unknown };
  return { error, cause: messageOf(cause), input };
}

function messageOf(cause: unknown): unknown {
  if (typeof cause !== 'string') return cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause; // States.Timeout and the like: plain text
  }
}
