/**
 * Unum's ExCamera (LedgeDash/unum-appstore excamera/unum), in its own shape: the IR in
 * the folders beside this file is Unum's, as written by hand, with pipelined pairwise
 * fan-ins instead of barriers. Per chunk i:
 *
 *     vpxenc_i  encodes the chunk, starting with a keyframe
 *     xcdec_i   decodes it to the decoder state at its end            (i < n-1)
 *     reencode_i [vpxenc_i, xcdec_(i-1)]: the first frame re-encoded against
 *               its predecessor's final state                         (i >= 2)
 *     rebase_1  [vpxenc_1, xcdec_0];  rebase_i [rebase_(i-1), reencode_i]: the stream so
 *               far carried on, chunk by chunk; the last rebase ends the workflow
 *
 * Unum's functions pass S3 object names and run vpxenc/xc-enc; these pass the data (a
 * small clip) and use Baton's lossless codec (workloads/excamera/codec.ts), so the
 * result can be decoded and checked frame by frame.
 */
import type { FunctionsModule, Value, VerifyResult } from '../../../../harness/model/index.ts';
import { isRecord } from '../../../../harness/model/value.ts';
import { decodeFrame, decodeStream, encodeFrame, generateFrame } from '../../../excamera/codec.ts';
import { checkStream } from '../../../excamera/check-stream.ts';
import { asBytes as bytes, encodedOf, functions as excamera, type Encoded, type Segment as Chunk } from '../../../excamera/functions.ts';

/** What rebase returns: the stream from the first chunk on, and its last decoded frame. */
interface Stream {
  readonly stream: Uint8Array[];
  readonly lastFrame: Uint8Array;
}

const pair = (input: Value, fn: string): [Value, Value] => {
  if (!Array.isArray(input) || input.length !== 2) throw new Error(`excamera ${fn}: expected the two inputs of a pairwise fan-in`);
  return [input[0]!, input[1]!];
};
/** The chunk's first frame coded against `reference` (the state its predecessor ends on). */
const rebased = (chunk: Encoded, reference: Uint8Array): Uint8Array[] => [encodeFrame(decodeFrame(chunk.chunks[0]!), reference), ...chunk.chunks.slice(1)];

export const functions: FunctionsModule['functions'] = {
  UnumMap0: (input) => {
    if (!isRecord(input) || !Array.isArray(input['chunks'])) throw new Error('excamera UnumMap0: expected { chunks: [...] }');
    return input['chunks'];
  },
  // Encodes the chunk from the source, starting with a keyframe: the workload's own encode.
  vpxenc: excamera.encode!,
  xcdec(input) {
    const chunk = encodedOf(input);
    return { ...chunk, finalFrame: decodeStream(chunk.chunks).at(-1)! } as unknown as Value;
  },
  reencode(input) {
    const [own, previous] = pair(input, 'reencode');
    const chunk = encodedOf(own);
    return { ...chunk, chunks: rebased(chunk, encodedOf(previous).finalFrame) } as unknown as Value;
  },
  rebase(input) {
    const [first, second] = pair(input, 'rebase');
    // rebase_1: [vpxenc_1, xcdec_0] starts the stream; rebase_i: [rebase_(i-1), reencode_i] carries it on.
    const start = isRecord(first) && 'stream' in first ? undefined : encodedOf(second);
    const so: Stream = start
      ? { stream: start.chunks, lastFrame: start.finalFrame }
      : { stream: (first as unknown as Stream).stream.map(bytes), lastFrame: bytes((first as unknown as Stream).lastFrame) };
    const chunk = encodedOf(start ? first : second);
    const coded = start ? rebased(chunk, so.lastFrame) : chunk.chunks;
    const frames = decodeStream(coded, so.lastFrame);
    return { stream: [...so.stream, ...coded], lastFrame: frames.at(-1)! } as unknown as Value;
  },
};

/** Decodes the whole stream from scratch: every frame must be the source's, and only the first a keyframe. */
export function verify(output: Value, input: Value): VerifyResult {
  const chunks = (isRecord(input) ? input['chunks'] : undefined) as Chunk[] | undefined;
  if (!chunks?.length) return { ok: false, reason: 'the input has no chunks' };
  // One chunk: its vpxenc ends the workflow (no entry of its IR holds).
  const stream = isRecord(output) && Array.isArray(output['stream']) ? output['stream'] : isRecord(output) ? output['chunks'] : undefined;
  if (!Array.isArray(stream) || !stream.every((c) => c instanceof Uint8Array)) return { ok: false, reason: 'the output holds no stream of encoded frames' };
  const frames = chunks.reduce((n, c) => n + c.count, 0);
  const source = chunks.flatMap((c) => Array.from({ length: c.count }, (_, i) => ({ chunk: c, frame: c.firstFrame + i })));
  return checkStream(stream, frames, (i) => generateFrame(source[i]!.chunk.seed, source[i]!.frame, source[i]!.chunk.width, source[i]!.chunk.height));
}
