import type { Workload } from '../../harness/model/index.ts';
import { addOne, checksum, seededBytes } from '../shared/bytes.ts';

const SEED = 0xba70;

/** A chain of `length` functions, each passing on `payloadBytes` of fresh data. */
export const chain: Workload = {
  name: 'chain',
  description: 'function chain: each link reads its input bytes and writes as many new bytes',
  params: {
    length: { description: 'functions in the chain', default: 5, min: 1, max: 1000, integer: true },
    payloadBytes: { description: 'bytes passed between consecutive functions', default: 1024, min: 0, max: 512 * 1024 * 1024, integer: true, unit: 'bytes' },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph: ({ length }) => ({ kind: 'sequence', steps: Array.from({ length: length! }, () => ({ kind: 'task', fn: 'step' }) as const) }),
  input: ({ payloadBytes }) => seededBytes(payloadBytes!, SEED),
  // A hop's input and output.
  dataBytes: ({ payloadBytes }) => 2 * payloadBytes!,
  verify(output, input, { length }) {
    if (!(output instanceof Uint8Array) || !(input instanceof Uint8Array)) return { ok: false, reason: 'output is not bytes' };
    if (output.length !== input.length) return { ok: false, reason: `output has ${output.length} bytes, expected ${input.length}` };
    let expected = input;
    for (let i = 0; i < length!; i++) expected = addOne(expected, new Uint8Array(expected.length));
    const [got, want] = [checksum(output), checksum(expected)];
    return got === want ? { ok: true } : { ok: false, reason: `output checksum ${got.toString(16)}, expected ${want.toString(16)}` };
  },
};
