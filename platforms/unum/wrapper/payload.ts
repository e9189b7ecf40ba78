/** What Unum's functions send each other (the Lambda Event payload) and leave in their checkpoints. */
import type { FunctionRecord } from '../../../harness/adapter-kit/index.ts';

export interface Fanout {
  readonly Index: number;
  readonly Size: number;
}

export interface UnumPayload {
  readonly Session: string;
  /**
   * The input: a value, or (into a fan-in's aggregator) pointers to the branches' checkpoints, in
   * order, with the names a DAG node gets them by.
   */
  readonly Data: { readonly Value: unknown } | { readonly Pointers: readonly string[]; readonly Names?: readonly string[] };
  /** The fan-out indexes this instance sits under, outermost first. */
  readonly Fanout: readonly Fanout[];
  /** Instances whose outputs this input carries. */
  readonly Parents: readonly string[];
  readonly Faults: Readonly<Record<string, number>>;
  /**
   * Checkpoints this invocation consumes, to collect once its own is in: `Consumers` of them
   * in all, this one the `Index`-th.
   */
  readonly Gc?: readonly { readonly Instance: string; readonly Consumers: number; readonly Index: number }[];
  /** What the sender spent after its user code before invoking: the store part of this transition. */
  readonly Upstream?: { readonly storeWriteUs: number; readonly storeReadUs: number };
  /** When the sender invoked (monotonic ns, as a string; epoch ms on AWS). */
  readonly SentNs?: string;
  readonly SentEpochMs?: number;
}

/** What each instance that ran user code leaves in its checkpoint, for the trace and the bill. */
export interface UnumRecord extends FunctionRecord {
  /**
   * The transition into this instance, by kind: the sender's store writes (checkpoint,
   * fan-in marks) and reads (fan-in inputs) plus this instance's checkpoint check, and
   * the asynchronous invoke (sent -> handler start).
   */
  readonly transition?: { readonly storeWriteUs: number; readonly storeReadUs: number; readonly invokeUs: number };
  /**
   * Billed again by an invocation that reused the checkpoint: the run that wrote it may have
   * died before its own bill (a Lambda time-out), and the trace needs the record either way.
   */
  readonly fromCheckpoint?: true;
}
