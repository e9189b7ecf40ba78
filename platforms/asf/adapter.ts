/**
 * Baton workloads as Step Functions state machines whose Task states call Lambda
 * functions, through the unmodified AWS SDK clients. `local` (default) starts the
 * stand-ins on 127.0.0.1; `cloud` uses the standard credential chain. Only the
 * endpoints and credentials differ (see clients.ts).
 */
import { randomUUID } from 'node:crypto';
import { CreateFunctionCommand, DeleteFunctionCommand } from '@aws-sdk/client-lambda';
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
  type Deployment,
  type DeployOptions,
  type Execution,
  type PlatformAdapter,
  type RunOptions,
  type Target,
  type Value,
  type WorkflowDefinition,
} from '../../harness/model/index.ts';
import { assertDeployable, pollUntil } from '../../harness/adapter-kit/index.ts';
import { asfCapabilities } from './capabilities.ts';
import { awsClients, type AwsClients } from './clients.ts';
import { GROUP_FUNCTION, WINDOW_FUNCTION, compileAsl, type Definition } from './compile.ts';
import { unwrap } from './handler.ts';
import { forceColdStarts } from '../aws-local/cold-starts.ts';
import { BATON_TAG } from '../aws-local/cleanup.ts';
import { buildPackage } from '../aws-local/package.ts';
import { waitUntilActive } from '../aws-local/function-state.ts';
import { traceFromHistory, usageFromHistory } from './trace.ts';

export interface AsfOptions {
  /** STANDARD (default; history, per-transition pricing) or EXPRESS (synchronous, no history). */
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly memoryMB?: number;
}

export interface AsfDeployment extends Deployment {
  readonly target: Target;
  readonly stateMachineArn: string;
  readonly functions: ReadonlyMap<string, string>;
  readonly definition: Definition;
}

const DATA_LIMIT = 'States.DataLimitExceeded';

export class AsfAdapter implements PlatformAdapter<AsfDeployment> {
  readonly name: string;
  readonly description: string;
  readonly capabilities = asfCapabilities;
  readonly targets = { local: native(), cloud: native() };
  /** Payloads as JSON (bytes in base64), kept in the history or checkpoints and in flight: about four copies. */
  readonly dataCopies = 4;
  readonly faults = { throttle: "the local Lambda refuses each invoke with this probability (TooManyRequestsException), as a throttled account's does" };
  private readonly options: Required<AsfOptions>;
  private readonly clients = new Map<Target, Promise<AwsClients>>();
  private coldEpoch = 0;

  constructor(options: AsfOptions = {}) {
    this.options = { type: options.type ?? 'STANDARD', memoryMB: options.memoryMB ?? 1024 };
    this.name = this.options.type === 'EXPRESS' ? 'asf-express' : 'asf';
    this.description =
      this.options.type === 'EXPRESS'
        ? 'AWS Step Functions Express (StartSyncExecution; no history, so end-to-end latency only) + Lambda'
        : 'AWS Step Functions Standard + Lambda (local stand-ins on 127.0.0.1, or AWS with --target cloud)';
  }

  async deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<AsfDeployment> {
    assertDeployable(this, workflow.graph, options.target);
    const aws = await this.aws(options.target);
    const zip = await buildPackage(workflow.functionsUrl, new URL('./handler.ts', import.meta.url).href);
    const kinds = nodeKindsOf(workflow.graph);
    const names = [...functionNamesOf(workflow.graph), ...(kinds.has('shuffle') ? [GROUP_FUNCTION] : []), ...(kinds.has('window') ? [WINDOW_FUNCTION] : [])];
    const tag = randomUUID().slice(0, 8);
    const functions = new Map<string, string>();
    try {
      for (const fn of names) {
        const created = await aws.lambda.send(
          new CreateFunctionCommand({
            FunctionName: `baton-${tag}-${fn.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64),
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: aws.roleArn,
            MemorySize: this.options.memoryMB,
            Timeout: 60,
            Code: { ZipFile: zip },
            Environment: { Variables: { BATON_FUNCTION: fn } },
            Tags: { [BATON_TAG]: tag }, // what `baton cleanup` looks for
          }),
        );
        functions.set(fn, created.FunctionArn!);
      }
      await waitUntilActive(aws.lambda, [...functions.values()], aws.maxPollMs * 50);
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
      return { platform: this.name, workflow, target: options.target, region: aws.region, stateMachineArn: machine.stateMachineArn!, functions, definition };
    } catch (error) {
      await Promise.all([...functions.values()].map((arn) => aws.lambda.send(new DeleteFunctionCommand({ FunctionName: arn })).catch(() => {})));
      throw error;
    }
  }

  async run(deployment: AsfDeployment, input: Value, options: RunOptions): Promise<Execution> {
    const aws = await this.aws(deployment.target);
    const throttle = options.faults['throttle'] ?? 0;
    if (throttle > 0 && !aws.throttle)
      throw new UnsupportedError('--inject throttle works on the local target only: AWS throttles an account on its own terms');
    aws.throttle?.(throttle);
    if (options.cold) await forceColdStarts(aws.lambda, new Map([...deployment.functions].map(([fn, arn]) => [arn, { BATON_FUNCTION: fn }])), ++this.coldEpoch);
    const submitNs = process.hrtime.bigint();
    const payload = JSON.stringify(encodeValue(input));
    if (this.options.type === 'EXPRESS') {
      const result = await aws.sfn
        .send(new StartSyncExecutionCommand({ stateMachineArn: deployment.stateMachineArn, input: payload }))
        .catch((error: Error) => {
          throw startFailure(error);
        });
      if (result.status !== 'SUCCEEDED') throw failure(result.error, result.cause);
      return { output: outputOf(result.output), trace: { clock: aws.clock, invocations: [] }, submitNs };
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
    if (described.status !== 'SUCCEEDED') throw failure(described.error, described.cause);
    const doneNs = process.hrtime.bigint();
    const events = await history(aws, executionArn!);
    const throttled = events.filter(
      (e) => (e.lambdaFunctionFailedEventDetails ?? e.taskFailedEventDetails)?.error === 'Lambda.TooManyRequestsException',
    ).length;
    return {
      output: outputOf(described.output),
      trace: traceFromHistory(events, aws.clock),
      submitNs,
      doneNs,
      usage: usageFromHistory(events, this.options.memoryMB),
      ...(throttle > 0 ? { faults: { throttled } } : {}),
    };
  }

  async teardown(deployment: AsfDeployment): Promise<void> {
    const aws = await this.aws(deployment.target);
    await aws.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: deployment.stateMachineArn })).catch(() => {});
    await Promise.all([...deployment.functions.values()].map((arn) => aws.lambda.send(new DeleteFunctionCommand({ FunctionName: arn })).catch(() => {})));
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

function outputOf(text: string | undefined): Value {
  return decodeValue(unwrap(text === undefined ? null : JSON.parse(text)).value);
}

/** Step Functions refuses execution input over 256 KiB at the start: a cell it cannot run, in both targets. */
function startFailure(error: Error): Error {
  if (error.name === 'ValidationException' && /'input'.*262144/.test(error.message)) {
    return new UnsupportedError(
      `the workflow input is over the 256 KiB execution input limit of Step Functions (refused at StartExecution); larger inputs would need S3`,
    );
  }
  return error;
}

function failure(error: string | undefined, cause: string | undefined): Error {
  if (error === DATA_LIMIT)
    return new UnsupportedError(`a state's data exceeds the 256 KB payload limit of Step Functions (${DATA_LIMIT}); larger payloads would need S3`);
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
