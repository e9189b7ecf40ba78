/**
 * Baton's model as Durable Functions orchestrators, written with the real SDK's API:
 * `callActivity(WithRetry)` per task, `Task.all` for joins, `Task.any` for a first-of,
 * and a sub-orchestration (`BatonBranch`) for every branch with more than one step.
 *
 * One generator walks the graph (an interpreter, not generated source): the graph is
 * part of the app, fixed at deploy, so every replay takes the same path (deterministic
 * as Durable requires). Values stay encoded JSON (`encodeValue`) inside the
 * orchestrator; each one carries the ids of the activity runs it came from, so the
 * trace can link every activity to its parents.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import {
  childrenOf,
  dagSinks,
  decodeValue,
  holds,
  topologicalOrder,
  windowsOf,
  encodeValue,
  errorMessage,
  errorNameOf,
  handlesError,
  type Value,
  type WorkflowNode,
} from '../../harness/model/index.ts';
import { groupByKey, type FunctionRecord } from '../../harness/adapter-kit/index.ts';
import type { AzureStorageBill } from './function-storage.ts';

export const WORKFLOW_ORCHESTRATOR = 'BatonWorkflow';
export const BRANCH_ORCHESTRATOR = 'BatonBranch';

/** Activities are retried as an Azure user would configure it: 3 attempts, 50 ms apart, doubling. */
export const ACTIVITY_RETRY = { firstRetryIntervalInMilliseconds: 50, maxNumberOfAttempts: 3, backoffCoefficient: 2 };

/**
 * A value in the orchestrator: encoded JSON, the activity runs it came from, and when
 * the last of them ended ([epoch ms, hrtime ns] as text: the first orders runs on any
 * host, the second breaks ties on one host), which orders the branches of a first-of.
 */
export interface Produced {
  readonly value: unknown;
  readonly from: readonly string[];
  readonly end?: readonly [number, string];
}
export interface ActivityInput {
  readonly value: unknown;
  readonly parents: readonly string[];
}
export interface ActivityOutput {
  readonly value: unknown;
  /** With what the activity's own storage calls are billed for, when it made any. */
  readonly baton: FunctionRecord & { readonly storageBill?: AzureStorageBill };
}
export interface BranchInput {
  readonly path: readonly number[];
  readonly input: Produced;
}

type Steps<T> = Generator<Task, T, unknown>;

/** The top-level orchestrator: input and output are the workflow's (encoded) values. */
export function workflowOrchestrator(graph: WorkflowNode) {
  return function* orchestrate(context: OrchestrationContext): Steps<unknown> {
    const output = yield* run(context, graph, [], { value: context.df.getInput(), from: [] });
    return output.value;
  };
}

/** A branch of a parallel, map or first-of that has more than one step. */
export function branchOrchestrator(graph: WorkflowNode) {
  return function* orchestrate(context: OrchestrationContext): Steps<Produced> {
    const { path, input } = context.df.getInput() as BranchInput;
    return yield* run(context, nodeAt(graph, path), path, input);
  };
}

export function nodeAt(graph: WorkflowNode, path: readonly number[]): WorkflowNode {
  let node = graph;
  for (const index of path) {
    const child = childrenOf(node)[index];
    if (!child) throw new Error(`no node at path ${path.join('.')} of the workflow graph`);
    node = child;
  }
  return node;
}

