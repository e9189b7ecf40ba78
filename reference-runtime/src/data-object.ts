import type { RuntimeValue } from './value.ts';

/** An immutable object in a bucket. Its bytes live in the node's arena (see store/). */
export interface DataObject {
  readonly session: string;
  /** Fan-out path: `fork`/`split` push a segment, a target with `pop` pops it into the name. */
  readonly scope: readonly string[];
  /** What join triggers match on: a branch index, a parent's id, a choice label. */
  readonly name: string;
  /** Encoded: byte arrays are arena handles. */
  readonly value: RuntimeValue;
  /** Invocations whose outputs this object carries (for transition timing). */
  readonly producers: readonly string[];
  /** Arena allocations this object holds (released when it is consumed or dropped). */
  readonly blocks: readonly number[];
}
