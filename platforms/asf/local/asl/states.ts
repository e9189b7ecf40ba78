/**
 * What each state type does, between its Entered and Exited events: Pass, Task, Choice,
 * Wait, Succeed and Fail here; Map and Parallel in their own modules.
 */
import { ruleMatches } from './choice.ts';
import { queryEvaluationError, runtimeError, StatesError } from './errors.ts';
import {
  fieldValue,
  assignJsonata,
  assignJsonPath,
  inputPath,
  jsonataOutput,
  jsonataScope,
  jsonPathOutput,
  outputPath,
  pathScope,
  reference,
  resultStep,
} from './io.ts';
import { evaluateJsonata, evaluateTemplate, isJsonata as isJsonataText } from './jsonata-fields.ts';
import { type Json, type JsonObject, typeName } from './json.ts';
import { runMap } from './map-state.ts';
import { runParallel } from './parallel-state.ts';
import { type BodyResult, finish, type StateBody } from './state-body.ts';
import { evaluateExpression, evaluatePayload } from './payload.ts';
import { sleep } from './timers.ts';
import { awayFromTurn } from './turns.ts';

export type { BodyResult, StateBody } from './state-body.ts';

const isJsonata = (body: StateBody): boolean => body.frame.queryLanguage === 'JSONata';

export function runStateBody(type: string, body: StateBody): Promise<BodyResult> {
  switch (type) {
    case 'Pass':
      return pass(body);
    case 'Task':
      return task(body);
    case 'Choice':
      return choice(body);
    case 'Wait':
      return wait(body);
    case 'Succeed':
      return succeed(body);
    case 'Fail':
      return fail(body);
    case 'Map':
      return runMap(body);
    case 'Parallel':
      return runParallel(body);
    default:
      throw runtimeError(`The state type '${type}' is not supported`);
  }
}

async function pass({ ...body }: StateBody): Promise<BodyResult> {
  const { state, input, frame, context } = body;
  if (isJsonata(body)) {
    const scope = jsonataScope(frame, context, { input });
    const assigned = await assignJsonata(state['Assign'], scope);
    return finish(body, await jsonataOutput(state, scope, input), assigned);
  }
  const effective = inputPath(state, input, frame, context);
  const result =
    'Result' in state ? state['Result']! : state['Parameters'] ? evaluatePayload(state['Parameters'], pathScope(effective, frame, context)) : effective;
  const assigned = assignJsonPath(state['Assign'], result, frame, context);
  const { output } = jsonPathOutput({ ...state, ResultSelector: null }, input, result, frame, context);
  return finish(body, output, assigned);
}

async function task(body: StateBody): Promise<BodyResult> {
  const { name, state, input, frame, context } = body;
  const jsonata = isJsonata(body);
  const scope = jsonataScope(frame, context, { input });
  const taskInput = jsonata
    ? 'Arguments' in state
      ? ((await evaluateTemplate(state['Arguments']!, scope, 'Arguments')) ?? null)
      : input
    : state['Parameters']
      ? evaluatePayload(state['Parameters'], pathScope(inputPath(state, input, frame, context), frame, context))
      : inputPath(state, input, frame, context);
  const timeoutSeconds = await secondsField(body, 'TimeoutSeconds');
  const result = await awayFromTurn(
    frame.turn,
    frame.tasks.run({ stateName: name, resource: String(state['Resource']), input: taskInput, timeoutSeconds, history: frame.history, thread: frame.thread }),
  );
  const { output, assigned } = await resultStep(state, input, result, frame, context);
  return finish(body, output, assigned);
}

/** A number of seconds given as a literal, a JSONata expression or (JSONPath) a `...Path` field. */
export async function secondsField(body: StateBody, field: string): Promise<number | undefined> {
  const { state, input, frame, context } = body;
  const value = await fieldValue(state, field, input, input, frame, context);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    const problem = `The value of the field '${field}' must be a non-negative integer, but was ${typeName(value)}: ${JSON.stringify(value)}`;
    throw isJsonata(body) ? queryEvaluationError(problem, field) : runtimeError(problem, field);
  }
  return value;
}

