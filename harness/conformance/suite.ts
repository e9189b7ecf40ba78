/**
 * The conformance suite every adapter runs against its local target (STYLE.md habit 3).
 * An adapter may skip cases only by name, with a reason, in its own test file.
 *
 *   conformanceSuite(() => new MyAdapter(), { skip: { 'fanout verified': 'why' } });
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  NODE_KINDS,
  UnsupportedError,
  functionNamesOf,
  nodeKindsOf,
  type PlatformAdapter,
  type Value,
  type Workload,
  type WorkflowNode,
} from '../model/index.ts';
import { traceProblems, transitionsUs } from '../metrics/trace-metrics.ts';
import { evaluateTraced, type Functions } from '../semantics/evaluate.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { FAILING_PROBE, NESTED_PROBES, PROBES, PROBE_FUNCTIONS_URL, type NestedProbe } from './probes.ts';
import { provenanceProblems } from './provenance.ts';

export const CONFORMANCE_CASES = [
  'chain verified',
  'fanout verified',
  'trace well formed',
  'function error fails the run',
  ...NODE_KINDS.map((kind) => `capability ${kind}` as const),
  ...(Object.keys(NESTED_PROBES) as NestedProbe[]).map((name) => `nested ${name}` as const),
] as const;
export type ConformanceCase = (typeof CONFORMANCE_CASES)[number];

export interface ConformanceOptions {
  /** Cases this adapter cannot pass, each with the reason. */
  readonly skip?: Partial<Record<ConformanceCase, string>>;
  /**
   * The platform keeps no per-function trace, and why: outputs are still checked against
   * the oracle, but not traces or parents, and 'trace well formed' is skipped with this reason.
   */
  readonly traceless?: string;
  readonly timeoutMs?: number;
}

const RUN = { cold: false, faults: {} };

async function functionsOf(url: string): Promise<Functions> {
  return ((await import(url)) as { functions: Functions }).functions;
}

export function conformanceSuite(createAdapter: () => PlatformAdapter, options: ConformanceOptions = {}): void {
  const adapter = createAdapter();
  const timeout = options.timeoutMs ?? 60_000;
  const test = (name: ConformanceCase, body: () => Promise<void>): void => {
    const reason = options.skip?.[name] ?? (name === 'trace well formed' ? options.traceless : undefined);
    if (reason) it.skip(`${name} (skipped: ${reason})`, body);
    else it(name, body, timeout);
  };

  const runOnce = async (name: string, graph: WorkflowNode, functionsUrl: string, input: Value) => {
    const deployment = await adapter.deploy({ name, graph, functionsUrl }, { target: 'local' });
    try {
      return await adapter.run(deployment, input, RUN);
    } finally {
      await adapter.teardown(deployment);
    }
  };

  const runWorkload = async (workload: Workload, params: Record<string, number>) => {
    const input = workload.input(params);
    const execution = await runOnce(workload.name, workload.graph(params), workload.functionsUrl, input);
    return { execution, verdict: await workload.verify(execution.output, input, params) };
  };

  describe(`conformance: ${adapter.name}`, () => {
    afterAll(() => adapter.close());

    test('chain verified', async () => {
      const { verdict } = await runWorkload(chain, { length: 4, payloadBytes: 4096 });
      expect(verdict).toEqual({ ok: true });
    });

    test('fanout verified', async () => {
      const { verdict } = await runWorkload(fanout, { width: 8, payloadBytes: 1024 });
      expect(verdict).toEqual({ ok: true });
    });

    test('trace well formed', async () => {
      const width = 6;
      const { execution } = await runWorkload(fanout, { width, payloadBytes: 256 });
      const params = { width, payloadBytes: 256 };
      const oracle = await evaluateTraced(fanout.graph(params), fanout.input(params), await functionsOf(fanout.functionsUrl));
      expect(provenanceProblems(execution.trace.invocations, oracle)).toEqual([]);
      const { invocations } = execution.trace;
      expect(traceProblems(execution.trace)).toEqual([]);
      expect(invocations).toHaveLength(width + 2);
      for (const inv of invocations) {
        expect(['scatter', 'work', 'gather']).toContain(inv.fn);
        expect(inv.startNs <= inv.endNs).toBe(true);
      }
      const transitions = transitionsUs(execution.trace);
      expect(transitions).toHaveLength(width + 1); // scatter -> each branch, last branch -> gather
      for (const us of transitions) expect(us).toBeGreaterThanOrEqual(0);
    });

    test('function error fails the run', async () => {
      await expect(runOnce('failing', FAILING_PROBE.graph, PROBE_FUNCTIONS_URL, FAILING_PROBE.input)).rejects.toThrow(/probe failure/);
    });

    /** Runs a probe: refused if a kind it uses is unsupported; else the oracle's output, a well-formed trace and the oracle's parents. */
    const probeCase = async (name: string, probe: { readonly graph: WorkflowNode; readonly input: Value; readonly expected?: Value }) => {
      const refused = [...nodeKindsOf(probe.graph)].find((kind) => adapter.capabilities[kind].support === 'unsupported');
      if (refused) {
        await expect(runOnce(name, probe.graph, PROBE_FUNCTIONS_URL, probe.input)).rejects.toBeInstanceOf(UnsupportedError);
        return;
      }
      if (probe.expected !== undefined) {
        // The oracle cannot run it (a platform's own format): the output worked by hand, and a well-formed trace.
        const execution = await runOnce(name, probe.graph, PROBE_FUNCTIONS_URL, probe.input);
        expect(execution.output).toEqual(probe.expected);
        if (!options.traceless) expect(traceProblems(execution.trace)).toEqual([]);
        return;
      }
      const expected = await evaluateTraced(probe.graph, probe.input, await functionsOf(PROBE_FUNCTIONS_URL));
      const execution = await runOnce(name, probe.graph, PROBE_FUNCTIONS_URL, probe.input);
      expect(execution.output).toEqual(expected.output);
      if (options.traceless) return;
      expect(traceProblems(execution.trace)).toEqual([]);
      for (const inv of execution.trace.invocations) expect(functionNamesOf(probe.graph).has(inv.fn)).toBe(true);
      // Which invocations' outputs each function consumed, as the oracle defines it.
      expect(provenanceProblems(execution.trace.invocations, expected)).toEqual([]);
    };

    for (const kind of NODE_KINDS) test(`capability ${kind}`, () => probeCase(`probe-${kind}`, PROBES[kind]));
    for (const name of Object.keys(NESTED_PROBES) as NestedProbe[]) {
      test(`nested ${name}`, () => probeCase(`probe-${name.replaceAll(' ', '-')}`, NESTED_PROBES[name]));
    }
  });
}
