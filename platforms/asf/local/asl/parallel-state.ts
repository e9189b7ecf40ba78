/**
 * The Parallel state: every branch runs on the same input, concurrently, taking turns state
 * by state as the service's branches do; the result is the list of the branches' outputs.
 * One failing branch fails the state.
 */
import { StatesError } from './errors.ts';
import type { Frame, StateMachineDefinition } from './frame.ts';
import { inputPath, jsonataScope, pathScope, resultStep } from './io.ts';
import { evaluateTemplate } from './jsonata-fields.ts';
import type { Json } from './json.ts';
import { evaluatePayload } from './payload.ts';
import { type BodyResult, finish, type StateBody } from './state-body.ts';

export async function runParallel(body: StateBody): Promise<BodyResult> {
  const { state, input, frame, context } = body;
  const jsonata = frame.queryLanguage === 'JSONata';
  let branchInput: Json;
  if (jsonata)
    branchInput = 'Arguments' in state ? ((await evaluateTemplate(state['Arguments']!, jsonataScope(frame, context, { input }), 'Arguments')) ?? null) : input;
  else {
    const effective = inputPath(state, input, frame, context);
    branchInput = state['Parameters'] ? evaluatePayload(state['Parameters'], pathScope(effective, frame, context)) : effective;
  }
  frame.history.add(frame.thread, 'ParallelStateStarted', {});
  const branches = (state['Branches'] as unknown as StateMachineDefinition[]) ?? [];
  const settled = await Promise.allSettled(
    branches.map((branch) => {
      const branchFrame: Frame = { ...frame, variables: frame.variables.child(), turn: undefined, interleave: true };
      return body.runMachine(branch, branchInput, branchFrame);
    }),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    throw failure.reason instanceof StatesError ? failure.reason : new StatesError('States.Runtime', String(failure.reason));
  }
  frame.history.add(frame.thread, 'ParallelStateSucceeded', {});
  const results = settled.map((s) => (s as PromiseFulfilledResult<Json>).value);
  const { output, assigned } = await resultStep(state, input, results, frame, context);
  return finish(body, output, assigned);
}
