import { describe, expect, it } from 'vitest';
import { evaluate, type Functions } from '../../harness/semantics/evaluate.ts';
import { isRecord, type Value } from '../../harness/model/value.ts';
import { functions } from './functions.ts';
import { mapreduce } from './index.ts';
import { RECORD_BYTES, digest, generateRecords } from './records.ts';

describe('gensort records', () => {
  it('are 100 bytes with the gensort markers and the row number in hex', () => {
    const records = generateRecords(0x2a, 2, 1);
    expect(records.length).toBe(2 * RECORD_BYTES);
    expect([...records.subarray(10, 12)]).toEqual([0x00, 0x11]);
    expect(Buffer.from(records.subarray(12, 44)).toString()).toBe('2A'.padStart(32, '0'));
    expect([...records.subarray(44, 48)]).toEqual([0x88, 0x99, 0xaa, 0xbb]);
    expect([...records.subarray(96, 100)]).toEqual([0xcc, 0xdd, 0xee, 0xff]);
    expect(Buffer.from(records.subarray(112, 144)).toString()).toBe('2B'.padStart(32, '0'));
  });
});

describe('mapreduce verify', () => {
  const params = { mappers: 3, reducers: 5, megabytes: 0.05 };
  const input = mapreduce.input(params);

  it('accepts the sorted partitions', async () => {
    const output = await evaluate(mapreduce.graph(params), input, functions as Functions);
    expect(mapreduce.verify(output, input, params)).toEqual({ ok: true });
  });

  it('rejects a reducer that does not sort, and a lost partition', async () => {
    const unsorted: Functions = {
      ...functions,
      reduce: (value) => {
        const out = functions['reduce']!(value, { invocationId: 'x', log: () => {}, now: () => 0n, alloc: (n) => new Uint8Array(n) }) as Value;
        if (!isRecord(value) || !isRecord(out)) throw new Error('unexpected');
        const bytes = Buffer.concat((value['values'] as Uint8Array[]).map((v) => Buffer.from(v)));
        return { ...out, digest: digest(bytes) }; // the records as they came, not sorted
      },
    };
    const wrong = await evaluate(mapreduce.graph(params), input, unsorted);
    expect(mapreduce.verify(wrong, input, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/out of order/) });
    const right = (await evaluate(mapreduce.graph(params), input, functions as Functions)) as Value[];
    expect(mapreduce.verify(right.slice(1), input, params)).toMatchObject({ ok: false });
  });
});
