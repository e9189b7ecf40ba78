import { describe, expect, it } from 'vitest';
import { evaluateTraced } from '../semantics/evaluate.ts';
import { functions } from './probe-functions.ts';
import { NESTED_PROBES, PROBES } from './probes.ts';
import { lineages, provenanceProblems, type CallEdges } from './provenance.ts';

describe('provenance check', () => {
  it('the oracle names every parent of a join', async () => {
    const run = await evaluateTraced(PROBES.parallel.graph, PROBES.parallel.input, functions);
    // parallel [inc, double, double;double] has no join task; a map probe does: sum after the map of inc;double.
    expect(lineages(run.calls)).toEqual(['double', 'double', 'double(double)', 'inc']);
    const map = await evaluateTraced(PROBES.map.graph, PROBES.map.input, functions);
    expect(lineages(map.calls).at(-1)).toBe('sum(double(inc(range)),double(inc(range)),double(inc(range)),double(inc(range)))');
  });

  it('finds an adapter that keeps only the first parent of every join', async () => {
    const oracle = await evaluateTraced(NESTED_PROBES['map in map'].graph, NESTED_PROBES['map in map'].input, functions);
    const firstParentOnly: CallEdges[] = oracle.calls.map((c) => ({ ...c, parents: c.parents.slice(0, 1) }));
    const problems = provenanceProblems(firstParentOnly, oracle);
    expect(problems.some((p) => p.startsWith('missing: sum('))).toBe(true);
    expect(provenanceProblems(oracle.calls, oracle)).toEqual([]);
  });

  it('finds a call the oracle did not make, and lets the losers of a first-of go unrecorded', async () => {
    const oracle = await evaluateTraced(PROBES.firstOf.graph, PROBES.firstOf.input, functions);
    const winner = oracle.calls.find((c) => oracle.outputFrom.includes(c.id))!;
    expect(provenanceProblems([winner], oracle)).toEqual([]);
    expect(provenanceProblems([winner, { id: 'x', fn: 'double', parents: [] }], oracle)).toEqual(['not called by the oracle: double']);
  });
});
