import { describe, expect, it } from 'vitest';
import { evaluate, type Functions } from '../../harness/semantics/evaluate.ts';
import type { Value } from '../../harness/model/index.ts';
import { decodeFrame, encodeFrame, generateFrame } from './codec.ts';
import { functions } from './functions.ts';
import { excamera } from './index.ts';

describe('excamera codec', () => {
  it('is lossless, and an inter frame is smaller than a keyframe for a similar frame', () => {
    const [a, b] = [generateFrame(1, 0, 64, 48), generateFrame(1, 1, 64, 48)];
    const inter = encodeFrame(b, a);
    expect(decodeFrame(encodeFrame(a))).toEqual(a);
    expect(decodeFrame(inter, a)).toEqual(b);
    expect(inter.length).toBeLessThan(encodeFrame(b).length);
    expect(() => decodeFrame(inter)).toThrow(/decoder state/);
  });
});

describe('excamera verify', () => {
  const params = { frames: 10, segments: 3, width: 32, height: 24 };
  const input = excamera.input(params);

  it('accepts the rebased stream', async () => {
    const output = await evaluate(excamera.graph(params), input, functions as Functions);
    expect(excamera.verify(output, input, params)).toEqual({ ok: true });
  });

  it('rejects segments that were never re-encoded, and a changed frame', async () => {
    const lazy: Functions = { ...functions, reencode: (v) => (v as { segment: Value } as Record<string, Value>)['segment']! };
    const keyframes = await evaluate(excamera.graph(params), input, lazy);
    expect(excamera.verify(keyframes, input, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/3 keyframes/) });
    const output = (await evaluate(excamera.graph(params), input, functions as Functions)) as { chunks: Uint8Array[] };
    const other = encodeFrame(generateFrame(99, 0, 32, 24), decodeFrame(output.chunks[0]!));
    const changed = { ...output, chunks: [output.chunks[0]!, other, ...output.chunks.slice(2)] };
    expect(excamera.verify(changed as unknown as Value, input, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/frame 1 differs/) });
  });
});
