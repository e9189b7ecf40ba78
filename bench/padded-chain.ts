import type { Workload } from '../harness/model/index.ts';
import { seededBytes } from '../workloads/shared/bytes.ts';

/**
 * The chain workload with links that last at least `minMs`: on a VM, how long a
 * thread slept changes how fast it wakes, so a fair size comparison holds the
 * links' duration equal and varies only the bytes.
 */
export const paddedChain: Workload = {
  name: 'padded-chain',
  description: 'chain whose links take at least minMs',
  params: {
    length: { description: 'links', default: 5, min: 1, max: 1000, integer: true },
    payloadBytes: { description: 'bytes per link', default: 1024, min: 0, max: 512 * 1024 * 1024, integer: true },
    minMs: { description: 'least duration of a link', default: 0, min: 0, max: 10_000, integer: false },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph: ({ length }) => ({ kind: 'sequence', steps: Array.from({ length: length! }, () => ({ kind: 'task', fn: 'paddedStep' }) as const) }),
  input: ({ payloadBytes, minMs }) => ({ bytes: seededBytes(payloadBytes!, 1), minMs: minMs! }),
  verify: (output, _input, { payloadBytes }) => {
    const bytes = (output as { bytes?: unknown }).bytes;
    return bytes instanceof Uint8Array && bytes.length === payloadBytes ? { ok: true } : { ok: false, reason: 'output is not { bytes } of the payload size' };
  },
};
