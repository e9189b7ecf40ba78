/**
 * Paths in JSONPath states: `$...` reads the state's data, `$$...` the context object,
 * `$name...` a workflow variable. Queries run on jsonpath-plus; this module adds the
 * service's rules on top: a definite path (no wildcard, filter, slice or union) names one
 * value and fails when it is missing, an indefinite one yields a list, possibly empty.
 */
import { JSONPath } from 'jsonpath-plus';
import { StatesError } from './errors.ts';
import { isObject, type Json } from './json.ts';
import type { Variables } from './variables.ts';

export interface Scope {
  /** What `$` is. */
  readonly data: Json;
  /** What `$$` is. */
  readonly context: Json;
  readonly variables: Variables;
}

export interface Lookup {
  readonly found: boolean;
  readonly value: Json;
}

const VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s;

export const isPath = (text: string): boolean => text === '$' || /^\$(\$|[.[]|[A-Za-z_])/.test(text);

/** Whether a path may match many values: then it always yields a list. */
export function isIndefinite(path: string): boolean {
  return /\[\s*\*\s*\]|\.\*|\.\.|\[\s*\?|\[[^\]'"]*[,:][^\]'"]*\]/.test(path);
}

function query(path: string, json: Json): Lookup {
  if (path === '$') return { found: true, value: json };
  const matches = JSONPath({ path, json: json as never, wrap: true, resultType: 'value' }) as Json[] | undefined;
  if (isIndefinite(path)) return { found: true, value: matches ?? [] };
  return matches && matches.length > 0 ? { found: true, value: matches[0]! } : { found: false, value: null };
}

export function resolve(path: string, scope: Scope): Lookup {
  if (path.startsWith('$$')) return query(`$${path.slice(2)}`, scope.context);
  const variable = VARIABLE.exec(path);
  if (variable) {
    const known = scope.variables.lookup(variable[1]!);
    if (!known.found) return known;
    return query(`$${variable[2]}`, known.value);
  }
  return query(path, scope.data);
}

/** The path as the service's errors print it: `$['a']['b'][0]`. */
export function normalized(path: string): string {
  return JSONPath.toPathString(JSONPath.toPathArray(path));
}

/**
 * `ResultPath`: `target` with `value` placed at `path` (a copy; `$` replaces the whole).
 * Missing objects on the way are made; an input, or a field on the way, that is not an
 * object cannot take the result: `States.ResultPathMatchFailure`, as the service names it.
 */
export function placeAt(path: string, target: Json, value: Json): Json {
  if (path === '$') return value;
  const keys = JSONPath.toPathArray(path).slice(1);
  const cannot = (what: string): StatesError =>
    new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath '${path}' to the input: ${what} is not an object`);
  if (!isObject(target) && !Array.isArray(target)) throw cannot('the input');
  const root: Json = structuredClone(target);
  let node = root as Record<string, Json>;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    else if (!isObject(next) && !Array.isArray(next)) throw cannot(`the field '${key}'`);
    node = node[key] as Record<string, Json>;
  });
  return root;
}
