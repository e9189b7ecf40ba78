/** What a state's body gets and gives back, between its Entered and Exited events. */
import type { Frame, StateMachineDefinition } from './frame.ts';
import type { Json, JsonObject } from './json.ts';

export interface StateBody {
  readonly name: string;
  readonly state: JsonObject;
  readonly input: Json;
  readonly frame: Frame;
  readonly enteredEventId: number;
  readonly context: Json;
  /** How many times the state has been retried so far. */
  readonly attempt: number;
  /** Runs a nested state machine (a Map iteration's, a Parallel branch's) in a frame of its own. */
  readonly runMachine: (machine: StateMachineDefinition, input: Json, frame: Frame) => Promise<Json>;
}

export interface BodyResult {
  readonly output: Json;
  readonly next: string | undefined;
  /** False for a state whose end the service records no Exited event for (Fail). */
  readonly exited: boolean;
  readonly assigned?: Record<string, Json> | undefined;
}

export const nextOf = (state: JsonObject): string | undefined => (state['End'] === true ? undefined : (state['Next'] as string | undefined));

/** Applies what a state assigns, after its output was computed with the variables as they were. */
export function finish(body: StateBody, output: Json, assigned: Record<string, Json> | undefined, next = nextOf(body.state)): BodyResult {
  if (assigned) body.frame.variables.assign(assigned);
  return { output, next, exited: true, assigned };
}
