/**
 * Baton workloads as Step Functions state machines whose Task states call Lambda
 * functions, through the unmodified AWS SDK clients. `local` (default) starts the
 * stand-ins on 127.0.0.1; `cloud` uses the standard credential chain. Only the
 * endpoints and credentials differ (see clients.ts).
 *
 * How data travels is a setting (`--param dataPassing=inline|s3|redis|nested`): in the
 * state; its data in an S3 bucket or Redis with pointers in the state; or with no
 * orchestrator, each function invoking the next (nested.ts).
 */
import { randomUUID } from 'node:crypto';
import { CreateFunctionCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import {
  UnsupportedError,
  WorkflowFailedError,
  DEFAULT_RUN_TIMEOUT_MS,
  decodeValue,
  encodeValue,
  functionNamesOf,
  native,
  nodeKindsOf,
  settingOf,
  type ChoiceSetting,
  type ParamSpec,
  type Deployment,
  type DeployOptions,
  type Execution,
  type PlatformAdapter,
  type RunOptions,
  type Target,
  type Value,
  type WorkflowDefinition,
} from '../../harness/model/index.ts';
import { addUsage, assertDeployable, invocationOf, pollUntil } from '../../harness/adapter-kit/index.ts';
import { asfCapabilities } from './capabilities.ts';
import { awsClients, type AwsClients } from './clients.ts';
import { GROUP_FUNCTION, WINDOW_FUNCTION, compileAsl, type Definition } from './compile.ts';
import { unwrap, type BatonRecord } from './handler.ts';
import { chainOf, invokeChain, nestedUsage } from './nested.ts';
import { fanOutFunctions } from './fan-outs.ts';
import { DATA_PASSING, OFFLOAD_BYTES, storageUsage, type DataPassing, type StorageRecord } from '../aws-local/data-passing.ts';
import { keysOf, newStoreIo, offload, resolveRefs } from '../aws-local/offload.ts';
import { s3Store, storeAt, type StoreAddress, type ValueStore } from '../aws-local/value-store.ts';
import { redisRemoval, s3Removal, type StoreRemoval } from '../aws-local/store-removal.ts';
import { LAMBDA_COLD_STARTS, forceColdStarts } from '../aws-local/cold-starts.ts';
import { BATON_TAG } from '../aws-local/cleanup.ts';
import { buildPackage } from '../aws-local/package.ts';
import { waitUntilActive } from '../aws-local/function-state.ts';
import { recordsFromHistory, traceFromHistory, usageFromHistory } from './trace.ts';
import { deployStorage, type DeployedStorage } from '../aws-local/function-storage-setup.ts';
import { FUNCTION_STORAGE, storageBillUsage } from '../aws-local/function-storage.ts';
import { LAMBDA_MEMORY_MB } from '../aws-local/lambda-memory.ts';
import { Removals } from '../aws-local/teardown.ts';

export interface AsfOptions {
  /** STANDARD (default; history, per-transition pricing) or EXPRESS (synchronous, no history). */
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly memoryMB?: number;
}

export interface AsfDeployment extends Deployment {
  readonly target: Target;
  /** Absent for dataPassing=nested, which has no state machine. */
  readonly stateMachineArn?: string;
  readonly functions: ReadonlyMap<string, string>;
  /** Each function's environment, by ARN: what a forced cold start sets again. */
  readonly environments: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly definition?: Definition;
  readonly dataPassing: DataPassing;
  /** s3 or redis: where the data goes, and the threshold for the client's own input. */
  readonly store?: {
    readonly address: StoreAddress;
    readonly values: ValueStore;
    readonly removal: StoreRemoval;
    readonly offloadBytes: number;
    /** The workflow input's threshold: 0 when the workflow fans out, as its functions' outputs are then (fan-outs.ts). */
    readonly inputOffloadBytes: number;
  };
  /** nested: the chain's first function (`functions` is then keyed by position in the chain). */
  readonly first?: string;
  /** Every function's Lambda memory (`memoryMB`): what GB-seconds are billed at. */
  readonly memoryMB: number;
  /** The functions' own storage (a workload that declares it): a bucket and tables of this deployment. */
  readonly functionStorage?: DeployedStorage;
}

const DATA_LIMIT = 'States.DataLimitExceeded';

export class AsfAdapter implements PlatformAdapter<AsfDeployment> {
  readonly name: string;
  readonly description: string;
  readonly capabilities = asfCapabilities;
  readonly targets = { local: native(), cloud: native() };
  /** Payloads as JSON (bytes in base64), kept in the history or checkpoints and in flight: about four copies. */
  readonly dataCopies = 4;
  readonly settings: { dataPassing: ChoiceSetting; offloadBytes: ParamSpec; memoryMB: ParamSpec };
  readonly faults = { throttle: "the local Lambda refuses each invoke with this probability (TooManyRequestsException), as a throttled account's does" };
  readonly storage = FUNCTION_STORAGE;
  readonly coldStarts = LAMBDA_COLD_STARTS;
  private readonly options: Required<AsfOptions>;
  private readonly clients = new Map<Target, Promise<AwsClients>>();
  private coldEpoch = 0;

  constructor(options: AsfOptions = {}) {
    this.options = { type: options.type ?? 'STANDARD', memoryMB: options.memoryMB ?? 1024 };
    this.name = this.options.type === 'EXPRESS' ? 'asf-express' : 'asf';
    const express = { nested: 'a nested chain has no state machine, so no Express one: its cells are the same as on asf' };
    this.settings = {
      dataPassing: { ...DATA_PASSING, ...(this.options.type === 'EXPRESS' ? { unsupported: express } : {}) },
      offloadBytes: OFFLOAD_BYTES,
      memoryMB: { ...LAMBDA_MEMORY_MB, default: this.options.memoryMB },
    };
    this.description =
      this.options.type === 'EXPRESS'
        ? 'AWS Step Functions Express (StartSyncExecution; no history, so end-to-end latency only) + Lambda'
        : 'AWS Step Functions Standard + Lambda (local stand-ins on 127.0.0.1, or AWS with --target cloud)';
  }

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<AsfDeployment> {
    assertDeployable(this, workflow.graph, options.target);
    const dataPassing = settingOf<DataPassing>(this, options, 'dataPassing');
    const memoryMB = settingOf<number>(this, options, 'memoryMB');
    const chain = dataPassing === 'nested' ? chainOf(workflow.graph) : undefined;
    const aws = await this.aws(options.target);
    const zip = await buildPackage(workflow.functionsUrl, new URL('./handler.ts', import.meta.url).href);
    const kinds = nodeKindsOf(workflow.graph);
    const names = [...functionNamesOf(workflow.graph), ...(kinds.has('shuffle') ? [GROUP_FUNCTION] : []), ...(kinds.has('window') ? [WINDOW_FUNCTION] : [])];
    const tag = randomUUID().slice(0, 8);
    const functionName = (fn: string) => `baton-${tag}-${fn.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
    const functions = new Map<string, string>();
    const environments = new Map<string, Record<string, string>>();
    let store: AsfDeployment['store'];
    let functionStorage: DeployedStorage | undefined;
    try {
      functionStorage = workflow.storage ? await deployStorage(await aws.storage(), tag, workflow.storage) : undefined;
      const fannedOut = fanOutFunctions(workflow.graph);
      store = await this.storeFor(dataPassing, aws, `baton-${tag}-data`, settingOf<number>(this, options, 'offloadBytes'), fannedOut.size > 0);
      const storeEnv = (fn: string): Record<string, string> =>
        store
          ? { BATON_STORE: JSON.stringify(store.address), BATON_OFFLOAD_BYTES: String(fannedOut.has(fn) ? 0 : store.offloadBytes), BATON_STORE_PREFIX: 'runs' }
          : {};
      // Nested: one function per step of the chain (a chain may run one function several times), each naming the next.
      const deployed = chain
        ? chain.map((fn, i) => ({ fn, name: functionName(`${i}-${fn}`), key: `${i}` }))
        : names.map((fn) => ({ fn, name: functionName(fn), key: fn }));
      for (const [i, { fn, name, key }] of deployed.entries()) {
        const next = chain ? deployed[i + 1]?.name : undefined;
        const nestedEnv: Record<string, string> = chain
          ? { ...(next ? { BATON_NEXT: next } : {}), ...(aws.endpoints.lambda ? { BATON_LAMBDA_ENDPOINT: aws.endpoints.lambda } : {}) }
          : {};
        const environment = { BATON_FUNCTION: fn, ...storeEnv(fn), ...nestedEnv, ...functionStorage?.env };
        const created = await aws.lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: aws.roleArn,
            MemorySize: memoryMB,
            Timeout: 60,
            Code: { ZipFile: zip },
            Environment: { Variables: environment },
            Tags: { [BATON_TAG]: tag }, // what `baton cleanup` looks for
          }),
        );
        functions.set(key, created.FunctionArn!);
        environments.set(created.FunctionArn!, environment);
      }
      await waitUntilActive(aws.lambda, [...functions.values()], aws.maxPollMs * 50);
      const base = {
        platform: this.name,
        workflow,
        target: options.target,
        region: aws.region,
        functions,
        environments,
        dataPassing,
        memoryMB,
        ...(store ? { store } : {}),
        ...(functionStorage ? { functionStorage } : {}),
      };
      if (chain) return { ...base, first: functions.get('0')! };
      const definition = compileAsl(workflow.graph, (fn) => functions.get(fn)!, `Baton: ${workflow.name}`);
      const machine = await aws.sfn.send(
        new CreateStateMachineCommand({
          name: `baton-${tag}-${workflow.name.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 80),
          definition: JSON.stringify(definition),
          roleArn: aws.roleArn,
          type: this.options.type,
          tags: [{ key: BATON_TAG, value: tag }],
        }),
      );
      return { ...base, stateMachineArn: machine.stateMachineArn!, definition };
    } catch (error) {
      await Promise.all([...functions.values()].map((arn) => aws.lambda.send(new DeleteFunctionCommand({ FunctionName: arn })).catch(() => {})));
      if (store) await removeStore(aws, store).catch(() => {});
      await functionStorage?.remove().catch(() => {});
      throw error;
    }
  }

  /** The bucket (made here) or Redis database a deployment's data goes through, if any. */
  private async storeFor(dataPassing: DataPassing, aws: AwsClients, bucket: string, offloadBytes: number, fansOut: boolean): Promise<AsfDeployment['store']> {
    if (dataPassing === 's3') {
      await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const address: StoreAddress = { kind: 's3', bucket, ...(aws.endpoints.s3 ? { endpoint: aws.endpoints.s3 } : {}) };
      return {
        address,
        values: s3Store(aws.s3, bucket, false),
        removal: s3Removal(aws.s3, bucket),
        offloadBytes,
        inputOffloadBytes: fansOut ? 0 : offloadBytes,
      };
    }
    if (dataPassing === 'redis') {
      const address: StoreAddress = { kind: 'redis', url: await aws.redisUrl() };
      // Only a key in the state: every value's data goes to Redis.
      return { address, values: storeAt(address), removal: redisRemoval(address.url!), offloadBytes: 0, inputOffloadBytes: 0 };
    }
    return undefined;
  }

  async run(deployment: AsfDeployment, input: Value, options: RunOptions): Promise<Execution> {
    const aws = await this.aws(deployment.target);
    const throttle = options.faults['throttle'] ?? 0;
    if (throttle > 0 && !aws.throttle)
      throw new UnsupportedError('--inject throttle works on the local target only: AWS throttles an account on its own terms');
    aws.throttle?.(throttle);
    if (options.cold) await forceColdStarts(aws.lambda, deployment.environments, ++this.coldEpoch);
    const submitNs = process.hrtime.bigint();
    const startEpochMs = Date.now();
    if (deployment.first) return this.runNested(aws, deployment, input, submitNs);
    // The client's share of the exchange: the input's data into the store, the output's out of it.
    const client = newStoreIo();
    const store = deployment.store;
    const encoded = encodeValue(input);
    const payload = JSON.stringify(store ? await offload(encoded, store.values, `runs/client-${randomUUID()}`, store.inputOffloadBytes, client) : encoded);
    const outputOf = async (text: string | undefined): Promise<Value> => {
      const json = unwrap(text === undefined ? null : JSON.parse(text)).value;
      return decodeValue(store ? await resolveRefs(json, store.values, client) : json);
    };
    if (this.options.type === 'EXPRESS') {
      const result = await aws.sfn
        .send(new StartSyncExecutionCommand({ stateMachineArn: deployment.stateMachineArn, input: payload }))
        .catch((error: Error) => {
          throw startFailure(error);
        });
      if (result.status !== 'SUCCEEDED') throw failure(result.error, result.cause);
      const output = await outputOf(result.output);
      // No history: the functions' objects are found under their prefix.
      if (store) await store.removal.removePrefix('runs/');
      return { output, trace: { clock: aws.clock, invocations: [] }, submitNs };
    }
    const { executionArn } = await aws.sfn
      .send(new StartExecutionCommand({ stateMachineArn: deployment.stateMachineArn, input: payload }))
      .catch((error: Error) => {
        throw startFailure(error);
      });
    let status = 'RUNNING';
    const described = await pollUntil(
      async () => {
        const execution = await aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
        status = execution.status ?? 'RUNNING';
        return status === 'RUNNING' ? undefined : execution;
      },
      { timeoutMs: options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS, maxIntervalMs: aws.maxPollMs, describe: () => `execution ${executionArn} still ${status}` },
    );
    if (described.status !== 'SUCCEEDED') throw failure(described.error, described.cause, store !== undefined);
    const output = await outputOf(described.output);
    const doneNs = process.hrtime.bigint();
    const events = await history(aws, executionArn!);
    const throttled = events.filter(
      (e) => (e.lambdaFunctionFailedEventDetails ?? e.taskFailedEventDetails)?.error === 'Lambda.TooManyRequestsException',
    ).length;
    const usage = usageFromHistory(events, deployment.memoryMB);
    const records = recordsFromHistory(events);
    const trace = store
      ? { clock: aws.clock, invocations: (await withParents(records, store.values)).map((r) => invocationOf(r, aws.clock)) }
      : traceFromHistory(events, aws.clock);
    // Baton's grouping step reads and writes the store too: its requests are billed and its objects removed like the rest.
    const storage = store ? await this.settleStore(store, [client, ...storageOf(recordsFromHistory(events, true))], records, startEpochMs) : undefined;
    const functionStorage = storageBillUsage(records.flatMap((r) => (r.storageBill ? [r.storageBill] : [])));
    return {
      output,
      trace,
      submitNs,
      doneNs,
      usage: addUsage(usage, storage?.usage, deployment.functionStorage ? functionStorage.usage : undefined),
      ...(deployment.functionStorage ? { reported: functionStorage.reported } : {}),
      ...(storage ? { partsUs: storage.partsUs } : {}),
      ...(throttle > 0 ? { faults: { throttled } } : {}),
    };
  }

  /** A nested chain has no history, so a throttled invoke is not counted: it fails the run (no orchestrator retries it). */
  private async runNested(aws: AwsClients, deployment: AsfDeployment, input: Value, submitNs: bigint): Promise<Execution> {
    const result = await invokeChain(aws, deployment.first!, JSON.stringify(encodeValue(input)));
    const doneNs = process.hrtime.bigint();
    const functionStorage = storageBillUsage(result.records.flatMap((r) => (r.storageBill ? [r.storageBill] : [])));
    return {
      output: decodeValue(result.value),
      trace: { clock: aws.clock, invocations: result.records.map((r) => invocationOf(r, aws.clock)) },
      submitNs,
      doneNs,
      usage: addUsage(nestedUsage(result.records, deployment.memoryMB), deployment.functionStorage ? functionStorage.usage : undefined),
      ...(deployment.functionStorage ? { reported: functionStorage.reported } : {}),
    };
  }

  /** Removes a run's objects (they live from their write to now) and counts what they cost and took. */
  private async settleStore(store: NonNullable<AsfDeployment['store']>, records: readonly StorageRecord[], runs: readonly BatonRecord[], startEpochMs: number) {
    await store.removal.removeKeys([...records.flatMap(keysOf), ...runs.flatMap((r) => (r.parentsKey ? [r.parentsKey] : []))]);
    const removedEpochMs = Date.now();
    return {
      usage: storageUsage(store.address.kind, records, removedEpochMs, (removedEpochMs - startEpochMs) / 1000),
      partsUs: { storeWriteUs: records.flatMap((r) => r.writeUs), storeReadUs: records.flatMap((r) => r.readUs) },
    };
  }

  async teardown(deployment: AsfDeployment): Promise<void> {
    const aws = await this.aws(deployment.target);
    const removals = new Removals();
    const machine = deployment.stateMachineArn;
    if (machine) await removals.attempt(`state machine ${machine}`, () => aws.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machine })));
    await Promise.all(
      [...deployment.functions.values()].map((arn) =>
        removals.attempt(`function ${arn}`, () => aws.lambda.send(new DeleteFunctionCommand({ FunctionName: arn }))),
      ),
    );
    const store = deployment.store;
    if (store) await removals.attempt(`data store ${store.address.bucket ?? 'redis'}`, () => removeStore(aws, store));
    const storage = deployment.functionStorage;
    if (storage) await removals.attempt("the functions' storage", () => storage.remove());
    removals.done();
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map(async (clients) => (await clients).close()));
  }

  private aws(target: Target): Promise<AwsClients> {
    let clients = this.clients.get(target);
    if (!clients) this.clients.set(target, (clients = awsClients(target)));
    return clients;
  }
}

