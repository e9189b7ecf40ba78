/** Functions for benchmarks. */
import type { FunctionsModule, Value } from '../harness/model/index.ts';
import { addOne } from '../workloads/shared/bytes.ts';

export const functions: FunctionsModule['functions'] = {
  inc: (input) => (input as number) + 1,
  /** A chain link like the chain workload's, that takes at least `minMs` (busy) so links of different sizes last as long. */
  paddedStep: (input, ctx) => {
    const startNs = process.hrtime.bigint();
    const { bytes, minMs } = input as { bytes: Uint8Array; minMs: number };
    const out = addOne(bytes, ctx.alloc(bytes.length));
    while (process.hrtime.bigint() - startNs < BigInt(Math.round(minMs * 1e6))) {
      /* busy: as a CPU-bound function would */
    }
    return { bytes: out, minMs } as Value;
  },
};
