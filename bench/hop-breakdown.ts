/**
 * Where a transition's time goes, phase by phase, from the stamps the runtime records on
 * every call (one process-wide monotonic clock, so stamps from executor threads and from
 * other node processes on this machine compare):
 *
 *   result encoding      the predecessor's function returned -> its executor posted the reply
 *   announcement         the executor posted the reply -> the node's thread got it
 *   trigger + schedule   the node got the reply -> it posted the successor's call
 *                        (trigger evaluation, the scheduler's decision, and in a cluster the
 *                        trip to the home node and back)
 *   message + wake-up    the node posted the call -> the successor's executor got it
 *   input decoding       the executor got the call -> the successor's function started
 */
import type { AppSpec } from '../reference-runtime/src/app.ts';
import { Cluster } from '../reference-runtime/src/cluster/cluster.ts';
import { RuntimeNode, type InvocationRecord, type SessionResult } from '../reference-runtime/src/index.ts';

export const PHASES = ['result encoding', 'announcement', 'trigger + schedule', 'message + wake-up', 'input decoding'] as const;
export type Phase = (typeof PHASES)[number];

const FUNCTIONS = new URL('./functions.ts', import.meta.url).href;

/** A chain of `length` `inc` calls, one bucket between each. */
function chainApp(length: number): AppSpec {
  const buckets = Array.from({ length: length + 1 }, (_, i) => `b${i}`);
  return {
    name: `chain${length}`,
    functionsUrl: FUNCTIONS,
    buckets,
    entry: 'b0',
    result: `b${length}`,
    triggers: buckets.slice(0, -1).map((bucket, i) => ({ primitive: 'immediate', bucket, action: { kind: 'call', fn: 'inc', to: [`b${i + 1}`] } }) as const),
  };
}

function phasesOf(previous: InvocationRecord, next: InvocationRecord): Record<Phase, number> {
  const us = (from: bigint, to: bigint): number => Number(to - from) / 1000;
  return {
    'result encoding': us(previous.endNs, previous.repliedNs),
    announcement: us(previous.repliedNs, previous.replyReceivedNs),
    'trigger + schedule': us(previous.replyReceivedNs, next.sentNs),
    'message + wake-up': us(next.sentNs, next.receivedNs),
    'input decoding': us(next.receivedNs, next.startNs),
  };
}

/** Every transition's phases, µs, over `sessions` runs of a 10-link chain. */
function collect(results: readonly SessionResult[]): Record<Phase, number[]> {
  const out = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<Phase, number[]>;
  for (const result of results) {
    const byId = new Map(result.invocations.map((i) => [i.id, i]));
    for (const next of result.invocations) {
      const previous = next.parents.length === 1 ? byId.get(next.parents[0]!) : undefined;
      if (!previous) continue;
      const phases = phasesOf(previous, next);
      for (const p of PHASES) out[p].push(phases[p]);
    }
  }
  return out;
}

const WARMUP = 20;

/** `sessions` runs of the chain one after another, after WARMUP that are not kept. */
async function runChain(invoke: (app: string) => Promise<SessionResult>, app: string, sessions: number): Promise<Record<Phase, number[]>> {
  const results: SessionResult[] = [];
  for (let i = 0; i < WARMUP + sessions; i++) {
    const result = await invoke(app);
    if (i >= WARMUP) results.push(result);
  }
  return collect(results);
}

export async function sameNodeBreakdown(sessions: number): Promise<Record<Phase, number[]>> {
  const node = await RuntimeNode.start({ storeBytes: 64 << 20 });
  try {
    const app = chainApp(10);
    node.register(app);
    return await runChain((name) => node.invoke(name, 1), app.name, sessions);
  } finally {
    await node.close();
  }
}

export async function crossNodeBreakdown(sessions: number): Promise<Record<Phase, number[]>> {
  const cluster = await Cluster.start({ nodes: 2, executorsPerNode: 1, placement: 'spread' });
  try {
    const app = chainApp(10);
    await cluster.register(app);
    return await runChain((name) => cluster.invoke(name, 1), app.name, sessions);
  } finally {
    await cluster.close();
  }
}
