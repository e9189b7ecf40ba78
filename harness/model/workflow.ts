/**
 * The workflow graph: a small, closed set of node kinds, the union of the
 * function-oriented and the data-centric patterns (DESIGN.md §2).
 *
 * The semantics of every kind are defined once, in code, by `evaluate.ts` (an
 * in-process oracle); every adapter must produce the same output for the same input.
 */
import type { Value } from './value.ts';

export const NODE_KINDS = ['task', 'sequence', 'parallel', 'map', 'choice', 'dag', 'shuffle', 'window', 'firstOf', 'fold', 'try', 'foreign'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** Call one function: output = fn(input). */
export interface TaskNode {
  readonly kind: 'task';
  readonly fn: string;
}

/** Chain: each step's output is the next step's input. At least one step. */
export interface SequenceNode {
  readonly kind: 'sequence';
  readonly steps: readonly WorkflowNode[];
}

/** Static fan-out + join: every branch gets the input; output = branch outputs, in branch order. */
export interface ParallelNode {
  readonly kind: 'parallel';
  readonly branches: readonly WorkflowNode[];
}

/** Dynamic fan-out + join: input must be an array; body runs per item; output in item order. */
export interface MapNode {
  readonly kind: 'map';
  readonly body: WorkflowNode;
  readonly maxConcurrency?: number;
}

/** A test on the input: `field` is a dot path into it ('' = the input itself). */
export interface Condition {
  readonly field: string;
  readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
  readonly value: string | number | boolean;
}

/** Conditional branch: the first case whose condition holds runs; else `otherwise`; else the run fails. */
export interface ChoiceNode {
  readonly kind: 'choice';
  readonly cases: readonly { readonly when: Condition; readonly then: WorkflowNode }[];
  readonly otherwise?: WorkflowNode;
}

/**
 * Arbitrary DAG with data edges. Each task receives `{ id, args, inputs }` where
 * `inputs` maps parent id -> parent output (roots get `{ $input: dagInput }`).
 * Output: `{ [sinkId]: output }` for every task that no other task depends on.
 */
export interface DagNode {
  readonly kind: 'dag';
  readonly tasks: readonly DagTask[];
}
export interface DagTask {
  readonly id: string;
  readonly fn: string;
  readonly after: readonly string[];
  readonly args?: Value;
}

/**
 * All-to-all: input is an array, one item per mapper. Each mapper returns
 * `{ [groupKey]: value }`; the reducer runs once per key with `{ key, values }`
 * (values in mapper order). Output: reducer outputs ordered by key.
 */
export interface ShuffleNode {
  readonly kind: 'shuffle';
  readonly mapper: string;
  readonly reducer: string;
}

/**
 * Stream batches: input is an array of events. Count windows take consecutive runs of
 * `count` events; time windows group events by floor(event[timeField] / durationMs).
 * fn receives `{ index, startMs?, events }`; output: fn outputs in window order.
 */
export interface WindowNode {
  readonly kind: 'window';
  readonly fn: string;
  readonly size: { readonly count: number } | { readonly durationMs: number; readonly timeField: string };
}

/** k-out-of-n redundancy: every branch gets the input; output = the first k outputs to finish. */
export interface FirstOfNode {
  readonly kind: 'firstOf';
  readonly k: number;
  readonly branches: readonly WorkflowNode[];
}

/**
 * Sequential loop carrying state: input `{ items, state }`; fn runs on
 * `{ state, item, index }` for each item in order and returns the next state.
 * Output: the final state.
 */
export interface FoldNode {
  readonly kind: 'fold';
  readonly fn: string;
}

/**
 * Failure handling: run `body`; when it fails with an error whose name `retry.errors`
 * lists, run it again, up to `retry.maxAttempts` attempts in all (the first included),
 * waiting `intervalMs`, then that times `backoffRate` after each further failure. When it
 * still fails, the first `catch` whose `errors` list the error's name runs `then` on
 * `{ error, cause, input }` (the error's name and message, and the try's own input), and
 * its output is the try's; no matching catch: the try fails with the error.
 * Error names are an Error's `name` (`FunctionError` sets one); `'*'` matches any.
 */
export interface TryNode {
  readonly kind: 'try';
  readonly body: WorkflowNode;
  readonly retry?: {
    readonly errors: readonly string[];
    readonly maxAttempts: number;
    readonly intervalMs: number;
    readonly backoffRate: number;
  };
  readonly catch?: readonly { readonly errors: readonly string[]; readonly then: WorkflowNode }[];
}

/** What a catch's `then` gets: the error's name and message, and the try's input. */
export interface CaughtError {
  readonly error: string;
  readonly cause: string;
  readonly input: Value;
}

/** Does a retry's or a catch's list take this error name? */
export function handlesError(errors: readonly string[], name: string): boolean {
  return errors.includes('*') || errors.includes(name);
}

/**
 * A workflow written in one platform's own format, run as it is by that platform only:
 * `unum-ir` is Unum's IR written by hand (each function's `unum_config.json`, as Unum's
 * apps ship them). Every other adapter, and the oracle, refuse it; its workload brings
 * its own verify.
 */
export interface ForeignNode {
  readonly kind: 'foreign';
  readonly format: 'unum-ir';
  /** The workflow as written (parsed JSON; the platform checks it when it deploys). */
  readonly document: Value;
  /** The Baton functions it calls. */
  readonly functions: readonly string[];
}

export type WorkflowNode =
  | TaskNode
  | SequenceNode
  | ParallelNode
  | MapNode
  | ChoiceNode
  | DagNode
  | ShuffleNode
  | WindowNode
  | FirstOfNode
  | FoldNode
  | TryNode
  | ForeignNode;

/** Every node kind used in a graph, each once. */
export function nodeKindsOf(node: WorkflowNode, into: Set<NodeKind> = new Set()): Set<NodeKind> {
  into.add(node.kind);
  for (const child of childrenOf(node)) nodeKindsOf(child, into);
  return into;
}

/** Every function name a graph calls, each once. */
export function functionNamesOf(node: WorkflowNode, into: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'task':
    case 'window':
    case 'fold':
      into.add(node.fn);
      break;
    case 'dag':
      for (const task of node.tasks) into.add(task.fn);
      break;
    case 'foreign':
      for (const fn of node.functions) into.add(fn);
      break;
    case 'shuffle':
      into.add(node.mapper).add(node.reducer);
      break;
    default:
      break;
  }
  for (const child of childrenOf(node)) functionNamesOf(child, into);
  return into;
}

export function childrenOf(node: WorkflowNode): readonly WorkflowNode[] {
  switch (node.kind) {
    case 'sequence':
      return node.steps;
    case 'parallel':
    case 'firstOf':
      return node.branches;
    case 'map':
      return [node.body];
    case 'choice':
      return [...node.cases.map((c) => c.then), ...(node.otherwise ? [node.otherwise] : [])];
    case 'try':
      return [node.body, ...(node.catch ?? []).map((c) => c.then)];
    default:
      return [];
  }
}