function* run(context: OrchestrationContext, node: WorkflowNode, path: readonly number[], input: Produced): Steps<Produced> {
  switch (node.kind) {
    case 'task':
      return unwrapActivity((yield activity(context, node.fn, input)) as ActivityOutput);
    case 'sequence': {
      let current = input;
      for (const [i, step] of node.steps.entries()) current = yield* run(context, step, [...path, i], current);
      return current;
    }
    case 'parallel':
      return joined(
        yield* all(
          context,
          node.branches.map((branch, i) => ({ node: branch, path: [...path, i], input })),
        ),
      );
    case 'map': {
      const items = arrayOf(input.value, 'map');
      const calls = items.map((item) => ({ node: node.body, path: [...path, 0], input: { value: item, from: input.from } }));
      const limit = node.maxConcurrency ?? calls.length;
      const outputs: Produced[] = [];
      for (let start = 0; start < calls.length; start += Math.max(1, limit))
        outputs.push(...(yield* all(context, calls.slice(start, start + Math.max(1, limit)))));
      return joined(outputs);
    }
    case 'choice': {
      const decoded = decodeValue(input.value);
      const index = node.cases.findIndex((c) => holds(c.when, decoded));
      if (index >= 0) return yield* run(context, node.cases[index]!.then, [...path, index], input);
      if (node.otherwise) return yield* run(context, node.otherwise, [...path, node.cases.length], input);
      throw new Error('choice: no case matched and there is no otherwise');
    }
    case 'foreign':
      throw new Error("durable: a workflow in another platform's own format runs on that platform only");
    case 'try':
      return yield* runTry(context, node, path, input);
    case 'fold': {
      const { items, state } = recordOf(input.value, 'fold');
      let current: Produced = { value: state, from: input.from };
      for (const [index, item] of arrayOf(items, 'fold: items').entries()) {
        current = unwrapActivity((yield activity(context, node.fn, { value: { state: current.value, item, index }, from: current.from })) as ActivityOutput);
      }
      return current;
    }
    case 'window': {
      const windows = windowsOf(arrayOf(decodeValue(input.value), 'window') as Value[], node.size);
      const tasks = windows.map((w) => activity(context, node.fn, { value: encodeValue(w), from: input.from }));
      return joined(tasks.length === 0 ? [] : ((yield context.df.Task.all(tasks)) as ActivityOutput[]).map(unwrapActivity));
    }
    case 'shuffle': {
      const mapperInputs = arrayOf(input.value, 'shuffle');
      const mapped =
        mapperInputs.length === 0
          ? []
          : (
              (yield context.df.Task.all(mapperInputs.map((item) => activity(context, node.mapper, { value: item, from: input.from })))) as ActivityOutput[]
            ).map(unwrapActivity);
      const groups = groupByKey(
        mapped.map((m) => m.value),
        (i) => mapped[i]!.from,
      );
      const reducers = groups.map(({ key, values, from }) => activity(context, node.reducer, { value: { key, values }, from }));
      return joined(reducers.length === 0 ? [] : ((yield context.df.Task.all(reducers)) as ActivityOutput[]).map(unwrapActivity));
    }
    case 'dag':
      return yield* runDag(context, node, input);
    case 'firstOf': {
      // Task.any once: the SDK cannot pass an already scheduled task to a second Task.any
      // (azure-functions-durable-js#574, the extension would schedule it again), so k > 1
      // waits for all branches and keeps the k that ended first by their recorded end.
      const calls = node.branches.map((branch, i) => branchCall(context, branch, [...path, i], input));
      if (node.k === 1) {
        const winner = (yield context.df.Task.any(calls.map((c) => c.task))) as Task;
        const call = calls.find((c) => c.task === winner)!;
        if (winner.isFaulted) throw winner.result;
        return joined([call.unwrap(winner.result)]);
      }
      const results = (yield context.df.Task.all(calls.map((c) => c.task))) as unknown[];
      const produced = results.map((result, i) => calls[i]!.unwrap(result));
      return joined(produced.sort((a, b) => compareEnds(a.end, b.end)).slice(0, node.k));
    }
  }
}

/**
 * A try as an Azure user writes it: the body in try/catch, attempts again after a durable
 * timer (deterministic on replay), then the first catch that takes the error's name. An
 * activity's failure arrives as the SDK's TaskFailedError, whose failure details carry the
 * error's name and message (a sub-orchestration passes its activity's on).
 */
function* runTry(context: OrchestrationContext, node: Extract<WorkflowNode, { kind: 'try' }>, path: readonly number[], input: Produced): Steps<Produced> {
  for (let attempt = 1; ; attempt++) {
    try {
      return yield* run(context, node.body, [...path, 0], input);
    } catch (error) {
      const failure = failureOf(error);
      const retry = node.retry;
      if (retry && handlesError(retry.errors, failure.name) && attempt < retry.maxAttempts) {
        const delayMs = retry.intervalMs * retry.backoffRate ** (attempt - 1);
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + delayMs));
        continue;
      }
      const index = (node.catch ?? []).findIndex((c) => handlesError(c.errors, failure.name));
      if (index < 0) throw error;
      const caught = { error: failure.name, cause: failure.message, input: input.value };
      return yield* run(context, node.catch![index]!.then, [...path, 1 + index], { value: caught, from: input.from });
    }
  }
}

function failureOf(error: unknown): { name: string; message: string } {
  if (error instanceof df.TaskFailedError) {
    let details = error.failureDetails;
    while (details.errorType === 'OrchestrationFailure' && details.innerFailure) details = details.innerFailure;
    return { name: details.errorType, message: details.errorMessage };
  }
  return { name: errorNameOf(error), message: errorMessage(error) };
}

