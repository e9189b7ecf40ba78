/**
 * What a running state sees of the execution around it: the history and the thread its
 * events follow, the variables in scope, the context object's parts, the Map iteration it
 * belongs to, and how it reaches the outside (Task calls, timers).
 */
import type { History, Thread } from './history.ts';
import type { Json, JsonObject } from './json.ts';
import type { Turn } from './turns.ts';
import type { Variables } from './variables.ts';

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: Record<string, JsonObject>;
  readonly QueryLanguage?: QueryLanguage;
  readonly TimeoutSeconds?: number;
}

/** A Task state's call of its resource, as the interpreter hands it to whoever runs tasks. */
export interface TaskCall {
  readonly stateName: string;
  readonly resource: string;
  /** The effective parameters (JSONPath) or arguments (JSONata). */
  readonly input: Json;
  readonly timeoutSeconds: number | undefined;
  readonly history: History;
  readonly thread: Thread;
}

export interface TaskRunner {
  /** The task's result, or a StatesError with the service's error name and cause. */
  run(call: TaskCall): Promise<Json>;
}

export interface ExecutionInfo {
  readonly Id: string;
  readonly Input: Json;
  readonly Name: string;
  readonly RoleArn: string;
  readonly StartTime: string;
  readonly RedriveCount: number;
}

export interface Frame {
  readonly history: History;
  readonly thread: Thread;
  readonly variables: Variables;
  readonly queryLanguage: QueryLanguage;
  readonly execution: ExecutionInfo;
  readonly stateMachine: { readonly Id: string; readonly Name: string };
  readonly mapItem: { readonly Index: number; readonly Value: Json } | undefined;
  readonly tasks: TaskRunner;
  /** The Map iteration's turn, handed on while this frame waits for the outside. */
  readonly turn: Turn | undefined;
  /** Parallel branches take turns state by state, as the service interleaves them. */
  readonly interleave: boolean;
  /** Set when the execution is stopped or timed out: waits end early. */
  readonly signal: AbortSignal;
}

export function contextObject(frame: Frame, stateName: string, enteredTime: string, retryCount: number | undefined): Json {
  return {
    Execution: { ...frame.execution },
    State: { EnteredTime: enteredTime, Name: stateName, ...(retryCount === undefined ? {} : { RetryCount: retryCount }) },
    StateMachine: { ...frame.stateMachine },
    ...(frame.mapItem ? { Map: { Item: { Index: frame.mapItem.Index, Value: frame.mapItem.Value } } } : {}),
  } as Json;
}
