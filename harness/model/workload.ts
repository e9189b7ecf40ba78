/**
 * A workload is written once and run, unchanged, on every platform adapter.
 */
import type { NoSqlStorage, ObjectStorage, StorageSpec } from './storage.ts';
import type { Value } from './value.ts';
import type { WorkflowNode } from './workflow.ts';

/** What a function sees of the platform it runs on. */
export interface FunctionContext {
  /** Unique per invocation (a retried invocation keeps its id and bumps `attempt`). */
  readonly invocationId: string;
  readonly log: (message: string) => void;
  /** Nanoseconds on the platform's clock (monotonic locally). */
  readonly now: () => bigint;
  /**
   * Bytes for an output. Platforms with a shared-memory store (the reference runtime)
   * hand out memory that consumers can read without a copy; others a plain array.
   */
  readonly alloc: (sizeBytes: number) => Uint8Array;
  /** Objects by key (S3, Blob storage, the reference runtime's store): present for a workload that declares `storage`. */
  readonly storage?: ObjectStorage;
  /** Items by partition and sort key (DynamoDB, Table storage): present for a workload that declares `storage`. */
  readonly nosql?: NoSqlStorage;
}

export type WorkflowFunction = (input: Value, ctx: FunctionContext) => Value | Promise<Value>;

/**
 * A module, loadable by URL in any process or thread, that exports
 * `functions: Record<string, WorkflowFunction>`. Platforms load it where the
 * functions run (a worker thread, a Lambda worker, an activity host).
 */
export interface FunctionsModule {
  readonly functions: Readonly<Record<string, WorkflowFunction>>;
}

/** A numeric workload parameter, validated before any run starts. */
export interface ParamSpec {
  readonly description: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly unit?: string;
}

export type ParamValues = Readonly<Record<string, number>>;

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** URL of a module whose export is a `FunctionsModule`. */
  readonly functionsUrl: string;
  graph(params: ParamValues): WorkflowNode;
  /** The workflow input; deterministic for given params (seeded). */
  input(params: ParamValues): Value;
  /**
   * The most data one run holds at once, in bytes, estimated from the params (inputs,
   * intermediate values and outputs alive together); `--max-memory` refuses a cell over
   * the machine's share before it runs. Absent: not known (the cell is never refused).
   */
  dataBytes?(params: ParamValues): number;
  /**
   * What its functions need of `ctx.storage` and `ctx.nosql`: the objects deploy uploads
   * (seeded, deterministic for given params) and the tables. Absent: the workload uses no
   * storage, and platforms without it can run it.
   */
  storage?(params: ParamValues): StorageSpec;
  /** Checks an output against the input that produced it; a wrong result fails the run. */
  verify(output: Value, input: Value, params: ParamValues): VerifyResult | Promise<VerifyResult>;
}
