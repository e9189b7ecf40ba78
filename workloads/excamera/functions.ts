/**
 * ExCamera (Fouladi et al., NSDI '17) as in SeBS-Flow's 680.excamera and Unum's port:
 * split the clip into segments; encode every segment in parallel, each starting with a
 * keyframe; re-encode each segment's first frame against its predecessor's final frame
 * (in parallel again: the predecessor's state is known once it is encoded); then a
 * sequential rebase carries the decoder state from segment to segment and joins the
 * stream. With the lossless codec here, the result is one keyframe and inter frames.
 */
import type { FunctionsModule, Value } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { decodeFrame, decodeStream, encodeFrame, generateFrame } from './codec.ts';

export interface Clip {
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly segments: number;
  readonly seed: number;
}
/** A run of the clip's frames, encoded by one function. */
export interface Segment {
  readonly index: number;
  readonly firstFrame: number;
  readonly count: number;
  readonly width: number;
  readonly height: number;
  readonly seed: number;
}
/** An encoded segment and the frame it ends on (the decoder state a successor needs). */
export interface Encoded {
  readonly index: number;
  readonly chunks: Uint8Array[];
  readonly finalFrame: Uint8Array;
}

export const asBytes = (v: Value): Uint8Array => {
  if (!(v instanceof Uint8Array)) throw new Error('excamera: expected bytes');
  return v;
};
export const encodedOf = (v: Value): Encoded => {
  if (!isRecord(v) || !Array.isArray(v['chunks'])) throw new Error('excamera: expected an encoded segment');
  return { index: v['index'] as number, chunks: (v['chunks'] as Value[]).map(asBytes), finalFrame: asBytes(v['finalFrame']!) };
};

export const functions: FunctionsModule['functions'] = {
  split(input) {
    const clip = input as unknown as Clip;
    const per = Math.ceil(clip.frames / clip.segments);
    return Array.from({ length: Math.ceil(clip.frames / per) }, (_, index) => ({
      index,
      firstFrame: index * per,
      count: Math.min(per, clip.frames - index * per),
      width: clip.width,
      height: clip.height,
      seed: clip.seed,
    })) as unknown as Value;
  },
  /** Reads the segment's frames from the source and encodes them, starting with a keyframe. */
  encode(input) {
    const s = input as unknown as Segment;
    const chunks: Uint8Array[] = [];
    let previous: Uint8Array | undefined;
    for (let i = 0; i < s.count; i++) {
      const frame = generateFrame(s.seed, s.firstFrame + i, s.width, s.height);
      chunks.push(encodeFrame(frame, previous));
      previous = frame;
    }
    return { index: s.index, chunks, finalFrame: previous! };
  },
  /** Pairs every encoded segment with its predecessor's final frame (the state its first frame can be coded against). */
  pairUp(input) {
    const segments = (input as Value[]).map(encodedOf);
    return segments.map((segment, i) => ({ segment: { ...segment }, previousFinal: i > 0 ? segments[i - 1]!.finalFrame : null })) as unknown as Value;
  },
  /** Replaces the segment's keyframe by an inter frame against the predecessor's final frame. */
  reencode(input) {
    if (!isRecord(input)) throw new Error('excamera reencode: expected { segment, previousFinal }');
    const segment = encodedOf(input['segment']!);
    if (input['previousFinal'] === null) return { ...segment };
    const first = decodeFrame(segment.chunks[0]!);
    return { ...segment, chunks: [encodeFrame(first, asBytes(input['previousFinal']!)), ...segment.chunks.slice(1)] };
  },
  startRebase(input) {
    return { items: input, state: { chunks: [], lastFrame: null } } as Value;
  },
  /** Sequential: decodes the segment from the carried decoder state and appends it to the stream. */
  rebase(input) {
    if (!isRecord(input) || !isRecord(input['state']!)) throw new Error('excamera rebase: expected { state, item, index }');
    const state = input['state'] as { chunks: Value[]; lastFrame: Value };
    const segment = encodedOf(input['item']!);
    const frames = decodeStream(segment.chunks, state.lastFrame === null ? undefined : asBytes(state.lastFrame));
    return { chunks: [...state.chunks, ...segment.chunks], lastFrame: frames.at(-1)! };
  },
};
