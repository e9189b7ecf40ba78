/**
 * Runs Baton workflows on the bundled reference runtime, in this process: the
 * runtime's node is local by nature (its "stand-in" is the runtime itself).
 */
import { Cluster, FileStore, RuntimeNode, type AppSpec, type PlacementPolicy, type SessionResult } from '../../reference-runtime/src/index.ts';
import { FULL_VCPU_MB, assertDeployable, cpuShareOf, makeTempDir } from '../../harness/adapter-kit/index.ts';
import {
  native,
  settingOf,
  unsupported,
  type Deployment,
  type DeployOptions,
  type Execution,
  type PlatformAdapter,
  type RunOptions,
  type StorageSpec,
  type Value,
  type WorkflowDefinition,
} from '../../harness/model/index.ts';
import { referenceCapabilities } from './capabilities.ts';
import { compileApps } from './compile.ts';

export interface ReferenceOptions {
  /** Executor threads per node (default: available parallelism, shared out among nodes). */
  readonly executors?: number;
  /** Node processes: 1 runs the node in this process; more start a cluster on 127.0.0.1. */
  readonly nodes?: number;
  /** How a cluster places calls (default: locality). */
  readonly placement?: PlacementPolicy;
}

/** What the adapter needs of a single node or a cluster. */
interface Runtime {
  register(app: AppSpec): void | Promise<void>;
  unregister(name: string): void | Promise<void>;
  invoke(app: string, input: Value): Promise<SessionResult>;
  restartExecutors(): Promise<void>;
  close(): Promise<void>;
}

interface ReferenceDeployment extends Deployment {
  readonly appName: string;
  /** Every app registered for it: its try bodies' and handlers', then its own. */
  readonly appNames: readonly string[];
  /** The app's durable store, for a workflow that declares storage; removed at teardown. */
  readonly store?: FileStore;
}

/** Price line of one node's VM (harness/cost/prices): a 2-vCPU on-demand instance, like the machine Baton was built on. */
export const INSTANCE_PRICE_ITEM = 'aws.ec2.c6i.large.second';

export class ReferenceAdapter implements PlatformAdapter<ReferenceDeployment> {
  readonly name = 'reference';
  readonly description = 'Baton reference runtime: data buckets + triggers, zero-copy shared-memory objects (after Pheromone); --nodes N runs a cluster';
  readonly capabilities = referenceCapabilities;
  readonly targets = {
    local: native(),
    cloud: unsupported('the reference runtime runs on this machine only; there is no cloud deployment of it'),
  };
  readonly faults = {};
  readonly coldStarts =
    'cold=1 replaces every executor thread before the run: each loads the functions module again on its first call. A call is cold when its thread loaded the module for it';
  readonly settings = {
    memoryMB: {
      description: `emulates Lambda's CPU share at this memory: below ${FULL_VCPU_MB} MB each function's compute is stretched to memoryMB/${FULL_VCPU_MB} of a CPU (the runtime's own default is a whole CPU)`,
      default: FULL_VCPU_MB,
      min: 128,
      max: 10_240,
      integer: true,
      unit: 'MB',
    },
  };
  readonly storage = {
    objects: "the runtime's durable store: files in a folder every node reaches",
    items: "the runtime's durable store: files in a folder every node reaches",
  };
  private node: Promise<Runtime> | undefined;
  private nextApp = 1;
  private readonly options: ReferenceOptions;

  constructor(options: ReferenceOptions = {}) {
    this.options = options;
  }

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<ReferenceDeployment> {
    assertDeployable(this, workflow.graph, options.target);
    const appName = `${workflow.name}#${this.nextApp++}`;
    const store = workflow.storage ? await createStore(workflow.storage) : undefined;
    const cpuShare = cpuShareOf(settingOf<number>(this, options, 'memoryMB'));
    const apps = compileApps(workflow, appName).map((app) => ({
      ...app,
      ...(store ? { durableDir: store.dir } : {}),
      ...(cpuShare < 1 ? { cpuShare } : {}),
    }));
    const runtime = await this.runtime();
    const registered: string[] = [];
    try {
      for (const app of apps) {
        await runtime.register(app);
        registered.push(app.name);
      }
    } catch (error) {
      // Nothing of a deploy that failed stays behind: the apps it registered go too.
      for (const name of registered) await Promise.resolve(runtime.unregister(name)).catch(() => {});
      await store?.remove();
      throw error;
    }
    return { platform: this.name, workflow, appName, appNames: apps.map((a) => a.name), ...(store ? { store } : {}) };
  }

  async run(deployment: ReferenceDeployment, input: Value, options: RunOptions): Promise<Execution> {
    const node = await this.runtime();
    if (options.cold) await node.restartExecutors();
    const startNs = process.hrtime.bigint();
    const result = await node.invoke(deployment.appName, input);
    const doneNs = process.hrtime.bigint();
    // Self-hosted: what an execution costs is the time it holds the cluster's VMs (one
    // execution at a time, closed loop), priced as on-demand instances (a modelled figure).
    const instanceSeconds = (Number(doneNs - startNs) / 1e9) * (this.options.nodes ?? 1);
    return {
      output: result.output,
      trace: { clock: 'monotonic', invocations: result.invocations },
      submitNs: startNs,
      doneNs,
      usage: { [INSTANCE_PRICE_ITEM]: instanceSeconds },
    };
  }

  async teardown(deployment: ReferenceDeployment): Promise<void> {
    try {
      const runtime = await this.runtime();
      for (const name of deployment.appNames) await runtime.unregister(name);
    } finally {
      await deployment.store?.remove();
    }
  }

  async close(): Promise<void> {
    const node = this.node;
    this.node = undefined;
    if (node) await (await node).close();
  }

  private runtime(): Promise<Runtime> {
    const { nodes = 1, executors, placement } = this.options;
    this.node ??=
      nodes > 1
        ? Cluster.start({ nodes, ...(executors ? { executorsPerNode: executors } : {}), ...(placement ? { placement } : {}) })
        : RuntimeNode.start({ executors });
    return this.node;
  }
}

/** A fresh store with the workflow's tables and the objects it starts with, as SeBS's input step uploads them. */
async function createStore(spec: StorageSpec): Promise<FileStore> {
  const store = new FileStore(makeTempDir('reference-store', 'inMemory'));
  await store.create(spec.tables);
  for (const [key, body] of Object.entries(spec.objects)) await store.put(key, body);
  return store;
}
