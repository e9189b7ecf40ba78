/** What Baton's Lambda wrappers record of each function run, for traces in both targets. */
export interface FunctionRecord {
  readonly id: string;
  readonly fn: string;
  /** `process.hrtime.bigint()` as strings: comparable on one host (the local target). */
  readonly startNs: string;
  readonly endNs: string;
  /** Epoch milliseconds: what the cloud target's traces use. */
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  readonly cold: boolean;
  readonly worker: string;
  readonly parents: readonly string[];
  readonly inBytes: number;
  readonly outBytes: number;
}
