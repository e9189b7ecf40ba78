import { describe, expect, it } from 'vitest';
import { functions } from '../conformance/probe-functions.ts';
import { PROBES } from '../conformance/probes.ts';
import { NODE_KINDS, functionNamesOf, nodeKindsOf } from '../model/index.ts';
import { evaluate } from './evaluate.ts';
import { topologicalOrder } from '../model/dag.ts';

describe('the oracle defines each node kind', () => {
  // Worked by hand from the definitions in harness/model/workflow.ts.
  const expected = {
    task: 2,
    sequence: 9, // (3 + 1) * 2 + 1
    parallel: [6, 10, 20],
    map: 20, // sum over i < 4 of (i + 1) * 2
    choice: 24, // 12 > 10: double
    dag: { d: 114 }, // a = 1 + 1; b = a + 10; c = a + 100; d = b + c
    shuffle: [
      { key: '0', total: 12 },
      { key: '1', total: 9 },
    ],
    window: [3, 3],
    firstOf: [2],
    fold: 14, // 1*1 + 2*2 + 3*3
    try: [20, 105], // 5 * 4 passes; 5 fails twice (retried once), caught: 5 + 100
  };
  for (const kind of NODE_KINDS.filter((k) => k !== 'foreign')) {
    it(kind, async () => {
      expect(await evaluate(PROBES[kind].graph, PROBES[kind].input, functions)).toEqual(expected[kind]);
    });
  }

  it("refuses a workflow in a platform's own format: its workload verifies it", async () => {
    await expect(evaluate(PROBES.foreign.graph, PROBES.foreign.input, functions)).rejects.toThrow(/does not run a workflow in a platform's own format/);
  });

  it('fails a choice with no match and no otherwise', async () => {
    await expect(
      evaluate({ kind: 'choice', cases: [{ when: { field: '', op: 'lt', value: 0 }, then: { kind: 'task', fn: 'inc' } }] }, 1, functions),
    ).rejects.toThrow('no case matched');
  });

  it('refuses a dag with a cycle', () => {
    expect(() =>
      topologicalOrder([
        { id: 'a', after: ['b'] },
        { id: 'b', after: ['a'] },
      ]),
    ).toThrow('cycle');
  });
});

describe('graph helpers', () => {
  it('list node kinds and function names', () => {
    const graph = PROBES.map.graph;
    expect([...nodeKindsOf(graph)].sort()).toEqual(['map', 'sequence', 'task']);
    expect([...functionNamesOf(graph)].sort()).toEqual(['double', 'inc', 'range', 'sum']);
  });
});
