/**
 * Runs Baton workflows on the bundled reference runtime, in this process: the
 * runtime's node is local by nature (its "stand-in" is the runtime itself).
 */
import { RuntimeNode } from '../../reference-runtime/src/index.ts';
import {
  UnsupportedError, native, nodeKindsOf, unsupported,
  type Deployment, type DeployOptions, type Execution, type PlatformAdapter, type RunOptions, type Value, type WorkflowDefinition,
} from '../../harness/model/index.ts';
import { referenceCapabilities } from './capabilities.ts';
import { compile } from './compile.ts';

export interface ReferenceOptions {
  /** Executor threads on the node (default: available parallelism). */
  readonly executors?: number;
}

interface ReferenceDeployment extends Deployment {
  readonly appName: string;
}

export class ReferenceAdapter implements PlatformAdapter<ReferenceDeployment> {
  readonly name = 'reference';
  readonly description = 'Baton reference runtime: data buckets + triggers, zero-copy shared-memory objects (after Pheromone)';
  readonly capabilities = referenceCapabilities;
  readonly targets = {
    local: native(),
    cloud: unsupported('the reference runtime runs on this machine only; there is no cloud deployment of it'),
  };
  readonly faults = {};
  private node: Promise<RuntimeNode> | undefined;
  private nextApp = 1;
  private readonly options: ReferenceOptions;

  constructor(options: ReferenceOptions = {}) {
    this.options = options;
  }

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<ReferenceDeployment> {
    const target = this.targets[options.target];
    if (target.support === 'unsupported') throw new UnsupportedError(target.reason);
    for (const kind of nodeKindsOf(workflow.graph)) {
      const capability = this.capabilities[kind];
      if (capability.support === 'unsupported') throw new UnsupportedError(`${kind}: ${capability.reason}`);
    }
    const appName = `${workflow.name}#${this.nextApp++}`;
    const app = compile(workflow, appName);
    (await this.runtime()).register(app);
    return { platform: this.name, workflow, appName };
  }

  async run(deployment: ReferenceDeployment, input: Value, options: RunOptions): Promise<Execution> {
    const node = await this.runtime();
    if (options.cold) await node.restartExecutors();
    const result = await node.invoke(deployment.appName, input);
    return { output: result.output, trace: { clock: 'monotonic', invocations: result.invocations } };
  }

  async teardown(deployment: ReferenceDeployment): Promise<void> {
    (await this.runtime()).unregister(deployment.appName);
  }

  async close(): Promise<void> {
    const node = this.node;
    this.node = undefined;
    if (node) await (await node).close();
  }

  private runtime(): Promise<RuntimeNode> {
    this.node ??= RuntimeNode.start({ executors: this.options.executors });
    return this.node;
  }
}
