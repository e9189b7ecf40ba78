/**
 * Functions for SeBS-Flow's 680.excamera, with Baton's lossless codec. As in SeBS-Flow,
 * a segment's function sees only its segment: the predecessor's final frame is read
 * from the source (SeBS-Flow reads it from storage), so re-encoding and the sequential
 * rebase need no state passed between elements.
 */
import type { FunctionsModule, Value } from '../../../../harness/model/index.ts';
import { decodeStream, encodeFrame, generateFrame } from '../../../excamera/codec.ts';

interface Segment {
  index: number;
  first: number;
  count: number;
  width: number;
  height: number;
  seed: number;
}
const frameOf = (s: Segment, i: number) => generateFrame(s.seed, i, s.width, s.height);

export const functions: FunctionsModule['functions'] = {
  split: (input) => {
    const { frames, segments, width, height, seed } = input as { frames: number; segments: number; width: number; height: number; seed: number };
    const per = Math.ceil(frames / segments);
    return {
      segments: Array.from({ length: Math.ceil(frames / per) }, (_, index) => ({
        index,
        first: index * per,
        count: Math.min(per, frames - index * per),
        width,
        height,
        seed,
      })),
    };
  },
  encode: (input) => {
    const s = input as unknown as Segment;
    const chunks = Array.from({ length: s.count }, (_, i) => encodeFrame(frameOf(s, s.first + i), i > 0 ? frameOf(s, s.first + i - 1) : undefined));
    return { ...s, chunks } as unknown as Value;
  },
  reencode: (input) => {
    const s = input as unknown as Segment & { chunks: Uint8Array[] };
    if (s.index === 0) return input;
    return { ...s, chunks: [encodeFrame(frameOf(s, s.first), frameOf(s, s.first - 1)), ...s.chunks.slice(1)] } as unknown as Value;
  },
  rebase: (input) => {
    const s = input as unknown as Segment & { chunks: Uint8Array[] };
    const frames = decodeStream(s.chunks, s.index === 0 ? undefined : frameOf(s, s.first - 1));
    const exact = frames.every((f, i) => Buffer.compare(Buffer.from(f), Buffer.from(frameOf(s, s.first + i))) === 0);
    return { index: s.index, frames: frames.length, bytes: s.chunks.reduce((n, c) => n + c.length, 0), exact };
  },
};
