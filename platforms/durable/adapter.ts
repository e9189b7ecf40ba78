/**
 * Azure Durable Functions: the workflow becomes a Function App of orchestrators and
 * activities written with the real `durable-functions` SDK. Local: Baton's Durable host
 * runs that app in a child process (histories fsync'd to a store directory) and serves
 * the HTTP management API on 127.0.0.1. Cloud: a Function App deployed from
 * `baton deploy durable --out DIR`. Either way the adapter drives it only through the
 * real `DurableClient` and the status API.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DurableClient } from 'durable-functions';
import {
  UnsupportedError,
  WorkflowFailedError,
  DEFAULT_RUN_TIMEOUT_MS,
  decodeValue,
  encodeValue,
  functionNamesOf,
  native,
  settingOf,
  type Deployment,
  type DeployOptions,
  type Execution,
  type PlatformAdapter,
  type RunOptions,
  type Target,
  type Value,
  type WorkflowDefinition,
} from '../../harness/model/index.ts';
import { addUsage, assertDeployable, makeTempDir, pollUntil } from '../../harness/adapter-kit/index.ts';
import { AZURE_FUNCTION_STORAGE, azureStorageUsage } from './function-storage.ts';
import { startLocalAzureStorage, type LocalAzureStorage } from './local/azure-storage.ts';
import { deployAzureStorage, type DeployedAzureStorage } from './storage-setup.ts';
import { FUNCTION_NAME } from './app.ts';
import { durableCapabilities } from './capabilities.ts';
import { cloudClientData, durableClient, statusUrl } from './client.ts';
import type { DurableClientData } from './webhooks.ts';
import { startHostProcess, type HostProcess } from './local/host-process.ts';
import { OVER_LIMIT } from './local/host.ts';
import { WORKFLOW_ORCHESTRATOR } from './orchestrator.ts';
import { MEMORY_GB, episodesUs, faultsOf, storageBillsOf, traceOf, usageOf, type StatusHistoryEvent } from './trace.ts';

export const DURABLE_FAULTS = {
  'activity-error': "fail an activity's first attempt before its code runs (TaskFailed); the orchestrator's retry policy runs it again after 50 ms",
};

export interface DurableDeployment extends Deployment {
  readonly target: Target;
  readonly clientData: DurableClientData;
  readonly client: DurableClient;
  readonly host?: HostProcess;
  readonly dir?: string;
  /** The functions' own storage (a workflow that declares it): a container and tables of this deployment. */
  readonly storage?: DeployedAzureStorage;
  /** What an execution is billed at (`memoryMB`), GB. */
  readonly memoryGB: number;
  /** The fault settings the local host has (JSON), so a run only sends them when they change. */
  faultsSent?: string;
}

const BATON_APP_URL = new URL('./baton-app.ts', import.meta.url).href;

