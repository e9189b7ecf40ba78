/**
 * Unum's intermediate representation: per function, where its output goes next
 * (Tarzi et al., "Doing more with less: orchestrating serverless applications
 * without an orchestrator", NSDI '23). Each function carries its own piece of the
 * workflow; there is no orchestrator.
 */
import type { WindowNode } from '../../harness/model/index.ts';

/** How the next function takes this function's output. */
export type InputType =
  /** As it is. */
  | 'Scalar'
  /** One invocation per item of the (array) output, each with its fan-out index. */
  | 'Map'
  /**
   * As one item of the next function's input array: the next function runs once all of
   * `Values` are done. `X-unumIndex-*` names every fan-out instance of X.
   */
  | { readonly 'Fan-in': { readonly Values: readonly string[] } };

/** One comparison of a field of the output (Baton's model), which `Conditional` spells out. */
export interface Comparison {
  readonly field: string;
  readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
  readonly value: string | number | boolean;
}

export interface NextEntry {
  readonly Name: string;
  readonly InputType: InputType;
  /** A condition on the output (`$ret.FIELD OP VALUE`); the entry is taken only when it holds. */
  readonly Conditional?: string;
  /** Baton: the same condition as data: every `when` must hold and no `unless`. */
  readonly When?: { readonly all: readonly Comparison[]; readonly none: readonly Comparison[] };
  /** Baton: one of several entries that do not open a fan-out (a DAG's roots): the receiver keeps the sender's indexes. */
  readonly Keep?: true;
}

export interface UnumConfig {
  readonly Name: string;
  /** The workflow's first function. */
  readonly Start?: boolean;
  /** Absent: the workflow's last function (its output is the result). Several entries: a static fan-out. */
  readonly Next?: readonly NextEntry[];
  /** Exactly-once: the output is checkpointed before anything is invoked. */
  readonly Checkpoint: boolean;
  /**
   * Baton: the user function this IR node runs, or one of Baton's own steps that run no
   * user code: `$spread` (fan out), `$collect` (join), `$group` (a shuffle's grouping),
   * `$first` (keep the first `K` branch outputs), `$window` (cut events into `Window`s).
   */
  readonly Function: string;
  readonly K?: number;
  readonly Window?: WindowNode['size'];
  /**
   * A fold by self-invocation: the input is `{ items, state, index }`; the function runs
   * on `{ state, item, index }` and the node invokes itself with the next index until the
   * items run out, then goes on (`Next`) with the final state.
   */
  readonly Loop?: boolean;
  /**
   * A DAG task: the function gets `{ id, args, inputs }`, where `inputs` maps each
   * parent's id to its output (a root gets `{ $input }`). Its parents fan in by name:
   * `Fan-in` Values without `-unumIndex-*`.
   */
  readonly Dag?: { readonly id: string; readonly args: unknown; readonly root: boolean };
  /**
   * IR written by hand, run by Unum's own rules (handwritten.ts): `Conditional` and the
   * fan-in `Values` are Unum's expressions over the fan-out indexes, `Modifiers` apply,
   * several Scalar entries open a Parallel fan-out, and an instance that takes no entry
   * ends the workflow.
   */
  readonly Handwritten?: true;
  /** Unum's `Next Payload Modifiers` (`Pop`, `$0=$0+1`): what the next functions' fan-out indexes become. */
  readonly Modifiers?: readonly string[];
}

export interface UnumIR {
  readonly start: string;
  readonly configs: Readonly<Record<string, UnumConfig>>;
  /** The fan-out the first function is invoked under, outermost first (Unum's chain benchmark starts under one). */
  readonly startFanout?: readonly { readonly Index: number; readonly Size: number }[];
}

/**
 * The name a fan-out instance of `name` gets at `indexes` (outermost first), as Unum's
 * runtime names it: `name-unumIndex-` and the indexes innermost first, joined by dots.
 */
export function instanceName(name: string, indexes: readonly number[]): string {
  return indexes.length === 0 ? name : `${name}-unumIndex-${[...indexes].reverse().join('.')}`;
}
