/**
 * What one execution leaves behind, as recorded by the platform.
 */
import type { StorageIo } from './storage.ts';

/** One invocation of a user function, timed from inside the function's host. */
export interface InvocationRecord {
  readonly fn: string;
  readonly id: string;
  /** 1 for the first try; retries and re-runs count up. */
  readonly attempt: number;
  /** User-code start and end, in nanoseconds on the trace's clock. */
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly inBytes: number;
  readonly outBytes: number;
  /** Which executor ran it (thread, process, Lambda instance...). */
  readonly worker: string;
  /** True when this invocation paid for loading the function (a cold start). */
  readonly cold: boolean;
  /** Invocations whose outputs this one consumed; empty for those fed by the workflow input. */
  readonly parents: readonly string[];
  /** What its `ctx.storage` and `ctx.nosql` calls did and took; absent when it made none. */
  readonly storage?: Readonly<StorageIo>;
}

export interface Trace {
  /**
   * `monotonic`: `process.hrtime.bigint()`, shared by all processes on one host.
   * `epoch`: nanoseconds since 1970 (cloud targets; clocks of different hosts may skew).
   */
  readonly clock: 'monotonic' | 'epoch';
  readonly invocations: readonly InvocationRecord[];
}
