/**
 * The check every adapter makes before it deploys anything: the target is one it
 * supports, and so is every node kind of the graph. A refusal is an
 * `UnsupportedError` (the cell is `unsupported`, with the reason), never a failure.
 */
import { UnsupportedError, nodeKindsOf, type PlatformAdapter, type Target, type WorkflowNode } from '../model/index.ts';

export function assertDeployable(adapter: Pick<PlatformAdapter, 'name' | 'capabilities' | 'targets'>, graph: WorkflowNode, target: Target): void {
  const onTarget = adapter.targets[target];
  if (onTarget.support === 'unsupported') throw new UnsupportedError(`${adapter.name} --target ${target}: ${onTarget.reason}`);
  for (const kind of nodeKindsOf(graph)) {
    const capability = adapter.capabilities[kind];
    if (capability.support === 'unsupported') throw new UnsupportedError(`${kind}: ${capability.reason}`);
  }
}
