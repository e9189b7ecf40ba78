/** MapReduce sort: mappers generate and range-partition their split, reducers sort a partition. */
import type { FunctionsModule, Value } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { RECORD_BYTES, digest, generateRecords, hexKey, partitionOf, sortRecords } from './records.ts';

/** Group keys sort as the partitions do: fixed width. */
export function partitionKey(partition: number): string {
  return `p${String(partition).padStart(5, '0')}`;
}

export const functions: FunctionsModule['functions'] = {
  /** One input split: `records` rows from `firstRow`; returns { partitionKey: bytes } for every partition it has rows of. */
  map(input, ctx) {
    if (!isRecord(input)) throw new Error('mapreduce map: input must be { firstRow, records, seed, reducers }');
    const { firstRow, records, seed, reducers } = input as { firstRow: number; records: number; seed: number; reducers: number };
    const split = generateRecords(firstRow, records, seed);
    const counts = new Array<number>(reducers).fill(0);
    for (let at = 0; at < split.length; at += RECORD_BYTES) counts[partitionOf(split, at, reducers)]!++;
    const parts = counts.map((n) => ctx.alloc(n * RECORD_BYTES));
    const filled = new Array<number>(reducers).fill(0);
    for (let at = 0; at < split.length; at += RECORD_BYTES) {
      const p = partitionOf(split, at, reducers);
      parts[p]!.set(split.subarray(at, at + RECORD_BYTES), filled[p]!);
      filled[p]! += RECORD_BYTES;
    }
    const out: Record<string, Value> = {};
    parts.forEach((bytes, p) => {
      if (bytes.length > 0) out[partitionKey(p)] = bytes;
    });
    return out;
  },
  /** One partition: every mapper's records for it, sorted; returns what verify needs, not the bytes. */
  reduce(input) {
    if (!isRecord(input) || !Array.isArray(input['values'])) throw new Error('mapreduce reduce: input must be { key, values }');
    const values = input['values'] as Value[];
    const total = values.reduce((sum: number, v) => sum + (v instanceof Uint8Array ? v.length : 0), 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const v of values) {
      if (!(v instanceof Uint8Array)) throw new Error('mapreduce reduce: every value must be bytes');
      all.set(v, at);
      at += v.length;
    }
    const sorted = sortRecords(all);
    return {
      partition: input['key'] as string,
      records: sorted.length / RECORD_BYTES,
      digest: digest(sorted),
      firstKey: sorted.length > 0 ? hexKey(sorted, 0) : '',
      lastKey: sorted.length > 0 ? hexKey(sorted, sorted.length - RECORD_BYTES) : '',
    };
  },
};
