/**
 * Choice rules of JSONPath states: the comparison operators (String*, Numeric*, Boolean*,
 * Timestamp*, their *Path forms, the Is* tests) and And / Or / Not. A comparison of values of
 * the wrong type does not match; a Variable that is not there matches only `IsPresent: false`.
 */
import { runtimeError } from './errors.ts';
import type { Json, JsonObject } from './json.ts';
import { resolve, type Scope } from './paths.ts';

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
const COMPARISONS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const;

/** RFC 3339 as the service reads it: date, 'T', time, optional fraction, 'Z' or an offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export const isTimestamp = (value: Json): boolean => typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));

const isKind: Record<Kind, (value: Json) => boolean> = {
  String: (v) => typeof v === 'string',
  Numeric: (v) => typeof v === 'number',
  Boolean: (v) => typeof v === 'boolean',
  Timestamp: isTimestamp,
};

const ordered = (kind: Kind, value: Json): number | string =>
  kind === 'Timestamp' ? Date.parse(value as string) : kind === 'Boolean' ? Number(value) : (value as number | string);

function compare(kind: Kind, op: (typeof COMPARISONS)[number], left: Json, right: Json): boolean {
  if (!isKind[kind](left) || !isKind[kind](right)) return false;
  const a = ordered(kind, left);
  const b = ordered(kind, right);
  switch (op) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'GreaterThan':
      return a > b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThanEquals':
      return a >= b;
  }
}

/** `StringMatches`: `*` matches any run of characters, `\*` and `\\` are literal. */
function matchesPattern(text: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) regex += `\\${pattern[++i]}`;
    else if (c === '*') regex += '[\\s\\S]*';
    else regex += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`).test(text);
}

export function ruleMatches(rule: JsonObject, scope: Scope): boolean {
  if (Array.isArray(rule['And'])) return (rule['And'] as JsonObject[]).every((r) => ruleMatches(r, scope));
  if (Array.isArray(rule['Or'])) return (rule['Or'] as JsonObject[]).some((r) => ruleMatches(r, scope));
  if (rule['Not'] !== undefined) return !ruleMatches(rule['Not'] as JsonObject, scope);

  const variable = String(rule['Variable']);
  const found = resolve(variable, scope);
  if ('IsPresent' in rule) return found.found === rule['IsPresent'];
  if (!found.found) {
    throw runtimeError(`Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  }
  const value = found.value;
  if ('IsNull' in rule) return (value === null) === rule['IsNull'];
  if ('IsNumeric' in rule) return (typeof value === 'number') === rule['IsNumeric'];
  if ('IsString' in rule) return (typeof value === 'string') === rule['IsString'];
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === rule['IsBoolean'];
  if ('IsTimestamp' in rule) return isTimestamp(value) === rule['IsTimestamp'];
  if ('StringMatches' in rule) return typeof value === 'string' && matchesPattern(value, String(rule['StringMatches']));

  for (const kind of ['String', 'Numeric', 'Boolean', 'Timestamp'] as const) {
    for (const op of COMPARISONS) {
      const literal = `${kind}${op}`;
      if (literal in rule) return compare(kind, op, value, rule[literal]!);
      if (`${literal}Path` in rule) {
        const path = String(rule[`${literal}Path`]);
        const other = resolve(path, scope);
        if (!other.found) throw runtimeError(`Invalid path '${path}': The choice state's condition path references an invalid value.`);
        return compare(kind, op, value, other.value);
      }
    }
  }
  throw runtimeError(`The choice rule ${JSON.stringify(rule)} has no operator the interpreter knows`);
}
