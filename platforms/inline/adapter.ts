/**
 * The model run in the harness's own process, with no orchestrator: Baton's interpreter
 * (the oracle's) calls each function directly, as a plain `await`. It is the smallest
 * complete adapter (docs/adding-a-platform.md walks through it) and the zero-overhead
 * baseline of every table: what a workflow costs when nothing orchestrates it.
 */
import {
  native,
  unsupported,
  type Deployment,
  type DeployOptions,
  type Execution,
  type FunctionsModule,
  type InvocationRecord,
  type PlatformAdapter,
  type RunOptions,
  type Value,
  type WorkflowDefinition,
} from '../../harness/model/index.ts';
import { assertDeployable, callFunction, interpret, invocationOf, memoryStorage, type MemoryStorage } from '../../harness/adapter-kit/index.ts';
import { inlineCapabilities } from './capabilities.ts';

interface InlineDeployment extends Deployment {
  functions: FunctionsModule['functions'];
  /** How many times the functions module was loaded: `cold` loads a fresh copy. */
  loads: number;
  /** Functions that ran since the module was loaded: the others' next call is a cold start. */
  readonly warm: Set<string>;
  /** The workflow's storage, in the harness's memory; kept from deploy to teardown. */
  readonly storage?: MemoryStorage;
}

export class InlineAdapter implements PlatformAdapter<InlineDeployment> {
  readonly name = 'inline';
  readonly description = 'no orchestrator: the model interpreted in the harness process, each function a direct call (the zero-overhead baseline)';
  readonly capabilities = inlineCapabilities;
  readonly targets = {
    local: native(),
    cloud: unsupported('inline runs in the harness process; there is nothing to deploy to a cloud'),
  };
  readonly faults = {};
  readonly storage = { objects: "the harness's memory", items: "the harness's memory" };
  readonly coldStarts = 'cold=1 imports a fresh copy of the functions module for the run (a new module URL): its first call of each function is cold';

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<InlineDeployment> {
    assertDeployable(this, workflow.graph, options.target);
    const storage = workflow.storage ? { storage: memoryStorage(workflow.storage) } : {};
    return { platform: this.name, workflow, functions: await load(workflow.functionsUrl, 0), loads: 0, warm: new Set(), ...storage };
  }

  async run(deployment: InlineDeployment, input: Value, options: RunOptions): Promise<Execution> {
    if (options.cold) {
      // A cold start loads the functions again, as a new Lambda instance or worker would.
      deployment.functions = await load(deployment.workflow.functionsUrl, ++deployment.loads);
      deployment.warm.clear();
    }
    const submitNs = process.hrtime.bigint();
    const invocations: InvocationRecord[] = [];
    const result = await interpret(deployment.workflow.graph, { value: input, from: [] }, async (fn, value, parents) => {
      const cold = !deployment.warm.has(fn);
      deployment.warm.add(fn);
      const storage = deployment.storage ? { storage: deployment.storage } : {};
      const { output, record } = await callFunction({ name: fn, fn: deployment.functions[fn], input: value, parents, cold, ...storage });
      invocations.push(invocationOf(record, 'monotonic'));
      return { value: output, id: record.id };
    });
    return { output: result.value, trace: { clock: 'monotonic', invocations }, submitNs };
  }

  async teardown(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Loads the functions module; `copy` > 0 loads a fresh instance of it (ES modules are cached by URL). */
async function load(functionsUrl: string, copy: number): Promise<FunctionsModule['functions']> {
  const url = copy === 0 ? functionsUrl : `${functionsUrl}${functionsUrl.includes('?') ? '&' : '?'}baton-load=${copy}`;
  return ((await import(url)) as FunctionsModule).functions;
}
