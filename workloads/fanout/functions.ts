import type { FunctionsModule, Value } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { addOne, checksum, fillSeeded } from '../shared/bytes.ts';

export const functions: FunctionsModule['functions'] = {
  /** Makes `width` seeded payloads, one per branch. */
  scatter(input: Value, ctx) {
    if (!isRecord(input)) throw new Error('fanout scatter: input must be { width, payloadBytes, seed }');
    const { width, payloadBytes, seed } = input as { width: number; payloadBytes: number; seed: number };
    return Array.from({ length: width }, (_, i) => fillSeeded(ctx.alloc(payloadBytes), seed + i));
  },
  /** One branch: reads its payload, writes a new one. */
  work(input: Value, ctx) {
    if (!(input instanceof Uint8Array)) throw new Error('fanout work: input must be bytes');
    return addOne(input, ctx.alloc(input.byteLength));
  },
  /** The join: reads every branch's payload. */
  gather(input: Value) {
    if (!Array.isArray(input)) throw new Error('fanout gather: input must be an array');
    const parts = input as Value[];
    return { count: parts.length, checksums: parts.map((p) => (p instanceof Uint8Array ? checksum(p) : -1)) };
  },
};