/** Records whose parents the store kept (BatonRecord.parentsKey), with their parents back. */
async function withParents(records: readonly BatonRecord[], store: ValueStore): Promise<BatonRecord[]> {
  return Promise.all(
    records.map(async (r) => (r.parentsKey ? { ...r, parents: JSON.parse((await store.get(r.parentsKey)).toString('utf8')) as string[] } : r)),
  );
}

function storageOf(records: readonly BatonRecord[]): StorageRecord[] {
  return records.flatMap((r) => (r.passing ? [r.passing] : []));
}

/** Empties and deletes a deployment's bucket, or removes what a failed run left in Redis; closes the store's connection. */
async function removeStore(aws: AwsClients, store: NonNullable<AsfDeployment['store']>): Promise<void> {
  try {
    await store.removal.removePrefix('');
    if (store.address.kind === 's3') await aws.s3.send(new DeleteBucketCommand({ Bucket: store.address.bucket }));
  } finally {
    await store.values.close();
    await store.removal.close();
  }
}

/** Step Functions refuses execution input over 256 KiB at the start: a cell it cannot run, in both targets. */
function startFailure(error: Error): Error {
  if (error.name === 'ValidationException' && /'input'.*262144/.test(error.message)) {
    return new UnsupportedError(
      `the workflow input is over the 256 KiB execution input limit of Step Functions (refused at StartExecution); --param dataPassing=s3 passes it through S3`,
    );
  }
  return error;
}

function failure(error: string | undefined, cause: string | undefined, throughStore = false): Error {
  if (error === DATA_LIMIT && throughStore)
    return new UnsupportedError(
      `a state's data exceeds the 256 KB payload limit of Step Functions (${DATA_LIMIT}) even with the data in the store: what is left (arrays, records, numbers, pointers) is over it`,
    );
  if (error === DATA_LIMIT)
    return new UnsupportedError(
      `a state's data exceeds the 256 KB payload limit of Step Functions (${DATA_LIMIT}); --param dataPassing=s3 passes it through S3`,
    );
  return new WorkflowFailedError(`${error ?? 'States.Unknown'}: ${cause ?? ''}`);
}

async function history(aws: AwsClients, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
