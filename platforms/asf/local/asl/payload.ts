/**
 * Payload templates of JSONPath states (`Parameters`, `ResultSelector`, `ItemSelector`,
 * `Assign`): a key ending in `.$` takes the value of its path or intrinsic call, under the
 * key without the suffix; everything else is copied as written, objects inside arrays included.
 */
import { runtimeError } from './errors.ts';
import { isIntrinsic, evaluateIntrinsic } from './intrinsics.ts';
import { isObject, type Json } from './json.ts';
import { isPath, resolve, type Scope } from './paths.ts';

export function evaluatePayload(template: Json, scope: Scope): Json {
  if (Array.isArray(template)) return template.map((item) => evaluatePayload(item, scope));
  if (!isObject(template)) return template;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = evaluateExpression(value, scope, key);
    else out[key] = evaluatePayload(value, scope);
  }
  return out;
}

/** The value of one `.$` field: a path (`$`, `$$`, `$var`) or an intrinsic call. */
export function evaluateExpression(expression: Json, scope: Scope, field: string): Json {
  const text = typeof expression === 'string' ? expression.trim() : '';
  if (isIntrinsic(text)) return evaluateIntrinsic(text, scope, field);
  if (!isPath(text)) throw runtimeError(`The value of the field '${field}' must be a JSONPath or an intrinsic function, got '${String(expression)}'`, field);
  const found = resolve(text, scope);
  if (!found.found) {
    throw runtimeError(`The JSONPath '${text}' specified for the field '${field}' could not be found in the input '${JSON.stringify(scope.data)}'`, field);
  }
  return found.value;
}
