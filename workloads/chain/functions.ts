import type { FunctionsModule, Value } from '../../harness/model/index.ts';
import { addOne } from '../shared/bytes.ts';

/** Every link reads its whole input and writes a new payload of the same size. */
export const functions: FunctionsModule['functions'] = {
  step(input: Value, ctx) {
    if (!(input instanceof Uint8Array)) throw new Error('chain step: input must be bytes');
    return addOne(input, ctx.alloc(input.byteLength));
  },
};
