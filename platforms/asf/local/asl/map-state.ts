/**
 * The Map state: its items (ItemsPath / Items), each item's input (ItemSelector, or the
 * legacy Parameters), the iterations (inline: in this execution's history, taking turns;
 * distributed: as child workflow runs behind MapRunStarted / MapRunSucceeded, with the
 * tolerated-failure thresholds), MaxConcurrency, and the result handling of a Task.
 */
import { randomUUID } from 'node:crypto';
import { queryEvaluationError, runtimeError, StatesError } from './errors.ts';
import { History } from './history.ts';
import type { Frame, StateMachineDefinition } from './frame.ts';
import { fieldValue, inputPath, jsonataScope, pathScope, reference, resultStep } from './io.ts';
import { evaluateTemplate, isJsonata } from './jsonata-fields.ts';
import { type Json, type JsonObject, typeName } from './json.ts';
import { evaluatePayload } from './payload.ts';
import { type BodyResult, finish, type StateBody } from './state-body.ts';
import { Turn } from './turns.ts';

export async function runMap(body: StateBody): Promise<BodyResult> {
  const { name, state, input, frame, context } = body;
  const jsonata = frame.queryLanguage === 'JSONata';
  const effective = jsonata ? input : inputPath(state, input, frame, context);
  const items = await itemsOf(body, effective);
  const processor = (state['ItemProcessor'] ?? state['Iterator']) as unknown as StateMachineDefinition & { ProcessorConfig?: { Mode?: string } };
  const distributed = processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const maxConcurrency = await numberField(body, 'MaxConcurrency', effective);
  const thread = frame.thread;

  frame.history.add(thread, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
  const mapRunArn = `${frame.stateMachine.Id.replace(':stateMachine:', ':mapRun:')}/${name}:${randomUUID()}`;
  if (distributed) frame.history.add(thread, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });

  const selector = state['ItemSelector'] ?? state['Parameters'];
  const itemInput = async (index: number, value: Json): Promise<Json> => {
    if (selector === undefined) return value;
    const itemContext = { ...(context as JsonObject), Map: { Item: { Index: index, Value: value } } };
    if (jsonata) return (await evaluateTemplate(selector, jsonataScope(frame, itemContext, { input }), 'ItemSelector')) ?? null;
    return evaluatePayload(selector, pathScope(effective, frame, itemContext));
  };

  const turn = new Turn();
  const outcomes: ({ ok: true; value: Json } | { ok: false; error: StatesError })[] = [];
  let failed: StatesError | undefined;
  const runOne = async (index: number): Promise<void> => {
    const value = items[index]!;
    const childFrame: Frame = {
      ...frame,
      history: distributed ? new History() : frame.history,
      thread: distributed ? { lastEventId: 0 } : thread,
      variables: frame.variables.child(),
      mapItem: { Index: index, Value: value },
      turn: distributed ? undefined : turn,
      interleave: false,
    };
    await childFrame.turn?.acquire();
    try {
      if (failed && !distributed) return;
      if (!distributed) {
        const previous = index > 0 ? lastIterationEndPrevious : thread.lastEventId;
        frame.history.add(thread, 'MapIterationStarted', { mapIterationStartedEventDetails: { name, index } }, previous);
      }
      const output = await body.runMachine(processor, await itemInput(index, value), childFrame);
      outcomes[index] = { ok: true, value: output };
      if (!distributed) {
        lastIterationEndPrevious = thread.lastEventId;
        frame.history.add({ lastEventId: 0 }, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: { name, index } }, thread.lastEventId);
      }
    } catch (error) {
      const statesError = error instanceof StatesError ? error : new StatesError('States.Runtime', String(error));
      outcomes[index] = { ok: false, error: statesError };
      if (!distributed) {
        failed ??= statesError;
        frame.history.add({ lastEventId: 0 }, 'MapIterationFailed', { mapIterationFailedEventDetails: { name, index } }, thread.lastEventId);
      }
    } finally {
      childFrame.turn?.release();
    }
  };
  let lastIterationEndPrevious = thread.lastEventId;
  await runLimited(items.length, maxConcurrency ?? 0, runOne);

  if (!distributed && failed) throw failed;
  if (distributed) {
    const failures = outcomes.filter((o) => !o.ok).length;
    if (failures > 0 && !(await tolerated(body, effective, failures, items.length))) {
      frame.history.add(thread, 'MapRunFailed', {
        mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' },
      });
      throw new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded');
    }
    frame.history.add(thread, 'MapRunSucceeded', {});
  }
  const last = frame.history.events().length;
  if (!distributed) thread.lastEventId = last;
  frame.history.add({ lastEventId: 0 }, 'MapStateSucceeded', {}, last);

  const results = outcomes.map((o) => (o.ok ? o.value : { Error: o.error.error ?? null, Cause: o.error.causeText ?? null }));
  const { output, assigned } = await resultStep(state, input, results, frame, context);
  return finish(body, output, assigned);
}

async function itemsOf(body: StateBody, effective: Json): Promise<Json[]> {
  const { state, input, frame, context } = body;
  if (frame.queryLanguage === 'JSONata') {
    const items = state['Items'];
    const value = items === undefined ? input : await evaluateTemplate(items, jsonataScope(frame, context, { input }), 'Items');
    if (!Array.isArray(value)) {
      const source = isJsonata(items) ? /^\{%([\s\S]*)%\}$/.exec(items.trim())![1]!.trim() : JSON.stringify(items ?? null);
      throw queryEvaluationError(
        `The JSONata expression '${source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${typeName(value ?? null)}' for value: ${JSON.stringify(value ?? null)}`,
        'Items',
      );
    }
    return value;
  }
  const path = String(state['ItemsPath'] ?? '$');
  const value = reference(path, pathScope(effective, frame, context));
  if (!Array.isArray(value)) throw runtimeError(`Invalid path '${path}': the value ${JSON.stringify(value)} is not an array`, 'ItemsPath');
  return value;
}

/** An integer field given literally, as a JSONata expression, or (JSONPath) through `...Path`. */
async function numberField(body: StateBody, field: string, effective: Json): Promise<number | undefined> {
  const { state, input, frame, context } = body;
  const value = await fieldValue(state, field, input, effective, frame, context);
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number) || number < 0) {
    throw runtimeError(`The value of the field '${field}' must be a non-negative number, but was ${JSON.stringify(value)}`, field);
  }
  return number;
}

async function tolerated(body: StateBody, effective: Json, failures: number, total: number): Promise<boolean> {
  const count = await numberField(body, 'ToleratedFailureCount', effective);
  const percentage = await numberField(body, 'ToleratedFailurePercentage', effective);
  if (count === undefined && percentage === undefined) return false;
  return (count !== undefined && failures <= count) || (percentage !== undefined && (failures / total) * 100 <= percentage);
}

/** Runs `count` jobs, at most `limit` at once (0: no limit), in index order of starting. */
async function runLimited(count: number, limit: number, job: (index: number) => Promise<void>): Promise<void> {
  const width = limit > 0 ? Math.min(limit, count) : count;
  let nextIndex = 0;
  const workers = Array.from({ length: width }, async () => {
    while (nextIndex < count) await job(nextIndex++);
  });
  await Promise.all(workers);
}
