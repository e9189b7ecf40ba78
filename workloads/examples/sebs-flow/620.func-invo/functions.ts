/** Functions for SeBS-Flow's 620.func-invo: one generator and eight chained invocations passing a payload. */
import type { FunctionsModule } from '../../../../harness/model/index.ts';
import { addOne, seededBytes } from '../../../shared/bytes.ts';

export const functions: FunctionsModule['functions'] = {
  gen: (input) => ({ hops: 0, payload: seededBytes((input as { sizeBytes: number }).sizeBytes, 620) }),
  process: (input, ctx) => {
    const { hops, payload } = input as { hops: number; payload: Uint8Array };
    return { hops: hops + 1, payload: addOne(payload, ctx.alloc(payload.length)) };
  },
};
