import type { Value, Workload } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { partitionKey } from './functions.ts';
import { RECORD_BYTES, digest, generateRecords, hexKey, partitionOf, sortRecords } from './records.ts';

const SEED = 0x5027;

/** Rows of mapper `m`: the records split evenly, the first mappers taking one more. */
function splits(mappers: number, records: number): { firstRow: number; records: number }[] {
  const base = Math.floor(records / mappers);
  const extra = records % mappers;
  let firstRow = 0;
  return Array.from({ length: mappers }, (_, m) => {
    const n = base + (m < extra ? 1 : 0);
    const split = { firstRow, records: n };
    firstRow += n;
    return split;
  });
}

/**
 * Pheromone's MapReduce sort: M mappers each generate their split of gensort records
 * and range-partition it into R partitions; a shuffle delivers every partition to its
 * reducer, which sorts it. Verify regenerates every record, sorts them all and checks
 * each partition's count, first and last key and an order-dependent digest.
 */
export const mapreduce: Workload = {
  name: 'mapreduce',
  description: 'MapReduce sort of 100-byte gensort records: M mappers range-partition, a shuffle, R reducers sort',
  params: {
    mappers: { description: 'map functions (input splits)', default: 4, min: 1, max: 1000, integer: true },
    reducers: { description: 'reduce functions (key ranges)', default: 4, min: 1, max: 1000, integer: true },
    megabytes: { description: 'data to sort, in total', default: 4, min: 0.0001, max: 100_000, integer: false, unit: 'MB' },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph: () => ({ kind: 'shuffle', mapper: 'map', reducer: 'reduce' }),
  input: ({ mappers, reducers, megabytes }) =>
    splits(mappers!, Math.max(1, Math.round((megabytes! * 1e6) / RECORD_BYTES))).map((s) => ({ ...s, seed: SEED, reducers: reducers! })),
  // The records, the mappers' partitions of them and the reducers' sorted runs.
  dataBytes: ({ megabytes }) => 3 * megabytes! * 1e6,
  verify(output, input) {
    if (!Array.isArray(output)) return { ok: false, reason: 'output is not an array of partitions' };
    const expected = expectedPartitions(input as { firstRow: number; records: number; seed: number; reducers: number }[]);
    if (output.length !== expected.length) return { ok: false, reason: `${output.length} partitions, expected ${expected.length}` };
    for (const [i, want] of expected.entries()) {
      const got = output[i];
      if (!isRecord(got) || JSON.stringify(got) !== JSON.stringify(want)) {
        return { ok: false, reason: `partition ${i}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)} (records out of order, lost or changed)` };
      }
    }
    return { ok: true };
  },
};

/** The right answer for an input, computed once per input: every record regenerated and sorted. */
const expectedByInput = new Map<string, Value[]>();

function expectedPartitions(splitsIn: readonly { firstRow: number; records: number; seed: number; reducers: number }[]): Value[] {
  const key = JSON.stringify(splitsIn);
  const cached = expectedByInput.get(key);
  if (cached) return cached;
  const reducers = splitsIn[0]!.reducers;
  const all = new Uint8Array(splitsIn.reduce((sum, s) => sum + s.records, 0) * RECORD_BYTES);
  let at = 0;
  for (const s of splitsIn) {
    all.set(generateRecords(s.firstRow, s.records, s.seed), at);
    at += s.records * RECORD_BYTES;
  }
  const sorted = sortRecords(all);
  const expected: Value[] = [];
  for (let start = 0; start < sorted.length; ) {
    const p = partitionOf(sorted, start, reducers);
    let end = start;
    while (end < sorted.length && partitionOf(sorted, end, reducers) === p) end += RECORD_BYTES;
    const part = sorted.subarray(start, end);
    expected.push({
      partition: partitionKey(p),
      records: part.length / RECORD_BYTES,
      digest: digest(part),
      firstKey: hexKey(part, 0),
      lastKey: hexKey(part, part.length - RECORD_BYTES),
    });
    start = end;
  }
  expectedByInput.clear(); // one input at a time is enough: a cell runs one input
  expectedByInput.set(key, expected);
  return expected;
}
