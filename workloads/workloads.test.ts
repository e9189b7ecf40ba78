import { describe, expect, it } from 'vitest';
import { evaluate, type Functions } from '../harness/semantics/evaluate.ts';
import { chain } from './chain/index.ts';
import { fanout } from './fanout/index.ts';
import { addOne, checksum, fillSeeded, seededBytes } from './shared/bytes.ts';

const functionsOf = async (url: string) => ((await import(url)) as { functions: Functions }).functions;

describe('byte helpers', () => {
  it('addOne adds one to every byte, wrapping, on aligned and unaligned views', () => {
    const bytes = Uint8Array.from([0, 1, 254, 255, 127, 128, 9]);
    expect([...addOne(bytes, new Uint8Array(7))]).toEqual([1, 2, 255, 0, 128, 129, 10]);
    const unaligned = new Uint8Array(new ArrayBuffer(9), 1, 7).fill(255);
    expect([...addOne(unaligned, new Uint8Array(7))]).toEqual(Array(7).fill(0));
  });

  it('checksums and seeded bytes do not depend on alignment', () => {
    const aligned = seededBytes(1001, 7);
    const unaligned = fillSeeded(new Uint8Array(new ArrayBuffer(1004), 3, 1001), 7);
    expect([...unaligned]).toEqual([...aligned]);
    expect(checksum(unaligned)).toBe(checksum(aligned));
  });

  it('checksums differ when one byte differs', () => {
    const a = seededBytes(4097, 1);
    const b = Uint8Array.from(a);
    b[4096] = b[4096]! ^ 1;
    expect(checksum(a)).not.toBe(checksum(b));
  });
});

describe('workload verify', () => {
  it('chain accepts the right output and rejects a skipped link', async () => {
    const params = { length: 3, payloadBytes: 1000 };
    const input = chain.input(params);
    const output = await evaluate(chain.graph(params), input, await functionsOf(chain.functionsUrl));
    expect(chain.verify(output, input, params)).toEqual({ ok: true });
    const short = await evaluate(chain.graph({ ...params, length: 2 }), input, await functionsOf(chain.functionsUrl));
    expect(chain.verify(short, input, params)).toMatchObject({ ok: false });
  });

  it('fanout accepts the right output and rejects a missing or corrupted branch', async () => {
    const params = { width: 5, payloadBytes: 333 };
    const input = fanout.input(params);
    const output = (await evaluate(fanout.graph(params), input, await functionsOf(fanout.functionsUrl))) as { count: number; checksums: number[] };
    expect(fanout.verify(output, input, params)).toEqual({ ok: true });
    expect(fanout.verify({ count: 4, checksums: output.checksums.slice(1) }, input, params)).toMatchObject({ ok: false });
    expect(fanout.verify({ ...output, checksums: [...output.checksums.slice(0, 4), 0] }, input, params)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/branch 4/),
    });
  });
});