async function choice(body: StateBody): Promise<BodyResult> {
  const { state, input, frame, context } = body;
  const rules = (state['Choices'] as JsonObject[] | undefined) ?? [];
  if (isJsonata(body)) {
    const scope = jsonataScope(frame, context, { input });
    for (const rule of rules) {
      const written = rule['Condition'];
      const condition = isJsonataText(written) ? await evaluateJsonata(written, scope, 'Condition') : written;
      if (typeof condition !== 'boolean') {
        throw queryEvaluationError(
          `The JSONata expression '${String(rule['Condition'])}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${typeName(condition ?? null)}' for value: ${JSON.stringify(condition ?? null)}`,
          'Condition',
        );
      }
      if (condition) {
        const assigned = await assignJsonata(rule['Assign'], scope);
        return finish(body, await jsonataOutput(rule, scope, input), assigned, String(rule['Next']));
      }
    }
    if (state['Default'] === undefined) throw new StatesError('States.NoChoiceMatched', 'No Matches!');
    const assigned = await assignJsonata(state['Assign'], scope);
    return finish(body, await jsonataOutput(state, scope, input), assigned, String(state['Default']));
  }
  const effective = inputPath(state, input, frame, context);
  const scope = pathScope(effective, frame, context);
  const chosen = rules.find((rule) => ruleMatches(rule, scope));
  if (!chosen && state['Default'] === undefined) throw new StatesError('States.NoChoiceMatched', 'No Matches!');
  const assigned = assignJsonPath((chosen ?? state)['Assign'], effective, frame, context);
  return finish(body, outputPath(state, effective, frame, context), assigned, String(chosen ? chosen['Next'] : state['Default']));
}

async function wait(body: StateBody): Promise<BodyResult> {
  const { state, input, frame, context } = body;
  const effective = isJsonata(body) ? input : inputPath(state, input, frame, context);
  let untilMs: number;
  const seconds = await secondsField({ ...body, input: effective }, 'Seconds');
  if (seconds !== undefined) untilMs = Date.now() + seconds * 1000;
  else {
    let timestamp: Json | undefined = state['Timestamp'];
    if (isJsonataText(timestamp)) timestamp = await evaluateJsonata(timestamp, jsonataScope(frame, context, { input }), 'Timestamp');
    else if (state['TimestampPath'] !== undefined) timestamp = reference(String(state['TimestampPath']), pathScope(effective, frame, context));
    untilMs = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(untilMs)) throw runtimeError(`The Wait state's timestamp ${JSON.stringify(timestamp ?? null)} is not an ISO 8601 timestamp`, 'Timestamp');
  }
  await awayFromTurn(frame.turn, sleep(untilMs - Date.now(), frame.signal));
  if (isJsonata(body)) {
    const scope = jsonataScope(frame, context, { input });
    const assigned = await assignJsonata(state['Assign'], scope);
    return finish(body, await jsonataOutput(state, scope, input), assigned);
  }
  return finish(body, outputPath(state, effective, frame, context), assignJsonPath(state['Assign'], effective, frame, context));
}

async function succeed(body: StateBody): Promise<BodyResult> {
  const { state, input, frame, context } = body;
  if (isJsonata(body)) return finish(body, await jsonataOutput(state, jsonataScope(frame, context, { input }), input), undefined, undefined);
  return finish(body, outputPath(state, inputPath(state, input, frame, context), frame, context), undefined, undefined);
}

async function fail(body: StateBody): Promise<BodyResult> {
  const { state, input, frame, context } = body;
  const field = async (name: 'Error' | 'Cause'): Promise<string | undefined> => {
    let value: Json | undefined = state[name];
    if (isJsonataText(value)) value = await evaluateJsonata(value, jsonataScope(frame, context, { input }), name);
    else if (state[`${name}Path`] !== undefined) value = evaluateExpression(state[`${name}Path`]!, pathScope(input, frame, context), `${name}Path`);
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  throw new StatesError(await field('Error'), await field('Cause'));
}
