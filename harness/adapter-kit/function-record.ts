/** What Baton's function wrappers record of each function run, for traces in both targets. */
import type { InvocationRecord, StorageIo, Trace } from '../model/index.ts';

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
  /** Its storage calls (`ctx.storage`, `ctx.nosql`); absent when it made none. */
  readonly storage?: Readonly<StorageIo>;
}

/** The trace's record of a function run, on the trace's clock (hrtime locally, epoch in the cloud). */
export function invocationOf(record: FunctionRecord, clock: Trace['clock'], parents: readonly string[] = record.parents): InvocationRecord {
  const ns = (hr: string, epochMs: number): bigint => (clock === 'monotonic' ? BigInt(hr) : BigInt(epochMs) * 1_000_000n);
  return {
    fn: record.fn,
    id: record.id,
    attempt: 1,
    startNs: ns(record.startNs, record.startEpochMs),
    endNs: ns(record.endNs, record.endEpochMs),
    inBytes: record.inBytes,
    outBytes: record.outBytes,
    worker: record.worker,
    cold: record.cold,
    parents,
    ...(record.storage ? { storage: record.storage } : {}),
  };
}
