import type { Value, VerifyResult } from '../../harness/model/index.ts';
import { decodeStream, isIntra } from './codec.ts';

/**
 * ExCamera's result, checked from scratch: `frames` encoded frames, only the first a
 * keyframe (every later segment rebased onto its predecessor), and each decoded frame
 * equal to the source's.
 */
export function checkStream(chunks: readonly Value[], frames: number, sourceFrame: (index: number) => Uint8Array): VerifyResult {
  if (chunks.length !== frames) return { ok: false, reason: `${chunks.length} frames in the stream, expected ${frames}` };
  if (!chunks.every((c) => c instanceof Uint8Array)) return { ok: false, reason: 'a chunk is not bytes' };
  const stream = chunks as Uint8Array[];
  const keyframes = stream.filter(isIntra).length;
  if (!isIntra(stream[0]!) || keyframes !== 1)
    return { ok: false, reason: `${keyframes} keyframes; expected exactly one, the first (segments were not rebased)` };
  let decoded: Uint8Array[];
  try {
    decoded = decodeStream(stream);
  } catch (error) {
    return { ok: false, reason: `the stream does not decode: ${(error as Error).message}` };
  }
  for (let i = 0; i < frames; i++) {
    if (Buffer.compare(Buffer.from(decoded[i]!), Buffer.from(sourceFrame(i))) !== 0)
      return { ok: false, reason: `frame ${i} differs from the source after decoding` };
  }
  return { ok: true };
}
