/**
 * Fields of JSONata states: a string `{% expression %}` is evaluated by the `jsonata` library
 * (the language's reference implementation) with `$states` (input, result, errorOutput,
 * context), the workflow variables and the functions Step Functions adds; any other value is
 * taken as written, objects and arrays searched for expressions inside them.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { queryEvaluationError } from './errors.ts';
import { isObject, type Json } from './json.ts';

export interface JsonataScope {
  readonly states: Record<string, Json>;
  readonly variables: Record<string, Json>;
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** Only a string that starts with `{%` and ends with `%}` is an expression; `" {% x %} "` is a literal. */
export const isJsonata = (value: unknown): value is string => typeof value === 'string' && EXPRESSION.test(value);

const compiled = new Map<string, jsonata.Expression>();

function compile(source: string, field: string): jsonata.Expression {
  let expression = compiled.get(source);
  if (!expression) {
    try {
      expression = jsonata(source);
    } catch (error) {
      throw queryEvaluationError(
        `The JSONata expression '${source}' specified for the field '${field}' could not be parsed: ${(error as Error).message}`,
        field,
      );
    }
    expression.registerFunction('partition', partition, '<an:a>');
    expression.registerFunction('range', range, '<nnn:a>');
    expression.registerFunction('hash', hash, '<xs:s>');
    expression.registerFunction('random', (seed?: number) => (seed === undefined ? Math.random() : seededRandom(seed)), '<n?:n>');
    expression.registerFunction('uuid', () => randomUUID(), '<:s>');
    expression.registerFunction('parse', parse, '<s:x>');
    // Step Functions leaves out JSONata's $eval ("use $parse instead").
    expression.registerFunction('eval', () => {
      throw new Error('The function $eval is not supported by Step Functions; use $parse');
    });
    compiled.set(source, expression);
  }
  return expression;
}

/** Evaluates one expression; `undefined` when it yields nothing (JSONata's empty sequence). */
export async function evaluateJsonata(text: string, scope: JsonataScope, field: string): Promise<Json | undefined> {
  const source = EXPRESSION.exec(text)![1]!.trim();
  const expression = compile(source, field);
  let value: unknown;
  try {
    value = await expression.evaluate(null, { ...scope.variables, states: scope.states });
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    throw queryEvaluationError(
      `The JSONata expression '${source}' specified for the field '${field}' threw an error during evaluation. ${code ? `${code}: ` : ''}${message ?? String(error)}`,
      field,
    );
  }
  if (typeof value === 'function' || isJsonataFunction(value)) {
    throw queryEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' returned an unsupported result type.`, field);
  }
  return value === undefined ? undefined : (toJson(value) as Json);
}

/** A template with expressions anywhere inside it; a field whose expression yields nothing is left out. */
export async function evaluateTemplate(template: Json, scope: JsonataScope, field: string): Promise<Json | undefined> {
  if (isJsonata(template)) return evaluateJsonata(template, scope, field);
  if (Array.isArray(template)) {
    const out: Json[] = [];
    for (const item of template) {
      const value = await evaluateTemplate(item, scope, field);
      if (value !== undefined) out.push(value);
    }
    return out;
  }
  if (isObject(template)) {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(template)) {
      const evaluated = await evaluateTemplate(value, scope, field);
      if (evaluated !== undefined) out[key] = evaluated;
    }
    return out;
  }
  return template;
}

const isJsonataFunction = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && ('_jsonata_lambda' in value || '_jsonata_function' in value);

/** JSONata's results carry sequence markers and may hold functions: plain JSON out. */
function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJson).filter((v) => v !== undefined);
  if (isJsonataFunction(value)) return undefined;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const json = toJson(v);
      if (json !== undefined && typeof json !== 'function') out[k] = json;
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function partition(array: Json[], size: number): Json[][] {
  if (!Number.isInteger(size) || size <= 0) throw new Error('$partition: the chunk size must be a positive integer');
  const out: Json[][] = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

function range(start: number, end: number, step: number): number[] {
  if (![start, end, step].every(Number.isInteger) || step === 0) throw new Error('$range: start, end and a non-zero step must be integers');
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
  // A JSONata sequence, as the service's $range returns: one item comes out as that item.
  Object.defineProperty(out, 'sequence', { value: true });
  return out;
}

function hash(data: unknown, algorithm: string): string {
  const names: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
  const name = names[algorithm];
  if (!name) throw new Error(`$hash: the algorithm must be one of ${Object.keys(names).join(', ')}`);
  return createHash(name)
    .update(typeof data === 'string' ? data : JSON.stringify(data))
    .digest('hex');
}

function parse(text: string): unknown {
  return JSON.parse(text);
}

function seededRandom(seed: number): number {
  let x = Math.imul(seed | 0, 0x9e3779b1) >>> 0 || 1;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return (x >>> 0) / 0x1_0000_0000;
}
