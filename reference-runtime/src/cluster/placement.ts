/**
 * Where a call runs, decided by the coordinator shard of its workflow.
 *
 * `locality` (the default): here, when all input bytes are here and an executor is
 * free; otherwise on the node holding the most input bytes that has a free
 * executor, else on the least loaded node. `spread`: round-robin over all nodes,
 * whatever the data (for measuring cross-node transitions).
 */
export type PlacementPolicy = 'locality' | 'spread';

export interface NodeLoad {
  readonly name: string;
  /** Calls queued or running there, as last heard. */
  readonly load: number;
  readonly executors: number;
}

export function place(policy: PlacementPolicy, self: string, bytesByNode: ReadonlyMap<string, number>, nodes: readonly NodeLoad[], turn: number): string {
  if (policy === 'spread') return nodes[turn % nodes.length]!.name;
  const me = nodes.find((n) => n.name === self)!;
  const remoteBytes = [...bytesByNode].some(([name, bytes]) => name !== self && bytes > 0);
  if (!remoteBytes && me.load < me.executors) return self;
  const ranked = [...nodes].sort((a, b) => (bytesByNode.get(b.name) ?? 0) - (bytesByNode.get(a.name) ?? 0) || a.load / a.executors - b.load / b.executors);
  return (ranked.find((n) => n.load < n.executors) ?? [...nodes].sort((a, b) => a.load / a.executors - b.load / b.executors)[0]!).name;
}
