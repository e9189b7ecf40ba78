/**
 * One execution of a state machine from start to its terminal event: ExecutionStarted, the
 * states, then ExecutionSucceeded / Failed / TimedOut (the definition's TimeoutSeconds) /
 * Aborted (StopExecution), as DescribeExecution reports them.
 */
import { StatesError } from './errors.ts';
import type { ExecutionInfo, QueryLanguage, TaskRunner } from './frame.ts';
import { History, withoutTruncation } from './history.ts';
import { type StateMachineDefinition, runStates } from './interpreter.ts';
import type { Json } from './json.ts';
import { Variables } from './variables.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Outcome {
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface ExecutionRun {
  readonly history: History;
  readonly outcome: Promise<Outcome>;
  /** StopExecution: the execution ends ABORTED with this error and cause. */
  stop(error?: string, cause?: string): void;
}

export function startExecution(options: {
  definition: StateMachineDefinition;
  input: Json;
  execution: ExecutionInfo;
  stateMachine: { Id: string; Name: string };
  tasks: TaskRunner;
}): ExecutionRun {
  const history = new History();
  const thread = { lastEventId: 0 };
  const controller = new AbortController();
  // The service reports the first state's entry as following event 0, not ExecutionStarted:
  // the execution's thread starts before its start event.
  history.add({ lastEventId: 0 }, 'ExecutionStarted', {
    executionStartedEventDetails: { ...withoutTruncation('input', options.input), roleArn: options.execution.RoleArn },
  });

  let settle: (outcome: Outcome) => void = () => {};
  const ended = new Promise<Outcome>((resolve) => {
    settle = resolve;
  });
  let done = false;
  const end = (outcome: Outcome, event: string, details: Record<string, unknown>): void => {
    if (done) return;
    done = true;
    history.close(thread, event, details);
    controller.abort();
    clearTimeout(timer);
    settle(outcome);
  };

  const timeoutSeconds = options.definition.TimeoutSeconds;
  const timer =
    timeoutSeconds === undefined
      ? undefined
      : setTimeout(
          () => end({ status: 'TIMED_OUT', error: 'States.Timeout' }, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout' } }),
          timeoutSeconds * 1000,
        );

  runStates(options.definition, options.input, {
    history,
    thread,
    variables: new Variables(),
    queryLanguage: (options.definition.QueryLanguage as QueryLanguage | undefined) ?? 'JSONPath',
    execution: options.execution,
    stateMachine: options.stateMachine,
    mapItem: undefined,
    tasks: options.tasks,
    turn: undefined,
    interleave: false,
    signal: controller.signal,
  }).then(
    (output) => {
      const text = JSON.stringify(output);
      end({ status: 'SUCCEEDED', output: text }, 'ExecutionSucceeded', { executionSucceededEventDetails: withoutTruncation('output', output) });
    },
    (thrown: unknown) => {
      const error = thrown instanceof StatesError ? thrown : new StatesError('States.Runtime', (thrown as Error).message ?? String(thrown));
      const details = { ...(error.error === undefined ? {} : { error: error.error }), ...(error.causeText === undefined ? {} : { cause: error.causeText }) };
      end({ status: 'FAILED', ...details }, 'ExecutionFailed', { executionFailedEventDetails: details });
    },
  );

  return {
    history,
    outcome: ended,
    stop: (error, cause) => {
      const details = { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) };
      end({ status: 'ABORTED', ...details }, 'ExecutionAborted', { executionAbortedEventDetails: details });
    },
  };
}
