/**
 * The errors a state machine raises, by the names Retry and Catch match (`ErrorEquals`)
 * and with the cause texts the service writes. Error and cause may be absent: a Fail
 * state without them fails the execution with neither.
 */
export class StatesError extends Error {
  readonly error: string | undefined;
  readonly causeText: string | undefined;

  constructor(error: string | undefined, cause: string | undefined) {
    super(`${error ?? '(no error)'}: ${cause ?? '(no cause)'}`);
    this.error = error;
    this.causeText = cause;
  }
}

/**
 * A failure while evaluating a state's fields (a missing path, a JSONata error, a bad
 * intrinsic call). The state that ran it prefixes the cause with its name and entry event;
 * `location` is the field, which JSONata failures report in an `EvaluationFailed` event.
 */
export class EvaluationError extends StatesError {
  readonly location: string | undefined;
  constructor(error: string, cause: string, location?: string) {
    super(error, cause);
    this.location = location;
  }
}

/** A failure of the language's own rules: `States.Runtime`, which Catch `States.ALL` does not take. */
export function runtimeError(cause: string, location?: string): EvaluationError {
  return new EvaluationError('States.Runtime', cause, location);
}

export function queryEvaluationError(cause: string, location?: string): EvaluationError {
  return new EvaluationError('States.QueryEvaluationError', cause, location);
}

export function intrinsicFailure(cause: string): EvaluationError {
  return new EvaluationError('States.IntrinsicFailure', cause);
}

/** The service's prefix for a failure while a state runs, naming the event that entered it. */
export function inState(state: string, enteredEventId: number, cause: string): string {
  return `An error occurred while executing the state '${state}' (entered at the event id #${enteredEventId}). ${cause}`;
}
