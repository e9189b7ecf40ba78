/**
 * Baton's oracle: the model interpreted on plain in-process calls (interpret.ts says
 * what every node kind means). Adapters must produce what `evaluate` produces (up to the
 * completion order of `firstOf`, the one nondeterministic kind), and their traces the
 * parents that `evaluateTraced` records. It is not a platform and is never benchmarked
 * (platforms/inline is the same interpreter, timed, as a platform).
 */
import type { Value } from '../model/value.ts';
import type { WorkflowNode } from '../model/workflow.ts';
import type { FunctionContext, WorkflowFunction } from '../model/workload.ts';
import { interpret } from './interpret.ts';

export type Functions = Readonly<Record<string, WorkflowFunction>>;

/** One call the oracle made: the function, its id and the ids whose outputs it consumed. */
export interface OracleCall {
  readonly fn: string;
  readonly id: string;
  readonly parents: readonly string[];
}

export async function evaluate(node: WorkflowNode, input: Value, functions: Functions): Promise<Value> {
  return (await evaluateTraced(node, input, functions)).output;
}

export interface OracleRun {
  readonly output: Value;
  readonly calls: readonly OracleCall[];
  /** The calls whose outputs the workflow's output holds. */
  readonly outputFrom: readonly string[];
}

export async function evaluateTraced(node: WorkflowNode, input: Value, functions: Functions): Promise<OracleRun> {
  const calls: OracleCall[] = [];
  let started = 0;
  const result = await interpret(node, { value: input, from: [] }, async (fn, arg, parents) => {
    const f = functions[fn];
    if (!f) throw new Error(`function '${fn}' is not exported by the workload's functions module`);
    const id = `oracle-${++started}`;
    const ctx: FunctionContext = { invocationId: id, log: () => {}, now: () => process.hrtime.bigint(), alloc: (sizeBytes) => new Uint8Array(sizeBytes) };
    const value = await f(arg, ctx);
    // Only calls that returned: a failed one (a try retries or catches it) produced nothing, and no trace holds it.
    calls.push({ fn, id, parents });
    return { value, id };
  });
  return { output: result.value, calls, outputFrom: result.from };
}
