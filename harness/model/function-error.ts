/**
 * Errors a workload function throws on purpose, with a name a `try` node's retry or catch
 * can match (`{ kind: 'try', catch: [{ errors: ['HotelFull'], then }] }`). Any Error's
 * `name` counts; this class only makes setting one easy. The name travels with the failure
 * on every platform (as Lambda's errorType, in a Durable activity's failure message).
 */
export class FunctionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The name a retry or catch matches an error by: its own `name` ('Error' for a plain one). */
export function errorNameOf(error: unknown): string {
  return error instanceof Error && typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
}
