/**
 * What a node in a cluster adds to a single node: placing calls on other nodes, and
 * fetching bytes that other nodes own (implemented in cluster/), and the dispatch of one
 * call here or there.
 */
import { codeOf, type AppSpec } from './app.ts';
import type { CallReply, ExecutorPool } from './executor-pool.ts';
import type { ObjectStore } from './store/object-store.ts';
import type { RuntimeValue } from './value.ts';

/** A call that a node asks another node to run. */
export interface RemoteCall {
  readonly session: string;
  readonly app: string;
  readonly fn: string;
  readonly invocationId: string;
  readonly input: RuntimeValue;
  readonly priority: number;
}

export interface Distribution {
  /** The node a call should run on; undefined: here. */
  place(input: RuntimeValue): string | undefined;
  /** Runs a call on another node; the reply's output may refer to bytes that node owns. */
  callRemote(node: string, call: RemoteCall): Promise<CallReply>;
  hasRemote(value: RuntimeValue): boolean;
  /** Copies remote bytes into this node's store; the blocks are committed with no holder yet. */
  localize(value: RuntimeValue): Promise<{ value: RuntimeValue; blocks: readonly number[] }>;
  /** The session is over: the nodes that ran its calls may free what they kept for it. */
  sessionEnded(session: string, nodes: ReadonlySet<string>): void;
}

/**
 * Runs a call here, or on the node the cluster's placement picks (recorded in `nodesUsed`);
 * input bytes that other nodes own are fetched into this node's store first.
 */
export async function dispatch(
  call: RemoteCall,
  app: AppSpec,
  here: { readonly pool: ExecutorPool; readonly store: ObjectStore; readonly distribution: Distribution | undefined },
  nodesUsed: Set<string>,
): Promise<CallReply> {
  const { pool, store, distribution } = here;
  const request = { ...codeOf(app), fn: call.fn, invocationId: call.invocationId, input: call.input, priority: call.priority };
  if (!distribution) return pool.call(request);
  const target = distribution.place(call.input);
  if (target !== undefined) {
    nodesUsed.add(target);
    return distribution.callRemote(target, call);
  }
  if (!distribution.hasRemote(call.input)) return pool.call(request);
  const local = await distribution.localize(call.input);
  store.retain(local.blocks);
  try {
    return await pool.call({ ...request, input: local.value });
  } finally {
    store.release(local.blocks);
  }
}
