// The same comparison as Baton's model (harness/model/condition.ts), written again on purpose:
// the runtime is usable without the harness and imports nothing from it.
import type { Condition } from './app.ts';
import type { RuntimeValue } from './value.ts';

/** A dot path into a value ('' = the value itself); undefined where it leads nowhere. */
export function fieldOf(value: RuntimeValue, path: string): RuntimeValue | undefined {
  let current: RuntimeValue | undefined = value;
  for (const key of path === '' ? [] : path.split('.')) {
    current =
      typeof current === 'object' && current !== null && !Array.isArray(current) && !(current instanceof Uint8Array)
        ? (current as Record<string, RuntimeValue>)[key]
        : undefined;
  }
  return current;
}

/** True when the field exists, has the type of the condition's value, and compares as asked. */
export function holds(condition: Condition, value: RuntimeValue): boolean {
  const actual = fieldOf(value, condition.field);
  if (actual === undefined || typeof actual !== typeof condition.value) return false;
  const [a, b] = [actual as string | number | boolean, condition.value];
  switch (condition.op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
  }
}
