import type { RuntimeValue } from './value.ts';

/** An immutable object in a bucket. */
export interface DataObject {
  readonly session: string;
  /** Fan-out path; see app.ts. */
  readonly scope: readonly string[];
  readonly value: RuntimeValue;
  /** Invocations whose outputs this object carries (for transition timing). */
  readonly producers: readonly string[];
}

export function lastSegment(object: DataObject): string {
  return object.scope[object.scope.length - 1] ?? '';
}