/**
 * A DAG runs level by level: the SDK cannot wait on "whichever of the running tasks ends
 * next" more than once (see firstOf), so each level is one Task.all.
 */
function* runDag(context: OrchestrationContext, node: Extract<WorkflowNode, { kind: 'dag' }>, input: Produced): Steps<Produced> {
  const level = new Map<string, number>();
  for (const task of topologicalOrder(node.tasks)) level.set(task.id, Math.max(0, ...task.after.map((p) => level.get(p)! + 1)));
  const outputs = new Map<string, Produced>();
  const depth = Math.max(0, ...level.values()) + 1;
  for (let l = 0; l < depth; l++) {
    const tasks = node.tasks.filter((t) => level.get(t.id) === l);
    const calls = tasks.map((t) => {
      const parents = t.after.map((p) => [p, outputs.get(p)!] as const);
      const inputs = parents.length === 0 ? { $input: input.value } : Object.fromEntries(parents.map(([p, out]) => [p, out.value]));
      const from = parents.length === 0 ? input.from : parents.flatMap(([, out]) => out.from);
      return activity(context, t.fn, { value: { id: t.id, args: encodeValue(t.args ?? null), inputs }, from });
    });
    const results = (yield context.df.Task.all(calls)) as ActivityOutput[];
    tasks.forEach((t, i) => {
      outputs.set(t.id, unwrapActivity(results[i]!));
    });
  }
  const sinks = dagSinks(node.tasks);
  const end = joined(sinks.map((id) => outputs.get(id)!)).end;
  return {
    value: Object.fromEntries(sinks.map((id) => [id, outputs.get(id)!.value])),
    from: sinks.flatMap((id) => outputs.get(id)!.from),
    ...(end ? { end } : {}),
  };
}

interface BranchCall {
  readonly task: Task;
  unwrap(result: unknown): Produced;
}

/** A branch as one task: the activity itself for a single task, else a sub-orchestration. */
function branchCall(context: OrchestrationContext, node: WorkflowNode, path: readonly number[], input: Produced): BranchCall {
  if (node.kind === 'task') {
    return { task: activity(context, node.fn, input), unwrap: (r) => unwrapActivity(r as ActivityOutput) };
  }
  const branch: BranchInput = { path, input };
  return { task: context.df.callSubOrchestrator(BRANCH_ORCHESTRATOR, branch), unwrap: (r) => r as Produced };
}

function* all(context: OrchestrationContext, calls: readonly { node: WorkflowNode; path: readonly number[]; input: Produced }[]): Steps<Produced[]> {
  if (calls.length === 0) return [];
  const branchCalls = calls.map((c) => branchCall(context, c.node, c.path, c.input));
  const results = (yield context.df.Task.all(branchCalls.map((c) => c.task))) as unknown[];
  return results.map((result, i) => branchCalls[i]!.unwrap(result));
}

function activity(context: OrchestrationContext, fn: string, input: Produced): Task {
  const payload: ActivityInput = { value: input.value, parents: [...new Set(input.from)] };
  return context.df.callActivityWithRetry(
    fn,
    Object.assign(new df.RetryOptions(ACTIVITY_RETRY.firstRetryIntervalInMilliseconds, ACTIVITY_RETRY.maxNumberOfAttempts), {
      backoffCoefficient: ACTIVITY_RETRY.backoffCoefficient,
    }),
    payload,
  );
}

function unwrapActivity(output: ActivityOutput): Produced {
  return { value: output.value, from: [output.baton.id], end: [output.baton.endEpochMs, output.baton.endNs] };
}

function joined(outputs: readonly Produced[]): Produced {
  const ends = outputs.flatMap((o) => (o.end ? [o.end] : []));
  return {
    value: outputs.map((o) => o.value),
    from: outputs.flatMap((o) => o.from),
    ...(ends.length > 0 ? { end: ends.reduce((a, b) => (compareEnds(a, b) >= 0 ? a : b)) } : {}),
  };
}

function compareEnds(a: readonly [number, string] | undefined, b: readonly [number, string] | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  if (a[0] !== b[0]) return a[0] - b[0];
  const [x, y] = [BigInt(a[1]), BigInt(b[1])];
  return x < y ? -1 : x > y ? 1 : 0;
}

function arrayOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what}: input must be an array`);
  return value;
}

function recordOf(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what}: expected an object`);
  return value as Record<string, unknown>;
}
