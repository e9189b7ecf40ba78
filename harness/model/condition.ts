/** Conditions on values, as the model defines them (choice nodes). */
import type { Value } from './value.ts';
import { isRecord } from './value.ts';
import type { Condition } from './workflow.ts';

export function fieldOf(value: Value, path: string): Value | undefined {
  let current: Value | undefined = value;
  for (const key of path === '' ? [] : path.split('.')) current = current !== undefined && isRecord(current) ? current[key] : undefined;
  return current;
}

export function holds(condition: Condition, value: Value): boolean {
  const actual = fieldOf(value, condition.field);
  if (actual === undefined || typeof actual !== typeof condition.value) return false;
  const a = actual as string | number | boolean;
  const b = condition.value;
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
