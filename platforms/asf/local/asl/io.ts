/**
 * How a state's data flows, in each query language. JSONPath: InputPath, then Parameters,
 * the work, ResultSelector, ResultPath (into the state's raw input), OutputPath; Assign sees
 * the state's result. JSONata: Arguments and Output are templates over `$states.input`,
 * `$states.result`, `$states.errorOutput` and `$states.context`; Assign likewise. Every
 * Assign is evaluated with the variables as they were before the state, then applied.
 */
import { runtimeError } from './errors.ts';
import type { Frame } from './frame.ts';
import { evaluateJsonata, evaluateTemplate, isJsonata, type JsonataScope } from './jsonata-fields.ts';
import type { Json, JsonObject } from './json.ts';
import { evaluatePayload } from './payload.ts';
import { normalized, placeAt, resolve, type Scope } from './paths.ts';

export const pathScope = (data: Json, frame: Frame, context: Json): Scope => ({ data, context, variables: frame.variables });

export function jsonataScope(frame: Frame, context: Json, states: { input: Json; result?: Json; errorOutput?: Json }): JsonataScope {
  return { states: { ...states, context }, variables: frame.variables.all() };
}

/** A reference path that must name a value (InputPath, OutputPath, ItemsPath, *Path fields). */
export function reference(path: string, scope: Scope): Json {
  const found = resolve(path, scope);
  if (!found.found) throw runtimeError(`Invalid path '${path}' : No results for path: ${normalized(path)}`);
  return found.value;
}

export function inputPath(state: JsonObject, input: Json, frame: Frame, context: Json): Json {
  if (!('InputPath' in state)) return input;
  if (state['InputPath'] === null) return {};
  return reference(String(state['InputPath']), pathScope(input, frame, context));
}

/** ResultSelector, ResultPath and OutputPath, in that order. */
export function jsonPathOutput(state: JsonObject, input: Json, result: Json, frame: Frame, context: Json): { output: Json; selected: Json } {
  const selected = state['ResultSelector'] ? evaluatePayload(state['ResultSelector'], pathScope(result, frame, context)) : result;
  const placed = 'ResultPath' in state && state['ResultPath'] === null ? input : placeAt(String(state['ResultPath'] ?? '$'), input, selected);
  return { output: outputPath(state, placed, frame, context), selected };
}

export function outputPath(state: JsonObject, data: Json, frame: Frame, context: Json): Json {
  if (!('OutputPath' in state)) return data;
  if (state['OutputPath'] === null) return {};
  return reference(String(state['OutputPath']), pathScope(data, frame, context));
}

export function assignJsonPath(assign: Json | undefined, data: Json, frame: Frame, context: Json): Record<string, Json> | undefined {
  if (assign === undefined) return undefined;
  return evaluatePayload(assign, pathScope(data, frame, context)) as Record<string, Json>;
}

export async function assignJsonata(assign: Json | undefined, scope: JsonataScope): Promise<Record<string, Json> | undefined> {
  if (assign === undefined) return undefined;
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(assign as JsonObject)) {
    const evaluated = await evaluateTemplate(value, scope, 'Assign');
    out[name] = evaluated === undefined ? null : evaluated;
  }
  return out;
}

/** JSONata `Output` (or the default when there is none). */
export async function jsonataOutput(state: JsonObject, scope: JsonataScope, fallback: Json): Promise<Json> {
  if (!('Output' in state)) return fallback;
  const value = await evaluateTemplate(state['Output']!, scope, 'Output');
  return value === undefined ? null : value;
}

/** What a catcher makes of an error: the state's output and the variables it assigns (already applied). */
export async function catcherOutput(
  catcher: JsonObject,
  errorOut: JsonObject,
  input: Json,
  frame: Frame,
  context: Json,
): Promise<{ output: Json; assigned: Record<string, Json> | undefined }> {
  if (frame.queryLanguage === 'JSONata') {
    const scope = jsonataScope(frame, context, { input, errorOutput: errorOut });
    const assigned = await assignJsonata(catcher['Assign'], scope);
    const output = await jsonataOutput(catcher, scope, errorOut);
    if (assigned) frame.variables.assign(assigned);
    return { output, assigned };
  }
  const assigned = assignJsonPath(catcher['Assign'], errorOut, frame, context);
  const output = 'ResultPath' in catcher && catcher['ResultPath'] === null ? input : placeAt(String(catcher['ResultPath'] ?? '$'), input, errorOut);
  if (assigned) frame.variables.assign(assigned);
  return { output, assigned };
}

/**
 * What a state that produces a result (Task, Map, Parallel) hands on: JSONata `Output` and
 * `Assign` over `$states.result`, or JSONPath ResultSelector / ResultPath / OutputPath with
 * `Assign` over the selected result.
 */
export async function resultStep(
  state: JsonObject,
  input: Json,
  result: Json,
  frame: Frame,
  context: Json,
): Promise<{ output: Json; assigned: Record<string, Json> | undefined }> {
  if (frame.queryLanguage === 'JSONata') {
    const scope = jsonataScope(frame, context, { input, result });
    const assigned = await assignJsonata(state['Assign'], scope);
    return { output: await jsonataOutput(state, scope, result), assigned };
  }
  const { output, selected } = jsonPathOutput(state, input, result, frame, context);
  return { output, assigned: assignJsonPath(state['Assign'], selected, frame, context) };
}

/**
 * A field given literally, as a JSONata expression, or (JSONPath) through its `...Path`
 * twin read from `pathData` (TimeoutSeconds, Seconds, MaxConcurrency, ToleratedFailure*).
 */
export async function fieldValue(state: JsonObject, field: string, input: Json, pathData: Json, frame: Frame, context: Json): Promise<Json | undefined> {
  const value: Json | undefined = state[field];
  if (isJsonata(value)) return evaluateJsonata(value, jsonataScope(frame, context, { input }), field);
  if (state[`${field}Path`] !== undefined) return reference(String(state[`${field}Path`]), pathScope(pathData, frame, context));
  return value;
}
