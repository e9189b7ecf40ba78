/**
 * What a trace says about the platform: transition overheads, and whether the trace is
 * well formed at all.
 */
import { childrenOf, type InvocationRecord, type Trace, type WorkflowNode } from '../model/index.ts';

const NS_PER_US = 1000;

/**
 * Transition overhead of every invocation that consumed other invocations' outputs:
 * its user-code start minus the latest user-code end among its parents (as Unum and
 * Pheromone define it), in microseconds.
 */
export function transitionsUs(trace: Trace): number[] {
  const byId = new Map(trace.invocations.map((inv) => [inv.id, inv]));
  const transitions: number[] = [];
  for (const invocation of trace.invocations) {
    const lastParentEnd = latestEnd(invocation.parents, byId);
    if (lastParentEnd !== undefined) transitions.push(Number(invocation.startNs - lastParentEnd) / NS_PER_US);
  }
  return transitions;
}

function latestEnd(parents: readonly string[], byId: ReadonlyMap<string, InvocationRecord>): bigint | undefined {
  let latest: bigint | undefined;
  for (const id of parents) {
    const end = byId.get(id)?.endNs;
    if (end !== undefined && (latest === undefined || end > latest)) latest = end;
  }
  return latest;
}

/**
 * The critical path of user code: the longest chain of invocations linked by
 * parent -> child, weighted by each invocation's user-code duration, in µs.
 * End-to-end latency minus this is the orchestration overhead.
 */
export function criticalPathUs(trace: Trace): number {
  const byId = new Map(trace.invocations.map((inv) => [inv.id, inv]));
  const longest = new Map<string, number>();
  const pathTo = (inv: InvocationRecord): number => {
    const known = longest.get(inv.id);
    if (known !== undefined) return known;
    let parentsUs = 0;
    for (const id of inv.parents) {
      const parent = byId.get(id);
      if (parent) parentsUs = Math.max(parentsUs, pathTo(parent));
    }
    const us = parentsUs + Number(inv.endNs - inv.startNs) / NS_PER_US;
    longest.set(inv.id, us);
    return us;
  };
  let criticalUs = 0;
  for (const inv of trace.invocations) criticalUs = Math.max(criticalUs, pathTo(inv));
  return criticalUs;
}

/** Problems that make a trace untrustworthy; empty when it is well formed. */
export function traceProblems(trace: Trace): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const inv of trace.invocations) {
    if (ids.has(inv.id) && inv.attempt === 1) problems.push(`invocation ${inv.id} appears twice`);
    ids.add(inv.id);
    if (inv.startNs > inv.endNs) problems.push(`invocation ${inv.id} (${inv.fn}) ends before it starts`);
    if (inv.inBytes < 0 || inv.outBytes < 0) problems.push(`invocation ${inv.id} has a negative byte count`);
  }
  for (const inv of trace.invocations) {
    for (const parent of inv.parents) if (!ids.has(parent)) problems.push(`invocation ${inv.id} names unknown parent ${parent}`);
  }
  const negative = transitionsUs(trace).filter((us) => us < 0);
  if (negative.length > 0) problems.push(`${negative.length} transition(s) are negative (a function started before its input was produced)`);
  return problems;
}

export function coldStartsOf(trace: Trace): number {
  return trace.invocations.filter((inv) => inv.cold).length;
}

/** The functions of every window node in a graph. */
export function windowFunctionsOf(node: WorkflowNode, into: Set<string> = new Set()): Set<string> {
  if (node.kind === 'window') into.add(node.fn);
  for (const child of childrenOf(node)) windowFunctionsOf(child, into);
  return into;
}

/**
 * Window latency, per window: the end of its function's run minus when its last event
 * was available. A run's events all come with its input, so that is the submit time.
 * Only a monotonic trace shares the submitter's clock.
 */
export function windowLatenciesUs(trace: Trace, windowFns: ReadonlySet<string>, submitNs: bigint): number[] {
  if (trace.clock !== 'monotonic' || windowFns.size === 0) return [];
  return trace.invocations.filter((r) => windowFns.has(r.fn)).map((r) => Math.max(0, Number(r.endNs - submitNs) / 1000));
}
