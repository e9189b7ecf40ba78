/**
 * Baton's Amazon States Language interpreter: runs a state machine (or a Map iteration's,
 * or a Parallel branch's) state by state, in JSONPath or JSONata per state, with Retry and
 * Catch, recording the history the service records. States that wait for the outside hand
 * on their Map's turn (see turns.ts); the data each state passes on is held to 256 KiB.
 */
import { EvaluationError, inState, runtimeError, StatesError } from './errors.ts';
import { contextObject, type Frame, type QueryLanguage, type StateMachineDefinition } from './frame.ts';
import { enteredDetails, exitedDetails } from './history.ts';
import { type Json, type JsonObject, sizeBytes } from './json.ts';
import { catcherOutput } from './io.ts';
import { errorOutput, firstMatching, maxAttempts, retryDelayMs } from './retry-catch.ts';
import type { StateBody } from './state-body.ts';
import { runStateBody } from './states.ts';
import { sleep } from './timers.ts';
import { awayFromTurn } from './turns.ts';

export type { StateMachineDefinition } from './frame.ts';

/** The service's limit on the data a state passes on. */
export const STATE_DATA_LIMIT_BYTES = 256 * 1024;

/** Runs states from StartAt to an end; resolves with the last state's output or rejects with a StatesError. */
export async function runStates(machine: StateMachineDefinition, input: Json, frame: Frame): Promise<Json> {
  const queryLanguage = machine.QueryLanguage ?? frame.queryLanguage;
  let name = machine.StartAt;
  let data = input;
  for (;;) {
    // A stopped or timed-out execution goes no further.
    if (frame.signal.aborted) throw new StatesError('States.Aborted', 'the execution was stopped');
    const state = machine.States[name];
    if (!state) throw runtimeError(`The state '${name}' is not in the state machine`);
    const { output, next } = await runState(name, state, data, { ...frame, queryLanguage: (state['QueryLanguage'] as QueryLanguage) ?? queryLanguage });
    if (next === undefined) return output;
    name = next;
    data = output;
  }
}

interface Step {
  readonly output: Json;
  readonly next: string | undefined;
}

/** The state types; each names its history events (`TaskStateEntered`, `MapStateExited`, ...). */
const STATE_TYPES = new Set(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Map', 'Parallel']);

async function runState(name: string, state: JsonObject, input: Json, frame: Frame): Promise<Step> {
  const type = String(state['Type']);
  if (!STATE_TYPES.has(type)) throw runtimeError(`The state '${name}' has the unknown type '${type}'`);
  const prefix = type;
  const enteredTime = new Date().toISOString();
  const enteredId = frame.history.add(frame.thread, `${prefix}StateEntered`, enteredDetails(name, input));
  // Parallel branches interleave: every branch enters its state before any of them goes on.
  if (frame.interleave) await new Promise((resolve) => setImmediate(resolve));

  let retryCount = 0;
  const retriesByRetrier = new Map<JsonObject, number>();
  for (;;) {
    const body: StateBody = {
      name,
      state,
      input,
      frame,
      enteredEventId: enteredId,
      context: contextObject(frame, name, enteredTime, type === 'Task' || type === 'Map' || type === 'Parallel' ? retryCount : undefined),
      attempt: retryCount,
      runMachine: runStates,
    };
    try {
      const result = await runStateBody(type, body);
      if (sizeBytes(result.output) > STATE_DATA_LIMIT_BYTES) {
        throw new StatesError(
          'States.DataLimitExceeded',
          `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        );
      }
      if (result.exited) frame.history.add(frame.thread, `${prefix}StateExited`, exitedDetails(name, result.output, result.assigned));
      return { output: result.output, next: result.next };
    } catch (thrown) {
      const error = asStatesError(thrown, name, enteredId, frame);
      if (type === 'Fail' || type === 'Succeed' || type === 'Choice' || type === 'Pass' || type === 'Wait') throw error;
      const retrier = firstMatching(state['Retry'], error.error);
      if (retrier) {
        const used = retriesByRetrier.get(retrier) ?? 0;
        if (used < maxAttempts(retrier)) {
          retriesByRetrier.set(retrier, used + 1);
          retryCount++;
          await awayFromTurn(frame.turn, sleep(retryDelayMs(retrier, used + 1), frame.signal));
          continue;
        }
      }
      // A Map or Parallel that will not be retried has failed, whether or not a catcher takes it.
      if (type === 'Map' || type === 'Parallel') frame.history.add(frame.thread, `${prefix}StateFailed`, {});
      const catcher = firstMatching(state['Catch'], error.error);
      if (!catcher) throw error;
      return caught(name, prefix, catcher, error, input, frame, contextObject(frame, name, enteredTime, retryCount));
    }
  }
}

function asStatesError(thrown: unknown, name: string, enteredId: number, frame: Frame): StatesError {
  if (thrown instanceof EvaluationError) {
    const error = new StatesError(thrown.error, inState(name, enteredId, thrown.causeText ?? ''));
    if (thrown.error === 'States.QueryEvaluationError') {
      frame.history.add(
        frame.thread,
        'EvaluationFailed',
        { evaluationFailedEventDetails: { error: error.error, cause: error.causeText, location: thrown.location, state: name } },
        frame.history.events()[enteredId - 1]!.previousEventId,
      );
    }
    return error;
  }
  if (thrown instanceof StatesError) return thrown;
  return new StatesError('States.Runtime', inState(name, enteredId, (thrown as Error).message ?? String(thrown)));
}

async function caught(name: string, prefix: string, catcher: JsonObject, error: StatesError, input: Json, frame: Frame, context: Json): Promise<Step> {
  const errorOut = errorOutput(error.error, error.causeText);
  const { output, assigned } = await catcherOutput(catcher, errorOut, input, frame, context);
  frame.history.add(frame.thread, `${prefix}StateExited`, exitedDetails(name, output, assigned));
  return { output, next: String(catcher['Next']) };
}
