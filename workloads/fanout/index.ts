import type { Value, Workload } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { addOne, checksum, seededBytes } from '../shared/bytes.ts';

const SEED = 0xfa17;

/** Scatter to `width` parallel functions (a dynamic map), then join. */
export const fanout: Workload = {
  name: 'fanout',
  description: 'fan-out/fan-in: scatter payloads to width branches, transform each, join',
  params: {
    width: { description: 'parallel branches', default: 8, min: 1, max: 10_000, integer: true },
    payloadBytes: { description: 'bytes sent to and returned by each branch', default: 1024, min: 0, max: 64 * 1024 * 1024, integer: true, unit: 'bytes' },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph: () => ({
    kind: 'sequence',
    steps: [
      { kind: 'task', fn: 'scatter' },
      { kind: 'map', body: { kind: 'task', fn: 'work' } },
      { kind: 'task', fn: 'gather' },
    ],
  }),
  input: ({ width, payloadBytes }) => ({ width: width!, payloadBytes: payloadBytes!, seed: SEED }),
  // Every branch's payload in and out.
  dataBytes: ({ width, payloadBytes }) => 2 * width! * payloadBytes!,
  verify(output, _input, { width, payloadBytes }) {
    if (!isRecord(output) || !Array.isArray(output['checksums'])) return { ok: false, reason: 'output is not { count, checksums }' };
    const checksums = output['checksums'] as Value[];
    if (output['count'] !== width || checksums.length !== width)
      return { ok: false, reason: `output counts ${String(output['count'])} branches, expected ${width}` };
    for (let i = 0; i < width!; i++) {
      const payload = seededBytes(payloadBytes!, SEED + i);
      const want = checksum(addOne(payload, payload));
      if (checksums[i] !== want) return { ok: false, reason: `branch ${i}: checksum ${String(checksums[i])}, expected ${want}` };
    }
    return { ok: true };
  },
};