export class DurableAdapter implements PlatformAdapter<DurableDeployment> {
  readonly name = 'durable';
  readonly description = "Azure Durable Functions: real durable-functions SDK orchestrators, replayed by Baton's local host (or a deployed Function App)";
  readonly capabilities = durableCapabilities;
  readonly targets = { local: native(), cloud: native() };
  /** Payloads as JSON (bytes in base64), kept in the history or checkpoints and in flight: about four copies. */
  readonly dataCopies = 4;
  readonly faults = DURABLE_FAULTS;
  readonly storage = AZURE_FUNCTION_STORAGE;
  readonly coldStarts =
    "cold=1 ends the local host's idle activity worker threads before the run (a new one loads the app for its first activity); on --target cloud it is unsupported. An activity run is cold when its thread loaded the app for it";
  readonly settings = {
    memoryMB: {
      description:
        "the memory an execution is billed at (Consumption bills observed memory in 128 MB steps, up to 1.5 GB; Flex Consumption's instances have 2 or 4 GB); neither Azure's plans nor the local host scale CPU by it",
      default: MEMORY_GB * 1024,
      min: 128,
      max: 4096,
      integer: true,
      unit: 'MB',
    },
  };
  private readonly deployments = new Set<DurableDeployment>();
  /** Azurite, started on the first deploy whose workflow uses storage; shared by the adapter's deployments. */
  private azurite: Promise<LocalAzureStorage> | undefined;

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<DurableDeployment> {
    assertDeployable(this, workflow.graph, options.target);
    for (const name of functionNamesOf(workflow.graph)) {
      if (!FUNCTION_NAME.test(name))
        throw new UnsupportedError(`function name '${name}' is not a valid Azure Functions name (a letter, then letters, digits, - or _)`);
    }
    let deployment: DurableDeployment;
    const memoryGB = settingOf<number>(this, options, 'memoryMB') / 1024;
    if (options.target === 'cloud') {
      if (workflow.storage)
        throw new UnsupportedError(
          "durable cloud: storage for functions would need the deployed Function App's BATON_STORAGE setting (a storage account's connection string, container and tables); Baton sets it on the local host only",
        );
      const clientData = cloudClientData();
      deployment = { platform: this.name, workflow, target: 'cloud', clientData, client: durableClient(clientData), memoryGB };
    } else {
      const dir = makeTempDir('durable');
      const graphFile = join(dir, 'graph.json');
      await writeFile(graphFile, JSON.stringify(workflow.graph));
      let storage: DeployedAzureStorage | undefined;
      const host = await (async () => {
        if (workflow.storage) {
          this.azurite ??= startLocalAzureStorage().catch((error: unknown) => {
            this.azurite = undefined; // the next deploy tries again
            throw error;
          });
          storage = await deployAzureStorage((await this.azurite).connectionString, randomUUID().slice(0, 8), workflow.storage);
        }
        return startHostProcess({
          appUrl: BATON_APP_URL,
          env: { BATON_DURABLE_GRAPH: graphFile, BATON_DURABLE_FUNCTIONS: workflow.functionsUrl, ...storage?.settings },
          storeDir: join(dir, 'store'),
        });
      })().catch(async (error: unknown) => {
        await storage?.remove().catch(() => {});
        await rm(dir, { recursive: true, force: true });
        throw error;
      });
      deployment = {
        platform: this.name,
        workflow,
        target: 'local',
        clientData: host.clientData,
        client: durableClient(host.clientData),
        host,
        dir,
        memoryGB,
        ...(storage ? { storage } : {}),
      };
    }
    this.deployments.add(deployment);
    return deployment;
  }

  async run(deployment: DurableDeployment, input: Value, options: RunOptions): Promise<Execution> {
    try {
      return await this.execute(deployment, input, options);
    } catch (error) {
      // A request to a host that died fails as "fetch failed": say why the host died instead.
      const host = deployment.host;
      if (host && !host.exitReason())
        await new Promise((resolve) => {
          host.child.once('exit', resolve);
          setTimeout(resolve, 1000).unref();
        });
      const reason = host?.exitReason();
      if (reason) throw new WorkflowFailedError(reason, { cause: error });
      throw error;
    }
  }

