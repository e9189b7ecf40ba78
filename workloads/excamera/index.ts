import type { Value, Workload } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { generateFrame } from './codec.ts';
import { checkStream } from './check-stream.ts';

const SEED = 0xe8ca;

/**
 * ExCamera's parallel encode with a sequential fold (split -> encode ‖ -> re-encode ‖ ->
 * rebase ⟳), on a generated clip and the lossless codec in codec.ts. Verify decodes the
 * whole output stream from scratch: every frame must equal the source frame, and only
 * the very first may be a keyframe.
 */
export const excamera: Workload = {
  name: 'excamera',
  description: 'ExCamera: video segments encoded in parallel, re-encoded against their predecessors, rebased by a sequential fold',
  params: {
    frames: { description: 'frames in the clip', default: 24, min: 1, max: 100_000, integer: true },
    segments: { description: 'segments encoded in parallel', default: 4, min: 1, max: 10_000, integer: true },
    width: { description: 'frame width', default: 160, min: 8, max: 4096, integer: true, unit: 'pixels' },
    height: { description: 'frame height', default: 96, min: 8, max: 4096, integer: true, unit: 'pixels' },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph: () => ({
    kind: 'sequence',
    steps: [
      { kind: 'task', fn: 'split' },
      { kind: 'map', body: { kind: 'task', fn: 'encode' } },
      { kind: 'task', fn: 'pairUp' },
      { kind: 'map', body: { kind: 'task', fn: 'reencode' } },
      { kind: 'task', fn: 'startRebase' },
      { kind: 'fold', fn: 'rebase' },
    ],
  }),
  input: ({ frames, segments, width, height }) => ({ frames: frames!, segments: segments!, width: width!, height: height!, seed: SEED }),
  // Raw frames (a byte a pixel), their first encoding and the re-encoded stream.
  dataBytes: ({ frames, width, height }) => 3 * frames! * width! * height!,
  verify(output, _input, { frames, width, height }) {
    if (!isRecord(output) || !Array.isArray(output['chunks'])) return { ok: false, reason: 'output is not { chunks, lastFrame }' };
    return checkStream(output['chunks'] as Value[], frames!, (i) => generateFrame(SEED, i, width!, height!));
  },
};
