/**
 * Unum on Lambda + DynamoDB: no orchestrator; each function's wrapper (runtime.ts)
 * checkpoints, coordinates fan-in and invokes what comes next. The adapter deploys one
 * Lambda per IR node, starts a session by invoking the first one, and waits for the
 * session's result in the table. Local: the Lambda stand-in and dynalite; cloud: AWS.
 */
import { randomUUID } from 'node:crypto';
import { CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { BatchWriteItemCommand, GetItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import {
  UnsupportedError,
  WorkflowFailedError,
  DEFAULT_RUN_TIMEOUT_MS,
  decodeValue,
  encodeValue,
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
import { addUsage, assertDeployable, pollUntil } from '../../harness/adapter-kit/index.ts';
import { LAMBDA_COLD_STARTS, forceColdStarts } from '../aws-local/cold-starts.ts';
import { BATON_TAG } from '../aws-local/cleanup.ts';
import { buildPackage } from '../aws-local/package.ts';
import { waitUntilActive } from '../aws-local/function-state.ts';
import { DATA_PASSING, OFFLOAD_BYTES, s3GbMonths, type DataPassing } from '../aws-local/data-passing.ts';
import { newStoreIo, offload, resolveRefs, type StoreIo } from '../aws-local/offload.ts';
import { s3Store, type ValueStore } from '../aws-local/value-store.ts';
import { s3Removal, type StoreRemoval } from '../aws-local/store-removal.ts';
import { LAMBDA_MEMORY_MB } from '../aws-local/lambda-memory.ts';
import { Removals } from '../aws-local/teardown.ts';
import { deployStorage, type DeployedStorage } from '../aws-local/function-storage-setup.ts';
import { FUNCTION_STORAGE, storageBillUsage } from '../aws-local/function-storage.ts';
import { unumCapabilities } from './capabilities.ts';
import { unumClients, type UnumClients } from './clients.ts';
import { compileUnum } from './compile.ts';
import type { UnumIR } from './ir.ts';
import type { UnumPayload, UnumRecord } from './wrapper/payload.ts';
import { FAILURE_NODE } from './wrapper/failure.ts';
import { ledgerPartition } from './wrapper/session-store.ts';
import { UNUM_WORKFLOW_FILE } from './wrapper/workflow-file.ts';
import { traceFromRecords, transitionParts } from './trace.ts';

/**
 * How long the adapter waits, after the result, for the last invocations' bills (written
 * right after each invocation's work: seconds only on a machine far over its cores).
 */
const LEDGER_SETTLE_MS = 30_000;

export const UNUM_FAULTS = {
  duplicate: 'invoke each next function twice with this probability',
  'crash-before-checkpoint': 'crash a function after its user code, before its checkpoint (Lambda retries the Event)',
  'crash-after-checkpoint': 'crash a function after its checkpoint, before it invokes the next (Lambda retries the Event)',
  'crash-after-fan-in-check': 'crash a fan-in branch that saw every branch done, before it invokes the aggregator (Lambda retries the Event)',
};

export interface UnumDeployment extends Deployment {
  readonly target: Target;
  /** Every function's Lambda memory (`memoryMB`): what GB-seconds are billed at. */
  readonly memoryMB: number;
  readonly ir: UnumIR;
  /** IR node -> Lambda function name. */
  readonly functions: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string>>;
  /** dataPassing=s3: the deployment's bucket, and what the client's input over the threshold goes to. */
  readonly data?: { readonly bucket: string; readonly values: ValueStore; readonly removal: StoreRemoval; readonly offloadBytes: number };
  /** The functions' own storage (a workload that declares it): a bucket and tables of this deployment. */
  readonly functionStorage?: DeployedStorage;
}

/**
 * How a function starts a Map's branches: `concurrent` (Baton's default: every invoke in
 * flight at once) or `sequential` (one invoke after another, as Unum's runtime does,
 * which the paper credits for its fan-out latency).
 */
export type MapStart = 'concurrent' | 'sequential';

export interface UnumOptions {
  readonly mapStart?: MapStart;
  /** False: Unum's at-least-once mode (no checkpoints where no fan-in needs one). */
  readonly checkpoint?: boolean;
}

export class UnumAdapter implements PlatformAdapter<UnumDeployment> {
  readonly name: string;
  readonly description: string;
  private readonly mapStart: MapStart;
  private readonly checkpoint: boolean;

  constructor(options: UnumOptions = {}) {
    this.mapStart = options.mapStart ?? 'concurrent';
    this.checkpoint = options.checkpoint ?? true;
    this.name = !this.checkpoint ? 'unum-at-least-once' : this.mapStart === 'sequential' ? 'unum-sequential' : 'unum';
    this.description = !this.checkpoint
      ? "Unum's at-least-once mode: checkpoints only before fan-ins, so a duplicate or a retry runs a function again (otherwise as 'unum')"
      : this.mapStart === 'sequential'
        ? "Unum as its runtime starts a Map: one branch invoke after another (otherwise as 'unum')"
        : 'Unum: orchestration without an orchestrator; Lambda + DynamoDB checkpoints, exactly-once (local stand-ins, or AWS)';
  }

  readonly capabilities = unumCapabilities;
  readonly targets = { local: native(), cloud: native() };
  /** Payloads as JSON (bytes in base64), kept in the history or checkpoints and in flight: about four copies. */
  readonly dataCopies = 4;
  readonly settings = {
    dataPassing: {
      ...DATA_PASSING,
      unsupported: {
        redis: "Unum lists Redis among its data stores, but Baton's port keeps data in DynamoDB (inline) or S3 (dataPassing=s3)",
        nested: 'Unum functions already invoke the next one themselves, asynchronously; a synchronous nested chain is asf with dataPassing=nested',
      },
    },
    offloadBytes: OFFLOAD_BYTES,
    memoryMB: LAMBDA_MEMORY_MB,
  };
  readonly faults = UNUM_FAULTS;
  readonly storage = FUNCTION_STORAGE;
  readonly coldStarts = LAMBDA_COLD_STARTS;
  private readonly clients = new Map<Target, Promise<UnumClients>>();
  private coldEpoch = 0;

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<UnumDeployment> {
    assertDeployable(this, workflow.graph, options.target);
    const dataPassing = settingOf<DataPassing>(this, options, 'dataPassing');
    const memoryMB = settingOf<number>(this, options, 'memoryMB');
    const ir = compileUnum(workflow.graph, { checkpoint: this.checkpoint });
    const aws = await this.aws(options.target);
    const tag = randomUUID().slice(0, 8);
    const functions = new Map(Object.keys(ir.configs).map((node, i) => [node, `baton-unum-${tag}-${i}`]));
    // Where Lambda sends an Event invocation whose retries ran out (a function that exited its
    // process, ran out of memory or time): it fails the session, so the client does not wait.
    functions.set(FAILURE_NODE, `baton-unum-${tag}-failure`);
    // The workflow description travels in the package, not the environment: Lambda allows a
    // function 4 KB of environment, which Montage's 58 nodes (or a chain of ~30) exceed.
    const zip = await buildPackage(workflow.functionsUrl, new URL('./runtime.ts', import.meta.url).href, {
      [UNUM_WORKFLOW_FILE]: JSON.stringify({ configs: ir.configs, functions: Object.fromEntries(functions) }),
    });
    let data: UnumDeployment['data'];
    let functionStorage: DeployedStorage | undefined;
    const env: Record<string, string> = { ...aws.functionEnv, UNUM_TABLE: aws.table, UNUM_MAP_START: this.mapStart };
    try {
      if (workflow.storage) {
        const endpoints = { ...(aws.s3Endpoint ? { s3Endpoint: aws.s3Endpoint } : {}), ...(aws.dynamoEndpoint ? { dynamoEndpoint: aws.dynamoEndpoint } : {}) };
        functionStorage = await deployStorage({ s3: aws.s3, db: aws.db, ...endpoints }, tag, workflow.storage);
        Object.assign(env, functionStorage.env);
      }
      if (dataPassing === 's3') {
        const bucket = `baton-unum-${tag}-data`;
        await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const offloadBytes = settingOf<number>(this, options, 'offloadBytes');
        data = { bucket, values: s3Store(aws.s3, bucket, false), removal: s3Removal(aws.s3, bucket), offloadBytes };
        env['UNUM_STORE'] = JSON.stringify({ kind: 's3', bucket, ...(aws.s3Endpoint ? { endpoint: aws.s3Endpoint } : {}) });
        env['UNUM_OFFLOAD_BYTES'] = String(offloadBytes);
      }
      for (const [node, name] of functions) {
        await aws.lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: aws.roleArn,
            MemorySize: memoryMB,
            Timeout: 60,
            Code: { ZipFile: zip },
            Environment: { Variables: { ...env, UNUM_NODE: node } },
            Tags: { [BATON_TAG]: tag }, // what `baton cleanup` looks for
          }),
        );
      }
      await waitUntilActive(aws.lambda, [...functions.values()], aws.maxPollMs * 50);
      const failureArn = (await aws.lambda.send(new GetFunctionCommand({ FunctionName: functions.get(FAILURE_NODE) }))).Configuration!.FunctionArn!;
      for (const [node, name] of functions) {
        if (node === FAILURE_NODE) continue;
        await aws.lambda.send(
          new PutFunctionEventInvokeConfigCommand({
            FunctionName: name,
            MaximumRetryAttempts: 2,
            DestinationConfig: { OnFailure: { Destination: failureArn } },
          }),
        );
      }
    } catch (error) {
      await Promise.all([...functions.values()].map((name) => aws.lambda.send(new DeleteFunctionCommand({ FunctionName: name })).catch(() => {})));
      if (data) await removeBucket(aws, data).catch(() => {});
      await functionStorage?.remove().catch(() => {});
      throw error;
    }
    return {
      platform: this.name,
      workflow,
      target: options.target,
      region: aws.region,
      ir,
      functions,
      env,
      memoryMB,
      ...(data ? { data } : {}),
      ...(functionStorage ? { functionStorage } : {}),
    };
  }

  async run(deployment: UnumDeployment, input: Value, options: RunOptions): Promise<Execution> {
    const aws = await this.aws(deployment.target);
    if (options.cold)
      await forceColdStarts(
        aws.lambda,
        new Map([...deployment.functions].map(([node, name]) => [name, { ...deployment.env, UNUM_NODE: node }])),
        ++this.coldEpoch,
      );
    const submitNs = process.hrtime.bigint();
    const session = randomUUID();
    const { data } = deployment;
    // The client's share of the exchange: the input's data into S3, the result's out of it.
    const client = newStoreIo();
    const encoded = encodeValue(input);
    const payload: UnumPayload = {
      Session: session,
      Data: { Value: data ? await offload(encoded, data.values, `runs/${session}/client`, data.offloadBytes, client) : encoded },
      Fanout: deployment.ir.startFanout ?? [],
      Parents: [],
      Faults: options.faults,
    };
    await aws.lambda
      .send(new InvokeCommand({ FunctionName: deployment.functions.get(deployment.ir.start), InvocationType: 'Event', Payload: JSON.stringify(payload) }))
      .catch((error: Error) => {
        throw failureOf(error.message);
      });
    const key = (sk: string) => ({ pk: { S: session }, sk: { S: sk } });
    const result = await pollUntil(
      async () => {
        const [done, failure] = await Promise.all([
          aws.db.send(new GetItemCommand({ TableName: aws.table, Key: key('result'), ConsistentRead: true })),
          aws.db.send(new GetItemCommand({ TableName: aws.table, Key: key('error'), ConsistentRead: true })),
        ]);
        if (failure.Item) throw failureOf(failure.Item['message']?.S ?? 'a function failed');
        return done.Item;
      },
      {
        timeoutMs: options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
        maxIntervalMs: aws.maxPollMs,
        describe: () => `no result for session ${session} (a function kept failing, or its next was never invoked)`,
      },
    );
    const resultJson = JSON.parse(result['output']!.S!) as unknown;
    const output = decodeValue(data ? await resolveRefs(resultJson, data.values, client) : resultJson);
    const doneNs = process.hrtime.bigint();
    const counters = async (sk: string) => {
      const found = await aws.db.send(new GetItemCommand({ TableName: aws.table, Key: key(sk), ConsistentRead: true }));
      return Object.fromEntries(
        Object.entries(found.Item ?? {})
          .filter(([k]) => k !== 'pk' && k !== 'sk')
          .map(([k, v]) => [k, Number(v.N)]),
      ) as Record<string, number>;
    };
    const { ledger, faults } = await settledLedger(
      () => readLedger(aws, session),
      () => counters('stats'),
    );
    // At least once, an instance may have run more than once: its first run stands in the trace.
    const records = firstRuns(ledger.records);
    // Runs of user code: a record billed again from its checkpoint is not one.
    const runs = ledger.records.filter((r) => !r.fromCheckpoint).length;
    if (runs > records.length) faults['duplicateRuns'] = runs - records.length;
    await this.sweep(aws, session);
    await this.sweep(aws, ledgerPartition(session));
    if (data) await data.removal.removePrefix(`runs/${session}/`);
    const storage = data ? s3UsageOf(ledger.totals, client, Date.now()) : {};
    const own = deployment.functionStorage ? storageBillUsage([ledger.totals]) : undefined;
    return {
      output,
      trace: traceFromRecords(records, aws.clock),
      submitNs,
      doneNs,
      partsUs: transitionParts(records),
      faults,
      usage: addUsage(usageOf(ledger.totals, deployment.memoryMB), storage, own?.usage),
      reported: addUsage(
        {
          'aws.dynamodb.readRequestUnit': ledger.totals['reportedReadUnits'] ?? 0,
          'aws.dynamodb.writeRequestUnit': ledger.totals['reportedWriteUnits'] ?? 0,
        },
        own?.reported,
      ),
    };
  }

  async teardown(deployment: UnumDeployment): Promise<void> {
    const aws = await this.aws(deployment.target);
    const removals = new Removals();
    await Promise.all(
      [...deployment.functions.values()].map((name) =>
        removals.attempt(`function ${name}`, () => aws.lambda.send(new DeleteFunctionCommand({ FunctionName: name }))),
      ),
    );
    const data = deployment.data;
    if (data) await removals.attempt(`bucket ${data.bucket}`, () => removeBucket(aws, data));
    const storage = deployment.functionStorage;
    if (storage) await removals.attempt("the functions' storage", () => storage.remove());
    removals.done();
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map(async (clients) => (await clients).close()));
  }

  /** Removes what is left of a session: its result, counters, and items late duplicates wrote after the collection. */
  private async sweep(aws: UnumClients, session: string): Promise<void> {
    const page = await aws.db.send(
      new QueryCommand({
        TableName: aws.table,
        KeyConditionExpression: 'pk = :s',
        ExpressionAttributeValues: { ':s': { S: session } },
        ProjectionExpression: 'pk, sk',
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({ pk: item['pk']!, sk: item['sk']! }));
    for (let i = 0; i < keys.length; i += 25) {
      await aws.db.send(new BatchWriteItemCommand({ RequestItems: { [aws.table]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }));
    }
  }

  private aws(target: Target): Promise<UnumClients> {
    let clients = this.clients.get(target);
    if (!clients) this.clients.set(target, (clients = unumClients(target)));
    return clients;
  }
}

/** One record per instance (the earliest run), in the order they came. */
function firstRuns(records: readonly UnumRecord[]): UnumRecord[] {
  const first = new Map<string, UnumRecord>();
  for (const record of records) {
    const seen = first.get(record.id);
    if (!seen || BigInt(record.startNs) < BigInt(seen.startNs)) first.set(record.id, record);
  }
  return [...first.values()];
}

interface Ledger {
  readonly totals: Record<string, number>;
  readonly records: UnumRecord[];
}

/** The bills a session's invocations left (every page of its ledger partition): their sums, and the instances' records. */
async function readLedger(aws: UnumClients, session: string): Promise<Ledger & { entries: number }> {
  const totals: Record<string, number> = {};
  const records: UnumRecord[] = [];
  let entries = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await aws.db.send(
      new QueryCommand({
        TableName: aws.table,
        KeyConditionExpression: 'pk = :s',
        ExpressionAttributeValues: { ':s': { S: ledgerPartition(session) } },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      entries++;
      for (const [name, value] of Object.entries(item)) if (value.N !== undefined) totals[name] = (totals[name] ?? 0) + Number(value.N);
      if (item['record']?.S) records.push(JSON.parse(item['record'].S) as UnumRecord);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { totals, records, entries };
}

/**
 * The ledger once every invocation has left its bill. An invocation writes it after its
 * work, off the workflow's path, so the last ones may land a moment after the result.
 * Every invocation was made by the client (the first), by another invocation (which
 * counts what it invoked), or by Lambda retrying a crash (counted in the stats): the
 * ledger is whole when it holds that many entries and a record of every instance that a
 * record names as its parent.
 */
async function settledLedger(
  read: () => Promise<Ledger & { entries: number }>,
  stats: () => Promise<Record<string, number>>,
): Promise<{ ledger: Ledger; faults: Record<string, number> }> {
  const deadline = Date.now() + LEDGER_SETTLE_MS;
  for (;;) {
    const [ledger, faults] = await Promise.all([read(), stats()]);
    const crashes = (faults['crash-before-checkpoint'] ?? 0) + (faults['crash-after-checkpoint'] ?? 0) + (faults['crash-after-fan-in-check'] ?? 0);
    const expected = 1 + (ledger.totals['invoked'] ?? 0) + crashes;
    // The count alone can be met early: a duplicate's entry may stand in for one still on its way (whose
    // invocations are then not counted either). Every instance a record names as its parent must have its own.
    const ids = new Set(ledger.records.map((r) => r.id));
    const missing = [...new Set(ledger.records.flatMap((r) => r.parents))].filter((id) => !ids.has(id));
    if (ledger.entries >= expected && missing.length === 0) return { ledger, faults };
    // A partial ledger would make a partial trace and bill: fail the run, saying so, rather than report one.
    if (Date.now() > deadline)
      throw new Error(
        `the session's ledger holds ${ledger.entries} of ${expected} invocations' entries ${LEDGER_SETTLE_MS / 1000} s after the result` +
          (missing.length > 0 ? `, and no record of ${missing.slice(0, 5).join(', ')}` : ''),
      );
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Data over the services' limits is something Unum here cannot run (without S3), not a failure. */
function failureOf(message: string): Error {
  if (/Item size has exceeded|RequestTooLarge|Request must be smaller/.test(message)) {
    return new UnsupportedError(
      `data over a limit of the services Unum uses (DynamoDB items 400 KB, Lambda async payloads 1 MB): ${message}; --param dataPassing=s3 passes large data through S3`,
    );
  }
  return new WorkflowFailedError(message);
}

/** Empties and deletes a deployment's bucket. */
async function removeBucket(aws: UnumClients, data: NonNullable<UnumDeployment['data']>): Promise<void> {
  await data.removal.removePrefix('');
  await aws.s3.send(new DeleteBucketCommand({ Bucket: data.bucket }));
}

/**
 * The S3 lines of a session with dataPassing=s3: the functions' requests from the ledger
 * and the client's, and GB-months of every object from its write to its removal
 * (`removedEpochMs`), from Σ bytes and Σ bytes × write time the invocations billed.
 */
function s3UsageOf(ledger: Readonly<Record<string, number>>, client: StoreIo, removedEpochMs: number): Record<string, number> {
  const bytes = (ledger['s3Bytes'] ?? 0) + client.putBytes;
  const byteEpochMs = (ledger['s3ByteEpochMs'] ?? 0) + client.byteEpochMs;
  const byteSeconds = Math.max(0, bytes * removedEpochMs - byteEpochMs) / 1000;
  return {
    'aws.s3.putRequest': (ledger['s3Puts'] ?? 0) + client.puts,
    'aws.s3.getRequest': (ledger['s3Gets'] ?? 0) + client.gets,
    'aws.s3.gbMonth': s3GbMonths(byteSeconds),
  };
}

/**
 * What a session is billed for, from the ledger its invocations wrote: one Lambda
 * request per invocation (retries and duplicates included), GB-seconds of each whole
 * handler rounded up to 1 ms at the configured memory, and DynamoDB read and write units
 * of every call the runtime made, by item size (harness/cost/dynamodb-capacity.ts). The
 * client's polling and Baton's ledger are not Unum's, and left out.
 */
function usageOf(ledger: Readonly<Record<string, number>>, memoryMB: number): Record<string, number> {
  return {
    'aws.lambda.request': ledger['invocations'] ?? 0,
    'aws.lambda.gbSecond': ((ledger['billedMs'] ?? 0) / 1000) * (memoryMB / 1024),
    'aws.dynamodb.readRequestUnit': ledger['modelReadUnits'] ?? 0,
    'aws.dynamodb.writeRequestUnit': ledger['modelWriteUnits'] ?? 0,
  };
}