  private async execute(deployment: DurableDeployment, input: Value, options: RunOptions): Promise<Execution> {
    await this.prepare(deployment, options);
    const submitNs = process.hrtime.bigint();
    const { client } = deployment;
    const id = await client.startNew(WORKFLOW_ORCHESTRATOR, { input: encodeValue(input) });
    let polls = 0;
    let runtimeStatus = 'Pending';
    // Polls the status URL itself: the SDK's getStatus cannot ask for showInput=false over
    // rpcBaseUrl (it only sends the flag when true), and every poll would carry the input back.
    const url = statusUrl(deployment.clientData, id, false);
    const status = await pollUntil(
      async () => {
        const answer = await fetch(url);
        // The status API answers 202 while it runs, 200 once completed, 400 or 500 once failed or terminated;
        // anything else (a wrong key, no such instance) is an error, not a status.
        if (![200, 202, 400, 500].includes(answer.status)) {
          throw new WorkflowFailedError(`status of instance ${id}: HTTP ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
        }
        const response = (await answer.json()) as { runtimeStatus: string; output: unknown };
        polls++;
        runtimeStatus = response.runtimeStatus;
        return ['Completed', 'Failed', 'Terminated'].includes(runtimeStatus) ? response : undefined;
      },
      {
        timeoutMs: options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
        maxIntervalMs: deployment.target === 'local' ? 2 : 500,
        describe: () => `instance ${id} still ${runtimeStatus}`,
      },
    );
    const doneNs = process.hrtime.bigint();
    const histories = await this.histories(deployment.clientData, id);
    await this.purge(deployment, id, histories);
    if (String(status.output).includes(OVER_LIMIT)) {
      throw new UnsupportedError(
        `data over what one Durable worker process holds (Azure's Consumption plan gives an instance 1.5 GB): ${String(status.output)}`,
      );
    }
    if (status.runtimeStatus !== 'Completed') throw new WorkflowFailedError(`instance ${id} ${status.runtimeStatus}: ${String(status.output)}`);
    const trace = traceOf(histories, deployment.target === 'local' ? 'monotonic' : 'epoch');
    const replayUs = episodesUs(histories);
    return {
      output: decodeValue(status.output),
      trace,
      submitNs,
      doneNs,
      usage: addUsage(usageOf(histories, trace, polls, deployment.memoryGB), deployment.storage ? azureStorageUsage(storageBillsOf(histories)) : undefined),
      faults: faultsOf(histories),
      ...(replayUs.length > 0 ? { partsUs: { replayUs } } : {}),
    };
  }

  async teardown(deployment: DurableDeployment): Promise<void> {
    this.deployments.delete(deployment);
    await deployment.host?.stop();
    if (deployment.dir) await rm(deployment.dir, { recursive: true, force: true });
    await deployment.storage?.remove();
  }

  async close(): Promise<void> {
    await Promise.all([...this.deployments].map((d) => this.teardown(d)));
    const azurite = this.azurite;
    this.azurite = undefined;
    await (await azurite?.catch(() => undefined))?.close();
  }

  /** Fault settings and forced cold starts: local host only. */
  private async prepare(deployment: DurableDeployment, options: RunOptions): Promise<void> {
    const faulty = Object.values(options.faults).some((p) => p > 0);
    if (deployment.target === 'cloud') {
      if (options.cold) throw new UnsupportedError('durable cloud: forcing cold starts would need restarting the Function App; Baton does not');
      if (faulty) throw new UnsupportedError("durable cloud: faults are injected by Baton's local host only");
      return;
    }
    const post = async (path: string, body?: unknown): Promise<void> => {
      const response = await fetch(new URL(`${path}?code=${deployment.host!.key}`, deployment.host!.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new WorkflowFailedError(`the local Durable host refused ${path}: HTTP ${response.status} ${await response.text()}`);
    };
    // Inside the measured run: talk to the host only when there is something to change.
    const faults = JSON.stringify(options.faults);
    if (faults !== (deployment.faultsSent ?? '{}')) {
      await post('/baton/faults', options.faults);
      deployment.faultsSent = faults;
    }
    if (options.cold) await post('/baton/recycle');
  }

  /**
   * Purges the instance and its sub-orchestrations once read: a long run would otherwise
   * keep every history. Best effort: a branch a first-of left running cannot be purged yet.
   */
  private async purge(deployment: DurableDeployment, id: string, histories: readonly StatusHistoryEvent[][]): Promise<void> {
    const children = histories
      .flat()
      .filter((e) => e.EventType === 'SubOrchestrationInstanceCreated' && e.InstanceId)
      .map((e) => e.InstanceId!);
    await Promise.all([id, ...children].map((instanceId) => deployment.client.purgeInstanceHistory(instanceId).catch(() => undefined)));
  }

  /** The histories of the instance and, recursively, of its sub-orchestrations. */
  private async histories(clientData: DurableClientData, instanceId: string): Promise<StatusHistoryEvent[][]> {
    const response = await fetch(statusUrl(clientData, instanceId, true));
    if (!response.ok && response.status !== 202 && response.status !== 400) throw new WorkflowFailedError(`history of ${instanceId}: HTTP ${response.status}`);
    const events = ((await response.json()) as { historyEvents?: StatusHistoryEvent[] }).historyEvents ?? [];
    const children = events.filter((e) => e.EventType === 'SubOrchestrationInstanceCreated' && e.InstanceId).map((e) => e.InstanceId!);
    const nested = await Promise.all(children.map((child) => this.histories(clientData, child)));
    return [events, ...nested.flat()];
  }
}
